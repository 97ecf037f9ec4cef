// See added_tokens.h. A match that fails its single_word test is skipped and the scan resumes after
// it (the reference's non-overlapping search behaves the same); lstrip/rstrip widen a match over
// neighbouring whitespace so that whitespace never reaches the model.
#include "tokenizer/added_tokens.h"

#include "tokenizer/normalizers.h"
#include "tokenizer/unicode_utils.h"

#include <algorithm>

namespace lorastudio::tok {

namespace {

// Code point that ends at byte `end` (exclusive) of valid UTF-8 text.
char32_t codePointBefore(std::string_view text, std::size_t end, std::size_t* begin) {
    std::size_t b = end - 1;
    while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
    int len = 1;
    *begin = b;
    return decodeUtf8At(text, b, &len);
}

} // namespace

AddedVocabulary::AddedVocabulary(const nlohmann::json& j, const JsonSite& site, const Normalizer* normalizer,
                                 bool matchSpecial) {
    if (j.is_null()) return;
    if (!j.is_array()) site.fail("must be a list of added tokens");
    for (std::size_t i = 0; i < j.size(); ++i) {
        const JsonSite at = site.index(i);
        const auto& t = j[i];
        if (!t.is_object()) at.fail("must be an object with id and content");
        AddedToken tok;
        if (!findKey(t, "id")) at.key("id").fail("missing required key");
        tok.id = tokenId(*findKey(t, "id"), at.key("id"));
        tok.content = getRequired<std::string>(t, "content", at);
        if (tok.content.empty()) at.key("content").fail("must not be empty");
        if (tok.id < 0) at.key("id").fail("must not be negative");
        tok.singleWord = getOr<bool>(t, "single_word", false, at);
        tok.lstrip = getOr<bool>(t, "lstrip", false, at);
        tok.rstrip = getOr<bool>(t, "rstrip", false, at);
        tok.special = getOr<bool>(t, "special", false, at);
        tok.normalized = getOr<bool>(t, "normalized", !tok.special, at);
        const int index = static_cast<int>(m_tokens.size());
        if (tok.special && !matchSpecial) {
            // known by id (decode, isSpecial) but never matched in text
        } else if (tok.normalized && normalizer) {
            std::string normalizedContent = tok.content;
            normalizer->normalize(normalizedContent);
            if (!normalizedContent.empty()) m_normalized.add(normalizedContent, index);
        } else if (tok.normalized) {
            m_normalized.add(tok.content, index);
        } else {
            m_raw.add(tok.content, index);
        }
        m_byId[tok.id] = m_tokens.size();
        m_idByContent.emplace(tok.content, tok.id);
        m_tokens.push_back(std::move(tok));
    }
}

const AddedToken* AddedVocabulary::byId(int32_t id) const {
    auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_tokens[it->second];
}

std::optional<int32_t> AddedVocabulary::idOf(std::string_view content) const {
    auto it = m_idByContent.find(std::string(content));
    if (it == m_idByContent.end()) return std::nullopt;
    return it->second;
}

int32_t AddedVocabulary::Matcher::child(int32_t node, unsigned char b) const {
    const auto& kids = m_nodes[static_cast<std::size_t>(node)].children;
    auto it = std::lower_bound(kids.begin(), kids.end(), std::make_pair(b, int32_t(-1)));
    return it != kids.end() && it->first == b ? it->second : -1;
}

void AddedVocabulary::Matcher::add(std::string_view pattern, int token) {
    int32_t node = 0;
    for (char c : pattern) {
        const auto b = static_cast<unsigned char>(c);
        int32_t next = child(node, b);
        if (next < 0) {
            next = static_cast<int32_t>(m_nodes.size());
            m_nodes.push_back(Node{});
            auto& kids = m_nodes[static_cast<std::size_t>(node)].children;
            kids.insert(std::lower_bound(kids.begin(), kids.end(), std::make_pair(b, int32_t(-1))), {b, next});
        }
        node = next;
    }
    // The first token listed with a given content keeps it.
    if (m_nodes[static_cast<std::size_t>(node)].token < 0) m_nodes[static_cast<std::size_t>(node)].token = token;
    m_firstByte[static_cast<unsigned char>(pattern[0])] = true;
}

void AddedVocabulary::Matcher::split(const std::vector<AddedToken>& tokens, std::string_view text,
                                     std::vector<TextSegment>& out) const {
    std::size_t emitted = 0; // text before this offset is already in out
    std::size_t pos = 0;
    const std::size_t n = text.size();
    while (!empty() && pos < n) {
        if (!m_firstByte[static_cast<unsigned char>(text[pos])]) {
            ++pos;
            continue;
        }
        // Longest token starting at pos.
        int best = -1;
        std::size_t bestEnd = 0;
        int32_t node = 0;
        for (std::size_t k = pos; k < n; ++k) {
            node = child(node, static_cast<unsigned char>(text[k]));
            if (node < 0) break;
            if (m_nodes[static_cast<std::size_t>(node)].token >= 0) {
                best = m_nodes[static_cast<std::size_t>(node)].token;
                bestEnd = k + 1;
            }
        }
        if (best < 0) {
            ++pos;
            continue;
        }
        const AddedToken& tok = tokens[static_cast<std::size_t>(best)];
        std::size_t start = pos, stop = bestEnd;
        if (tok.singleWord) {
            std::size_t dummy = 0;
            int len = 1;
            const bool wordBefore = start > 0 && isWordChar(codePointBefore(text, start, &dummy));
            const bool wordAfter = stop < n && isWordChar(decodeUtf8At(text, stop, &len));
            if (wordBefore || wordAfter) {
                pos = stop;
                continue;
            }
        }
        if (tok.lstrip) {
            while (start > emitted) {
                std::size_t b = 0;
                if (!isUnicodeWhitespace(codePointBefore(text, start, &b))) break;
                start = b;
            }
        }
        if (tok.rstrip) {
            while (stop < n) {
                int len = 1;
                if (!isUnicodeWhitespace(decodeUtf8At(text, stop, &len))) break;
                stop += static_cast<std::size_t>(len);
            }
        }
        if (start > emitted) out.push_back({emitted, start, -1});
        out.push_back({start, stop, best});
        emitted = stop;
        pos = stop;
    }
    if (emitted < n) out.push_back({emitted, n, -1});
}

} // namespace lorastudio::tok

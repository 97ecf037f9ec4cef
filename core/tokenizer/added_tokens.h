// The "added_tokens" of tokenizer.json: special and extra tokens matched in the text before the
// normalizer/pre-tokenizer/model pipeline. Matching is leftmost-longest; single_word, lstrip, rstrip
// and normalized behave as in Hugging Face tokenizers (normalized tokens are matched in the
// normalized text, the others in the raw text). Immutable once loaded.
#pragma once
#include "tokenizer/json_site.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lorastudio::tok {

class Normalizer;

struct AddedToken {
    int32_t id = -1;
    std::string content;
    bool singleWord = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = true;
    bool special = false;
};

// A span of text: either an added token (token >= 0, index into AddedVocabulary::tokens()) or
// ordinary text (token == -1) that goes through the pipeline.
struct TextSegment {
    std::size_t begin = 0, end = 0;
    int token = -1;
};

class AddedVocabulary {
public:
    AddedVocabulary() = default;
    // j: the "added_tokens" list; normalizer (may be null) rewrites the content of normalized tokens.
    // matchSpecial false (split_special_tokens in tokenizer_config.json): special tokens written in
    // the text are not matched and go through the pipeline as ordinary text.
    AddedVocabulary(const nlohmann::json& j, const JsonSite& site, const Normalizer* normalizer, bool matchSpecial);

    // Cuts text at the added tokens that match raw text (normalized == false).
    void splitRaw(std::string_view text, std::vector<TextSegment>& out) const { m_raw.split(m_tokens, text, out); }
    // Cuts normalized text at the added tokens that match normalized text.
    void splitNormalized(std::string_view text, std::vector<TextSegment>& out) const {
        m_normalized.split(m_tokens, text, out);
    }

    const std::vector<AddedToken>& tokens() const { return m_tokens; }
    const AddedToken* byId(int32_t id) const;
    std::optional<int32_t> idOf(std::string_view content) const;
    bool empty() const { return m_tokens.empty(); }

private:
    // A byte trie over token contents, giving leftmost-longest matches.
    class Matcher {
    public:
        void add(std::string_view pattern, int token);
        void split(const std::vector<AddedToken>& tokens, std::string_view text, std::vector<TextSegment>& out) const;
        bool empty() const { return m_nodes.size() <= 1; }

    private:
        struct Node {
            std::vector<std::pair<unsigned char, int32_t>> children; // sorted by byte
            int token = -1;
        };
        int32_t child(int32_t node, unsigned char b) const;
        std::vector<Node> m_nodes{Node{}};
        std::vector<bool> m_firstByte = std::vector<bool>(256, false);
    };

    std::vector<AddedToken> m_tokens;
    std::unordered_map<int32_t, std::size_t> m_byId;
    std::unordered_map<std::string, int32_t> m_idByContent;
    Matcher m_raw, m_normalized;
};

} // namespace lorastudio::tok

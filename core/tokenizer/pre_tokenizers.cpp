// See pre_tokenizers.h. Split behaviours follow Hugging Face tokenizers' SplitDelimiterBehavior: a
// pattern cuts a piece into alternating matched / unmatched spans, and the behaviour decides what
// happens to the matched ones (dropped, kept alone, glued to a neighbour, or runs merged).
#include "tokenizer/pre_tokenizers.h"

#include "tokenizer/regex.h"
#include "tokenizer/unicode_utils.h"

#include <algorithm>

namespace lorastudio::tok {

const char* const kGpt2SplitRegex =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

namespace {

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

Behavior parseBehavior(const std::string& name, const JsonSite& site) {
    if (name == "Removed") return Behavior::Removed;
    if (name == "Isolated") return Behavior::Isolated;
    if (name == "MergedWithPrevious") return Behavior::MergedWithPrevious;
    if (name == "MergedWithNext") return Behavior::MergedWithNext;
    if (name == "Contiguous") return Behavior::Contiguous;
    site.fail("unknown split behavior '" + name + "'",
              "expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous");
}

struct Segment {
    std::size_t begin, end;
    bool isMatch;
};

// Cuts piece.text at the pattern's matches and appends the resulting pieces to out.
void splitPiece(const Piece& piece, const Pattern& pattern, Behavior behavior, bool invert, std::vector<Span>& spans,
                std::vector<Piece>& out) {
    const std::string& text = piece.text;
    spans.clear();
    pattern.findAll(text, spans);
    std::vector<Segment> segs;
    segs.reserve(spans.size() * 2 + 1);
    std::size_t prev = 0;
    for (const auto& [b, e] : spans) {
        if (b != prev) segs.push_back({prev, b, invert});
        segs.push_back({b, e, !invert});
        prev = e;
    }
    if (prev != text.size()) segs.push_back({prev, text.size(), invert});

    std::vector<Span> kept;
    kept.reserve(segs.size());
    switch (behavior) {
    case Behavior::Removed:
        for (const auto& s : segs)
            if (!s.isMatch) kept.emplace_back(s.begin, s.end);
        break;
    case Behavior::Isolated:
        for (const auto& s : segs) kept.emplace_back(s.begin, s.end);
        break;
    case Behavior::MergedWithPrevious: {
        bool previousMatch = false;
        for (const auto& s : segs) {
            if (s.isMatch && !previousMatch && !kept.empty())
                kept.back().second = s.end;
            else
                kept.emplace_back(s.begin, s.end);
            previousMatch = s.isMatch;
        }
        break;
    }
    case Behavior::MergedWithNext: {
        bool nextMatch = false; // walking backwards: whether the segment after this one matched
        for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
            if (it->isMatch && !nextMatch && !kept.empty())
                kept.back().first = it->begin;
            else
                kept.emplace_back(it->begin, it->end);
            nextMatch = it->isMatch;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    }
    case Behavior::Contiguous: {
        bool previousMatch = false;
        for (const auto& s : segs) {
            if (s.isMatch == previousMatch && !kept.empty())
                kept.back().second = s.end;
            else
                kept.emplace_back(s.begin, s.end);
            previousMatch = s.isMatch;
        }
        break;
    }
    }
    for (const auto& [b, e] : kept)
        if (e > b) out.push_back({text.substr(b, e - b), piece.atStart && b == 0});
}

class SplitPreTokenizer final : public PreTokenizer {
public:
    SplitPreTokenizer(Pattern pattern, Behavior behavior, bool invert)
        : m_pattern(std::move(pattern)), m_behavior(behavior), m_invert(invert) {}
    void preTokenize(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        out.reserve(pieces.size() * 4);
        std::vector<Span> spans;
        for (const Piece& p : pieces) splitPiece(p, m_pattern, m_behavior, m_invert, spans, out);
        pieces.swap(out);
    }

private:
    Pattern m_pattern;
    Behavior m_behavior;
    bool m_invert;
};

class ByteLevelPreTokenizer final : public PreTokenizer {
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
        : m_addPrefixSpace(addPrefixSpace),
          m_split(useRegex ? std::make_unique<SplitPreTokenizer>(
                                 Pattern::fromJson({{"Regex", kGpt2SplitRegex}}, {"ByteLevel", "regex"}),
                                 Behavior::Isolated, false)
                           : nullptr) {}
    void preTokenize(std::vector<Piece>& pieces) const override {
        if (m_addPrefixSpace)
            for (Piece& p : pieces)
                if (p.text.empty() || p.text[0] != ' ') p.text.insert(0, 1, ' ');
        if (m_split) m_split->preTokenize(pieces);
        const auto& chars = byteLevelChars();
        for (Piece& p : pieces) {
            std::string mapped;
            mapped.reserve(p.text.size() * 2);
            for (char c : p.text) mapped += chars[static_cast<unsigned char>(c)];
            p.text.swap(mapped);
        }
    }

private:
    bool m_addPrefixSpace;
    std::unique_ptr<SplitPreTokenizer> m_split;
};

enum class PrependScheme { Always, First, Never };

class MetaspacePreTokenizer final : public PreTokenizer {
public:
    MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
        : m_replacement(replacement), m_scheme(scheme), m_split(split),
          m_splitter(Pattern::literal(std::move(replacement)), Behavior::MergedWithNext, false) {}
    void preTokenize(std::vector<Piece>& pieces) const override {
        static const Pattern space = Pattern::literal(" ");
        for (Piece& p : pieces) {
            p.text = space.replaceAll(p.text, m_replacement);
            const bool startsWithReplacement = p.text.compare(0, m_replacement.size(), m_replacement) == 0;
            const bool prepend = m_scheme == PrependScheme::Always || (m_scheme == PrependScheme::First && p.atStart);
            if (prepend && !startsWithReplacement) p.text.insert(0, m_replacement);
        }
        if (m_split) m_splitter.preTokenize(pieces);
    }

private:
    std::string m_replacement;
    PrependScheme m_scheme;
    bool m_split;
    SplitPreTokenizer m_splitter;
};

class SequencePreTokenizer final : public PreTokenizer {
public:
    explicit SequencePreTokenizer(std::vector<std::shared_ptr<const PreTokenizer>> parts) : m_parts(std::move(parts)) {}
    void preTokenize(std::vector<Piece>& pieces) const override {
        for (const auto& p : m_parts) p->preTokenize(pieces);
    }

private:
    std::vector<std::shared_ptr<const PreTokenizer>> m_parts;
};

std::shared_ptr<const PreTokenizer> regexSplitter(const std::string& regex, Behavior behavior, bool invert,
                                                  const JsonSite& site) {
    return std::make_shared<SplitPreTokenizer>(Pattern::fromJson({{"Regex", regex}}, site), behavior, invert);
}

} // namespace

std::shared_ptr<const PreTokenizer> makePreTokenizer(const nlohmann::json& j, const JsonSite& site) {
    if (j.is_null()) return nullptr;
    const std::string type = componentType(j, site);
    if (type == "ByteLevel")
        return std::make_shared<ByteLevelPreTokenizer>(getOr<bool>(j, "add_prefix_space", false, site),
                                                       getOr<bool>(j, "use_regex", true, site));
    if (type == "Split") {
        const auto* pattern = findKey(j, "pattern");
        if (!pattern) site.key("pattern").fail("missing required key");
        return std::make_shared<SplitPreTokenizer>(
            Pattern::fromJson(*pattern, site.key("pattern")),
            parseBehavior(getRequired<std::string>(j, "behavior", site), site.key("behavior")),
            getOr<bool>(j, "invert", false, site));
    }
    if (type == "Metaspace") {
        const std::string replacement = getOr<std::string>(j, "replacement", "\xE2\x96\x81", site);
        if (replacement.empty() || static_cast<std::size_t>(utf8SeqLength(replacement[0])) != replacement.size())
            site.key("replacement").fail("must be exactly one character");
        PrependScheme scheme = PrependScheme::Always;
        if (findKey(j, "prepend_scheme")) {
            const std::string name = getRequired<std::string>(j, "prepend_scheme", site);
            if (name == "always") scheme = PrependScheme::Always;
            else if (name == "first") scheme = PrependScheme::First;
            else if (name == "never") scheme = PrependScheme::Never;
            else site.key("prepend_scheme").fail("unknown prepend_scheme '" + name + "'", "expected always, first or never");
        } else if (!getOr<bool>(j, "add_prefix_space", true, site)) {
            scheme = PrependScheme::Never; // files written before prepend_scheme existed
        }
        return std::make_shared<MetaspacePreTokenizer>(replacement, scheme, getOr<bool>(j, "split", true, site));
    }
    if (type == "Digits")
        return regexSplitter("\\p{N}",
                             getOr<bool>(j, "individual_digits", false, site) ? Behavior::Isolated : Behavior::Contiguous,
                             false, site);
    if (type == "WhitespaceSplit") return regexSplitter("\\s+", Behavior::Removed, false, site);
    if (type == "Whitespace") return regexSplitter("\\w+|[^\\w\\s]+", Behavior::Removed, true, site);
    if (type == "Punctuation") {
        const std::string name = getOr<std::string>(j, "behavior", "Isolated", site);
        return regexSplitter("[\\p{P}\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}]",
                             parseBehavior(name, site.key("behavior")), false, site);
    }
    if (type == "Sequence") {
        const auto* list = findKey(j, "pretokenizers");
        if (!list || !list->is_array()) site.key("pretokenizers").fail("must be a list of pre-tokenizers");
        std::vector<std::shared_ptr<const PreTokenizer>> parts;
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto part = makePreTokenizer((*list)[i], site.key("pretokenizers").index(i));
            if (part) parts.push_back(std::move(part));
        }
        return std::make_shared<SequencePreTokenizer>(std::move(parts));
    }
    site.key("type").fail("unknown pre-tokenizer type '" + type + "'",
                          "supported: ByteLevel, Split, Metaspace, Digits, Whitespace, WhitespaceSplit, "
                          "Punctuation, Sequence");
}

} // namespace lorastudio::tok

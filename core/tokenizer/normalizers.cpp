// See normalizers.h. Behaviour follows Hugging Face tokenizers: Prepend leaves an empty string
// empty, Strip and Lowercase use Unicode definitions of whitespace and case.
#include "tokenizer/normalizers.h"

#include "tokenizer/regex.h"
#include "tokenizer/unicode_utils.h"

#include <vector>

namespace lorastudio::tok {

namespace {

class UnicodeNormalizer final : public Normalizer {
public:
    explicit UnicodeNormalizer(UnicodeForm form) : m_form(form) {}
    void normalize(std::string& text) const override { text = normalizeUnicode(text, m_form); }

private:
    UnicodeForm m_form;
};

class LowercaseNormalizer final : public Normalizer {
public:
    void normalize(std::string& text) const override { text = lowercaseUnicode(text); }
};

class StripAccentsNormalizer final : public Normalizer {
public:
    void normalize(std::string& text) const override {
        std::string out;
        out.reserve(text.size());
        std::size_t i = 0;
        while (i < text.size()) {
            int len = 1;
            const char32_t cp = decodeUtf8At(text, i, &len);
            if (!isNonspacingMark(cp)) out.append(text, i, static_cast<std::size_t>(len));
            i += static_cast<std::size_t>(len);
        }
        text.swap(out);
    }
};

class StripNormalizer final : public Normalizer {
public:
    StripNormalizer(bool left, bool right) : m_left(left), m_right(right) {}
    void normalize(std::string& text) const override {
        std::size_t begin = 0, end = text.size();
        if (m_left) {
            while (begin < end) {
                int len = 1;
                if (!isUnicodeWhitespace(decodeUtf8At(text, begin, &len))) break;
                begin += static_cast<std::size_t>(len);
            }
        }
        if (m_right) {
            while (end > begin) {
                std::size_t start = end - 1;
                while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
                int len = 1;
                if (!isUnicodeWhitespace(decodeUtf8At(text, start, &len))) break;
                end = start;
            }
        }
        text = text.substr(begin, end - begin);
    }

private:
    bool m_left, m_right;
};

class PrependNormalizer final : public Normalizer {
public:
    explicit PrependNormalizer(std::string prefix) : m_prefix(std::move(prefix)) {}
    void normalize(std::string& text) const override {
        if (!text.empty()) text.insert(0, m_prefix);
    }

private:
    std::string m_prefix;
};

class ReplaceNormalizer final : public Normalizer {
public:
    ReplaceNormalizer(Pattern pattern, std::string content) : m_pattern(std::move(pattern)), m_content(std::move(content)) {}
    void normalize(std::string& text) const override { text = m_pattern.replaceAll(text, m_content); }

private:
    Pattern m_pattern;
    std::string m_content;
};

class SequenceNormalizer final : public Normalizer {
public:
    explicit SequenceNormalizer(std::vector<std::shared_ptr<const Normalizer>> parts) : m_parts(std::move(parts)) {}
    void normalize(std::string& text) const override {
        for (const auto& p : m_parts) p->normalize(text);
    }

private:
    std::vector<std::shared_ptr<const Normalizer>> m_parts;
};

} // namespace

std::shared_ptr<const Normalizer> makeNormalizer(const nlohmann::json& j, const JsonSite& site) {
    if (j.is_null()) return nullptr;
    const std::string type = componentType(j, site);
    if (type == "NFC") return std::make_shared<UnicodeNormalizer>(UnicodeForm::NFC);
    if (type == "NFD") return std::make_shared<UnicodeNormalizer>(UnicodeForm::NFD);
    if (type == "NFKC") return std::make_shared<UnicodeNormalizer>(UnicodeForm::NFKC);
    if (type == "NFKD") return std::make_shared<UnicodeNormalizer>(UnicodeForm::NFKD);
    if (type == "Lowercase") return std::make_shared<LowercaseNormalizer>();
    if (type == "StripAccents") return std::make_shared<StripAccentsNormalizer>();
    if (type == "Strip")
        return std::make_shared<StripNormalizer>(getOr<bool>(j, "strip_left", true, site),
                                                 getOr<bool>(j, "strip_right", true, site));
    if (type == "Prepend") return std::make_shared<PrependNormalizer>(getRequired<std::string>(j, "prepend", site));
    if (type == "Replace") {
        const auto* pattern = findKey(j, "pattern");
        if (!pattern) site.key("pattern").fail("missing required key");
        return std::make_shared<ReplaceNormalizer>(Pattern::fromJson(*pattern, site.key("pattern")),
                                                   getOr<std::string>(j, "content", "", site));
    }
    if (type == "Sequence") {
        const auto* list = findKey(j, "normalizers");
        if (!list || !list->is_array()) site.key("normalizers").fail("must be a list of normalizers");
        std::vector<std::shared_ptr<const Normalizer>> parts;
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto part = makeNormalizer((*list)[i], site.key("normalizers").index(i));
            if (part) parts.push_back(std::move(part));
        }
        return std::make_shared<SequenceNormalizer>(std::move(parts));
    }
    site.key("type").fail("unknown normalizer type '" + type + "'",
                          "supported: NFC, NFD, NFKC, NFKD, Lowercase, Strip, StripAccents, Prepend, Replace, "
                          "Sequence");
}

} // namespace lorastudio::tok

// See decoders.h. Invalid UTF-8 produced by byte-level tokens (an id sequence cut inside a
// character) becomes U+FFFD, the way a browser's TextDecoder (the JS reference) reports it.
#include "tokenizer/decoders.h"

#include "tokenizer/regex.h"
#include "tokenizer/unicode_utils.h"

namespace lorastudio::tok {

namespace {

class ByteLevelDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::string bytes;
        for (const std::string& t : tokens) {
            // A token whose characters are not all in GPT-2's table (e.g. an added token) is
            // taken as it is written.
            const std::size_t mark = bytes.size();
            bool mapped = true;
            std::size_t i = 0;
            while (i < t.size()) {
                int len = 1;
                const int b = byteLevelByte(decodeUtf8At(t, i, &len));
                if (b < 0) {
                    mapped = false;
                    break;
                }
                bytes += static_cast<char>(b);
                i += static_cast<std::size_t>(len);
            }
            if (!mapped) {
                bytes.resize(mark);
                bytes += t;
            }
        }
        tokens.assign(1, utf8Lossy(bytes));
    }
};

class MetaspaceDecoder final : public Decoder {
public:
    MetaspaceDecoder(std::string replacement, bool stripFirstSpace)
        : m_replacement(Pattern::literal(std::move(replacement))), m_stripFirstSpace(stripFirstSpace) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            tokens[i] = m_replacement.replaceAll(tokens[i], " ");
            if (i == 0 && m_stripFirstSpace && !tokens[i].empty() && tokens[i][0] == ' ') tokens[i].erase(0, 1);
        }
    }

private:
    Pattern m_replacement;
    bool m_stripFirstSpace;
};

class ReplaceDecoder final : public Decoder {
public:
    ReplaceDecoder(Pattern pattern, std::string content) : m_pattern(std::move(pattern)), m_content(std::move(content)) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (std::string& t : tokens) t = m_pattern.replaceAll(t, m_content);
    }

private:
    Pattern m_pattern;
    std::string m_content;
};

// "<0xNN>" -> NN, or -1.
int byteTokenValue(const std::string& t) {
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>') return -1;
    auto hex = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    const int hi = hex(t[3]), lo = hex(t[4]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

class ByteFallbackDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::vector<std::string> out;
        out.reserve(tokens.size());
        std::string pending;
        for (std::string& t : tokens) {
            const int b = byteTokenValue(t);
            if (b >= 0) {
                pending += static_cast<char>(b);
                continue;
            }
            if (!pending.empty()) {
                out.push_back(utf8Lossy(pending));
                pending.clear();
            }
            out.push_back(std::move(t));
        }
        if (!pending.empty()) out.push_back(utf8Lossy(pending));
        tokens.swap(out);
    }
};

class FuseDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::string all;
        for (const std::string& t : tokens) all += t;
        tokens.assign(1, std::move(all));
    }
};

class StripDecoder final : public Decoder {
public:
    StripDecoder(std::string content, std::size_t start, std::size_t stop)
        : m_content(std::move(content)), m_start(start), m_stop(stop) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        const std::size_t w = m_content.size();
        for (std::string& t : tokens) {
            std::size_t begin = 0, end = t.size();
            for (std::size_t k = 0; k < m_start && begin + w <= end && t.compare(begin, w, m_content) == 0; ++k) begin += w;
            for (std::size_t k = 0; k < m_stop && end >= begin + w && t.compare(end - w, w, m_content) == 0; ++k) end -= w;
            t = t.substr(begin, end - begin);
        }
    }

private:
    std::string m_content;
    std::size_t m_start, m_stop;
};

class BpeSuffixDecoder final : public Decoder {
public:
    explicit BpeSuffixDecoder(std::string suffix) : m_suffix(Pattern::literal(std::move(suffix))) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (std::size_t i = 0; i < tokens.size(); ++i)
            tokens[i] = m_suffix.replaceAll(tokens[i], i + 1 == tokens.size() ? "" : " ");
    }

private:
    Pattern m_suffix;
};

class SequenceDecoder final : public Decoder {
public:
    explicit SequenceDecoder(std::vector<std::shared_ptr<const Decoder>> parts) : m_parts(std::move(parts)) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (const auto& p : m_parts) p->decodeChain(tokens);
    }

private:
    std::vector<std::shared_ptr<const Decoder>> m_parts;
};

} // namespace

std::shared_ptr<const Decoder> makeDecoder(const nlohmann::json& j, const JsonSite& site) {
    if (j.is_null()) return nullptr;
    const std::string type = componentType(j, site);
    if (type == "ByteLevel") return std::make_shared<ByteLevelDecoder>();
    if (type == "Metaspace") {
        bool strip = getOr<bool>(j, "add_prefix_space", true, site);
        if (findKey(j, "prepend_scheme")) strip = getRequired<std::string>(j, "prepend_scheme", site) != "never";
        return std::make_shared<MetaspaceDecoder>(getOr<std::string>(j, "replacement", "\xE2\x96\x81", site), strip);
    }
    if (type == "Replace") {
        const auto* pattern = findKey(j, "pattern");
        if (!pattern) site.key("pattern").fail("missing required key");
        return std::make_shared<ReplaceDecoder>(Pattern::fromJson(*pattern, site.key("pattern")),
                                                getOr<std::string>(j, "content", "", site));
    }
    if (type == "ByteFallback") return std::make_shared<ByteFallbackDecoder>();
    if (type == "Fuse") return std::make_shared<FuseDecoder>();
    if (type == "Strip") {
        const std::string content = getRequired<std::string>(j, "content", site);
        if (content.empty()) site.key("content").fail("must not be empty");
        return std::make_shared<StripDecoder>(content, getOr<std::size_t>(j, "start", 0, site),
                                              getOr<std::size_t>(j, "stop", 0, site));
    }
    if (type == "BPEDecoder") return std::make_shared<BpeSuffixDecoder>(getOr<std::string>(j, "suffix", "</w>", site));
    if (type == "Sequence") {
        const auto* list = findKey(j, "decoders");
        if (!list || !list->is_array()) site.key("decoders").fail("must be a list of decoders");
        std::vector<std::shared_ptr<const Decoder>> parts;
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto part = makeDecoder((*list)[i], site.key("decoders").index(i));
            if (part) parts.push_back(std::move(part));
        }
        return std::make_shared<SequenceDecoder>(std::move(parts));
    }
    site.key("type").fail("unknown decoder type '" + type + "'",
                          "supported: ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, BPEDecoder, Sequence");
}

} // namespace lorastudio::tok

// See unicode_utils.h. Normalization and categories come from utf8proc; the rest is hand-written
// because it sits on the hot path of encode/decode.
#include "tokenizer/unicode_utils.h"

#include "common/error.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace lorastudio::tok {

namespace {

// Length of the valid sequence at s[i], or -(bytes of the maximal invalid subpart) when invalid.
int validSequenceAt(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    int need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return -1;
    }
    for (int k = 1; k <= need; ++k) {
        if (i + k >= s.size()) return -k;
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < lo || b > hi) return -k;
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

} // namespace

std::size_t findInvalidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        // Skip ASCII runs quickly: most training text is mostly ASCII.
        while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
        if (i >= s.size()) break;
        const int n = validSequenceAt(s, i);
        if (n < 0) return i;
        i += static_cast<std::size_t>(n);
    }
    return std::string_view::npos;
}

std::string utf8Lossy(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        const int n = validSequenceAt(bytes, i);
        if (n > 0) {
            out.append(bytes.data() + i, static_cast<std::size_t>(n));
            i += static_cast<std::size_t>(n);
        } else {
            out += "\xEF\xBF\xBD";
            i += static_cast<std::size_t>(-n);
        }
    }
    return out;
}

char32_t decodeUtf8At(std::string_view s, std::size_t i, int* len) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int n = utf8SeqLength(b0);
    if (i + n > s.size()) n = 1;
    *len = n;
    switch (n) {
    case 1: return b0;
    case 2: return (char32_t(b0 & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
    case 3:
        return (char32_t(b0 & 0x0F) << 12) | (char32_t(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
               (static_cast<unsigned char>(s[i + 2]) & 0x3F);
    default:
        return (char32_t(b0 & 0x07) << 18) | (char32_t(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 12) |
               (char32_t(static_cast<unsigned char>(s[i + 2]) & 0x3F) << 6) |
               (static_cast<unsigned char>(s[i + 3]) & 0x3F);
    }
}

bool isUnicodeWhitespace(char32_t cp) {
    if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
    if (cp < 0x85) return false;
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool isWordChar(char32_t cp) {
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC:
        return true;
    default:
        return false;
    }
}

bool isNonspacingMark(char32_t cp) {
    return cp >= 0x300 && utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_MN;
}

std::string normalizeUnicode(std::string_view s, UnicodeForm form) {
    // ASCII is invariant under every normalization form.
    bool ascii = true;
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) { ascii = false; break; }
    if (ascii) return std::string(s);

    int options = UTF8PROC_STABLE;
    switch (form) {
    case UnicodeForm::NFC: options |= UTF8PROC_COMPOSE; break;
    case UnicodeForm::NFD: options |= UTF8PROC_DECOMPOSE; break;
    case UnicodeForm::NFKC: options |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT; break;
    case UnicodeForm::NFKD: options |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT; break;
    }
    utf8proc_uint8_t* dst = nullptr;
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
                     &dst, static_cast<utf8proc_option_t>(options));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(dst, &std::free);
    if (n < 0) throw Error("Unicode normalization", utf8proc_errmsg(n), "the text must be valid UTF-8");
    return std::string(reinterpret_cast<const char*>(dst), static_cast<std::size_t>(n));
}

std::string lowercaseUnicode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
            ++i;
            continue;
        }
        int len = 1;
        const char32_t cp = decodeUtf8At(s, i, &len);
        appendUtf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
        i += static_cast<std::size_t>(len);
    }
    return out;
}

namespace {

struct ByteLevelTables {
    std::array<std::string, 256> chars;
    std::array<int, 512> bytes{}; // mapped code points are all below 0x144
    ByteLevelTables() {
        bytes.fill(-1);
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            const int cp = printable ? b : next++;
            appendUtf8(chars[b], static_cast<char32_t>(cp));
            bytes[cp] = b;
        }
    }
};

const ByteLevelTables& byteLevelTables() {
    static const ByteLevelTables tables;
    return tables;
}

} // namespace

const std::array<std::string, 256>& byteLevelChars() { return byteLevelTables().chars; }

int byteLevelByte(char32_t cp) {
    if (cp >= 512) return -1;
    return byteLevelTables().bytes[cp];
}

} // namespace lorastudio::tok

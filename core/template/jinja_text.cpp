// UTF-8 decoding, whitespace and casing helpers (see jinja_text.h).
#include "template/jinja_text.h"

#include <algorithm>

namespace lorastudio::jinja {

namespace {

// Decodes the code point at s[i]; sets len to its byte length (1 for an invalid byte).
uint32_t decodeAt(const std::string& s, size_t i, size_t& len) {
    const auto b = static_cast<unsigned char>(s[i]);
    auto cont = [&](size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
    auto bits = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
    if (b < 0x80) { len = 1; return b; }
    if ((b & 0xE0) == 0xC0 && cont(1)) { len = 2; return ((b & 0x1Fu) << 6) | bits(1); }
    if ((b & 0xF0) == 0xE0 && cont(1) && cont(2)) { len = 3; return ((b & 0x0Fu) << 12) | (bits(1) << 6) | bits(2); }
    if ((b & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
        len = 4;
        return ((b & 0x07u) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
    }
    len = 1;
    return b;
}

} // namespace

std::vector<uint32_t> codePoints(const std::string& s) {
    std::vector<uint32_t> out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        size_t len = 1;
        out.push_back(decodeAt(s, i, len));
        i += len;
    }
    return out;
}

std::vector<size_t> codePointOffsets(const std::string& s) {
    std::vector<size_t> out;
    out.reserve(s.size() + 1);
    for (size_t i = 0; i < s.size();) {
        out.push_back(i);
        size_t len = 1;
        decodeAt(s, i, len);
        i += len;
    }
    out.push_back(s.size());
    return out;
}

size_t codePointCount(const std::string& s) {
    size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

bool isSpace(uint32_t cp) {
    if (cp <= 32) return cp == 32 || (cp >= 9 && cp <= 13);
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

size_t spaceAt(const std::string& s, size_t i) {
    if (i >= s.size()) return 0;
    size_t len = 1;
    const uint32_t cp = decodeAt(s, i, len);
    return isSpace(cp) ? len : 0;
}

size_t spaceBefore(const std::string& s, size_t end) {
    if (end == 0) return 0;
    size_t start = end - 1;
    while (start > 0 && end - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t len = 1;
    const uint32_t cp = decodeAt(s, start, len);
    return (start + len == end && isSpace(cp)) ? len : 0;
}

std::string trimLeft(const std::string& s) {
    size_t i = 0;
    while (size_t n = spaceAt(s, i)) i += n;
    return s.substr(i);
}

std::string trimRight(const std::string& s) {
    size_t end = s.size();
    while (size_t n = spaceBefore(s, end)) end -= n;
    return s.substr(0, end);
}

std::string trim(const std::string& s) { return trimLeft(trimRight(s)); }

std::string stripChars(const std::string& s, const std::string& chars, bool left, bool right) {
    const std::vector<uint32_t> set = codePoints(chars);
    const std::vector<uint32_t> cps = codePoints(s);
    const auto inSet = [&](uint32_t cp) { return std::find(set.begin(), set.end(), cp) != set.end(); };
    size_t b = 0, e = cps.size();
    if (left)
        while (b < e && inSet(cps[b])) ++b;
    if (right)
        while (e > b && inSet(cps[e - 1])) --e;
    std::string out;
    for (size_t i = b; i < e; ++i) appendUtf8(out, cps[i]);
    return out;
}

std::string asciiUpper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

std::string asciiLower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace lorastudio::jinja

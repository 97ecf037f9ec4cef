// UTF-8 and Unicode helpers of the tokenizer: validation, lossy decoding (as a browser's TextDecoder
// does), code point iteration, whitespace and word-character tests, utf8proc normalization forms and
// GPT-2's byte <-> printable-character table. No state; safe from any thread.
#pragma once
#include "common/utf8_append.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lorastudio::tok {

// Byte offset of the first byte that does not start a valid UTF-8 sequence, or npos.
std::size_t findInvalidUtf8(std::string_view s);
// Bytes -> valid UTF-8; each maximal invalid subsequence becomes U+FFFD (WHATWG decoding).
std::string utf8Lossy(std::string_view bytes);

// Length of the UTF-8 sequence that starts with `lead` (1 for invalid leads, so loops advance).
inline int utf8SeqLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}
// Code point starting at s[i] of valid UTF-8; *len receives its byte length.
char32_t decodeUtf8At(std::string_view s, std::size_t i, int* len);
using lorastudio::appendUtf8;  // common/utf8_append.h

// Rust's char::is_whitespace (the Unicode White_Space property).
bool isUnicodeWhitespace(char32_t cp);
// A regex \w character: letter, mark, number or connector punctuation.
bool isWordChar(char32_t cp);
// Unicode category Mn (nonspacing mark), for StripAccents.
bool isNonspacingMark(char32_t cp);

enum class UnicodeForm { NFC, NFD, NFKC, NFKD };
std::string normalizeUnicode(std::string_view s, UnicodeForm form);
std::string lowercaseUnicode(std::string_view s);

// GPT-2's table: byte b is shown as the UTF-8 string byteLevelChar(b) (1 or 2 bytes long).
const std::array<std::string, 256>& byteLevelChars();
// The byte that printable character cp stands for, or -1 when cp is not in the table.
int byteLevelByte(char32_t cp);

} // namespace lorastudio::tok

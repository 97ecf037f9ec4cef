// UTF-8 helpers for the template engine: code points (string length, indexing and slicing count
// code points, as Python does), the whitespace set that trim/strip/split use, and ASCII casing.
#pragma once
#include "common/utf8_append.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio::jinja {

// Decodes UTF-8 (invalid bytes decode as themselves, one code point each).
std::vector<uint32_t> codePoints(const std::string& s);
using lorastudio::appendUtf8;  // common/utf8_append.h
// The byte offsets where each code point starts, plus s.size() at the end.
std::vector<size_t> codePointOffsets(const std::string& s);
size_t codePointCount(const std::string& s);

// JavaScript's \s (the set the reference renderer trims): ASCII whitespace, NBSP, the Unicode
// space separators, line/paragraph separators and the BOM.
bool isSpace(uint32_t cp);
// Length in bytes of the whitespace code point starting at s[i], 0 if none.
size_t spaceAt(const std::string& s, size_t i);
// Length in bytes of the whitespace code point ending at s[end-1], 0 if none.
size_t spaceBefore(const std::string& s, size_t end);

std::string trimLeft(const std::string& s);
std::string trimRight(const std::string& s);
std::string trim(const std::string& s);
// Python's str.strip(chars) family: strip the code points of `chars`.
std::string stripChars(const std::string& s, const std::string& chars, bool left, bool right);

std::string asciiUpper(std::string s);
std::string asciiLower(std::string s);

} // namespace lorastudio::jinja

// Patterns of tokenizer.json ({"String": ...} or {"Regex": ...}) and a PCRE2 regex compiled with
// UTF + UCP (so \p{L}, \s, \w are Unicode-aware, as in the Rust and JS references) and JIT.
// A compiled Regex is immutable and shared; matching uses per-thread scratch, so it is thread-safe.
#pragma once
#include "tokenizer/json_site.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lorastudio::tok {

using Span = std::pair<std::size_t, std::size_t>; // [begin, end) byte offsets

class Regex {
public:
    // Throws Error naming `where` and the PCRE2 message (with the offset) when the pattern is invalid.
    Regex(const std::string& pattern, const std::string& where);

    // Non-overlapping leftmost matches in text (valid UTF-8), appended to out. Empty matches are
    // reported and the search then moves on by one character.
    void findAll(std::string_view text, std::vector<Span>& out) const;
    const std::string& pattern() const { return m_pattern; }

private:
    std::string m_pattern;
    std::shared_ptr<void> m_code; // pcre2_code_8*, freed with pcre2_code_free
};

// A pattern that is either a literal string or a regex.
class Pattern {
public:
    // j is {"String": "..."} or {"Regex": "..."}.
    static Pattern fromJson(const nlohmann::json& j, const JsonSite& site);
    static Pattern literal(std::string s);

    void findAll(std::string_view text, std::vector<Span>& out) const;
    // Every match replaced by `content`.
    std::string replaceAll(std::string_view text, std::string_view content) const;

private:
    std::string m_literal;
    std::shared_ptr<const Regex> m_regex; // set for regex patterns
};

} // namespace lorastudio::tok

// Preprocessing (trim_blocks, lstrip_blocks, generation tags) and tokenizing (see jinja_lexer.h).
// The whitespace rules follow the reference renderer, @huggingface/jinja, rule for rule.
#include "template/jinja_lexer.h"

#include "template/jinja_error.h"
#include "template/jinja_text.h"

#include <cstring>

namespace lorastudio::jinja {

namespace {

bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Longest first where one operator is a prefix of another.
const char* const kOperators[] = {"{%", "%}", "{{", "}}", "(", ")", "{", "}", "[", "]", ",", ".", ":", "|",
                                  "<=", ">=", "==", "!=", "<", ">", "+", "-", "~", "**", "*", "//", "/",
                                  "%", "="};

} // namespace

JinjaLexer::JinjaLexer(const std::string& source) : m_source(source) {}

void JinjaLexer::fail(size_t at, const std::string& what) const {
    throwTemplateError(m_source, at < m_src.origin.size() ? m_src.origin[at] : m_source.size(), what);
}

// ---- preprocessing ----

void JinjaLexer::preprocess() {
    size_t n = m_source.size();
    if (n > 0 && m_source[n - 1] == '\n') --n; // a single trailing newline is not output
    m_src.text = m_source.substr(0, n);
    m_src.origin.resize(n + 1);
    for (size_t i = 0; i <= n; ++i) m_src.origin[i] = i;
    dropLeadingBlockIndent();
    dropNewlineAfterBlocks();
    removeGenerationTags();
}

// lstrip_blocks: spaces and tabs between a line start and {% / {# (and {-, as the reference does).
void JinjaLexer::dropLeadingBlockIndent() {
    const Mapped in = m_src;
    Mapped out;
    const std::string& s = in.text;
    for (size_t i = 0; i < s.size();) {
        const bool lineStart = i == 0 || s[i - 1] == '\n' || s[i - 1] == '\r';
        if (lineStart) {
            size_t j = i;
            while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
            if (j > i && j + 1 < s.size() && s[j] == '{' && std::strchr("#%-", s[j + 1])) i = j;
        }
        if (i < s.size()) out.add(in, i++);
    }
    out.origin.push_back(in.origin.back());
    m_src = std::move(out);
}

// trim_blocks: the first newline after %} or #} (or -}).
void JinjaLexer::dropNewlineAfterBlocks() {
    const Mapped in = m_src;
    Mapped out;
    const std::string& s = in.text;
    for (size_t i = 0; i < s.size();) {
        if (i + 2 < s.size() && std::strchr("#%-", s[i]) && s[i + 1] == '}' && s[i + 2] == '\n') {
            out.add(in, i);
            out.add(in, i + 1);
            i += 3;
        } else {
            out.add(in, i++);
        }
    }
    out.origin.push_back(in.origin.back());
    m_src = std::move(out);
}

// {%(-?)\s*(end)?generation\s*(-?)%} followed by whitespace `after`.
bool JinjaLexer::matchGenerationTag(size_t at, size_t& end, bool& lstrip, bool& rstrip, size_t& afterStart) const {
    const std::string& s = m_src.text;
    size_t i = at + 2;
    lstrip = i < s.size() && s[i] == '-';
    if (lstrip) ++i;
    while (size_t n = spaceAt(s, i)) i += n;
    if (s.compare(i, 3, "end") == 0 && s.compare(i + 3, 10, "generation") == 0) i += 3;
    if (s.compare(i, 10, "generation") != 0) return false;
    i += 10;
    while (size_t n = spaceAt(s, i)) i += n;
    rstrip = i < s.size() && s[i] == '-';
    if (rstrip) ++i;
    if (s.compare(i, 2, "%}") != 0) return false;
    afterStart = i + 2;
    end = afterStart;
    while (size_t n = spaceAt(s, end)) end += n;
    return true;
}

void JinjaLexer::removeGenerationTags() {
    const Mapped in = m_src;
    Mapped out;
    const std::string& s = in.text;
    size_t last = 0;
    for (size_t at = s.find("{%"); at != std::string::npos; at = s.find("{%", at + 1)) {
        size_t end = 0, afterStart = 0;
        bool lstrip = false, rstrip = false;
        if (!matchGenerationTag(at, end, lstrip, rstrip, afterStart)) continue;
        size_t keepEnd = at;
        while (lstrip && keepEnd > last) {
            const size_t n = spaceBefore(s, keepEnd);
            if (n == 0) break;
            keepEnd -= n;
        }
        for (size_t i = last; i < keepEnd; ++i) out.add(in, i);
        if (!rstrip)
            for (size_t i = afterStart; i < end; ++i) out.add(in, i);
        last = end;
        at = end - 1;
    }
    for (size_t i = last; i < s.size(); ++i) out.add(in, i);
    out.origin.push_back(in.origin.back());
    m_src = std::move(out);
}

// ---- tokens ----

void JinjaLexer::push(Token::Type type, std::string text, size_t at) {
    m_tokens.push_back(Token{type, std::move(text), m_src.origin[at]});
}

void JinjaLexer::stripTrailingWhitespace() {
    if (m_tokens.empty() || m_tokens.back().type != Token::Type::Text) return;
    m_tokens.back().text = trimRight(m_tokens.back().text);
    if (m_tokens.back().text.empty()) m_tokens.pop_back();
}

void JinjaLexer::skipWhitespace() {
    while (size_t n = spaceAt(m_src.text, m_cursor)) m_cursor += n;
}

std::vector<Token> JinjaLexer::tokenize() {
    preprocess();
    const std::string& s = m_src.text;
    while (m_cursor < s.size()) {
        const Token::Type last = m_tokens.empty() ? Token::Type::End : m_tokens.back().type;
        if (last == Token::Type::End || last == Token::Type::CloseStatement ||
            last == Token::Type::CloseExpression || last == Token::Type::Comment) {
            const size_t before = m_tokens.size();
            lexText();
            if (m_tokens.size() != before || m_cursor >= s.size()) continue;
        }
        if (lexTagOpen()) continue;
        lexInsideTag();
    }
    push(Token::Type::End, "", s.size());
    return std::move(m_tokens);
}

void JinjaLexer::lexText() {
    const std::string& s = m_src.text;
    size_t end = m_cursor;
    while (true) {
        end = s.find('{', end);
        if (end == std::string::npos) { end = s.size(); break; }
        if (end + 1 < s.size() && std::strchr("%{#", s[end + 1])) break;
        ++end;
    }
    if (end > m_cursor) {
        push(Token::Type::Text, s.substr(m_cursor, end - m_cursor), m_cursor);
        m_cursor = end;
    }
}

// {# comments #}, {%- and {{-. Returns false when the cursor is not at one of them.
bool JinjaLexer::lexTagOpen() {
    const std::string& s = m_src.text;
    if (s[m_cursor] != '{' || m_cursor + 1 >= s.size()) return false;
    const char next = s[m_cursor + 1];
    if (next == '#') {
        const size_t start = m_cursor;
        size_t i = m_cursor + 2;
        const bool stripBefore = i < s.size() && s[i] == '-';
        if (stripBefore) ++i;
        const size_t end = s.find("#}", i);
        if (end == std::string::npos) fail(start, "comment '{#' is never closed with '#}'");
        std::string comment = s.substr(i, end - i);
        const bool stripAfter = !comment.empty() && comment.back() == '-';
        if (stripAfter) comment.pop_back();
        if (stripBefore) stripTrailingWhitespace();
        push(Token::Type::Comment, comment, start);
        m_cursor = end + 2;
        if (stripAfter) skipWhitespace();
        return true;
    }
    const bool dash = m_cursor + 2 < s.size() && s[m_cursor + 2] == '-';
    if (dash && (next == '%' || next == '{')) {
        stripTrailingWhitespace();
        const size_t at = m_cursor;
        m_cursor += 3;
        if (next == '{') {
            push(Token::Type::OpenExpression, "{{", at);
            m_curlyDepth = 0;
        } else {
            push(Token::Type::OpenStatement, "{%", at);
            lexRawBlock();
        }
        return true;
    }
    return false;
}

// After {% : if the statement is `raw`, its content up to {% endraw %} becomes one text token.
void JinjaLexer::lexRawBlock() {
    const std::string& s = m_src.text;
    size_t i = m_cursor;
    while (size_t n = spaceAt(s, i)) i += n;
    if (s.compare(i, 3, "raw") != 0 || (i + 3 < s.size() && isWordChar(s[i + 3]))) return;
    const size_t rawPos = i;
    i += 3;
    while (size_t n = spaceAt(s, i)) i += n;
    const bool stripAfterOpen = i < s.size() && s[i] == '-';
    if (stripAfterOpen) ++i;
    if (s.compare(i, 2, "%}") != 0) fail(rawPos, "expected '%}' after 'raw'");
    m_tokens.pop_back(); // the {% of the raw tag
    size_t contentStart = i + 2;
    if (stripAfterOpen)
        while (size_t n = spaceAt(s, contentStart)) contentStart += n;
    for (size_t at = s.find("{%", contentStart); at != std::string::npos; at = s.find("{%", at + 1)) {
        size_t j = at + 2;
        const bool stripBeforeEnd = j < s.size() && s[j] == '-';
        if (stripBeforeEnd) ++j;
        while (size_t n = spaceAt(s, j)) j += n;
        if (s.compare(j, 6, "endraw") != 0) continue;
        j += 6;
        while (size_t n = spaceAt(s, j)) j += n;
        const bool stripAfterEnd = j < s.size() && s[j] == '-';
        if (stripAfterEnd) ++j;
        if (s.compare(j, 2, "%}") != 0) continue;
        std::string content = s.substr(contentStart, at - contentStart);
        if (stripBeforeEnd) content = trimRight(content);
        if (!content.empty()) push(Token::Type::Text, content, contentStart);
        m_cursor = j + 2;
        if (stripAfterEnd) skipWhitespace();
        // The raw block behaves as a closed tag for what follows.
        m_tokens.push_back(Token{Token::Type::Comment, "", m_src.origin[at]});
        return;
    }
    fail(rawPos, "'raw' block is never closed with '{% endraw %}'");
}

void JinjaLexer::lexInsideTag() {
    const std::string& s = m_src.text;
    skipWhitespace();
    if (m_cursor >= s.size()) return;
    const char c = s[m_cursor];
    if (c == '-' && m_cursor + 2 < s.size() && s[m_cursor + 2] == '}' && (s[m_cursor + 1] == '%' || s[m_cursor + 1] == '}')) {
        push(s[m_cursor + 1] == '%' ? Token::Type::CloseStatement : Token::Type::CloseExpression,
             s[m_cursor + 1] == '%' ? "%}" : "}}", m_cursor);
        m_cursor += 3;
        skipWhitespace();
        return;
    }
    for (const char* op : kOperators) {
        const size_t len = std::strlen(op);
        if (s.compare(m_cursor, len, op) != 0) continue;
        const std::string o(op);
        if (o == "}}" && m_curlyDepth > 0) continue;
        const size_t at = m_cursor;
        m_cursor += len;
        if (o == "{%") {
            push(Token::Type::OpenStatement, o, at);
            lexRawBlock();
        } else if (o == "%}") {
            push(Token::Type::CloseStatement, o, at);
        } else if (o == "{{") {
            push(Token::Type::OpenExpression, o, at);
            m_curlyDepth = 0;
        } else if (o == "}}") {
            push(Token::Type::CloseExpression, o, at);
        } else {
            if (o == "{") ++m_curlyDepth;
            if (o == "}") --m_curlyDepth;
            push(Token::Type::Operator, o, at);
        }
        return;
    }
    if (c == '\'' || c == '"') return lexString(c);
    if (isDigit(c)) return lexNumber();
    if (isWordChar(c)) {
        const size_t start = m_cursor;
        while (m_cursor < s.size() && isWordChar(s[m_cursor])) ++m_cursor;
        push(Token::Type::Identifier, s.substr(start, m_cursor - start), start);
        return;
    }
    size_t len = 1;
    while (m_cursor + len < s.size() && (static_cast<unsigned char>(s[m_cursor + len]) & 0xC0) == 0x80) ++len;
    fail(m_cursor, "unexpected character '" + s.substr(m_cursor, len) + "'");
}

void JinjaLexer::lexNumber() {
    const std::string& s = m_src.text;
    const size_t start = m_cursor;
    while (m_cursor < s.size() && isDigit(s[m_cursor])) ++m_cursor;
    const bool afterDot = !m_tokens.empty() && m_tokens.back().type == Token::Type::Operator && m_tokens.back().text == ".";
    bool isFloat = false;
    if (!afterDot && m_cursor + 1 < s.size() && s[m_cursor] == '.' && isDigit(s[m_cursor + 1])) {
        isFloat = true;
        ++m_cursor;
        while (m_cursor < s.size() && isDigit(s[m_cursor])) ++m_cursor;
    }
    push(isFloat ? Token::Type::Float : Token::Type::Integer, s.substr(start, m_cursor - start), start);
}

void JinjaLexer::lexString(char quote) {
    const std::string& s = m_src.text;
    const size_t start = m_cursor++;
    std::string out;
    uint32_t pendingHigh = 0; // a \uD800-\uDBFF waiting for its low surrogate
    auto flushHigh = [&] { if (pendingHigh) { appendUtf8(out, 0xFFFD); pendingHigh = 0; } };
    while (true) {
        if (m_cursor >= s.size()) fail(start, "string literal is never closed");
        const char c = s[m_cursor++];
        if (c == quote) break;
        if (c != '\\') { flushHigh(); out += c; continue; }
        if (m_cursor >= s.size()) fail(start, "string literal is never closed");
        const char e = s[m_cursor++];
        if (e == 'x' || e == 'u') {
            const size_t len = e == 'x' ? 2 : 4;
            const std::string hex = s.substr(m_cursor, len);
            if (hex.size() != len || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
                fail(m_cursor - 2, "invalid escape sequence '\\" + std::string(1, e) + hex + "'");
            m_cursor += len;
            const auto unit = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
            if (unit >= 0xDC00 && unit <= 0xDFFF && pendingHigh) {
                appendUtf8(out, 0x10000 + ((pendingHigh - 0xD800) << 10) + (unit - 0xDC00));
                pendingHigh = 0;
            } else {
                flushHigh();
                if (unit >= 0xD800 && unit <= 0xDBFF) pendingHigh = unit;
                else appendUtf8(out, unit);
            }
            continue;
        }
        flushHigh();
        switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        default: fail(m_cursor - 2, "unknown escape sequence '\\" + std::string(1, e) + "' in a string literal");
        }
    }
    flushHigh();
    push(Token::Type::String, out, start);
}

} // namespace lorastudio::jinja

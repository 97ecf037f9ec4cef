// Tokens of a Jinja template as transformers reads chat templates: trim_blocks, lstrip_blocks, one
// trailing newline dropped, {%- -%} {{- -}} {#- -#}, {% generation %} tags removed (content kept),
// {% raw %} verbatim. Every token keeps its byte offset in the original template, for errors.
#pragma once
#include <string>
#include <vector>

namespace lorastudio::jinja {

struct Token {
    enum class Type { Text, Comment, OpenStatement, CloseStatement, OpenExpression, CloseExpression,
                      Identifier, String, Integer, Float, Operator, End };
    Type type = Type::End;
    std::string text; // Operator: the operator itself ("(", "//", "==", ...); String: unescaped
    size_t pos = 0;   // byte offset in the original template
};

class JinjaLexer {
public:
    explicit JinjaLexer(const std::string& source);
    // Throws lorastudio::Error naming the line and column of a malformed token.
    std::vector<Token> tokenize();

private:
    struct Mapped { // text after preprocessing, with the original offset of each byte
        std::string text;
        std::vector<size_t> origin;
        void add(const Mapped& from, size_t i) { text += from.text[i]; origin.push_back(from.origin[i]); }
    };
    void preprocess();
    void dropLeadingBlockIndent();
    void dropNewlineAfterBlocks();
    void removeGenerationTags();
    bool matchGenerationTag(size_t at, size_t& end, bool& lstrip, bool& rstrip, size_t& afterStart) const;

    void lexText();
    bool lexTagOpen();
    void lexInsideTag();
    void lexRawBlock();
    void lexString(char quote);
    void lexNumber();
    void stripTrailingWhitespace();
    void skipWhitespace();
    void push(Token::Type type, std::string text, size_t at);
    [[noreturn]] void fail(size_t at, const std::string& what) const;

    std::string m_source;
    Mapped m_src;
    size_t m_cursor = 0;
    int m_curlyDepth = 0;
    std::vector<Token> m_tokens;
};

} // namespace lorastudio::jinja

// Turns the tokens of a template into statements and expressions, with the reference renderer's
// operator precedence. A construct outside the supported subset (include, import, extends, block,
// call, with, recursive loops, *args) is an error naming it and its line and column.
#pragma once
#include "template/jinja_ast.h"
#include "template/jinja_lexer.h"

#include <string>
#include <vector>

namespace lorastudio::jinja {

class JinjaParser {
public:
    // maxDepth bounds the nesting of blocks and expressions (a hostile template cannot exhaust the stack).
    JinjaParser(const std::string& source, std::vector<Token> tokens, size_t maxDepth);
    StmtList parse();

private:
    // Statements up to (not including) a {% NAME %} with NAME in `terminators`; at the end of the
    // template when terminators is empty.
    StmtList parseBlock(const std::vector<std::string>& terminators, const char* opener, size_t openerPos);
    std::unique_ptr<Stmt> parseStatement();
    std::unique_ptr<Stmt> parseIf(size_t pos);
    std::unique_ptr<Stmt> parseFor(size_t pos);
    std::unique_ptr<Stmt> parseSet(size_t pos);
    std::unique_ptr<Stmt> parseMacro(size_t pos);
    std::unique_ptr<Stmt> parseFilterBlock(size_t pos);
    void expectEnd(const std::string& keyword);

    ExprPtr parseExpression();
    ExprPtr parseSequence(); // a, b, c -> tuple
    ExprPtr parseIfExpr();
    ExprPtr parseOr();
    ExprPtr parseAnd();
    ExprPtr parseNot();
    ExprPtr parseComparison();
    ExprPtr parseAdditive();
    ExprPtr parseMultiplicative();
    ExprPtr parsePower();
    ExprPtr parseTest();
    ExprPtr parseFilter();
    ExprPtr parseUnary();
    ExprPtr parsePostfix(ExprPtr e);
    ExprPtr parsePrimary();
    ExprPtr parseSubscript(ExprPtr object, size_t pos);
    void parseCallArgs(Expr& call);
    bool testTakesArgument(const std::string& test) const;

    const Token& peek(size_t ahead = 0) const;
    const Token& next();
    bool isOp(const char* op, size_t ahead = 0) const;
    bool isIdent(const char* word, size_t ahead = 0) const;
    bool isStatement(const std::vector<std::string>& names) const;
    const Token& expectOp(const char* op, const char* context);
    const Token& expectType(Token::Type type, const char* context);
    std::string expectIdentifier(const char* context);
    [[noreturn]] void fail(const Token& at, const std::string& what, const std::string& hint = {}) const;
    // A number literal's value; fails naming it when it is out of range.
    int64_t integerLiteral(const Token& t) const;
    double realLiteral(const Token& t) const;
    static std::string describe(const Token& t);

    struct DepthGuard {
        JinjaParser& p;
        explicit DepthGuard(JinjaParser& parser, const Token& at);
        ~DepthGuard() { --p.m_depth; }
    };

    std::string m_source;
    std::vector<Token> m_tokens;
    size_t m_index = 0;
    size_t m_depth = 0;
    size_t m_maxDepth;
    std::vector<Stmt*> m_openMacros;
};

} // namespace lorastudio::jinja

// Statements and expressions of the supported Jinja subset (see jinja_parser.h). Precedence, from
// loosest: `x if c else y`, or, and, not, comparisons and in, + - ~, * / // %, **, is-tests, filters,
// unary + -, then member access, subscripts and calls.
#include "template/jinja_parser.h"

#include "template/jinja_error.h"

#include <algorithm>

namespace lorastudio::jinja {

namespace {

const std::vector<std::string> kUnsupportedStatements = {"include", "import", "from", "extends", "block", "call",
                                                         "with", "autoescape", "do", "trans"};

} // namespace

JinjaParser::DepthGuard::DepthGuard(JinjaParser& parser, const Token& at) : p(parser) {
    if (++p.m_depth > p.m_maxDepth)
        p.fail(at, "the template nests deeper than the nesting-depth limit (" + std::to_string(p.m_maxDepth) + ")",
               "raise ChatTemplateLimits::maxDepth if the template is genuine");
}

JinjaParser::JinjaParser(const std::string& source, std::vector<Token> tokens, size_t maxDepth)
    : m_source(source), m_tokens(std::move(tokens)), m_maxDepth(maxDepth) {}

// ---- tokens ----

const Token& JinjaParser::peek(size_t ahead) const {
    return m_tokens[std::min(m_index + ahead, m_tokens.size() - 1)];
}

const Token& JinjaParser::next() {
    const Token& t = peek();
    if (m_index < m_tokens.size() - 1) ++m_index;
    return t;
}

bool JinjaParser::isOp(const char* op, size_t ahead) const {
    const Token& t = peek(ahead);
    return t.type == Token::Type::Operator && t.text == op;
}

bool JinjaParser::isIdent(const char* word, size_t ahead) const {
    const Token& t = peek(ahead);
    return t.type == Token::Type::Identifier && t.text == word;
}

bool JinjaParser::isStatement(const std::vector<std::string>& names) const {
    return peek().type == Token::Type::OpenStatement && peek(1).type == Token::Type::Identifier &&
           std::find(names.begin(), names.end(), peek(1).text) != names.end();
}

std::string JinjaParser::describe(const Token& t) {
    switch (t.type) {
    case Token::Type::End: return "the end of the template";
    case Token::Type::Text: return "text";
    case Token::Type::OpenStatement: return "'{%'";
    case Token::Type::CloseStatement: return "'%}'";
    case Token::Type::OpenExpression: return "'{{'";
    case Token::Type::CloseExpression: return "'}}'";
    case Token::Type::String: return "string '" + t.text + "'";
    default: return "'" + t.text + "'";
    }
}

void JinjaParser::fail(const Token& at, const std::string& what, const std::string& hint) const {
    throwTemplateError(m_source, at.pos, what, hint);
}

const Token& JinjaParser::expectOp(const char* op, const char* context) {
    if (!isOp(op)) fail(peek(), std::string("expected '") + op + "' " + context + ", found " + describe(peek()));
    return next();
}

const Token& JinjaParser::expectType(Token::Type type, const char* context) {
    if (peek().type != type) {
        Token wanted;
        wanted.type = type;
        fail(peek(), "expected " + describe(wanted) + " " + context + ", found " + describe(peek()));
    }
    return next();
}

std::string JinjaParser::expectIdentifier(const char* context) {
    if (peek().type != Token::Type::Identifier)
        fail(peek(), std::string("expected a name ") + context + ", found " + describe(peek()));
    return next().text;
}

// ---- statements ----

StmtList JinjaParser::parse() {
    StmtList out = parseBlock({}, nullptr, 0);
    return out;
}

StmtList JinjaParser::parseBlock(const std::vector<std::string>& terminators, const char* opener, size_t openerPos) {
    StmtList out;
    while (true) {
        const Token& t = peek();
        if (t.type == Token::Type::End) {
            if (terminators.empty()) return out;
            throwTemplateError(m_source, openerPos,
                               std::string("'") + opener + "' is never closed (expected {% " + terminators.back() + " %})");
        }
        if (!terminators.empty() && isStatement(terminators)) return out;
        if (t.type == Token::Type::Text) {
            auto s = std::make_unique<Stmt>();
            s->kind = Stmt::Kind::Text;
            s->pos = t.pos;
            s->text = next().text;
            out.push_back(std::move(s));
        } else if (t.type == Token::Type::Comment) {
            next();
        } else if (t.type == Token::Type::OpenExpression) {
            next();
            auto s = std::make_unique<Stmt>();
            s->kind = Stmt::Kind::Output;
            s->pos = t.pos;
            s->expr = parseExpression();
            expectType(Token::Type::CloseExpression, "to end the expression");
            out.push_back(std::move(s));
        } else if (t.type == Token::Type::OpenStatement) {
            out.push_back(parseStatement());
        } else {
            fail(t, "unexpected " + describe(t) + " outside '{{ }}' and '{% %}'");
        }
    }
}

void JinjaParser::expectEnd(const std::string& keyword) {
    expectType(Token::Type::OpenStatement, ("before '" + keyword + "'").c_str());
    if (!isIdent(keyword.c_str())) fail(peek(), "expected '" + keyword + "', found " + describe(peek()));
    next();
    expectType(Token::Type::CloseStatement, ("after '" + keyword + "'").c_str());
}

std::unique_ptr<Stmt> JinjaParser::parseStatement() {
    const Token& open = next(); // {%
    DepthGuard guard(*this, open);
    const Token& nameTok = peek();
    if (nameTok.type != Token::Type::Identifier) fail(nameTok, "expected a statement name after '{%', found " + describe(nameTok));
    const std::string name = nameTok.text;
    const size_t pos = nameTok.pos;
    next();
    if (name == "if") return parseIf(pos);
    if (name == "for") return parseFor(pos);
    if (name == "set") return parseSet(pos);
    if (name == "macro") return parseMacro(pos);
    if (name == "filter") return parseFilterBlock(pos);
    if (name == "break" || name == "continue") {
        auto s = std::make_unique<Stmt>();
        s->kind = name == "break" ? Stmt::Kind::Break : Stmt::Kind::Continue;
        s->pos = pos;
        expectType(Token::Type::CloseStatement, ("after '" + name + "'").c_str());
        return s;
    }
    if (std::find(kUnsupportedStatements.begin(), kUnsupportedStatements.end(), name) != kUnsupportedStatements.end())
        fail(nameTok, "unsupported statement '" + name + "'", "chat templates are rendered without the '" + name + "' tag");
    if (name.rfind("end", 0) == 0 || name == "elif" || name == "else")
        fail(nameTok, "unexpected '" + name + "' (no open block it could close)");
    fail(nameTok, "unknown statement '" + name + "'");
}

std::unique_ptr<Stmt> JinjaParser::parseIf(size_t pos) {
    auto s = std::make_unique<Stmt>();
    s->kind = Stmt::Kind::If;
    s->pos = pos;
    s->expr = parseExpression();
    expectType(Token::Type::CloseStatement, "after the 'if' condition");
    s->body = parseBlock({"elif", "else", "endif"}, "if", pos);
    if (isStatement({"elif"})) {
        next();
        const size_t elifPos = next().pos;
        s->orelse.push_back(parseIf(elifPos)); // consumes the shared endif
        return s;
    }
    if (isStatement({"else"})) {
        next();
        next();
        expectType(Token::Type::CloseStatement, "after 'else'");
        s->orelse = parseBlock({"endif"}, "if", pos);
    }
    expectEnd("endif");
    return s;
}

std::unique_ptr<Stmt> JinjaParser::parseFor(size_t pos) {
    auto s = std::make_unique<Stmt>();
    s->kind = Stmt::Kind::For;
    s->pos = pos;
    const bool paren = isOp("(");
    if (paren) next();
    do {
        s->targets.push_back(expectIdentifier("as the loop variable"));
    } while (isOp(",") && (next(), true));
    if (paren) expectOp(")", "after the loop variables");
    if (!isIdent("in")) fail(peek(), "expected 'in' after the loop variable, found " + describe(peek()));
    next();
    ExprPtr iterable = parseExpression();
    if (iterable->kind == Expr::Kind::Select) { // for x in xs if cond
        s->cond = std::move(iterable->b);
        iterable = std::move(iterable->a);
    }
    s->expr = std::move(iterable);
    if (isIdent("recursive")) fail(peek(), "unsupported construct 'recursive' loop");
    expectType(Token::Type::CloseStatement, "after the 'for' header");
    s->body = parseBlock({"else", "endfor"}, "for", pos);
    if (isStatement({"else"})) {
        next();
        next();
        expectType(Token::Type::CloseStatement, "after 'else'");
        s->orelse = parseBlock({"endfor"}, "for", pos);
    }
    expectEnd("endfor");
    return s;
}

std::unique_ptr<Stmt> JinjaParser::parseSet(size_t pos) {
    auto s = std::make_unique<Stmt>();
    s->kind = Stmt::Kind::Set;
    s->pos = pos;
    const Token& first = peek();
    const std::string name = expectIdentifier("after 'set'");
    if (isOp(".")) {
        next();
        auto object = std::make_unique<Expr>();
        object->kind = Expr::Kind::Name;
        object->pos = first.pos;
        object->name = name;
        s->object = std::move(object);
        s->text = expectIdentifier("after '.' in 'set'");
    } else {
        s->targets.push_back(name);
        while (isOp(",")) {
            next();
            s->targets.push_back(expectIdentifier("in the 'set' targets"));
        }
    }
    if (isOp("=")) {
        next();
        s->expr = parseSequence();
        expectType(Token::Type::CloseStatement, "after the 'set' value");
        return s;
    }
    if (s->targets.size() != 1) fail(peek(), "expected '=' after the 'set' targets, found " + describe(peek()));
    expectType(Token::Type::CloseStatement, "after 'set' (or '=' and a value)");
    s->body = parseBlock({"endset"}, "set", pos);
    expectEnd("endset");
    return s;
}

std::unique_ptr<Stmt> JinjaParser::parseMacro(size_t pos) {
    auto s = std::make_unique<Stmt>();
    s->kind = Stmt::Kind::Macro;
    s->pos = pos;
    s->text = expectIdentifier("after 'macro'");
    expectOp("(", "after the macro name");
    while (!isOp(")")) {
        MacroParam p;
        p.name = expectIdentifier("as a macro parameter");
        for (const auto& q : s->params)
            if (q.name == p.name) fail(peek(), "duplicate macro parameter '" + p.name + "'");
        if (isOp("=")) {
            next();
            p.defaultValue = parseExpression();
        } else if (!s->params.empty() && s->params.back().defaultValue) {
            fail(peek(), "macro parameter '" + p.name + "' without a default follows one with a default");
        }
        s->params.push_back(std::move(p));
        if (!isOp(")")) expectOp(",", "between macro parameters");
    }
    next();
    expectType(Token::Type::CloseStatement, "after the macro parameters");
    m_openMacros.push_back(s.get());
    s->body = parseBlock({"endmacro"}, "macro", pos);
    m_openMacros.pop_back();
    expectEnd("endmacro");
    return s;
}

std::unique_ptr<Stmt> JinjaParser::parseFilterBlock(size_t pos) {
    auto s = std::make_unique<Stmt>();
    s->kind = Stmt::Kind::FilterBlock;
    s->pos = pos;
    auto f = std::make_unique<Expr>();
    f->kind = Expr::Kind::Filter;
    f->pos = peek().pos;
    f->name = expectIdentifier("after 'filter'");
    if (isOp("(")) parseCallArgs(*f);
    s->expr = std::move(f);
    expectType(Token::Type::CloseStatement, "after the filter");
    s->body = parseBlock({"endfilter"}, "filter", pos);
    expectEnd("endfilter");
    return s;
}

} // namespace lorastudio::jinja

// JinjaParser, second half: expressions (the statements are in jinja_parser.cpp).
#include "template/jinja_parser.h"

#include "template/jinja_error.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace lorastudio::jinja {

namespace {

ExprPtr makeExpr(Expr::Kind kind, size_t pos) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = pos;
    return e;
}

ExprPtr binary(std::string op, ExprPtr a, ExprPtr b, size_t pos) {
    auto e = makeExpr(Expr::Kind::Binary, pos);
    e->name = std::move(op);
    e->a = std::move(a);
    e->b = std::move(b);
    return e;
}

ExprPtr literal(Value v, size_t pos) {
    auto e = makeExpr(Expr::Kind::Literal, pos);
    e->value = std::move(v);
    return e;
}

// A number literal's value; nullopt when it does not fit (std::stoll / std::stod would throw
// std::out_of_range, a foreign exception, for "x.99999999999999999999" or "1e999").
std::optional<int64_t> toInteger(const std::string& text) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno == ERANGE || end == text.c_str()) return std::nullopt;
    return static_cast<int64_t>(v);
}
std::optional<double> toReal(const std::string& text) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !std::isfinite(v)) return std::nullopt;
    return v;
}

} // namespace

int64_t JinjaParser::integerLiteral(const Token& t) const {
    if (auto v = toInteger(t.text)) return *v;
    fail(t, "the number " + t.text + " is out of range for an integer");
}

double JinjaParser::realLiteral(const Token& t) const {
    if (auto v = toReal(t.text)) return *v;
    fail(t, "the number " + t.text + " is out of range");
}

ExprPtr JinjaParser::parseExpression() {
    DepthGuard guard(*this, peek());
    return parseIfExpr();
}

ExprPtr JinjaParser::parseSequence() {
    const size_t pos = peek().pos;
    ExprPtr first = parseExpression();
    if (!isOp(",")) return first;
    auto t = makeExpr(Expr::Kind::Tuple, pos);
    t->items.push_back(std::move(first));
    while (isOp(",")) {
        next();
        t->items.push_back(parseExpression());
    }
    return t;
}

ExprPtr JinjaParser::parseIfExpr() {
    ExprPtr value = parseOr();
    if (!isIdent("if")) return value;
    const size_t pos = next().pos;
    ExprPtr cond = parseOr();
    if (isIdent("else")) {
        next();
        auto t = makeExpr(Expr::Kind::Ternary, pos);
        t->a = std::move(cond);
        t->b = std::move(value);
        t->c = parseIfExpr();
        return t;
    }
    auto s = makeExpr(Expr::Kind::Select, pos);
    s->a = std::move(value);
    s->b = std::move(cond);
    return s;
}

ExprPtr JinjaParser::parseOr() {
    ExprPtr left = parseAnd();
    while (isIdent("or")) {
        const size_t pos = next().pos;
        left = binary("or", std::move(left), parseAnd(), pos);
    }
    return left;
}

ExprPtr JinjaParser::parseAnd() {
    ExprPtr left = parseNot();
    while (isIdent("and")) {
        const size_t pos = next().pos;
        left = binary("and", std::move(left), parseNot(), pos);
    }
    return left;
}

ExprPtr JinjaParser::parseNot() {
    if (!isIdent("not")) return parseComparison();
    DepthGuard guard(*this, peek());
    auto e = makeExpr(Expr::Kind::Unary, next().pos);
    e->name = "not";
    e->a = parseNot();
    return e;
}

ExprPtr JinjaParser::parseComparison() {
    ExprPtr left = parseAdditive();
    while (true) {
        std::string op;
        const size_t pos = peek().pos;
        if (isIdent("not") && isIdent("in", 1)) {
            next();
            next();
            op = "not in";
        } else if (isIdent("in")) {
            next();
            op = "in";
        } else if (isOp("==") || isOp("!=") || isOp("<") || isOp(">") || isOp("<=") || isOp(">=")) {
            op = next().text;
        } else {
            return left;
        }
        left = binary(op, std::move(left), parseAdditive(), pos);
    }
}

ExprPtr JinjaParser::parseAdditive() {
    ExprPtr left = parseMultiplicative();
    while (isOp("+") || isOp("-") || isOp("~")) {
        const Token& op = next();
        left = binary(op.text, std::move(left), parseMultiplicative(), op.pos);
    }
    return left;
}

ExprPtr JinjaParser::parseMultiplicative() {
    ExprPtr left = parsePower();
    while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
        const Token& op = next();
        left = binary(op.text, std::move(left), parsePower(), op.pos);
    }
    return left;
}

ExprPtr JinjaParser::parsePower() {
    ExprPtr left = parseTest();
    while (isOp("**")) {
        const Token& op = next();
        left = binary(op.text, std::move(left), parseTest(), op.pos);
    }
    return left;
}

bool JinjaParser::testTakesArgument(const std::string& test) const {
    return test == "equalto" || test == "eq" || test == "ne" || test == "sameas" || test == "divisibleby" ||
           test == "in" || test == "gt" || test == "ge" || test == "lt" || test == "le";
}

ExprPtr JinjaParser::parseTest() {
    ExprPtr operand = parseFilter();
    while (isIdent("is")) {
        auto e = makeExpr(Expr::Kind::Test, next().pos);
        if (isIdent("not")) {
            next();
            e->negate = true;
        }
        e->name = expectIdentifier("as the test after 'is'");
        if (isOp("(")) {
            parseCallArgs(*e);
        } else if (testTakesArgument(e->name)) {
            const Token& t = peek();
            const bool startsValue = t.type == Token::Type::String || t.type == Token::Type::Integer ||
                                     t.type == Token::Type::Float || isOp("[") || isOp("{") ||
                                     (t.type == Token::Type::Identifier && t.text != "and" && t.text != "or" &&
                                      t.text != "if" && t.text != "else" && t.text != "is" && t.text != "not");
            if (startsValue) e->items.push_back(parsePostfix(parsePrimary()));
        }
        e->a = std::move(operand);
        operand = std::move(e);
    }
    return operand;
}

ExprPtr JinjaParser::parseFilter() {
    ExprPtr operand = parseUnary();
    while (isOp("|")) {
        auto e = makeExpr(Expr::Kind::Filter, next().pos);
        e->name = expectIdentifier("as the filter after '|'");
        if (isOp("(")) parseCallArgs(*e);
        e->a = std::move(operand);
        operand = std::move(e);
    }
    return operand;
}

ExprPtr JinjaParser::parseUnary() {
    if (isOp("-") || isOp("+")) {
        DepthGuard guard(*this, peek());
        const Token& op = next();
        auto e = makeExpr(Expr::Kind::Unary, op.pos);
        e->name = op.text;
        e->a = parseUnary();
        return e;
    }
    return parsePostfix(parsePrimary());
}

ExprPtr JinjaParser::parsePostfix(ExprPtr e) {
    while (true) {
        if (isOp(".")) {
            const size_t pos = next().pos;
            const Token& t = peek();
            if (t.type == Token::Type::Integer) { // x.0 is x[0]
                auto idx = makeExpr(Expr::Kind::Index, pos);
                idx->a = std::move(e);
                idx->b = literal(Value::integer(integerLiteral(next())), t.pos);
                e = std::move(idx);
                continue;
            }
            auto m = makeExpr(Expr::Kind::Member, pos);
            m->name = expectIdentifier("after '.'");
            m->a = std::move(e);
            e = std::move(m);
        } else if (isOp("[")) {
            const size_t pos = next().pos;
            e = parseSubscript(std::move(e), pos);
        } else if (isOp("(")) {
            auto c = makeExpr(Expr::Kind::Call, peek().pos);
            c->a = std::move(e);
            parseCallArgs(*c);
            e = std::move(c);
        } else {
            return e;
        }
    }
}

// After '[': an index or a slice [start:stop:step].
ExprPtr JinjaParser::parseSubscript(ExprPtr object, size_t pos) {
    ExprPtr parts[3];
    size_t colons = 0;
    if (isOp("]")) fail(peek(), "expected an index or a slice inside '[]'");
    while (!isOp("]")) {
        if (isOp(":")) {
            if (++colons > 2) fail(peek(), "a slice takes at most three parts (start:stop:step)");
            next();
            continue;
        }
        if (parts[colons]) fail(peek(), "expected ':' or ']' in a subscript, found " + describe(peek()));
        parts[colons] = parseExpression();
    }
    next();
    if (colons == 0) {
        auto idx = makeExpr(Expr::Kind::Index, pos);
        idx->a = std::move(object);
        idx->b = std::move(parts[0]);
        return idx;
    }
    auto s = makeExpr(Expr::Kind::Slice, pos);
    s->a = std::move(object);
    s->b = std::move(parts[0]);
    s->c = std::move(parts[1]);
    s->d = std::move(parts[2]);
    return s;
}

void JinjaParser::parseCallArgs(Expr& call) {
    expectOp("(", "to open the arguments");
    while (!isOp(")")) {
        if (isOp("*") || isOp("**")) fail(peek(), "unsupported construct: argument unpacking with '" + peek().text + "'");
        if (peek().type == Token::Type::Identifier && isOp("=", 1)) {
            const std::string key = next().text;
            next();
            for (const auto& kw : call.keywords)
                if (kw.first == key) fail(peek(), "keyword argument '" + key + "' given twice");
            call.keywords.emplace_back(key, parseExpression());
        } else {
            if (!call.keywords.empty()) fail(peek(), "a positional argument follows a keyword argument");
            call.items.push_back(parseExpression());
        }
        if (!isOp(")")) expectOp(",", "between arguments");
    }
    next();
}

ExprPtr JinjaParser::parsePrimary() {
    const Token& t = peek();
    switch (t.type) {
    case Token::Type::Integer: {
        next();
        try {
            return literal(Value::integer(std::stoll(t.text)), t.pos);
        } catch (const std::exception&) {
            return literal(Value::real(realLiteral(t)), t.pos);
        }
    }
    case Token::Type::Float: next(); return literal(Value::real(realLiteral(t)), t.pos);
    case Token::Type::String: {
        std::string s = next().text;
        while (peek().type == Token::Type::String) s += next().text; // 'a' 'b' is 'ab'
        return literal(Value::string(std::move(s)), t.pos);
    }
    case Token::Type::Identifier: {
        next();
        if (t.text == "true" || t.text == "True") return literal(Value::boolean(true), t.pos);
        if (t.text == "false" || t.text == "False") return literal(Value::boolean(false), t.pos);
        if (t.text == "none" || t.text == "None") return literal(Value::none(), t.pos);
        if (!m_openMacros.empty() && t.text == "varargs") m_openMacros.back()->usesVarargs = true;
        if (!m_openMacros.empty() && t.text == "kwargs") m_openMacros.back()->usesKwargs = true;
        auto e = makeExpr(Expr::Kind::Name, t.pos);
        e->name = t.text;
        return e;
    }
    case Token::Type::Operator: break;
    default: fail(t, "expected a value, found " + describe(t));
    }
    DepthGuard guard(*this, t);
    if (t.text == "(") {
        next();
        ExprPtr inner = parseSequence();
        expectOp(")", "to close '('");
        return inner;
    }
    if (t.text == "[") {
        next();
        auto list = makeExpr(Expr::Kind::List, t.pos);
        while (!isOp("]")) {
            list->items.push_back(parseExpression());
            if (!isOp("]")) expectOp(",", "between list items");
        }
        next();
        return list;
    }
    if (t.text == "{") {
        next();
        auto dict = makeExpr(Expr::Kind::Dict, t.pos);
        while (!isOp("}")) {
            dict->items.push_back(parseExpression());
            expectOp(":", "between a dict key and its value");
            dict->items.push_back(parseExpression());
            if (!isOp("}")) expectOp(",", "between dict items");
        }
        next();
        return dict;
    }
    fail(t, "expected a value, found " + describe(t));
}

} // namespace lorastudio::jinja

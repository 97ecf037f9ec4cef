// Binary operators of template values (see jinja_builtins.h): the reference renderer's rules for
// numbers, undefined and none, string concatenation and membership; Python's where it is silent.
#include "template/jinja_builtins.h"
#include "template/jinja_error.h"

#include <cmath>

namespace lorastudio::jinja {

namespace {

[[noreturn]] void unsupported(const std::string& op, const Value& a, const Value& b) {
    throw BuiltinFailure{"unsupported operand types for '" + op + "': " + a.typeName() + " and " + b.typeName()};
}

Value arithmetic(const std::string& op, const Value& a, const Value& b) {
    const bool isFloat = a.kind() == Value::Kind::Float || b.kind() == Value::Kind::Float;
    if (op == "+" || op == "-" || op == "*") {
        if (!isFloat) { // exact in int64 unless it overflows; then a float, as JavaScript's numbers do
            const long double exact = op == "+" ? static_cast<long double>(a.asInt()) + b.asInt()
                                    : op == "-" ? static_cast<long double>(a.asInt()) - b.asInt()
                                                : static_cast<long double>(a.asInt()) * b.asInt();
            if (exact >= -9.2e18L && exact <= 9.2e18L)
                return Value::integer(op == "+" ? a.asInt() + b.asInt() : op == "-" ? a.asInt() - b.asInt() : a.asInt() * b.asInt());
        }
        const double x = a.asNumber(), y = b.asNumber();
        return Value::real(op == "+" ? x + y : op == "-" ? x - y : x * y);
    }
    const double x = a.asNumber(), y = b.asNumber();
    if (op == "/" || op == "//" || op == "%") {
        if (y == 0) throw BuiltinFailure{"division by zero in '" + op + "'"};
        if (op == "/") return Value::real(x / y);
        if (op == "//") {
            if (!isFloat) {
                int64_t q = a.asInt() / b.asInt();
                if ((a.asInt() % b.asInt() != 0) && ((a.asInt() < 0) != (b.asInt() < 0))) --q;
                return Value::integer(q);
            }
            return Value::real(std::floor(x / y));
        }
        if (!isFloat) { // Python's modulo: the sign of the divisor
            int64_t m = a.asInt() % b.asInt();
            if (m != 0 && ((m < 0) != (b.asInt() < 0))) m += b.asInt();
            return Value::integer(m);
        }
        double m = std::fmod(x, y);
        if (m != 0 && ((m < 0) != (y < 0))) m += y;
        return Value::real(m);
    }
    if (op == "<") return Value::boolean(x < y);
    if (op == ">") return Value::boolean(x > y);
    if (op == "<=") return Value::boolean(x <= y);
    if (op == ">=") return Value::boolean(x >= y);
    unsupported(op, a, b);
}

Value power(const Value& a, const Value& b) {
    const double x = a.asNumber(), y = b.asNumber();
    if (x == 0 && y < 0) throw BuiltinFailure{"0 cannot be raised to a negative power"};
    const double r = std::pow(x, y);
    if (!std::isfinite(r)) throw BuiltinFailure{"'**' gives no finite real number"};
    const bool isFloat = a.kind() == Value::Kind::Float || b.kind() == Value::Kind::Float || y < 0;
    if (!isFloat && std::fabs(r) < 9.0e15) return Value::integer(static_cast<int64_t>(r));
    return Value::real(r);
}

bool contains(const Value& container, const Value& item, const std::string& op) {
    if (container.isList()) {
        for (const Value& v : container.items())
            if (valuesEqual(v, item)) return true;
        return false;
    }
    if (container.isString() && item.isString()) return container.asString().find(item.asString()) != std::string::npos;
    if (container.isDict() && item.isString()) return container.map().find(item.asString()) != nullptr;
    unsupported(op, item, container);
}

} // namespace

Value binaryOperation(const std::string& op, const Value& a, const Value& b) {
    if (op == "==") return Value::boolean(valuesEqual(a, b));
    if (op == "!=") return Value::boolean(!valuesEqual(a, b));
    if (a.isNumber() && b.isNumber() && op != "~" && op != "**" && op != "in" && op != "not in")
        return arithmetic(op, a, b);
    if (a.isUndefined() || b.isUndefined()) {
        if (b.isUndefined() && (op == "in" || op == "not in")) return Value::boolean(op == "not in");
        if (op == "~" && !a.isNone() && !b.isNone()) return Value::string(a.concatText() + b.concatText());
        throw BuiltinFailure{"cannot apply '" + op + "' to an undefined value (a variable or key that does not exist)"};
    }
    if (a.isNone() || b.isNone()) throw BuiltinFailure{"cannot apply '" + op + "' to none"};
    if (op == "~") return Value::string(a.concatText() + b.concatText());
    const auto numericLike = [](const Value& v) { return v.isNumber() || v.kind() == Value::Kind::Bool; };
    if (op == "**" && numericLike(a) && numericLike(b)) return power(a, b);
    if (op == "in") return Value::boolean(contains(b, a, op));
    if (op == "not in") return Value::boolean(!contains(b, a, op));
    if (op == "+" && a.isList() && b.isList()) {
        ValueList items = a.items();
        items.insert(items.end(), b.items().begin(), b.items().end());
        return Value::list(std::move(items));
    }
    if (op == "+" && (a.isString() || b.isString())) return Value::string(a.concatText() + b.concatText());
    if (a.isString() && b.isString() && (op == "<" || op == ">" || op == "<=" || op == ">=")) {
        const int c = a.asString().compare(b.asString());
        return Value::boolean(op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0);
    }
    if (op == "*" && a.isString() && b.kind() == Value::Kind::Int) { // 'ab' * 3
        std::string out;
        for (int64_t i = 0; i < b.asInt(); ++i) out += a.asString();
        return Value::string(std::move(out));
    }
    unsupported(op, a, b);
}

int compareValues(const Value& a, const Value& b, bool caseSensitive) {
    const auto numericLike = [](const Value& v) { return v.isNumber() || v.kind() == Value::Kind::Bool; };
    if (a.isNone() && b.isNone()) return 0;
    if (a.isUndefined() && b.isUndefined()) return 0;
    if (numericLike(a) && numericLike(b)) {
        const double x = a.asNumber(), y = b.asNumber();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.isString() && b.isString()) {
        std::string x = a.asString(), y = b.asString();
        if (!caseSensitive) {
            for (char& c : x) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            for (char& c : y) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        return x < y ? -1 : x > y ? 1 : 0;
    }
    throw BuiltinFailure{"cannot compare " + a.typeName() + " with " + b.typeName()};
}

std::vector<size_t> sliceIndices(size_t n, const Value& startV, const Value& stopV, const Value& stepV) {
    for (const Value* v : {&startV, &stopV, &stepV})
        if (!v->isUndefined() && !v->isNone() && v->kind() != Value::Kind::Int)
            throw BuiltinFailure{"slice bounds must be integers, got " + v->typeName()};
    const int64_t len = static_cast<int64_t>(n);
    const int64_t step = stepV.kind() == Value::Kind::Int ? stepV.asInt() : 1;
    if (step == 0) throw BuiltinFailure{"slice step cannot be zero"};
    const auto bound = [&](const Value& v, int64_t dflt, int64_t lo, int64_t hi) {
        if (v.kind() != Value::Kind::Int) return dflt;
        int64_t i = v.asInt();
        if (i < 0) i += len;
        return std::min(std::max(i, lo), hi);
    };
    std::vector<size_t> out;
    if (step > 0) {
        const int64_t start = bound(startV, 0, 0, len), stop = bound(stopV, len, 0, len);
        for (int64_t i = start; i < stop; i += step) out.push_back(static_cast<size_t>(i));
    } else {
        const int64_t start = bound(startV, len - 1, -1, len - 1), stop = bound(stopV, -1, -1, len - 1);
        for (int64_t i = start; i > stop; i += step) out.push_back(static_cast<size_t>(i));
    }
    return out;
}

} // namespace lorastudio::jinja

// Methods of strings, dicts and lists (`s.strip()`, `d.items()`, `xs.append(x)`) and the tests
// (`x is defined`), see jinja_builtins.h.
#include "template/jinja_builtins.h"
#include "template/jinja_error.h"
#include "template/jinja_text.h"

#include <algorithm>

namespace lorastudio::jinja {

namespace {

const std::string& stringArg(const Value* v, const char* method, const char* what) {
    if (!v || !v->isString()) throw BuiltinFailure{std::string(method) + "() needs a string " + what};
    return v->asString();
}

// strip/lstrip/rstrip: no argument or none trims whitespace; a string argument strips its characters.
Value stripMethod(const std::string& s, const CallArgs& args, bool left, bool right, const char* name) {
    const Value* chars = args.arg(0, "chars");
    if (chars && !chars->isNullish()) return Value::string(stripChars(s, stringArg(chars, name, "of characters"), left, right));
    if (left && right) return Value::string(trim(s));
    return Value::string(left ? trimLeft(s) : trimRight(s));
}

Value affixMethod(const std::string& s, const CallArgs& args, bool prefix) {
    const char* name = prefix ? "startswith" : "endswith";
    const Value* arg = args.arg(0, prefix ? "prefix" : "suffix");
    if (!arg) throw BuiltinFailure{std::string(name) + "() needs an argument"};
    const auto test = [&](const std::string& a) {
        return a.size() <= s.size() && (prefix ? s.compare(0, a.size(), a) == 0 : s.compare(s.size() - a.size(), a.size(), a) == 0);
    };
    if (arg->isString()) return Value::boolean(test(arg->asString()));
    if (arg->isList()) {
        for (const Value& v : arg->items())
            if (test(stringArg(&v, name, "in the tuple"))) return Value::boolean(true);
        return Value::boolean(false);
    }
    throw BuiltinFailure{std::string(name) + "() needs a string or a tuple of strings"};
}

Value splitMethod(const std::string& s, const CallArgs& args) {
    const Value* sep = args.arg(0, "sep");
    const Value* maxV = args.arg(1, "maxsplit");
    const int64_t maxsplit = maxV && maxV->kind() == Value::Kind::Int ? maxV->asInt() : -1;
    ValueList out;
    if (!sep || sep->isNullish()) { // runs of whitespace, no empty strings at the ends
        size_t i = 0;
        while (true) {
            while (size_t n = spaceAt(s, i)) i += n;
            if (i >= s.size()) break;
            if (maxsplit >= 0 && static_cast<int64_t>(out.size()) >= maxsplit) {
                out.push_back(Value::string(s.substr(i)));
                break;
            }
            size_t j = i;
            while (j < s.size() && !spaceAt(s, j)) ++j;
            out.push_back(Value::string(s.substr(i, j - i)));
            i = j;
        }
        return Value::list(std::move(out));
    }
    const std::string& d = stringArg(sep, "split", "separator");
    if (d.empty()) throw BuiltinFailure{"split(): empty separator"};
    size_t start = 0;
    while (true) {
        const size_t at = s.find(d, start);
        if (at == std::string::npos || (maxsplit >= 0 && static_cast<int64_t>(out.size()) >= maxsplit)) break;
        out.push_back(Value::string(s.substr(start, at - start)));
        start = at + d.size();
    }
    out.push_back(Value::string(s.substr(start)));
    return Value::list(std::move(out));
}

Value replaceMethod(const std::string& s, const CallArgs& args) {
    const std::string& from = stringArg(args.arg(0, "old"), "replace", "to find");
    const std::string& to = stringArg(args.arg(1, "new"), "replace", "to put in");
    const Value* countV = args.arg(2, "count");
    int64_t count = countV && countV->kind() == Value::Kind::Int ? countV->asInt() : -1;
    if (countV && !countV->isNullish() && countV->kind() != Value::Kind::Int)
        throw BuiltinFailure{"replace(): count must be an integer"};
    std::string out;
    if (from.empty()) { // between every code point, and at both ends
        const std::vector<size_t> offs = codePointOffsets(s);
        for (size_t i = 0; i < offs.size(); ++i) {
            if (count != 0) {
                out += to;
                if (count > 0) --count;
            }
            if (i + 1 < offs.size()) out += s.substr(offs[i], offs[i + 1] - offs[i]);
        }
        return Value::string(std::move(out));
    }
    size_t start = 0;
    while (count != 0) {
        const size_t at = s.find(from, start);
        if (at == std::string::npos) break;
        out += s.substr(start, at - start) + to;
        start = at + from.size();
        if (count > 0) --count;
    }
    return Value::string(out + s.substr(start));
}

Value bound(const std::string& name, std::function<Value(CallArgs&)> fn) { return Value::function(name, std::move(fn)); }

Value stringMember(const std::string& s, const std::string& name) {
    if (name == "length") return Value::integer(static_cast<int64_t>(codePointCount(s)));
    if (name == "upper") return bound(name, [s](CallArgs&) { return Value::string(asciiUpper(s)); });
    if (name == "lower") return bound(name, [s](CallArgs&) { return Value::string(asciiLower(s)); });
    if (name == "title" || name == "capitalize")
        return bound(name, [s, name](CallArgs& a) { return applyFilter(name, Value::string(s), a); });
    if (name == "strip") return bound(name, [s](CallArgs& a) { return stripMethod(s, a, true, true, "strip"); });
    if (name == "lstrip") return bound(name, [s](CallArgs& a) { return stripMethod(s, a, true, false, "lstrip"); });
    if (name == "rstrip") return bound(name, [s](CallArgs& a) { return stripMethod(s, a, false, true, "rstrip"); });
    if (name == "startswith") return bound(name, [s](CallArgs& a) { return affixMethod(s, a, true); });
    if (name == "endswith") return bound(name, [s](CallArgs& a) { return affixMethod(s, a, false); });
    if (name == "split") return bound(name, [s](CallArgs& a) { return splitMethod(s, a); });
    if (name == "replace") return bound(name, [s](CallArgs& a) { return replaceMethod(s, a); });
    if (name == "find" || name == "count")
        return bound(name, [s, name](CallArgs& a) {
            const std::string& sub = stringArg(a.arg(0, "sub"), name.c_str(), "to look for");
            if (name == "find") {
                const size_t at = s.find(sub);
                return Value::integer(at == std::string::npos ? -1 : static_cast<int64_t>(codePointCount(s.substr(0, at))));
            }
            int64_t n = 0;
            for (size_t at = s.find(sub); !sub.empty() && at != std::string::npos; at = s.find(sub, at + sub.size())) ++n;
            return Value::integer(n);
        });
    if (name == "join")
        return bound(name, [s](CallArgs& a) {
            const Value* items = a.arg(0, "iterable");
            if (!items || !items->isList()) throw BuiltinFailure{"join() needs a list"};
            CallArgs sep;
            sep.positional.push_back(Value::string(s));
            return applyFilter("join", *items, sep);
        });
    return Value();
}

Value dictMember(const Value& d, const std::string& name) {
    if (name == "get")
        return bound(name, [d](CallArgs& a) {
            const Value* key = a.arg(0, "key");
            if (!key || !key->isString()) throw BuiltinFailure{"get() needs a string key"};
            if (const Value* v = d.map().find(key->asString())) return *v;
            const Value* dflt = a.arg(1, "default");
            return dflt ? *dflt : Value::none();
        });
    if (name == "items" || name == "keys" || name == "values" || name == "dictsort")
        return bound(name, [d, name](CallArgs& a) { return applyFilter(name, d, a); });
    return Value();
}

} // namespace

Value builtinMember(const Value& object, const std::string& name) {
    if (object.isString()) return stringMember(object.asString(), name);
    if (object.isDict()) return dictMember(object, name);
    if (object.isList()) {
        if (name == "length") return Value::integer(static_cast<int64_t>(object.items().size()));
        if (name == "append")
            return bound(name, [object](CallArgs& a) {
                if (a.positional.size() != 1) throw BuiltinFailure{"append() takes one argument"};
                object.items().push_back(a.positional[0]);
                return Value::none();
            });
    }
    return Value();
}

// ---- tests ----

namespace {
const char* const kTests[] = {"boolean", "callable", "odd", "even", "false", "true", "none", "string", "number",
                              "integer", "float", "iterable", "mapping", "sequence", "lower", "upper", "defined",
                              "undefined", "equalto", "eq", "ne", "sameas", "divisibleby", "in", "gt", "ge", "lt", "le"};
}

bool isKnownTest(const std::string& name) {
    return std::find(std::begin(kTests), std::end(kTests), name) != std::end(kTests);
}

bool applyTest(const std::string& name, const Value& v, const CallArgs& args) {
    using K = Value::Kind;
    const auto needArg = [&]() -> const Value& {
        if (args.positional.empty()) throw BuiltinFailure{"test '" + name + "' needs an argument"};
        return args.positional[0];
    };
    if (name == "defined") return !v.isUndefined();
    if (name == "undefined") return v.isUndefined();
    if (name == "none") return v.isNone();
    if (name == "boolean") return v.kind() == K::Bool;
    if (name == "true") return v.kind() == K::Bool && v.asBool();
    if (name == "false") return v.kind() == K::Bool && !v.asBool();
    if (name == "string") return v.isString();
    if (name == "number") return v.isNumber();
    if (name == "integer") return v.kind() == K::Int;
    if (name == "float") return v.kind() == K::Float;
    if (name == "callable") return v.isFunction();
    if (name == "iterable") return v.isList() || v.isString();
    if (name == "mapping") return v.isDict();
    if (name == "sequence") return v.isList() || v.isDict() || v.isString();
    if (name == "lower") return v.isString() && asciiLower(v.asString()) == v.asString();
    if (name == "upper") return v.isString() && asciiUpper(v.asString()) == v.asString();
    if (name == "odd" || name == "even") {
        if (v.kind() != K::Int) throw BuiltinFailure{"test '" + name + "' needs an integer, got " + v.typeName()};
        return (v.asInt() % 2 != 0) == (name == "odd");
    }
    if (name == "equalto" || name == "eq") return valuesEqual(v, needArg());
    if (name == "ne") return !valuesEqual(v, needArg());
    if (name == "sameas") {
        const Value& o = needArg();
        return v.sameObject(o) || (v.kind() == o.kind() && !v.isList() && !v.isDict() && valuesEqual(v, o));
    }
    if (name == "in") return binaryOperation("in", v, needArg()).asBool();
    if (name == "divisibleby") {
        const Value& o = needArg();
        if (v.kind() != K::Int || o.kind() != K::Int || o.asInt() == 0)
            throw BuiltinFailure{"test 'divisibleby' needs integers (and a divisor other than 0)"};
        return v.asInt() % o.asInt() == 0;
    }
    if (name == "gt" || name == "ge" || name == "lt" || name == "le") {
        const char* op = name == "gt" ? ">" : name == "ge" ? ">=" : name == "lt" ? "<" : "<=";
        return binaryOperation(op, v, needArg()).asBool();
    }
    throw BuiltinFailure{"unknown test '" + name + "'"};
}

} // namespace lorastudio::jinja

// JinjaInterpreter, expressions: names, literals, member access and subscripts, slices, calls,
// filters, tests and operators. Failures of built-ins get the position of their expression here.
#include "template/jinja_interpreter.h"

#include "template/jinja_builtins.h"
#include "template/jinja_error.h"
#include "template/jinja_text.h"

namespace lorastudio::jinja {

namespace {

// What a callee is called in messages: `foo`, `x.strip`, or "the expression".
std::string calleeName(const Expr& e) {
    if (e.kind == Expr::Kind::Name) return "'" + e.name + "'";
    if (e.kind == Expr::Kind::Member) return "'" + e.name + "'";
    return "the expression";
}

} // namespace

Value JinjaInterpreter::checked(Value v, size_t pos) {
    if (v.isString() && v.asString().size() > m_limits.maxOutputBytes)
        fail(pos, "a string exceeds the output-size limit (" + std::to_string(m_limits.maxOutputBytes) + " bytes)",
             "raise ChatTemplateLimits::maxOutputBytes if the conversation is genuinely this long");
    return v;
}

CallArgs JinjaInterpreter::evalArgs(const Expr& e, Scope* scope) {
    CallArgs args;
    for (const auto& item : e.items) args.positional.push_back(eval(*item, scope));
    for (const auto& [key, value] : e.keywords) args.keyword.emplace_back(key, eval(*value, scope));
    return args;
}

Value JinjaInterpreter::evalMember(const Value& object, const Value& key, size_t pos) {
    if (object.isDict() || object.isNamespace()) {
        if (!key.isString()) fail(pos, "a " + object.typeName() + " is indexed by strings, not by " + key.typeName());
        if (const Value* v = object.map().find(key.asString())) return *v;
        return object.isDict() ? builtinMember(object, key.asString()) : Value();
    }
    if (object.isList() || object.isString()) {
        if (key.kind() == Value::Kind::Int) {
            int64_t i = key.asInt();
            if (object.isList()) {
                const auto n = static_cast<int64_t>(object.items().size());
                if (i < 0) i += n;
                return i >= 0 && i < n ? object.items()[static_cast<size_t>(i)] : Value();
            }
            const std::vector<size_t> offs = codePointOffsets(object.asString());
            const auto n = static_cast<int64_t>(offs.size()) - 1;
            if (i < 0) i += n;
            if (i < 0 || i >= n) return Value();
            const auto k = static_cast<size_t>(i);
            return Value::string(object.asString().substr(offs[k], offs[k + 1] - offs[k]));
        }
        if (key.isString()) return builtinMember(object, key.asString());
        fail(pos, "a " + object.typeName() + " is indexed by integers, not by " + key.typeName());
    }
    if (!key.isString()) fail(pos, "cannot index " + object.typeName() + " with " + key.typeName());
    return Value(); // undefined.x, none.x: undefined, as in the reference renderer
}

Value JinjaInterpreter::evalSlice(const Expr& e, Scope* scope) {
    const Value object = eval(*e.a, scope);
    const Value start = e.b ? eval(*e.b, scope) : Value();
    const Value stop = e.c ? eval(*e.c, scope) : Value();
    const Value step = e.d ? eval(*e.d, scope) : Value();
    if (!object.isList() && !object.isString()) fail(e.pos, "cannot slice " + object.typeName() + " (only lists and strings)");
    try {
        if (object.isList()) {
            ValueList out;
            for (size_t i : sliceIndices(object.items().size(), start, stop, step)) out.push_back(object.items()[i]);
            return Value::list(std::move(out));
        }
        const std::string& s = object.asString();
        const std::vector<size_t> offs = codePointOffsets(s);
        std::string out;
        for (size_t i : sliceIndices(offs.size() - 1, start, stop, step)) out += s.substr(offs[i], offs[i + 1] - offs[i]);
        return Value::string(std::move(out));
    } catch (const BuiltinFailure& f) {
        fail(e.pos, f.what);
    }
}

Value JinjaInterpreter::evalCall(const Expr& e, Scope* scope) {
    const Value callee = eval(*e.a, scope);
    if (!callee.isFunction())
        fail(e.pos, calleeName(*e.a) + " is not callable (it is " + callee.typeName() + ")",
             e.a->kind == Expr::Kind::Member ? "no such method for this type of value" : "");
    CallArgs args = evalArgs(e, scope);
    try {
        return checked(callee.asFunction().call(args), e.pos);
    } catch (const BuiltinFailure& f) {
        fail(e.pos, f.what);
    } catch (const TemplateRaise& r) {
        throw Error("chat template " + describePosition(m_source, e.pos), "the template raised an error: " + r.message);
    }
}

Value JinjaInterpreter::eval(const Expr& e, Scope* scope) {
    switch (e.kind) {
    case Expr::Kind::Literal: return e.value;
    case Expr::Kind::Name: return lookup(scope, e.name);
    case Expr::Kind::List:
    case Expr::Kind::Tuple: {
        ValueList items;
        for (const auto& item : e.items) items.push_back(eval(*item, scope));
        return Value::list(std::move(items));
    }
    case Expr::Kind::Dict: {
        ValueMap map;
        for (size_t i = 0; i + 1 < e.items.size(); i += 2) {
            const Value key = eval(*e.items[i], scope);
            if (!key.isString()) fail(e.items[i]->pos, "dict keys must be strings, got " + key.typeName());
            map.set(key.asString(), eval(*e.items[i + 1], scope));
        }
        return Value::dict(std::move(map));
    }
    case Expr::Kind::Member: return evalMember(eval(*e.a, scope), Value::string(e.name), e.pos);
    case Expr::Kind::Index: {
        const Value object = eval(*e.a, scope);
        return evalMember(object, eval(*e.b, scope), e.pos);
    }
    case Expr::Kind::Slice: return evalSlice(e, scope);
    case Expr::Kind::Call: return evalCall(e, scope);
    case Expr::Kind::Filter: {
        const Value operand = eval(*e.a, scope);
        const CallArgs args = evalArgs(e, scope);
        try {
            return checked(applyFilter(e.name, operand, args), e.pos);
        } catch (const BuiltinFailure& f) {
            fail(e.pos, f.what);
        }
    }
    case Expr::Kind::Test: {
        const Value operand = eval(*e.a, scope);
        const CallArgs args = evalArgs(e, scope);
        try {
            return Value::boolean(applyTest(e.name, operand, args) != e.negate);
        } catch (const BuiltinFailure& f) {
            fail(e.pos, f.what);
        }
    }
    case Expr::Kind::Unary: {
        const Value v = eval(*e.a, scope);
        if (e.name == "not") return Value::boolean(!v.truthy());
        if (v.kind() == Value::Kind::Float) return Value::real(e.name == "-" ? -v.asNumber() : v.asNumber());
        if (v.kind() == Value::Kind::Int || v.kind() == Value::Kind::Bool) {
            const int64_t i = v.kind() == Value::Kind::Bool ? (v.asBool() ? 1 : 0) : v.asInt();
            return Value::integer(e.name == "-" ? -i : i);
        }
        fail(e.pos, "unary '" + e.name + "' needs a number, got " + v.typeName());
    }
    case Expr::Kind::Binary: {
        if (e.name == "and" || e.name == "or") {
            Value left = eval(*e.a, scope);
            if (left.truthy() == (e.name == "or")) return left;
            return eval(*e.b, scope);
        }
        const Value left = eval(*e.a, scope);
        const Value right = eval(*e.b, scope);
        try {
            return checked(binaryOperation(e.name, left, right), e.pos);
        } catch (const BuiltinFailure& f) {
            fail(e.pos, f.what);
        }
    }
    case Expr::Kind::Ternary: return eval(*e.a, scope).truthy() ? eval(*e.b, scope) : eval(*e.c, scope);
    case Expr::Kind::Select: return eval(*e.b, scope).truthy() ? eval(*e.a, scope) : Value();
    }
    return Value();
}

} // namespace lorastudio::jinja

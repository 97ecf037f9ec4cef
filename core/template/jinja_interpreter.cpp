// Statements and scopes of a render (see jinja_interpreter.h); expressions are in
// jinja_interpreter_expr.cpp, the globals in jinja_globals.cpp.
#include "template/jinja_interpreter.h"

#include "template/jinja_builtins.h"
#include "template/jinja_error.h"

namespace lorastudio::jinja {

JinjaInterpreter::JinjaInterpreter(const std::string& source, const RenderLimits& limits, std::function<std::tm()> clock)
    : m_source(source), m_limits(limits), m_clock(std::move(clock)) {}

void JinjaInterpreter::fail(size_t pos, const std::string& what, const std::string& hint) const {
    throwTemplateError(m_source, pos, what, hint);
}

JinjaInterpreter::Scope* JinjaInterpreter::newScope(Scope* parent) {
    m_scopes.emplace_back();
    m_scopes.back().parent = parent;
    return &m_scopes.back();
}

Value JinjaInterpreter::lookup(Scope* scope, const std::string& name) const {
    for (Scope* s = scope; s; s = s->parent) {
        auto it = s->vars.find(name);
        if (it != s->vars.end()) return it->second;
    }
    return Value();
}

std::string JinjaInterpreter::render(const StmtList& program, const std::vector<std::pair<std::string, Value>>& context) {
    Scope* globals = newScope(nullptr);
    installGlobals(globals);
    Scope* top = newScope(globals);
    for (const auto& [name, value] : context) top->vars[name] = value;
    std::string out;
    renderBlock(program, top, out);
    return out;
}

void JinjaInterpreter::append(std::string& out, const std::string& text, size_t pos) {
    out += text;
    if (out.size() > m_limits.maxOutputBytes)
        fail(pos, "the rendering exceeds the output-size limit (" + std::to_string(m_limits.maxOutputBytes) + " bytes)",
             "raise ChatTemplateLimits::maxOutputBytes if the conversation is genuinely this long");
}

void JinjaInterpreter::countIteration(size_t pos) {
    if (++m_iterations > m_limits.maxLoopIterations)
        fail(pos, "the template runs more loop iterations than the loop-iteration limit (" +
                      std::to_string(m_limits.maxLoopIterations) + ")",
             "raise ChatTemplateLimits::maxLoopIterations if the template is genuine");
}

JinjaInterpreter::Flow JinjaInterpreter::renderBlock(const StmtList& block, Scope* scope, std::string& out) {
    for (const auto& s : block) {
        const Flow f = renderStatement(*s, scope, out);
        if (f != Flow::Normal) return f;
    }
    return Flow::Normal;
}

JinjaInterpreter::Flow JinjaInterpreter::renderStatement(const Stmt& s, Scope* scope, std::string& out) {
    switch (s.kind) {
    case Stmt::Kind::Text: append(out, s.text, s.pos); return Flow::Normal;
    case Stmt::Kind::Output: {
        const Value v = eval(*s.expr, scope);
        if (!v.isNullish()) append(out, v.toText(), s.pos);
        return Flow::Normal;
    }
    case Stmt::Kind::If: return renderBlock(eval(*s.expr, scope).truthy() ? s.body : s.orelse, scope, out);
    case Stmt::Kind::For: return renderFor(s, scope, out);
    case Stmt::Kind::Set: renderSet(s, scope); return Flow::Normal;
    case Stmt::Kind::Macro: defineMacro(s, scope); return Flow::Normal;
    case Stmt::Kind::FilterBlock: {
        std::string body;
        renderBlock(s.body, scope, body);
        const CallArgs args = evalArgs(*s.expr, scope);
        try {
            const Value v = checked(applyFilter(s.expr->name, Value::string(body), args), s.expr->pos);
            if (!v.isNullish()) append(out, v.toText(), s.pos);
        } catch (const BuiltinFailure& f) {
            fail(s.expr->pos, f.what);
        }
        return Flow::Normal;
    }
    case Stmt::Kind::Break: return Flow::Break;
    case Stmt::Kind::Continue: return Flow::Continue;
    }
    return Flow::Normal;
}

JinjaInterpreter::Flow JinjaInterpreter::renderFor(const Stmt& s, Scope* scope, std::string& out) {
    Scope* loopScope = newScope(scope);
    const Value iterable = eval(*s.expr, loopScope);
    ValueList items;
    if (iterable.isList()) {
        items = iterable.items();
    } else if (iterable.isDict()) {
        for (const auto& e : iterable.map().entries()) items.push_back(Value::string(e.first));
    } else if (iterable.isUndefined()) {
        // Python's Jinja loops over an undefined value as over nothing (its {% else %} runs), as
        // transformers renders it; @huggingface/jinja raises (tests/fixtures/jinja: "python" cases).
    } else {
        fail(s.expr->pos, "'for' needs a list or a dict to loop over, got " + iterable.typeName());
    }
    const auto bind = [&](Scope* target, const Value& item) {
        if (s.targets.size() == 1) {
            target->vars[s.targets[0]] = item;
            return;
        }
        if (!item.isList() || item.items().size() != s.targets.size())
            fail(s.pos, "cannot unpack " + item.typeName() + " into " + std::to_string(s.targets.size()) + " loop variables");
        for (size_t k = 0; k < s.targets.size(); ++k) target->vars[s.targets[k]] = item.items()[k];
    };
    ValueList selected;
    for (const Value& item : items) {
        if (s.cond) {
            countIteration(s.pos); // the condition's evaluation counts; the body's iteration counts below
            Scope* test = newScope(loopScope);
            bind(test, item);
            if (!eval(*s.cond, test).truthy()) continue;
        } else if (s.targets.size() > 1) {
            bind(loopScope, item); // validates the unpacking before the first iteration
        }
        selected.push_back(item);
    }
    if (selected.empty()) {
        renderBlock(s.orelse, loopScope, out);
        return Flow::Normal;
    }
    const auto n = static_cast<int64_t>(selected.size());
    for (int64_t i = 0; i < n; ++i) {
        countIteration(s.pos);
        ValueMap loop;
        loop.set("index", Value::integer(i + 1));
        loop.set("index0", Value::integer(i));
        loop.set("revindex", Value::integer(n - i));
        loop.set("revindex0", Value::integer(n - i - 1));
        loop.set("first", Value::boolean(i == 0));
        loop.set("last", Value::boolean(i == n - 1));
        loop.set("length", Value::integer(n));
        loop.set("previtem", i > 0 ? selected[static_cast<size_t>(i - 1)] : Value());
        loop.set("nextitem", i + 1 < n ? selected[static_cast<size_t>(i + 1)] : Value());
        loop.set("cycle", Value::function("cycle", [i](CallArgs& a) {
            if (a.positional.empty()) throw BuiltinFailure{"loop.cycle() needs at least one value"};
            return a.positional[static_cast<size_t>(i) % a.positional.size()];
        }));
        loopScope->vars["loop"] = Value::dict(std::move(loop));
        bind(loopScope, selected[static_cast<size_t>(i)]);
        if (renderBlock(s.body, loopScope, out) == Flow::Break) break;
    }
    return Flow::Normal;
}

void JinjaInterpreter::renderSet(const Stmt& s, Scope* scope) {
    Value value;
    if (s.expr) {
        value = eval(*s.expr, scope);
    } else {
        std::string body;
        renderBlock(s.body, scope, body);
        value = Value::string(std::move(body));
    }
    if (s.object) {
        const Value target = eval(*s.object, scope);
        if (!target.isNamespace())
            fail(s.object->pos, "'set' can assign an attribute only of a namespace(...), not of " + target.typeName(),
                 "create it with {% set ns = namespace(" + s.text + "=...) %}");
        target.map().set(s.text, std::move(value));
        return;
    }
    if (s.targets.size() == 1) {
        scope->vars[s.targets[0]] = std::move(value);
        return;
    }
    if (!value.isList() || value.items().size() != s.targets.size())
        fail(s.pos, "cannot unpack " + value.typeName() + " into " + std::to_string(s.targets.size()) + " names");
    for (size_t k = 0; k < s.targets.size(); ++k) scope->vars[s.targets[k]] = value.items()[k];
}

void JinjaInterpreter::defineMacro(const Stmt& s, Scope* scope) {
    const Stmt* macro = &s;
    scope->vars[s.text] = Value::function(s.text, [this, macro, scope](CallArgs& args) {
        return callMacro(*macro, scope, args);
    });
}

Value JinjaInterpreter::callMacro(const Stmt& macro, Scope* defined, CallArgs& args) {
    struct DepthCount {
        size_t& depth;
        ~DepthCount() { --depth; }
    } count{++m_callDepth};
    if (m_callDepth > m_limits.maxDepth)
        fail(macro.pos, "macro '" + macro.text + "' nests calls deeper than the nesting-depth limit (" +
                            std::to_string(m_limits.maxDepth) + ")",
             "a macro that calls itself without end?");
    Scope* scope = newScope(defined);
    const size_t nParams = macro.params.size();
    if (args.positional.size() > nParams && !macro.usesVarargs)
        throw BuiltinFailure{"macro '" + macro.text + "' takes at most " + std::to_string(nParams) + " argument(s), got " +
                             std::to_string(args.positional.size())};
    ValueMap extraKeywords;
    for (const auto& [key, value] : args.keyword) {
        bool known = false;
        for (const auto& p : macro.params) known = known || p.name == key;
        if (!known && !macro.usesKwargs) throw BuiltinFailure{"macro '" + macro.text + "' has no parameter '" + key + "'"};
        if (!known) extraKeywords.set(key, value);
    }
    std::vector<const MacroParam*> pendingDefaults;
    for (size_t i = 0; i < nParams; ++i) {
        const MacroParam& p = macro.params[i];
        const Value* given = i < args.positional.size() ? &args.positional[i] : args.kwarg(p.name);
        if (!given && p.defaultValue) pendingDefaults.push_back(&p);
        scope->vars[p.name] = given ? *given : Value();
    }
    if (macro.usesVarargs)
        scope->vars["varargs"] = Value::list(args.positional.size() > nParams
                                                 ? ValueList(args.positional.begin() + static_cast<long>(nParams), args.positional.end())
                                                 : ValueList{});
    if (macro.usesKwargs) scope->vars["kwargs"] = Value::dict(std::move(extraKeywords));
    for (const MacroParam* p : pendingDefaults) scope->vars[p->name] = eval(*p->defaultValue, scope);
    std::string out;
    renderBlock(macro.body, scope, out);
    return Value::string(std::move(out));
}

} // namespace lorastudio::jinja

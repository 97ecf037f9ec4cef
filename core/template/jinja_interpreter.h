// Renders a parsed template: scopes (a for loop or a macro call opens one; if does not), loops with
// `loop.*`, macros, namespaces, and the globals range, namespace, raise_exception, strftime_now.
// One interpreter renders once; it enforces the call-depth, output-size and loop-iteration limits.
#pragma once
#include "template/jinja_ast.h"

#include <ctime>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lorastudio::jinja {

struct RenderLimits {
    size_t maxDepth = 64;
    size_t maxOutputBytes = 8u << 20;
    size_t maxLoopIterations = 1000000;
};

class JinjaInterpreter {
public:
    JinjaInterpreter(const std::string& source, const RenderLimits& limits, std::function<std::tm()> clock);
    // context: the template's variables (messages, add_generation_prompt, bos_token, ...).
    std::string render(const StmtList& program, const std::vector<std::pair<std::string, Value>>& context);

private:
    struct Scope {
        Scope* parent = nullptr;
        std::unordered_map<std::string, Value> vars;
    };
    enum class Flow { Normal, Break, Continue };

    Scope* newScope(Scope* parent);
    Value lookup(Scope* scope, const std::string& name) const;
    void installGlobals(Scope* scope);

    Flow renderBlock(const StmtList& block, Scope* scope, std::string& out);
    Flow renderStatement(const Stmt& s, Scope* scope, std::string& out);
    Flow renderFor(const Stmt& s, Scope* scope, std::string& out);
    void renderSet(const Stmt& s, Scope* scope);
    void defineMacro(const Stmt& s, Scope* scope);
    Value callMacro(const Stmt& macro, Scope* defined, CallArgs& args);
    void append(std::string& out, const std::string& text, size_t pos);
    void countIteration(size_t pos);

    Value eval(const Expr& e, Scope* scope);
    Value evalMember(const Value& object, const Value& key, size_t pos);
    Value evalSlice(const Expr& e, Scope* scope);
    Value evalCall(const Expr& e, Scope* scope);
    CallArgs evalArgs(const Expr& e, Scope* scope);
    Value checked(Value v, size_t pos); // a string past the output limit is an error
    [[noreturn]] void fail(size_t pos, const std::string& what, const std::string& hint = {}) const;

    const std::string& m_source;
    RenderLimits m_limits;
    std::function<std::tm()> m_clock;
    std::deque<Scope> m_scopes; // every scope of this render; freed together at the end
    size_t m_iterations = 0;
    size_t m_callDepth = 0;
};

} // namespace lorastudio::jinja

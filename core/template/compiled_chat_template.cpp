// Compiling (lexing, parsing, checking filter and test names) and rendering a chat template.
#include "template/compiled_chat_template.h"

#include "template/jinja_ast.h"
#include "template/jinja_builtins.h"
#include "template/jinja_error.h"
#include "template/jinja_interpreter.h"
#include "template/jinja_lexer.h"
#include "template/jinja_parser.h"

namespace lorastudio {

namespace {

using jinja::Expr;
using jinja::Stmt;

// Unknown filters and tests are errors when the template is compiled, as in Jinja, so that a typo
// in a branch the first conversation does not reach still fails early.
void checkNames(const std::string& source, const Expr* e) {
    if (!e) return;
    if (e->kind == Expr::Kind::Filter && !jinja::isKnownFilter(e->name))
        jinja::throwTemplateError(source, e->pos, "unknown filter '" + e->name + "'");
    if (e->kind == Expr::Kind::Test && !jinja::isKnownTest(e->name))
        jinja::throwTemplateError(source, e->pos, "unknown test '" + e->name + "'");
    for (const Expr* child : {e->a.get(), e->b.get(), e->c.get(), e->d.get()}) checkNames(source, child);
    for (const auto& item : e->items) checkNames(source, item.get());
    for (const auto& kw : e->keywords) checkNames(source, kw.second.get());
}

void checkNames(const std::string& source, const jinja::StmtList& block) {
    for (const auto& s : block) {
        checkNames(source, s->expr.get());
        checkNames(source, s->object.get());
        checkNames(source, s->cond.get());
        for (const auto& p : s->params) checkNames(source, p.defaultValue.get());
        checkNames(source, s->body);
        checkNames(source, s->orelse);
    }
}

std::tm localNow() {
    const std::time_t now = std::time(nullptr);
    std::tm t{};
#ifdef _WIN32
    localtime_s(&t, &now);
#else
    localtime_r(&now, &t);
#endif
    return t;
}

} // namespace

CompiledChatTemplate::CompiledChatTemplate(const std::string& templateText, ChatTemplateLimits limits)
    : m_source(templateText), m_limits(limits), m_clock(localNow) {
    jinja::JinjaLexer lexer(m_source);
    jinja::JinjaParser parser(m_source, lexer.tokenize(), m_limits.maxDepth);
    auto program = std::make_shared<jinja::StmtList>(parser.parse());
    checkNames(m_source, *program);
    m_program = std::move(program);
}

CompiledChatTemplate::~CompiledChatTemplate() = default;
CompiledChatTemplate::CompiledChatTemplate(CompiledChatTemplate&&) noexcept = default;
CompiledChatTemplate& CompiledChatTemplate::operator=(CompiledChatTemplate&&) noexcept = default;

std::string CompiledChatTemplate::render(const ChatRenderInput& input) const {
    using jinja::Value;
    std::vector<std::pair<std::string, Value>> context;
    context.emplace_back("messages", Value::fromJson(input.messages));
    if (!input.tools.is_null()) context.emplace_back("tools", Value::fromJson(input.tools));
    context.emplace_back("add_generation_prompt", Value::boolean(input.addGenerationPrompt));
    for (const auto& [name, token] : input.specialTokens) context.emplace_back(name, Value::string(token));
    if (!input.extra.is_null() && !input.extra.is_object())
        throw Error("chat template", "ChatRenderInput::extra must be a JSON object, got " + std::string(input.extra.type_name()));
    if (input.extra.is_object())
        for (auto it = input.extra.begin(); it != input.extra.end(); ++it) context.emplace_back(it.key(), Value::fromJson(it.value()));
    jinja::RenderLimits limits;
    limits.maxDepth = m_limits.maxDepth;
    limits.maxOutputBytes = m_limits.maxOutputBytes;
    limits.maxLoopIterations = m_limits.maxLoopIterations;
    jinja::JinjaInterpreter interpreter(m_source, limits, m_clock);
    try {
        return interpreter.render(*m_program, context);
    } catch (const jinja::BuiltinFailure& f) { // every built-in call site converts these; a safety net
        throw Error("chat template", f.what);
    } catch (const jinja::TemplateRaise& r) {
        throw Error("chat template", "the template raised an error: " + r.message);
    }
}

std::string renderChatTemplate(const std::string& templateText, const ChatRenderInput& input) {
    return CompiledChatTemplate(templateText).render(input);
}

} // namespace lorastudio

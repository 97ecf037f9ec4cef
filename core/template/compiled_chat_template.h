// A Hugging Face chat template (tokenizer_config.json's Jinja `chat_template`) parsed once and rendered
// natively, as transformers' apply_chat_template does (trim_blocks, lstrip_blocks); byte-identical to
// @huggingface/jinja on real templates, Python's Jinja where they differ (tests/fixtures/jinja).
#pragma once
#include <nlohmann/json.hpp>

#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace lorastudio {

namespace jinja {
struct Stmt;
}

// Bounds against hostile templates; each error message names the limit it hit.
struct ChatTemplateLimits {
    size_t maxDepth = 64;                 // nesting of blocks / expressions, and of macro calls
    size_t maxOutputBytes = 8u << 20;     // the rendering, and any string built on the way
    size_t maxLoopIterations = 1000000;   // all loop iterations (and range() items) of one rendering
};

// What a template is rendered with. Messages and tools are JSON as the OpenAI / transformers
// conversation format has them ({"role": ..., "content": ...}, tool_calls, tool results).
// ordered_json keeps the key order of tool schemas (tojson prints them in that order); a plain
// nlohmann::json converts implicitly.
struct ChatRenderInput {
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    // null: `tools` is undefined in the template, as transformers.js renders it (Python's
    // transformers passes None: put "tools": null in `extra` for that; templates read both alike).
    nlohmann::ordered_json tools;
    bool addGenerationPrompt = false;
    // Template variables such as "bos_token" -> "<s>", "eos_token" -> "</s>" (pad_token, unk_token...).
    std::map<std::string, std::string> specialTokens;
    // Any further variables, e.g. {"enable_thinking": false}; a JSON object.
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();
};

class CompiledChatTemplate {
public:
    // Parses the template; throws lorastudio::Error naming the line and column of a syntax error,
    // an unknown filter or test, or an unsupported construct (include, import, call blocks, ...).
    explicit CompiledChatTemplate(const std::string& templateText, ChatTemplateLimits limits = {});
    ~CompiledChatTemplate();
    CompiledChatTemplate(CompiledChatTemplate&&) noexcept;
    CompiledChatTemplate& operator=(CompiledChatTemplate&&) noexcept;

    // Renders one conversation; const and safe to call from several threads at once. Throws lorastudio::Error for a runtime failure (with the template's
    // line and column), for raise_exception(...) in the template (with its message) and for a limit.
    std::string render(const ChatRenderInput& input) const;

    // strftime_now's clock (tests fix it); default: local time now.
    void setClock(std::function<std::tm()> clock) { m_clock = std::move(clock); }
    const std::string& source() const { return m_source; }

private:
    std::string m_source;
    ChatTemplateLimits m_limits;
    std::function<std::tm()> m_clock;
    std::shared_ptr<const std::vector<std::unique_ptr<jinja::Stmt>>> m_program;
};

// Parses and renders once.
std::string renderChatTemplate(const std::string& templateText, const ChatRenderInput& input);

} // namespace lorastudio

// The model's own chat template (tokenizer_config.json's Jinja `chat_template`) applied to records:
// rendered natively by core/template with the tokenizer's special tokens as variables, the trained
// pieces found by deriveCompletionMask, and never a second BOS where the template writes bos_token.
#pragma once
#include "data/chat_template.h"
#include "data/data_record.h"
#include "template/compiled_chat_template.h"
#include "tokenizer/tokenizer.h"

#include <map>
#include <string>
#include <vector>

namespace lorastudio {

// The tokenizer's special tokens as a chat template sees them: bos_token, eos_token, unk_token and
// pad_token -> their text, for those it has.
std::map<std::string, std::string> templateSpecialTokens(const Tokenizer& tokenizer);

class ModelChatTemplate {
public:
    // Compiles tokenizer.chatTemplate(). Throws Error naming the construct and its line and column
    // (or saying that the tokenizer has none), with a hint to choose a built-in template.
    explicit ModelChatTemplate(const Tokenizer& tokenizer);

    struct Rendering {
        std::vector<TextSegment> segments; // text only (EOS is whatever the template writes)
        std::vector<std::string> maskWarnings; // deriveCompletionMask's fallback, one per turn it located
    };
    // The conversation rendered with add_generation_prompt false. completionOnly: the assistant turns
    // (with what the template writes around them, as deriveCompletionMask finds it) trained, the
    // rest not; else everything trained. A leading bos_token is left out when the tokenizer puts
    // the same BOS in front itself (ExampleEncoder does), so that there is exactly one.
    // Throws Error when the template fails on these messages (its raise_exception, a missing key).
    // tools: the record's tool definitions (DataRecord::tools), passed as `tools`; "" leaves it undefined.
    Rendering render(const std::vector<ChatMessage>& messages, bool completionOnly, const std::string& tools = {}) const;
    // What the model sees before its answer: the rendering with add_generation_prompt true, the
    // leading BOS left out as above (Tokenizer::encode(prompt, true) puts it back).
    std::string generationPrompt(const std::vector<ChatMessage>& messages) const;

    const std::string& source() const { return m_template.source(); }
    // The built-in template to suggest when this one fails ("chatml" when none is recognised).
    std::string fallbackName() const;

private:
    ChatRenderInput input(const std::vector<ChatMessage>& messages, bool generationPrompt, const std::string& tools = {}) const;
    std::string withoutLeadingBos(const std::string& text) const;

    CompiledChatTemplate m_template;
    std::map<std::string, std::string> m_specialTokens; // bos_token, eos_token, ... as the template sees them
    std::string m_prefixText; // the tokenizer's own prefix as text (e.g. "<s>"); empty when it adds none
};

} // namespace lorastudio

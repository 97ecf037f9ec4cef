// See model_chat_template.h. Variables as transformers' apply_chat_template passes them: messages,
// add_generation_prompt and the special tokens the tokenizer has (bos/eos/unk/pad_token).
#include "data/model_chat_template.h"

#include "common/error.h"
#include "template/completion_mask.h"

namespace lorastudio {

namespace {

const char* const kWhere = "the model's chat_template";

std::string builtInHint(const std::string& name) {
    return "set data.template to " + name + " (a built-in template) to train without the model's own";
}

CompiledChatTemplate compile(const Tokenizer& tokenizer) {
    if (tokenizer.chatTemplate().empty())
        throw Error(kWhere, "data.template is model, but the tokenizer has no chat_template",
                    "add chat_template to tokenizer_config.json, or " + builtInHint("chatml"));
    try {
        return CompiledChatTemplate(tokenizer.chatTemplate());
    } catch (const Error& e) {
        const auto detected = detectChatTemplate(tokenizer.chatTemplate());
        throw Error(kWhere, std::string("cannot be used: ") + e.what(),
                    builtInHint(detected ? enumName(*detected) : "chatml"));
    }
}

// The token's text when the tokenizer has it (e.g. "<s>"), for the template's variables.
void addToken(std::map<std::string, std::string>& out, const char* name, const Tokenizer& tok, std::optional<int32_t> id) {
    if (!id) return;
    const std::string text = tok.idToToken(*id);
    if (!text.empty()) out[name] = text;
}

} // namespace

std::map<std::string, std::string> templateSpecialTokens(const Tokenizer& tokenizer) {
    std::map<std::string, std::string> out;
    addToken(out, "bos_token", tokenizer, tokenizer.bosId());
    addToken(out, "eos_token", tokenizer, tokenizer.eosId());
    addToken(out, "unk_token", tokenizer, tokenizer.unkId());
    addToken(out, "pad_token", tokenizer, tokenizer.padId());
    return out;
}

ModelChatTemplate::ModelChatTemplate(const Tokenizer& tokenizer)
    : m_template(compile(tokenizer)), m_specialTokens(templateSpecialTokens(tokenizer)) {
    for (int32_t id : tokenizer.specialPrefix()) m_prefixText += tokenizer.idToToken(id);
}

std::string ModelChatTemplate::fallbackName() const {
    const auto detected = detectChatTemplate(source());
    return detected ? enumName(*detected) : "chatml";
}

ChatRenderInput ModelChatTemplate::input(const std::vector<ChatMessage>& messages, bool generationPrompt,
                                         const std::string& tools) const {
    ChatRenderInput in;
    for (const ChatMessage& m : messages) {
        // role and content first, then the record's other keys (tool_calls, name, ...) in its order;
        // a content the record gave as null stays null, one it did not give stays undefined.
        nlohmann::ordered_json message{{"role", chatRoleName(m.role)}};
        if (!m.contentAbsent) message["content"] = m.content;
        if (!m.fields.empty()) {
            const auto fields = nlohmann::ordered_json::parse(m.fields);
            for (const auto& [key, value] : fields.items()) message[key] = value;
        }
        in.messages.push_back(std::move(message));
    }
    if (!tools.empty()) in.tools = nlohmann::ordered_json::parse(tools);
    in.addGenerationPrompt = generationPrompt;
    in.specialTokens = m_specialTokens;
    return in;
}

// The tokenizer's prefix (its BOS) is put in front by the encoder, so a template that writes
// bos_token itself (Llama, Mistral, Gemma) must not add a second one: transformers users hit this
// when they tokenize apply_chat_template's text with add_special_tokens=True.
std::string ModelChatTemplate::withoutLeadingBos(const std::string& text) const {
    if (!m_prefixText.empty() && text.compare(0, m_prefixText.size(), m_prefixText) == 0) return text.substr(m_prefixText.size());
    return text;
}

ModelChatTemplate::Rendering ModelChatTemplate::render(const std::vector<ChatMessage>& messages, bool completionOnly,
                                                         const std::string& tools) const {
    Rendering out;
    std::vector<TemplatePiece> pieces;
    try {
        if (completionOnly) {
            size_t firstTrained = 0;  // after the last context turn (a preference pair's shared start)
            for (size_t i = 0; i < messages.size(); ++i)
                if (messages[i].context) firstTrained = i + 1;
            CompletionMask mask =
                deriveCompletionMask(m_template, input(messages, false, tools), MaskFallback::Approximate, firstTrained);
            pieces = std::move(mask.pieces);
            out.maskWarnings = std::move(mask.warnings);
        } else {
            pieces.push_back(TemplatePiece{m_template.render(input(messages, false, tools)), true});
        }
    } catch (const Error& e) {
        throw Error(kWhere, e.what(), "the model's template refuses this conversation; fix the record, or " + builtInHint(fallbackName()));
    }
    bool first = true;
    for (TemplatePiece& p : pieces) {
        std::string text = first ? withoutLeadingBos(p.text) : std::move(p.text);
        first = false;
        if (text.empty()) continue;
        if (!out.segments.empty() && out.segments.back().trained == p.trained) out.segments.back().text += text;
        else out.segments.push_back(TextSegment{TextSegment::Kind::Text, std::move(text), p.trained});
    }
    return out;
}

std::string ModelChatTemplate::generationPrompt(const std::vector<ChatMessage>& messages) const {
    try {
        return withoutLeadingBos(m_template.render(input(messages, true)));
    } catch (const Error& e) {
        throw Error(kWhere, e.what(), builtInHint(fallbackName()));
    }
}

} // namespace lorastudio

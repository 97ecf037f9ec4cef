// See chat_template.h. The templates follow their public definitions (sources beside each one);
// only the split into trained / untrained pieces is ours.
#include "data/chat_template.h"

#include "common/error.h"
#include "data/model_chat_template.h"
#include "template/compiled_chat_template.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lorastudio {

namespace {

// The Alpaca prompt: wording of PROMPT_DICT in tatsu-lab/stanford_alpaca train.py; like
// tloen/alpaca-lora templates/alpaca.json we end it with "### Response:\n", so that the answer
// starts on its own line (stanford_alpaca glues it to the colon, which byte-level BPE keeps).
const char* const kAlpacaPreambleInput =
    "Below is an instruction that describes a task, paired with an input that provides further context. "
    "Write a response that appropriately completes the request.";
const char* const kAlpacaPreambleNoInput =
    "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Python's str.strip() / Jinja's |trim for ASCII whitespace.
std::string trim(const std::string& s) {
    const char* ws = " \t\r\n\f\v";
    auto b = s.find_first_not_of(ws);
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

// Collects segments, merging adjacent text with the same flag.
class SegmentList {
public:
    explicit SegmentList(bool completionOnly) : m_completionOnly(completionOnly) {}
    void prompt(const std::string& text) { add(TextSegment::Kind::Text, text, false); }
    void completion(const std::string& text) { add(TextSegment::Kind::Text, text, true); }
    // An assistant turn's part: trained unless the turn is context.
    void answer(const ChatMessage& m, const std::string& text) { add(TextSegment::Kind::Text, text, !m.context); }
    void eos() { add(TextSegment::Kind::Eos, {}, true); }
    void eos(const ChatMessage& m) { add(TextSegment::Kind::Eos, {}, !m.context); }
    std::vector<TextSegment> take() { return std::move(m_segments); }

private:
    void add(TextSegment::Kind kind, const std::string& text, bool trained) {
        if (!m_completionOnly) trained = true;
        if (kind == TextSegment::Kind::Text && text.empty()) return;
        if (kind == TextSegment::Kind::Text && !m_segments.empty() && m_segments.back().kind == kind &&
            m_segments.back().trained == trained) {
            m_segments.back().text += text;
            return;
        }
        m_segments.push_back(TextSegment{kind, text, trained});
    }
    bool m_completionOnly;
    std::vector<TextSegment> m_segments;
};

// An assistant turn's text for a built-in template: its content and, for a turn that calls tools,
// each call's function object ({"name": ..., "arguments": ...}) as JSON, one per line (the built-in
// templates have no tool-call syntax of their own; the model's template writes its own).
std::string assistantText(const ChatMessage& m) {
    if (!m.toolCalls) return m.content;
    std::string text = m.content;
    const auto fields = nlohmann::ordered_json::parse(m.fields);
    for (const auto& call : fields.at("tool_calls"))
        text += (text.empty() ? "" : "\n") + call.at("function").dump();
    return text;
}

// ChatML (OpenAI's ChatML notes; Qwen's chat_template: '<|im_start|>' + role + '\n' + content +
// '<|im_end|>' + '\n'). Trained: the assistant content and its <|im_end|>; the "\n" after is not.
void renderChatML(const std::vector<ChatMessage>& messages, const RenderOptions& o, SegmentList& out) {
    for (const auto& m : messages) {
        out.prompt("<|im_start|>" + std::string(chatRoleName(m.role)) + "\n");
        if (m.role == ChatRole::Assistant) {
            out.answer(m, assistantText(m) + "<|im_end|>");
            if (o.eosAfterEndMarker) out.eos(m);
            out.prompt("\n");
        } else {
            out.prompt(m.content + "<|im_end|>\n");
        }
    }
}

// Llama 3 (chat_template of meta-llama/Meta-Llama-3-8B-Instruct): bos_token, then per message
// '<|start_header_id|>' + role + '<|end_header_id|>\n\n' + content|trim + '<|eot_id|>'.
// BOS comes from the tokenizer's prefix. Trained: the assistant content and its <|eot_id|>.
void renderLlama3(const std::vector<ChatMessage>& messages, const RenderOptions& o, SegmentList& out) {
    for (const auto& m : messages) {
        out.prompt("<|start_header_id|>" + std::string(chatRoleName(m.role)) + "<|end_header_id|>\n\n");
        if (m.role == ChatRole::Assistant) {
            out.answer(m, trim(assistantText(m)) + "<|eot_id|>");
            if (o.eosAfterEndMarker) out.eos(m);
        } else {
            out.prompt(trim(m.content) + "<|eot_id|>");
        }
    }
}

// Mistral (chat_template of mistralai/Mistral-7B-Instruct-v0.2): bos_token, then user
// '[INST] ' + content + ' [/INST]', assistant content + eos_token. That template has no system
// role; like Mistral's later templates we put a system message in front of the next user
// message, separated by "\n\n". Trained: the assistant content and its EOS.
void renderMistral(const std::vector<ChatMessage>& messages, SegmentList& out) {
    std::string pendingSystem;
    for (const auto& m : messages) {
        if (m.role == ChatRole::System) {
            pendingSystem += (pendingSystem.empty() ? "" : "\n\n") + m.content;
        } else if (m.role == ChatRole::User || m.role == ChatRole::Tool) {
            std::string content = pendingSystem.empty() ? m.content : pendingSystem + "\n\n" + m.content;
            pendingSystem.clear();
            out.prompt("[INST] " + content + " [/INST]");
        } else {
            if (!pendingSystem.empty()) out.prompt("[INST] " + pendingSystem + " [/INST]");
            pendingSystem.clear();
            out.answer(m, assistantText(m));
            out.eos(m);
        }
    }
}

// Plain (ours, for base models without a chat format): a system message as its own paragraph,
// "User: <content>\n", "Tool: <content>\n", "Assistant: " + content + EOS + "\n". Trained: the
// content and its EOS.
void renderPlain(const std::vector<ChatMessage>& messages, SegmentList& out) {
    for (const auto& m : messages) {
        if (m.role == ChatRole::System) {
            out.prompt(m.content + "\n\n");
        } else if (m.role == ChatRole::User) {
            out.prompt("User: " + m.content + "\n");
        } else if (m.role == ChatRole::Tool) {
            out.prompt("Tool: " + m.content + "\n");
        } else {
            out.prompt("Assistant: ");
            out.answer(m, assistantText(m));
            out.eos(m);
            out.prompt("\n");
        }
    }
}

// Alpaca for conversations: a leading system message replaces the preamble; each user turn is an
// "### Instruction:", a tool's result an "### Input:" and each assistant turn a "### Response:". A
// single user/assistant pair renders exactly like an Alpaca record without input.
void renderAlpacaChat(const std::vector<ChatMessage>& messages, SegmentList& out) {
    std::size_t first = 0;
    if (!messages.empty() && messages[0].role == ChatRole::System) {
        out.prompt(messages[0].content + "\n\n");
        first = 1;
    } else {
        out.prompt(std::string(kAlpacaPreambleNoInput) + "\n\n");
    }
    for (std::size_t i = first; i < messages.size(); ++i) {
        const auto& m = messages[i];
        if (m.role == ChatRole::System) {
            out.prompt(m.content + "\n\n");
        } else if (m.role == ChatRole::User) {
            out.prompt("### Instruction:\n" + m.content + "\n\n### Response:\n");
        } else if (m.role == ChatRole::Tool) {
            out.prompt("### Input:\n" + m.content + "\n\n### Response:\n");
        } else {
            out.answer(m, assistantText(m));
            out.eos(m);
            out.prompt("\n\n");
        }
    }
}

// A system message (the record's or data.system_prompt) takes the preamble's place.
void renderAlpacaRecord(const DataRecord& r, const std::string& system, SegmentList& out) {
    if (isBlank(r.input)) {
        out.prompt((isBlank(system) ? std::string(kAlpacaPreambleNoInput) : system) + "\n\n### Instruction:\n" +
                   r.instruction + "\n\n### Response:\n");
    } else {
        out.prompt((isBlank(system) ? std::string(kAlpacaPreambleInput) : system) + "\n\n### Instruction:\n" +
                   r.instruction + "\n\n### Input:\n" + r.input + "\n\n### Response:\n");
    }
    out.completion(r.output);
    out.eos();
}

void renderChat(const std::vector<ChatMessage>& messages, const RenderOptions& o, SegmentList& out) {
    switch (o.chatTemplate) {
    case ChatTemplate::ChatML: renderChatML(messages, o, out); break;
    case ChatTemplate::Llama3: renderLlama3(messages, o, out); break;
    case ChatTemplate::Mistral: renderMistral(messages, out); break;
    case ChatTemplate::Plain: renderPlain(messages, out); break;
    case ChatTemplate::Alpaca:
    case ChatTemplate::Auto:
    case ChatTemplate::Model: renderAlpacaChat(messages, out); break; // Model: renderConversation's
    }
}

std::string systemOf(const DataRecord& r, const std::string& systemPrompt) { return isBlank(r.system) ? systemPrompt : r.system; }

// The record as a conversation: an Alpaca record becomes one user turn (instruction, plus "\n\n"
// and the input when there is one) and one assistant turn; the system message comes first.
std::vector<ChatMessage> asConversation(const DataRecord& r, const std::string& systemPrompt) {
    std::vector<ChatMessage> messages;
    if (r.format == DataFormat::Alpaca) {
        const std::string system = systemOf(r, systemPrompt);
        if (!isBlank(system)) messages.push_back({ChatRole::System, system});
        messages.push_back({ChatRole::User, isBlank(r.input) ? r.instruction : r.instruction + "\n\n" + r.input});
        messages.push_back({ChatRole::Assistant, r.output});
        return messages;
    }
    const bool hasSystem = std::any_of(r.messages.begin(), r.messages.end(),
                                       [](const ChatMessage& m) { return m.role == ChatRole::System; });
    if (!hasSystem && !isBlank(systemPrompt)) messages.push_back({ChatRole::System, systemPrompt});
    messages.insert(messages.end(), r.messages.begin(), r.messages.end());
    return messages;
}

// tools: the record's tool definitions; only the model's template writes them (built-in templates
// write a tool call as its JSON, Dataset warns that the definitions are left out).
std::vector<TextSegment> renderConversation(const std::vector<ChatMessage>& messages, const std::string& tools,
                                            const RenderOptions& o, std::vector<std::string>* maskWarnings) {
    if (o.chatTemplate == ChatTemplate::Model) {
        if (!o.modelTemplate) throw Error("renderRecord", "the model's chat template was not compiled");
        ModelChatTemplate::Rendering r = o.modelTemplate->render(messages, o.completionOnly, tools);
        if (maskWarnings) maskWarnings->insert(maskWarnings->end(), r.maskWarnings.begin(), r.maskWarnings.end());
        return std::move(r.segments);
    }
    SegmentList out(o.completionOnly);
    renderChat(messages, o, out);
    return out.take();
}

} // namespace

std::vector<TextSegment> renderRecord(const DataRecord& record, const RenderOptions& options,
                                      std::vector<std::string>* maskWarnings) {
    SegmentList out(options.completionOnly);
    switch (record.format) {
    case DataFormat::Alpaca:
        if (options.chatTemplate == ChatTemplate::Alpaca || options.chatTemplate == ChatTemplate::Auto) {
            renderAlpacaRecord(record, systemOf(record, options.systemPrompt), out);
            break;
        }
        return renderConversation(asConversation(record, options.systemPrompt), record.tools, options, maskWarnings);
    case DataFormat::Chat:
    case DataFormat::ShareGpt:
        return renderConversation(asConversation(record, options.systemPrompt), record.tools, options, maskWarnings);
    case DataFormat::Text:
    case DataFormat::Auto:
        out.prompt(record.prompt);
        out.completion(record.text);
        out.eos();
        break;
    }
    return out.take();
}

std::string joinSegments(const std::vector<TextSegment>& segments, const std::string& eosText, bool trainedOnly) {
    std::string s;
    for (const auto& seg : segments) {
        if (trainedOnly && !seg.trained) continue;
        s += seg.kind == TextSegment::Kind::Eos ? eosText : seg.text;
    }
    return s;
}

std::string generationPrompt(const std::string& instruction, ChatTemplate chatTemplate) {
    RenderOptions options;
    options.chatTemplate = chatTemplate;
    return generationPrompt(instruction, options);
}

std::string generationPrompt(const std::string& instruction, const RenderOptions& options) {
    DataRecord record;
    record.format = DataFormat::Alpaca;
    record.instruction = instruction;
    record.output = "-";  // a stand-in answer: only what comes before it is kept
    if (options.chatTemplate == ChatTemplate::Model) {
        if (!options.modelTemplate) throw Error("generationPrompt", "the model's chat template was not compiled");
        std::vector<ChatMessage> messages = asConversation(record, options.systemPrompt);
        messages.pop_back(); // the answer is the model's to write
        return options.modelTemplate->generationPrompt(messages);
    }
    RenderOptions o = options;
    o.completionOnly = true;
    std::string prompt;
    for (const TextSegment& segment : renderRecord(record, o)) {
        if (segment.trained) break;
        if (segment.kind == TextSegment::Kind::Text) prompt += segment.text;
    }
    return prompt;
}

std::string generationPrompt(const std::string& instruction, const DataSettings& data, const Tokenizer& tokenizer) {
    const DataFormat format = isConversation(data.format) ? DataFormat::Chat : DataFormat::Alpaca;
    std::vector<std::string> ignored;
    RenderOptions options;
    options.chatTemplate = resolveChatTemplate(data.chatTemplate, format, tokenizer.chatTemplate(), ignored);
    options.systemPrompt = data.systemPrompt;
    if (options.chatTemplate == ChatTemplate::Model) options.modelTemplate = std::make_shared<ModelChatTemplate>(tokenizer);
    return generationPrompt(instruction, options);
}

std::optional<ChatTemplate> detectChatTemplate(const std::string& jinja, bool* approximate) {
    if (approximate) *approximate = false;
    if (jinja.find("<|im_start|>") != std::string::npos) return ChatTemplate::ChatML;
    if (jinja.find("<|start_header_id|>") != std::string::npos) return ChatTemplate::Llama3;
    if (jinja.find("[INST]") != std::string::npos) {
        if (approximate) *approximate = jinja.find("<<SYS>>") != std::string::npos;
        return ChatTemplate::Mistral;
    }
    return std::nullopt;
}

bool isConversation(DataFormat format) {
    return format == DataFormat::Chat || format == DataFormat::ShareGpt || format == DataFormat::Preference;
}

ChatTemplate resolveChatTemplate(ChatTemplate requested, DataFormat format, const std::string& tokenizerTemplate,
                                 std::vector<std::string>& warnings) {
    if (format == DataFormat::Text) return requested == ChatTemplate::Auto ? ChatTemplate::Alpaca : requested;
    if (requested == ChatTemplate::Model) {
        if (tokenizerTemplate.empty())
            throw Error("data.template", "is model, but the tokenizer has no chat_template",
                        "choose a built-in template such as chatml, or add chat_template to tokenizer_config.json");
        return requested;
    }
    bool approximate = false;
    std::optional<ChatTemplate> detected;
    if (!tokenizerTemplate.empty()) detected = detectChatTemplate(tokenizerTemplate, &approximate);
    if (requested != ChatTemplate::Auto) {
        if (detected && *detected != requested && requested != ChatTemplate::Plain && requested != ChatTemplate::Alpaca)
            warnings.push_back("data.template is " + enumName(requested) + ", but the model's chat_template looks like " +
                               enumName(*detected) + " (hint: use template: auto or model to follow the model)");
        return requested;
    }
    const ChatTemplate fallback = isConversation(format) ? ChatTemplate::ChatML : ChatTemplate::Alpaca;
    if (!tokenizerTemplate.empty()) {
        try {
            CompiledChatTemplate compiled(tokenizerTemplate); // Auto follows the model whenever its template works
            return ChatTemplate::Model;
        } catch (const Error& e) {
            const ChatTemplate instead = detected ? *detected : fallback;
            warnings.push_back(std::string("the model's chat_template cannot be used (") + e.what() + "); rendering with " +
                               enumName(instead) + " instead (hint: set data.template to silence this)");
        }
    }
    if (detected) {
        if (approximate)
            warnings.push_back("the model's chat_template looks like Llama 2 ([INST] with <<SYS>>); rendering with "
                               "the Mistral [INST] template (hint: set data.template to silence this)");
        return *detected;
    }
    if (tokenizerTemplate.empty() && isConversation(format))
        warnings.push_back("the tokenizer has no chat_template; chat records are rendered with chatml "
                           "(hint: set data.template explicitly)");
    return fallback;
}

} // namespace lorastudio

// See chat_template.h. The templates follow their public definitions (sources beside each one);
// only the split into trained / untrained pieces is ours.
#include "data/chat_template.h"

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
    void eos() { add(TextSegment::Kind::Eos, {}, true); }
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

// ChatML (OpenAI's ChatML notes; Qwen's chat_template: '<|im_start|>' + role + '\n' + content +
// '<|im_end|>' + '\n'). Trained: the assistant content and its <|im_end|>; the "\n" after is not.
void renderChatML(const std::vector<ChatMessage>& messages, const RenderOptions& o, SegmentList& out) {
    for (const auto& m : messages) {
        out.prompt("<|im_start|>" + std::string(chatRoleName(m.role)) + "\n");
        if (m.role == ChatRole::Assistant) {
            out.completion(m.content + "<|im_end|>");
            if (o.eosAfterEndMarker) out.eos();
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
            out.completion(trim(m.content) + "<|eot_id|>");
            if (o.eosAfterEndMarker) out.eos();
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
        } else if (m.role == ChatRole::User) {
            std::string content = pendingSystem.empty() ? m.content : pendingSystem + "\n\n" + m.content;
            pendingSystem.clear();
            out.prompt("[INST] " + content + " [/INST]");
        } else {
            if (!pendingSystem.empty()) out.prompt("[INST] " + pendingSystem + " [/INST]");
            pendingSystem.clear();
            out.completion(m.content);
            out.eos();
        }
    }
}

// Plain (ours, for base models without a chat format): a system message as its own paragraph,
// "User: <content>\n", "Assistant: " + content + EOS + "\n". Trained: the content and its EOS.
void renderPlain(const std::vector<ChatMessage>& messages, SegmentList& out) {
    for (const auto& m : messages) {
        if (m.role == ChatRole::System) {
            out.prompt(m.content + "\n\n");
        } else if (m.role == ChatRole::User) {
            out.prompt("User: " + m.content + "\n");
        } else {
            out.prompt("Assistant: ");
            out.completion(m.content);
            out.eos();
            out.prompt("\n");
        }
    }
}

// Alpaca for conversations: a leading system message replaces the preamble; each user turn is an
// "### Instruction:" and each assistant turn a "### Response:". A single user/assistant pair
// renders exactly like an Alpaca record without input.
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
        } else {
            out.completion(m.content);
            out.eos();
            out.prompt("\n\n");
        }
    }
}

void renderAlpacaRecord(const DataRecord& r, SegmentList& out) {
    if (isBlank(r.input)) {
        out.prompt(std::string(kAlpacaPreambleNoInput) + "\n\n### Instruction:\n" + r.instruction +
                   "\n\n### Response:\n");
    } else {
        out.prompt(std::string(kAlpacaPreambleInput) + "\n\n### Instruction:\n" + r.instruction + "\n\n### Input:\n" +
                   r.input + "\n\n### Response:\n");
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
    case ChatTemplate::Auto: renderAlpacaChat(messages, out); break;
    }
}

} // namespace

std::vector<TextSegment> renderRecord(const DataRecord& record, const RenderOptions& options) {
    SegmentList out(options.completionOnly);
    switch (record.format) {
    case DataFormat::Alpaca:
        if (options.chatTemplate == ChatTemplate::Alpaca || options.chatTemplate == ChatTemplate::Auto) {
            renderAlpacaRecord(record, out);
        } else {
            std::string user = isBlank(record.input) ? record.instruction : record.instruction + "\n\n" + record.input;
            renderChat({{ChatRole::User, user}, {ChatRole::Assistant, record.output}}, options, out);
        }
        break;
    case DataFormat::Chat: renderChat(record.messages, options, out); break;
    case DataFormat::Text:
    case DataFormat::Auto:
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
    DataRecord record;
    record.format = DataFormat::Alpaca;
    record.instruction = instruction;
    record.output = "-";  // a stand-in answer: only what comes before it is kept
    RenderOptions options;
    options.chatTemplate = chatTemplate;
    std::string prompt;
    for (const TextSegment& segment : renderRecord(record, options)) {
        if (segment.trained) break;
        if (segment.kind == TextSegment::Kind::Text) prompt += segment.text;
    }
    return prompt;
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

ChatTemplate resolveChatTemplate(ChatTemplate requested, DataFormat format, const std::string& tokenizerTemplate,
                                 std::vector<std::string>& warnings) {
    if (format == DataFormat::Text) return requested == ChatTemplate::Auto ? ChatTemplate::Alpaca : requested;
    bool approximate = false;
    std::optional<ChatTemplate> detected;
    if (!tokenizerTemplate.empty()) detected = detectChatTemplate(tokenizerTemplate, &approximate);
    if (requested != ChatTemplate::Auto) {
        if (detected && *detected != requested && requested != ChatTemplate::Plain && requested != ChatTemplate::Alpaca)
            warnings.push_back("data.template is " + enumName(requested) + ", but the model's chat_template looks like " +
                               enumName(*detected) + " (hint: use template: auto to follow the model)");
        return requested;
    }
    const ChatTemplate fallback = format == DataFormat::Chat ? ChatTemplate::ChatML : ChatTemplate::Alpaca;
    if (detected) {
        if (approximate)
            warnings.push_back("the model's chat_template looks like Llama 2 ([INST] with <<SYS>>); rendering with "
                               "the Mistral [INST] template (hint: set data.template to silence this)");
        return *detected;
    }
    if (!tokenizerTemplate.empty()) {
        warnings.push_back("the model's chat_template is not one of chatml, llama3 or mistral; rendering with " +
                           enumName(fallback) + " instead (hint: set data.template explicitly)");
    } else if (format == DataFormat::Chat) {
        warnings.push_back("the tokenizer has no chat_template; chat records are rendered with chatml "
                           "(hint: set data.template explicitly)");
    }
    return fallback;
}

} // namespace lorastudio

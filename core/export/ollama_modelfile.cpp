// Ollama Modelfiles. See ollama_modelfile.h. Each template below is written from our own
// renderings in data/chat_template.cpp, so that Ollama sends the model the text it was trained on.
#include "export/ollama_modelfile.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "template/compiled_chat_template.h"

#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace lorastudio {
namespace {

const char* const kAlpacaPreamble =
    "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string relativeTo(const std::string& path, const std::string& folder) {
    const fs::path p = fs::absolute(path).lexically_normal();
    const fs::path f = fs::absolute(folder).lexically_normal();
    if (p.parent_path() == f) return "./" + p.filename().string();
    return p.string();
}

} // namespace

OllamaTemplate ollamaTemplate(ChatTemplate t, const std::string& eos) {
    OllamaTemplate o;
    switch (t) {
    case ChatTemplate::ChatML:
        o.text = "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n";
        o.stops = {"<|im_end|>"};
        break;
    case ChatTemplate::Llama3:
        o.text = "{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>"
                 "{{- end }}<|start_header_id|>assistant<|end_header_id|>\n\n";
        o.stops = {"<|eot_id|>"};
        break;
    case ChatTemplate::Mistral:
        // A system message goes in front of the next user message, as our rendering does.
        o.text = "{{- $system := \"\" }}{{- range .Messages }}"
                 "{{- if eq .Role \"system\" }}{{ $system = .Content }}"
                 "{{- else if eq .Role \"user\" }}[INST] {{ if $system }}{{ $system }}\n\n{{ end }}{{ .Content }} [/INST]{{ $system = \"\" }}"
                 "{{- else }}{{ .Content }}" + eos + "{{- end }}{{- end }}";
        o.stops = {"[INST]"};
        break;
    case ChatTemplate::Plain:
        o.text = "{{- range .Messages }}{{ if eq .Role \"system\" }}{{ .Content }}\n\n"
                 "{{ else if eq .Role \"user\" }}User: {{ .Content }}\n"
                 "{{ else }}Assistant: {{ .Content }}" + eos + "\n{{ end }}{{ end }}Assistant: ";
        o.stops = {"\nUser:"};
        break;
    case ChatTemplate::Alpaca:
    case ChatTemplate::Auto:
    case ChatTemplate::Model: // callers pick a built-in for the model's own (gguf_job.cpp)
        o.text = std::string("{{- if and .Messages (ne (index .Messages 0).Role \"system\") }}") + kAlpacaPreamble + "\n\n{{ end }}"
                 "{{- range .Messages }}{{ if eq .Role \"system\" }}{{ .Content }}\n\n"
                 "{{ else if eq .Role \"user\" }}### Instruction:\n{{ .Content }}\n\n### Response:\n"
                 "{{ else }}{{ .Content }}" + eos + "\n\n{{ end }}{{ end }}";
        o.stops = {"### Instruction:"};
        break;
    }
    if (!eos.empty()) o.stops.push_back(eos);
    return o;
}

std::string renderModelChatFormat(ModelChatFormat format, const std::vector<ChatMessage>& messages) {
    std::string out, system;
    for (const ChatMessage& m : messages) {
        const std::string role = chatRoleName(m.role);
        switch (format) {
        case ModelChatFormat::Gemma:
            if (m.role == ChatRole::System) system = m.content;
            else if (m.role == ChatRole::User)
                out += "<start_of_turn>user\n" + (system.empty() ? "" : system + "\n\n") + m.content + "<end_of_turn>\n", system.clear();
            else out += "<start_of_turn>model\n" + m.content + "<end_of_turn>\n";
            break;
        case ModelChatFormat::Phi3:
            if ((m.role != ChatRole::System || !m.content.empty()) && m.role != ChatRole::Tool)
                out += "<|" + role + "|>\n" + m.content + "<|end|>\n";
            break;
        case ModelChatFormat::Phi3NoSystem:
            if (m.role == ChatRole::User || m.role == ChatRole::Assistant) out += "<|" + role + "|>\n" + m.content + "<|end|>\n";
            break;
        case ModelChatFormat::Phi4Mini:
            out += "<|" + role + "|>" + m.content + "<|end|>";
            break;
        }
    }
    switch (format) {
    case ModelChatFormat::Gemma: return out + "<start_of_turn>model\n";
    case ModelChatFormat::Phi3:
    case ModelChatFormat::Phi3NoSystem: return out + "<|assistant|>\n";
    case ModelChatFormat::Phi4Mini: return out + "<|assistant|>";
    }
    return out;
}

std::optional<ModelChatFormat> detectModelChatFormat(const std::string& jinja, const std::map<std::string, std::string>& specialTokens) {
    std::optional<CompiledChatTemplate> compiled;
    try {
        compiled.emplace(jinja);
    } catch (const Error&) {
        return std::nullopt;
    }
    const auto bos = specialTokens.find("bos_token");
    // The model's rendering; nullopt where its template refuses the conversation.
    auto theirs = [&](const std::vector<ChatMessage>& messages) -> std::optional<std::string> {
        ChatRenderInput in;
        for (const ChatMessage& m : messages) in.messages.push_back({{"role", chatRoleName(m.role)}, {"content", m.content}});
        in.addGenerationPrompt = true;
        in.specialTokens = specialTokens;
        try {
            std::string text = compiled->render(in);
            if (bos != specialTokens.end() && !bos->second.empty() && text.compare(0, bos->second.size(), bos->second) == 0)
                text.erase(0, bos->second.size());
            return text;
        } catch (const Error&) {
            return std::nullopt;
        }
    };
    const std::vector<ChatMessage> oneTurn{{ChatRole::User, "How many legs does a horse have?"}};
    std::vector<ChatMessage> twoExchanges = oneTurn;
    twoExchanges.push_back({ChatRole::Assistant, "Four."});
    twoExchanges.push_back({ChatRole::User, "And a duck?"});
    const std::vector<ChatMessage> withSystem{{ChatRole::System, "You answer briefly."}, {ChatRole::User, "Hi."}};
    const auto a = theirs(oneTurn), b = theirs(twoExchanges), c = theirs(withSystem);
    if (!a || !b) return std::nullopt;
    for (const ModelChatFormat f : {ModelChatFormat::Gemma, ModelChatFormat::Phi3, ModelChatFormat::Phi3NoSystem, ModelChatFormat::Phi4Mini})
        if (*a == renderModelChatFormat(f, oneTurn) && *b == renderModelChatFormat(f, twoExchanges) &&
            (!c || *c == renderModelChatFormat(f, withSystem)))
            return f;
    return std::nullopt;
}

const char* modelChatFormatName(ModelChatFormat format) {
    switch (format) {
    case ModelChatFormat::Gemma: return "gemma";
    case ModelChatFormat::Phi3: return "phi3";
    case ModelChatFormat::Phi3NoSystem: return "phi3-no-system";
    case ModelChatFormat::Phi4Mini: return "phi4-mini";
    }
    return "";
}

OllamaTemplate ollamaTemplate(ModelChatFormat format, const std::string& eos) {
    OllamaTemplate o;
    if (format == ModelChatFormat::Gemma) {
        o.text = "{{- $system := \"\" }}{{- range .Messages }}"
                 "{{- if eq .Role \"system\" }}{{ $system = .Content }}"
                 "{{- else if eq .Role \"user\" }}<start_of_turn>user\n{{ if $system }}{{ $system }}\n\n{{ end }}{{ $system = \"\" }}"
                 "{{ .Content }}<end_of_turn>\n"
                 "{{ else }}<start_of_turn>model\n{{ .Content }}<end_of_turn>\n{{ end }}{{- end }}<start_of_turn>model\n";
        o.stops = {"<end_of_turn>"};
    } else if (format == ModelChatFormat::Phi3NoSystem) {
        o.text = "{{- range .Messages }}{{ if eq .Role \"user\" }}<|user|>\n{{ .Content }}<|end|>\n"
                 "{{ else if eq .Role \"assistant\" }}<|assistant|>\n{{ .Content }}<|end|>\n{{ end }}{{ end }}<|assistant|>\n";
        o.stops = {"<|end|>"};
    } else if (format == ModelChatFormat::Phi4Mini) {
        o.text = "{{- range .Messages }}<|{{ .Role }}|>{{ .Content }}<|end|>{{ end }}<|assistant|>";
        o.stops = {"<|end|>"};
    } else {
        o.text = "{{- range .Messages }}{{ if and (eq .Role \"system\") .Content }}<|system|>\n{{ .Content }}<|end|>\n"
                 "{{ else if eq .Role \"user\" }}<|user|>\n{{ .Content }}<|end|>\n"
                 "{{ else if eq .Role \"assistant\" }}<|assistant|>\n{{ .Content }}<|end|>\n{{ end }}{{ end }}<|assistant|>\n";
        o.stops = {"<|end|>"};
    }
    if (!eos.empty() && eos != o.stops.front()) o.stops.push_back(eos);
    return o;
}

std::string ollamaModelfile(const ModelfileSpec& spec, const std::string& folder) {
    const OllamaTemplate t =
        spec.modelFormat ? ollamaTemplate(*spec.modelFormat, spec.eosText) : ollamaTemplate(spec.chatTemplate, spec.eosText);
    std::string out = "# Ollama Modelfile written by LoRA Studio. Create the model with:\n"
                      "#   ollama create NAME -f Modelfile\n";
    out += "FROM " + relativeTo(spec.from, folder) + "\n";
    if (!spec.adapter.empty()) out += "ADAPTER " + relativeTo(spec.adapter, folder) + "\n";
    out += "TEMPLATE \"\"\"" + t.text + "\"\"\"\n";
    for (const auto& s : t.stops) out += "PARAMETER stop " + quoted(s) + "\n";
    return out;
}

std::string writeOllamaModelfile(const ModelfileSpec& spec, const std::string& folder) {
    const std::string path = (fs::path(folder) / "Modelfile").string();
    writeFileAtomic(path, ollamaModelfile(spec, folder));
    return path;
}

} // namespace lorastudio

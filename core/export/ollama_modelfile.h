// An Ollama Modelfile beside a GGUF export: FROM the model, ADAPTER for a GGUF LoRA, the TEMPLATE
// (Go text/template over .Messages) that renders a conversation as the trained chat template did,
// and its stop strings. Paths are written relative to the Modelfile when beside it.
#pragma once
#include "project/project_config.h"

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

struct OllamaTemplate {
    std::string text;                 // the TEMPLATE body
    std::vector<std::string> stops;   // PARAMETER stop values
};

// The Ollama form of one of our chat templates (never Auto). eosText: the tokenizer's EOS token
// text ("<|endoftext|>", "</s>"), written where the template puts EOS.
OllamaTemplate ollamaTemplate(ChatTemplate chatTemplate, const std::string& eosText);

// Chat formats a model's own Jinja template can have beyond the built-in data templates, which
// the Modelfile writes directly: Gemma's <start_of_turn> turns (a system message in front of the
// first user turn, as Gemma 3's template puts it; Gemma 2's refuses one) and Phi-3's
// <|system|> / <|user|> / <|assistant|> turns, each closed by <|end|>.
enum class ModelChatFormat { Gemma, Phi3 };
// By the template's markers; nullopt for anything else.
std::optional<ModelChatFormat> detectModelChatFormat(const std::string& jinja);
const char* modelChatFormatName(ModelChatFormat format);  // "gemma", "phi3"
OllamaTemplate ollamaTemplate(ModelChatFormat format, const std::string& eosText);

struct ModelfileSpec {
    std::string from;          // the model GGUF
    std::string adapter;       // a GGUF LoRA; empty: none
    ChatTemplate chatTemplate = ChatTemplate::Alpaca;
    std::optional<ModelChatFormat> modelFormat;  // set: its TEMPLATE instead of chatTemplate's
    std::string eosText;
};

// The Modelfile text, paths relative to `folder` when inside it.
std::string ollamaModelfile(const ModelfileSpec& spec, const std::string& folder);
// Writes folder/Modelfile atomically; returns its path.
std::string writeOllamaModelfile(const ModelfileSpec& spec, const std::string& folder);

} // namespace lorastudio

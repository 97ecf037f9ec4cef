// An Ollama Modelfile beside a GGUF export: FROM the model, ADAPTER for a GGUF LoRA, the TEMPLATE
// (Go text/template over .Messages) that renders a conversation as the trained chat template did,
// and its stop strings. Paths are written relative to the Modelfile when beside it.
#pragma once
#include "data/data_record.h"
#include "config/data_settings.h"

#include <map>
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
// first user turn, as Gemma 3's template puts it; Gemma 2's refuses one), Phi-3's <|system|> /
// <|user|> / <|assistant|> turns, each closed by <|end|> and a line break, the same without system
// messages (Phi-3-medium's and the first Phi-3-mini's templates drop them), and Phi-4-mini's, the
// same markers with no line breaks.
enum class ModelChatFormat { Gemma, Phi3, Phi3NoSystem, Phi4Mini };
// A conversation as the format's TEMPLATE gives it to the model, up to the assistant's opening.
std::string renderModelChatFormat(ModelChatFormat format, const std::vector<ChatMessage>& messages);
// The format that renders as the model's Jinja template does (with the generation prompt, a
// leading bos_token aside: llama.cpp adds BOS) on probe conversations: one user turn, two
// exchanges, a system message (where the template accepts one). nullopt when none does, or the
// template cannot be compiled. specialTokens: bos_token, eos_token... as the template sees them.
std::optional<ModelChatFormat> detectModelChatFormat(const std::string& jinja, const std::map<std::string, std::string>& specialTokens);
const char* modelChatFormatName(ModelChatFormat format);  // "gemma", "phi3", "phi3-no-system", "phi4-mini"
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

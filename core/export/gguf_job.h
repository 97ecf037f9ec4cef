// One GGUF export as the CLI and the studio run it: the base model, the base with an adapter
// merged in, or the adapter alone (llama.cpp's GGUF LoRA), optionally with an Ollama Modelfile
// (and, for an adapter, the base GGUF its FROM line needs).
#pragma once
#include "export/gguf_export.h"
#include "export/ollama_modelfile.h"
#include "config/data_settings.h"

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

struct GgufJob {
    std::string baseFolder;       // Hugging Face model folder (config.json, safetensors, tokenizer.json)
    std::string adapter;          // PEFT adapter folder or training checkpoint; empty: the base alone
    std::string out;              // the .gguf to write
    bool adapterOnly = false;     // write the adapter as a GGUF LoRA instead of merging it
    bool ollama = false;          // also write a Modelfile beside `out`
    std::string baseGguf;         // adapterOnly + ollama: an existing base GGUF; empty: written beside out
    ChatTemplate chatTemplate = ChatTemplate::Auto;  // Auto/Model: the built-in the tokenizer's template resembles, else Alpaca
    GgufExportOptions options;
};

struct GgufJobResult {
    GgufExportResult file;                 // the model or adapter written to `out`
    std::optional<GgufExportResult> base;  // the base GGUF written for an adapter's Modelfile
    std::string modelfile;                 // path; empty without ollama
    ChatTemplate chatTemplate = ChatTemplate::Alpaca;  // what the Modelfile's TEMPLATE renders
    std::optional<ModelChatFormat> modelFormat;        // set: the model's own format renders instead
    std::string templateName() const { return modelFormat ? modelChatFormatName(*modelFormat) : enumName(chatTemplate); }
    std::vector<std::string> warnings;
};

// Error for a missing base or adapter, an adapter that does not fit the base, and everything
// exportGgufModel / exportGgufAdapter refuse. Nothing is left under `out` on failure.
GgufJobResult runGgufExport(const GgufJob& job);

// Where the base GGUF of an adapter-only Ollama export goes: beside out, "<base folder>-<type>.gguf".
std::string defaultBaseGgufPath(const GgufJob& job);

} // namespace lorastudio

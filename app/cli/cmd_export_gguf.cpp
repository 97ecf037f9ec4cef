// `lorastudio-cli export-gguf BASE [ADAPTER] --out FILE.gguf [--type T] [--adapter-only] [--ollama]`:
// a GGUF for llama.cpp / Ollama / LM Studio: the base model, the base with the adapter merged in,
// or (--adapter-only) the adapter as a GGUF LoRA; --ollama adds a Modelfile beside it.
#include "cli_commands.h"
#include "cli_format.h"
#include "common/enum_names.h"
#include "common/error.h"
#include "export/gguf_job.h"

#include <cstdio>
#include <iostream>

namespace lorastudio::cli {
namespace {

struct Options {
    GgufJob job;
    std::string type = "f16";
    std::string chatTemplate = "auto";
};

void report(const GgufExportResult& r, const char* what) {
    std::string types;
    for (const auto& [t, n] : r.typeCounts) types += (types.empty() ? "" : ", ") + t + " x" + std::to_string(n);
    std::printf("%s written to %s\n  %s, %s, %.2f s\n", what, r.path.c_str(), humanBytes(r.bytes).c_str(), types.c_str(), r.seconds);
}

void run(Options& o) {
    const auto type = parseGgufFileType(o.type);
    if (!type) throw Error("--type", "'" + o.type + "' is not " + ggufFileTypeList());
    o.job.options.type = *type;
    const auto chatTemplate = enumFromName<ChatTemplate>(o.chatTemplate);
    if (!chatTemplate) throw Error("--template", "'" + o.chatTemplate + "' is not auto, model, chatml, llama3, mistral, plain or alpaca");
    o.job.chatTemplate = *chatTemplate;
    const GgufJobResult r = runGgufExport(o.job);
    for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
    report(r.file, o.job.adapterOnly ? "GGUF LoRA adapter" : o.job.adapter.empty() ? "GGUF model" : "GGUF merged model");
    if (r.base) report(*r.base, "GGUF base model (for the Modelfile's FROM)");
    if (!r.modelfile.empty())
        std::cout << "Ollama Modelfile written to " << r.modelfile << " (template " << r.templateName()
                  << "); create the model with: ollama create NAME -f " << r.modelfile << "\n";
}

} // namespace

void addExportGgufCommand(CLI::App& app) {
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("export-gguf", "Write a GGUF model or GGUF LoRA adapter for llama.cpp and Ollama");
    cmd->add_option("BASE", o->job.baseFolder, "Base model folder (config.json, *.safetensors, tokenizer.json)")->required();
    cmd->add_option("ADAPTER", o->job.adapter, "PEFT adapter folder or training checkpoint (merged in unless --adapter-only)");
    cmd->add_option("--out", o->job.out, "The .gguf file to write")->required();
    cmd->add_option("--type", o->type, "Matrices as f32, f16, bf16, q8_0, q4_0, q4_k_m or q5_k_m (llama.cpp's Q4_K_M / Q5_K_M mixes); adapters: f32, f16, bf16; default f16");
    cmd->add_flag("--adapter-only", o->job.adapterOnly, "Write the adapter as a GGUF LoRA for a GGUF of the base");
    cmd->add_flag("--ollama", o->job.ollama, "Also write an Ollama Modelfile beside the GGUF");
    cmd->add_option("--base-gguf", o->job.baseGguf, "With --adapter-only --ollama: an existing base GGUF for FROM (default: written beside)");
    cmd->add_option("--template", o->chatTemplate, "Chat template of the Modelfile: auto, chatml, llama3, mistral, plain, alpaca (auto, model: the model's own turns where Gemma's, Phi-3's (with or without system messages) or Phi-4-mini's format renders as it does, else the built-in it resembles)");
    cmd->add_option("--name", o->job.options.name, "general.name (default: the base folder's name)");
    cmd->add_flag("--overwrite", o->job.options.overwrite, "Replace an existing file");
    cmd->callback([o] { run(*o); });
}

} // namespace lorastudio::cli

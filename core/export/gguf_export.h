// GGUF export for llama.cpp, Ollama and LM Studio, with no Python: a whole model (the base, or
// the base with a LoRA merged in) with its tokenizer, and a LoRA adapter as llama.cpp's GGUF LoRA
// (`general.type` adapter) for a GGUF of the same base. Files are written atomically after a
// free-space check.
#pragma once
#include "export/gguf_file_type.h"
#include "lora/lora_model.h"

#include <map>
#include <string>
#include <vector>

namespace lorastudio {

struct GgufExportOptions {
    // The matrices' types (gguf_file_type.h: fallbacks are counted in typeCounts and named in the
    // warnings). Adapters: f32, f16 or bf16.
    GgufFileType type = GgufFileType::F16;
    std::string name;          // general.name; empty: the base folder's name
    bool overwrite = false;
};

struct GgufExportResult {
    std::string path;                       // absolute
    uint64_t bytes = 0;                     // file size
    std::map<std::string, int> typeCounts;  // "F32" -> tensors written as F32, ...
    std::vector<std::string> warnings;
    double seconds = 0;
};

// The name a model folder goes by (general.name's default): "/x/SmolLM2/" -> "SmolLM2".
std::string folderName(const std::string& folder);

// `model` as it is now (merge a LoRA first for a merged export); baseFolder holds config.json's
// model's tokenizer.json. Error for an architecture feature llama.cpp cannot run, a tokenizer it
// cannot take, an existing outPath without overwrite, too little disk space.
GgufExportResult exportGgufModel(CausalLM& model, const std::string& baseFolder, const std::string& outPath,
                                 const GgufExportOptions& options = {});

// The adapter's A and B per module, B with the base weight's q/k row permutation and each
// module's true scale folded in (llama.cpp scales every module by one alpha / its rank; rsLoRA,
// rank_pattern and alpha_pattern would otherwise come out wrong). Error for DoRA, trained
// biases or modules_to_save (no GGUF LoRA form: export the merged model instead), and for a
// module that has no tensor in the base GGUF (a LoRA on a tied output head).
GgufExportResult exportGgufAdapter(const LoraModel& lora, const std::string& outPath, const GgufExportOptions& options = {});

} // namespace lorastudio

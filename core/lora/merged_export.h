// Merged-model export: the base model with W + s·B·A folded in, written as a Hugging Face folder
// transformers loads (config.json, model.safetensors or shards + index, tokenizer and generation
// files copied), atomically, with a check that the merged model computes what the adapted one did.
#pragma once
#include "lora/lora_model.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

struct MergedExportOptions {
    std::optional<at::ScalarType> dtype;     // default: the base checkpoint's floating dtype
    uint64_t maxShardBytes = 5000000000ull;  // transformers' default max_shard_size "5GB"
    bool overwrite = false;
    at::Tensor probeIds;                     // [B, T] int64; undefined: a seeded [2, 16] batch
};

struct MergedExportResult {
    std::string folder;                      // absolute path of the finished export
    std::vector<std::string> files;          // file names written or copied, sorted
    int shards = 0;                          // 1: a single model.safetensors
    uint64_t tensorBytes = 0;                // total_size of the weights
    at::ScalarType dtype = at::kFloat;
    double maxAbsLogitDiff = 0;              // adapted vs merged model on the probe batch
    // Non-empty ("nf4, double quantization", "8-bit") when the base folder stores its linear weights
    // quantized by bitsandbytes: W0 is then their dequantized value, and config.json is written
    // without quantization_config.
    std::string baseQuantization;
};

// The tensors a transformers save_pretrained would write, in order: every parameter of the spec
// under its HF name (GPT-2 with the "transformer." prefix) except tied heads, cast to dtype.
// Requires the LoRA to be merged (or detached) for merged values.
std::vector<std::pair<std::string, at::Tensor>> hfStateDict(CausalLM& model, at::ScalarType dtype);

// transformers' shard split: tensors in order, a new shard when the next one would push the
// current shard over maxShardBytes (a tensor larger than the limit gets a shard of its own).
std::vector<std::vector<std::size_t>> planShards(const std::vector<uint64_t>& tensorBytes, uint64_t maxShardBytes);

// Merges (if not merged), writes `outFolder`, and restores the merged/unmerged state it found.
// baseFolder is where config.json and the tokenizer files come from. Error for a missing
// config.json, an existing outFolder without overwrite, too little disk space, disabled adapters.
MergedExportResult exportMergedModel(LoraModel& lora, const std::string& baseFolder, const std::string& outFolder,
                                     const MergedExportOptions& options = {});

} // namespace lorastudio

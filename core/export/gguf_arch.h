// GGUF per architecture: the llama.cpp architecture name, the GGUF name of every Hugging Face tensor
// and which weights get the q/k row permutation come from the architecture table's `gguf` layout
// (model/architecture_table.h); here the lookups, what llama.cpp's graphs cannot run, how stored
// values differ from transformers' (Gemma's norms, folded attention scales), extra tensors, and the
// hyper-parameter keys llama.cpp reads. Learned from llama.cpp's gguf-py constants, its graphs and
// its converter's behaviour (ggml-org/llama.cpp); no code of theirs.
#pragma once
#include "io/gguf.h"
#include "model/model_spec.h"

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

// "llama" (Llama 2/3, Mistral), "qwen2", "qwen3", "gpt2", "gemma2", "gemma3", "phi3" or "stablelm".
std::string ggufArchitecture(const ModelSpec& spec);

// "model.layers.3.self_attn.q_proj.weight" -> "blk.3.attn_q.weight"; nullopt for a name the
// architecture's table does not have (a tied lm_head is the caller's business).
std::optional<std::string> ggufTensorName(const ModelSpec& spec, const std::string& hfName);

// For a weight (or bias, or LoRA B) whose rows llama.cpp wants permuted: the number of heads its
// rows hold (q: num_attention_heads, k: num_key_value_heads); nullopt when no permutation applies.
std::optional<int64_t> qkPermuteHeads(const ModelSpec& spec, const std::string& hfName);

// What the file stores for a tensor: (transformers' value + add) * scale. Gemma's RMSNorms multiply
// by 1 + w, llama.cpp's by w (add 1); where llama.cpp scales attention scores otherwise than
// transformers (Gemma's query_pre_attn_scalar), the ratio is folded into q (scale). A LoRA B on a
// weight takes the weight's scale (add is 0 for every linear weight).
struct GgufValueChange {
    double add = 0;
    double scale = 1;
    bool none() const { return add == 0 && scale == 1; }
};
GgufValueChange ggufValueChange(const ModelSpec& spec, const std::string& hfName);

// A tied head that llama.cpp's graph wants as its own output.weight (stablelm has no fallback to
// the embedding): the exporter writes the embedding twice.
bool ggufWritesTiedOutput(const ModelSpec& spec);

// What llama.cpp cannot run as transformers does (GPT-2's inverse-layer scaling, an untied Gemma
// head, a sliding-window pattern llama.cpp has no key for, RoPE scaling it has no form for):
// Error for what would compute something else, warnings for what only matters past a length.
void checkGgufSupport(const ModelSpec& spec, std::vector<std::string>& warnings);

// general.architecture and the {arch}.* hyper-parameters (context, sizes, heads, norm epsilon,
// RoPE base, dimension and scaling, sliding window, soft-capping).
void writeHyperParameters(const ModelSpec& spec, gguf::Writer& writer);

// F32 vectors llama.cpp reads beside the weights: Llama-3 RoPE's `rope_freqs.weight` (base inverse
// frequency / scaled one), Phi-3 LongRoPE's `rope_factors_short.weight` / `rope_factors_long.weight`
// (the per-frequency divisors). Empty for other RoPE types.
struct GgufExtraTensor {
    std::string name;
    std::vector<float> values;
};
std::vector<GgufExtraTensor> ggufExtraTensors(const ModelSpec& spec);

} // namespace lorastudio

// GGUF per architecture: the llama.cpp architecture name, the GGUF name of every Hugging Face tensor
// and which weights get the q/k row permutation come from the architecture table's `gguf` layout
// (model/architecture_table.h); here the lookups, what llama.cpp's graphs cannot run, and the
// hyper-parameter keys llama.cpp reads. Learned from llama.cpp's gguf-py constants and its
// converter's behaviour (ggml-org/llama.cpp); no code of theirs.
#pragma once
#include "io/gguf.h"
#include "model/model_spec.h"

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

// "llama" (Llama 2/3, Mistral), "qwen2", "qwen3" or "gpt2"; empty for a family GGUF export refuses.
std::string ggufArchitecture(const ModelSpec& spec);

// "model.layers.3.self_attn.q_proj.weight" -> "blk.3.attn_q.weight"; nullopt for a name the
// architecture's table does not have (a tied lm_head is the caller's business).
std::optional<std::string> ggufTensorName(const ModelSpec& spec, const std::string& hfName);

// For a weight (or bias, or LoRA B) whose rows llama.cpp wants permuted: the number of heads its
// rows hold (q: num_attention_heads, k: num_key_value_heads); nullopt when no permutation applies.
std::optional<int64_t> qkPermuteHeads(const ModelSpec& spec, const std::string& hfName);

// What llama.cpp cannot run as transformers does (sliding-window attention it ignores, GPT-2's
// inverse-layer scaling, RoPE scaling it has no form for): Error for what would compute something
// else, warnings for what only matters past a length.
void checkGgufSupport(const ModelSpec& spec, std::vector<std::string>& warnings);

// general.architecture and the {arch}.* hyper-parameters (context, sizes, heads, norm epsilon,
// RoPE base, dimension and scaling).
void writeHyperParameters(const ModelSpec& spec, gguf::Writer& writer);

// Llama-3 RoPE scaling: the per-frequency divisors llama.cpp takes as `rope_freqs.weight`
// ([head_dim / 2], F32): base inverse frequency / scaled one. Empty for other RoPE types.
std::vector<float> ropeFrequencyFactors(const ModelSpec& spec);

} // namespace lorastudio

// Readers for config.json keys that several architecture families share (sizes, RoPE scaling,
// activations), following the defaults of transformers' configuration classes. Each family's own
// reader (in its module, listed in the architecture table) calls these.
#pragma once
#include "model/model_spec.h"

#include <nlohmann/json.hpp>

#include <string>

namespace lorastudio {

// Bounds on config.json sizes, named in their errors. The largest real models have hidden sizes of
// ~16k, vocabularies of ~260k, contexts of ~10M and ~130 layers; these leave ample room while keeping
// every parameter count (dims multiplied, summed over the layers) within int64.
inline constexpr int64_t kMaxConfigDimension = int64_t(1) << 24;  // any size key (16,777,216)
inline constexpr int64_t kMaxLayers = 1024;                        // num_hidden_layers / n_layer
// Errors when spec's layer count exceeds kMaxLayers (each size key is checked as it is read).
void checkSpecLimits(const ModelSpec& spec, const std::string& where);

// A key that must be present and > 0 / may be absent (fallback) but, when present, > 0.
int64_t positiveKey(const nlohmann::json& j, const std::string& key, const std::string& where);
int64_t optionalPositive(const nlohmann::json& j, const std::string& key, int64_t fallback, const std::string& where);

// "silu" | "swish" | "gelu" | "gelu_new" | "gelu_pytorch_tanh" | "relu"; Error naming the key otherwise.
Activation parseActivation(const std::string& name, const std::string& key, const std::string& where);

// rope_theta and rope_scaling (transformers <= 4.x) or rope_parameters (5.x) into spec.
void readRopeConfig(const nlohmann::json& j, ModelSpec& spec, const std::string& where);

// partial_rotary_factor (default `fallback`) into spec; Error naming the key unless it gives an even
// number (>= 2) of rotary dims within head_dim. Returns spec.rotaryDim(). Reads after head_dim is known.
int64_t readPartialRotaryFactor(const nlohmann::json& j, ModelSpec& spec, double fallback, const std::string& where);

// The keys of a Llama-style decoder (LlamaConfig and its descendants): vocab_size, hidden_size,
// intermediate_size, num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim,
// max_position_embeddings (default `defaultPositions`), rms_norm_eps, hidden_act, tie_word_embeddings,
// RoPE. Checks the head arithmetic.
void readDecoderConfig(const nlohmann::json& j, ModelSpec& spec, const std::string& where, int64_t defaultPositions);

} // namespace lorastudio

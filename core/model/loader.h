// Loading a Hugging Face model folder (config.json + model.safetensors or shards) into a CausalLM:
// every tensor is checked by name and shape against the spec, then copied from the zero-copy
// mmap view into the parameters, converting to the requested dtype and device.
#pragma once
#include "model/causal_lm.h"
#include "model/model_spec.h"
#include "quant/quantized_weight.h"

#include <ATen/ATen.h>

#include <memory>
#include <set>
#include <string>

namespace lorastudio {

class Checkpoint;

struct LoadedModel {
    ModelSpec spec;
    std::shared_ptr<CausalLM> model;
};

// QLoRA while loading: these linear modules keep their weight quantized, each one as soon as it is
// read, so the dense model never exists in memory at once.
struct LoadQuantization {
    QuantFormat format = QuantFormat::Nf4;
    bool doubleQuant = true;
    std::set<std::string> modules;  // module names, e.g. "model.layers.0.self_attn.q_proj"
};

// dtype: at::kFloat, at::kBFloat16 or at::kHalf (computation then runs in it). Throws Error for an
// unreadable config, an unknown architecture, or missing / unexpected / misshapen tensors.
LoadedModel loadCausalLM(const std::string& folder, at::ScalarType dtype = at::kFloat,
                         const at::Device& device = at::kCPU, const LoadQuantization* quantization = nullptr);

// Checks names and shapes, then copies. GPT-2 checkpoints may omit the "transformer." prefix;
// tied lm_head.weight may be absent; known leftovers (attn.bias buffers, rotary inv_freq) are
// skipped. `where` names the checkpoint in messages.
void loadWeights(CausalLM& model, const Checkpoint& checkpoint, const std::string& where,
                 const LoadQuantization* quantization = nullptr);

// "float32"/"fp32", "bfloat16"/"bf16", "float16"/"fp16"/"half" -> scalar type; Error otherwise.
at::ScalarType parseComputeDtype(const std::string& name);

} // namespace lorastudio

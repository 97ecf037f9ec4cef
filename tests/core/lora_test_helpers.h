// Helpers shared by the LoRA unit tests (test_lora.cpp: the layer; test_lora_targets.cpp: target
// matching): module name lists, seeded random layers, settings, probe logits of fixture models.
#pragma once
#include "common/error.h"
#include "common/json_file.h"
#include "lora/target_matching.h"
#include "io/safetensors.h"
#include "lora/export_folder.h"
#include "lora/lora_linear.h"
#include "lora/lora_model.h"
#include "common/python_format.h"
#include "lora/merged_export.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "model/model_spec.h"
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <algorithm>
#include <filesystem>
#include <functional>

#include "test_support.h"

namespace lorastudio::loratest {


inline const std::vector<std::string> kLlamaNames = {
    "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj", "model.layers.0.self_attn.v_proj",
    "model.layers.0.self_attn.o_proj", "model.layers.0.mlp.gate_proj",    "model.layers.0.mlp.up_proj",
    "model.layers.0.mlp.down_proj",    "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.k_proj",
    "model.layers.1.self_attn.v_proj", "model.layers.1.self_attn.o_proj", "model.layers.1.mlp.gate_proj",
    "model.layers.1.mlp.up_proj",      "model.layers.1.mlp.down_proj",    "lm_head"};

inline const std::vector<std::string> kGpt2Names = {
    "transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_fc",
    "transformer.h.0.mlp.c_proj",  "transformer.h.1.attn.c_attn", "transformer.h.1.attn.c_proj",
    "transformer.h.1.mlp.c_fc",    "transformer.h.1.mlp.c_proj",  "lm_head"};

inline LoraSettings withTargets(ModuleSelection targets) {
    LoraSettings s;
    s.targetModules = std::move(targets);
    return s;
}

using Names = std::vector<std::string>;

inline std::string modelDir(const char* name) { return testsupport::fixturesDir() + "/models/" + name + "/model"; }

inline double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// A standalone layer with seeded random weights. x: [.., in] -> [.., out]
inline std::shared_ptr<LinearLayer> randomLayer(int64_t in, int64_t out, bool conv1d, uint64_t seed = 1) {
    auto layer = std::make_shared<LinearLayer>(in, out, false, conv1d, at::dtype(at::kFloat));
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    torch::NoGradGuard noGrad;
    layer->weight().normal_(0, 0.5, gen);
    return layer;
}

inline at::Generator generator(uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

inline LoraSettings loraFor(std::vector<std::string> targets, int r = 4, double alpha = 8) {
    LoraSettings s;
    s.targetModules = ModuleSelection::list(std::move(targets));
    s.r = r;
    s.loraAlpha = alpha;
    s.loraDropout = 0;
    return s;
}

inline at::Tensor probeIds() { return at::arange(32, at::kLong).remainder(997).view({2, 16}); }

inline at::Tensor logitsOf(CausalLM& model) {
    torch::NoGradGuard noGrad;
    return model.forward(probeIds()).logits;
}

} // namespace lorastudio::loratest

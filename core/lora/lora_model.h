// LoraModel: LoRA attached to a CausalLM as PEFT's get_peft_model does it: every base parameter
// frozen, the matched LinearLayers given a LoraLinear (registered under the layer as lora_A /
// lora_B, so names read "<module>.lora_A.weight"), bias modes and modules_to_save made trainable.
// merge()/unmerge() are explicit; train()/eval() on the model only toggle dropout.
#pragma once
#include "lora/lora_linear.h"
#include "lora/target_matching.h"
#include "model/causal_lm.h"
#include "config/lora_settings.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

struct LoraAttachOptions {
    uint64_t seed = 42;                       // A's init (and PiSSA's randomized SVD), in module order
    std::optional<at::ScalarType> dtype;      // of A and B; default: the base weight's (as PEFT)
    bool initialize = true;                   // false: A = B = 0, to be loaded (adapter import)
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

class LoraModel {
public:
    // Wraps the modules `settings` selects (planLoraTargets over linearModules(*model)). Throws
    // Error for a target list matching nothing, a model that already has adapters, bad ranks.
    static std::shared_ptr<LoraModel> attach(std::shared_ptr<CausalLM> model, const LoraSettings& settings,
                                             const LoraAttachOptions& options = {});
    LoraModel(const LoraModel&) = delete;
    LoraModel& operator=(const LoraModel&) = delete;

    // Removes every adapter (unmerging first if merged) and restores the base parameters'
    // requires_grad. The LoraModel is unusable afterwards. PEFT's unload().
    void detach();
    // merge() then remove the adapters, leaving the merged weights. PEFT's merge_and_unload().
    void mergeAndDetach();

    // W += s·B·A for every adapted layer; the adapters are inactive until unmerge(). Error if
    // already merged.
    void merge();
    // W -= s·B·A; the adapters are active again.
    void unmerge();
    bool merged() const { return m_merged; }
    // false: the base model alone (adapters skipped) without touching weights. Not while merged.
    void setEnabled(bool enabled);
    bool enabled() const { return m_enabled; }

    CausalLM& model() { return *m_model; }
    const std::shared_ptr<CausalLM>& modelPtr() const { return m_model; }
    const LoraSettings& settings() const { return m_settings; }
    const std::vector<LoraTarget>& targets() const { return m_targets; }
    // The adapter of a module, nullptr if that module is not adapted.
    std::shared_ptr<LoraLinear> layer(const std::string& moduleName) const;
    const std::vector<std::shared_ptr<LoraLinear>>& layers() const { return m_layers; }

    // Every trainable tensor with its model name (LoRA A/B, then trainable biases and
    // modules_to_save parameters), each tensor once. What an optimizer should get.
    NamedTensors trainableParameters() const;
    // What PEFT's save_pretrained writes: "base_model.model.<module>.lora_A.weight", "...lora_B.weight";
    // bias "all" / "lora_only": the trainable biases ("<module>.base_layer.bias" for adapted
    // layers, as PEFT 0.8.2's state dict names them); modules_to_save: "<module>.<param>".
    NamedTensors adapterStateDict() const;
    // PEFT's numbers: trainable and all parameters (tensors shared by several names counted once).
    int64_t trainableParameterCount() const;
    int64_t allParameterCount() const;
    // PEFT's print_trainable_parameters() line:
    // "trainable params: 2,048 || all params: 174,336 || trainable%: 1.1747430249632893"
    std::string trainableParametersLine() const;

private:
    LoraModel() = default;
    void requireAttached(const char* what) const;
    void removeAdapters();

    std::shared_ptr<CausalLM> m_model;
    LoraSettings m_settings;
    std::vector<LoraTarget> m_targets;
    std::vector<std::shared_ptr<LinearLayer>> m_bases;       // parallel to m_layers
    std::vector<std::shared_ptr<LoraLinear>> m_layers;
    std::vector<std::pair<at::Tensor, bool>> m_savedRequiresGrad;
    NamedTensors m_extraTrainable;                           // biases, modules_to_save (model names)
    std::vector<std::string> m_adaptedBiasNames;             // "<module>.bias" of adapted layers
    bool m_merged = false;
    bool m_enabled = true;
    bool m_attached = false;
};

// The storage format of lora.quantization (nf4 or int8; not for none).
QuantFormat quantFormat(BaseQuantization quantization);

// "base_model.model." — the prefix of every key PEFT writes for a causal LM.
extern const char* const kPeftKeyPrefix;


} // namespace lorastudio

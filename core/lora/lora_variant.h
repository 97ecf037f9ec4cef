// LoraVariant: the seam between a LoRA layer and what its update means. LoraLinear owns the
// shared parts (A, B, scaling, dropout, the base layer); a variant decides how they change the
// base layer's output, what merging writes into the weight (and how to undo it), which extra
// tensors it trains and under which names a PEFT adapter stores them, and which adapter_config
// keys it needs. Plain LoRA (with rsLoRA's scaling and PiSSA's init, which differ only in
// LoraLinear's numbers) and DoRA are variants; adding one is one class plus a line in
// makeLoraVariant (lora_variant.cpp) and its tests.
#pragma once
#include "config/lora_settings.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

class LoraLinear;
class LoraFactor;

// A tensor a variant trains beyond A and B. The module is registered under the base layer as
// `moduleName` (its parameter is "weight", so the model names it "<module>.<moduleName>.weight");
// a PEFT adapter file stores it as "base_model.model.<module>.<adapterSuffix>".
struct VariantTensor {
    std::string moduleName;
    std::string adapterSuffix;
    std::shared_ptr<LoraFactor> module;
};

class LoraVariant {
public:
    virtual ~LoraVariant() = default;
    virtual const char* name() const = 0;  // "lora", "dora"

    // Called once A and B hold their initial values (also before loading saved values).
    virtual void init(LoraLinear& layer) { (void)layer; }
    // x2d: [N, in] the layer's input, baseResult: [N, out] the base layer's output (bias
    // included; fresh, owned by the caller, may be changed in place). Returns the adapted output.
    virtual at::Tensor apply(LoraLinear& layer, const at::Tensor& x2d, at::Tensor baseResult) = 0;
    // The weight after merging, from W in the base layout in fp32/fp64 (plain LoRA: W + s·B·A).
    // May remember what unmerge needs.
    virtual at::Tensor merged(LoraLinear& layer, const at::Tensor& w) = 0;
    // The inverse of merged(): the original W from the merged one.
    virtual at::Tensor unmerged(LoraLinear& layer, const at::Tensor& mergedWeight) = 0;
    // The low-rank factors whose product the ΔW analysis studies: (A [r, in], B [out, r]) with
    // ΔW_analysed = scaling · B · A. Plain LoRA: A and B as they are.
    virtual std::pair<at::Tensor, at::Tensor> analysisFactors(LoraLinear& layer);
    // Tensors trained beyond A and B (empty for plain LoRA).
    virtual std::vector<VariantTensor> extraTensors() const { return {}; }
    // Adds the adapter_config.json keys this variant needs (only called when it is in use).
    virtual void writeConfig(nlohmann::json& config) const { (void)config; }
};

// The variant `settings` asks for (DoRA with useDora, else plain LoRA), one per adapted layer.
std::unique_ptr<LoraVariant> makeLoraVariant(const LoraSettings& settings);

// Plain LoRA: y = base + scaling · B(A(dropout(x))), merged W + scaling · B·A.
class PlainLora : public LoraVariant {
public:
    const char* name() const override { return "lora"; }
    at::Tensor apply(LoraLinear& layer, const at::Tensor& x2d, at::Tensor baseResult) override;
    at::Tensor merged(LoraLinear& layer, const at::Tensor& w) override;
    at::Tensor unmerged(LoraLinear& layer, const at::Tensor& mergedWeight) override;
};

} // namespace lorastudio

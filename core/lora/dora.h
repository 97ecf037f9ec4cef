// DoRA (Liu et al. 2024, "Weight-Decomposed Low-Rank Adaptation") with PEFT's semantics: the
// adapted weight is m ⊙ (W + s·B·A) / ||W + s·B·A||, the norm taken per output row over the input
// dimension with ΔW detached (so it gets no gradient, as the paper's section 4.3 suggests), and
// the magnitude m ([out], "lora_magnitude_vector") trained alongside A and B, initialised to the
// row norms of the starting weight. The forward adds (m/n - 1)·x·W^T + (m/n)·s·B·A·x to the base
// output, reusing the base result where dropout is off.
#pragma once
#include "lora/lora_variant.h"

#include <ATen/core/Tensor.h>

namespace lorastudio {

class Dora : public LoraVariant {
public:
    const char* name() const override { return "dora"; }
    void init(LoraLinear& layer) override;
    at::Tensor apply(LoraLinear& layer, const at::Tensor& x2d, at::Tensor baseResult) override;
    at::Tensor merged(LoraLinear& layer, const at::Tensor& w) override;
    at::Tensor unmerged(LoraLinear& layer, const at::Tensor& mergedWeight) override;
    // (A, diag(m / n) · B): the direction update as DoRA scales it.
    std::pair<at::Tensor, at::Tensor> analysisFactors(LoraLinear& layer) override;
    std::vector<VariantTensor> extraTensors() const override;
    void writeConfig(nlohmann::json& config) const override;

    at::Tensor& magnitude();  // [out], the LoRA dtype; defined after init()

private:
    std::shared_ptr<LoraFactor> m_magnitude;
    at::Tensor m_mergedNorm;  // the row norms merged() divided by, for unmerged()
};

} // namespace lorastudio

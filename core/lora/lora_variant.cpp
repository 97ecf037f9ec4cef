// Plain LoRA on the variant seam, and the choice of variant. See lora_variant.h.
#include "lora/lora_variant.h"

#include "lora/dora.h"
#include "lora/lora_linear.h"

namespace lorastudio {

std::pair<at::Tensor, at::Tensor> LoraVariant::analysisFactors(LoraLinear& layer) {
    return {layer.loraA(), layer.loraB()};
}

std::unique_ptr<LoraVariant> makeLoraVariant(const LoraSettings& settings) {
    if (settings.useDora) return std::make_unique<Dora>();
    return std::make_unique<PlainLora>();
}

at::Tensor PlainLora::apply(LoraLinear& layer, const at::Tensor& x2d, at::Tensor baseResult) {
    if (layer.addInto(x2d, baseResult)) return baseResult;
    return baseResult + layer.delta(x2d);
}

at::Tensor PlainLora::merged(LoraLinear& layer, const at::Tensor& w) {
    return w + layer.lowRankDelta().to(w.device(), w.scalar_type());
}

at::Tensor PlainLora::unmerged(LoraLinear& layer, const at::Tensor& mergedWeight) {
    return mergedWeight - layer.lowRankDelta().to(mergedWeight.device(), mergedWeight.scalar_type());
}

} // namespace lorastudio

// DoRA on the LoRA variant seam. See dora.h.
#include "lora/dora.h"

#include "common/error.h"
#include "lora/lora_linear.h"

#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/grad_mode.h>

namespace lorastudio {

namespace {

// ||W + s·B·A|| per output row (over the input dimension), in fp32/fp64, without gradient.
at::Tensor rowNorms(LoraLinear& layer, const at::Tensor& weightPlusDelta) {
    return at::linalg_vector_norm(weightPlusDelta, 2, {layer.conv1d() ? 0 : 1});
}

at::Tensor adaptedRowNorms(LoraLinear& layer) {
    torch::NoGradGuard noGrad;
    auto base = layer.base();
    const at::Tensor delta = layer.lowRankDelta();
    return rowNorms(layer, base->denseWeight().to(delta.scalar_type()) + delta.to(base->weight().device()));
}

// factor [out] applied to each output row of a weight in the layer's layout.
at::Tensor scaleRows(LoraLinear& layer, const at::Tensor& w, const at::Tensor& factor) {
    return layer.conv1d() ? w * factor.unsqueeze(0) : w * factor.unsqueeze(1);
}

} // namespace

at::Tensor& Dora::magnitude() {
    if (!m_magnitude) throw Error("DoRA", "the magnitude vector is used before init()");
    return m_magnitude->weight();
}

void Dora::init(LoraLinear& layer) {
    const at::Tensor norm = adaptedRowNorms(layer);
    const at::Tensor m = norm.to(layer.loraA().scalar_type()).to(layer.loraA().device()).contiguous();
    if (m_magnitude) {
        torch::NoGradGuard noGrad;
        m_magnitude->weight().copy_(m);
    } else {
        m_magnitude = std::make_shared<LoraFactor>(m.requires_grad_(true));
    }
}

at::Tensor Dora::apply(LoraLinear& layer, const at::Tensor& x2d, at::Tensor baseResult) {
    at::Tensor& m = magnitude();
    const auto loraType = layer.loraA().scalar_type();
    const at::Tensor scale = m / adaptedRowNorms(layer).to(m.scalar_type());  // [out]; gradient to m only
    auto base = layer.base();
    const auto outType = baseResult.scalar_type();
    if (layer.dropout() == 0 || !layer.training()) {
        // x·W^T is the base result less its bias: y = (m/n) ⊙ (x·W^T + s·B·A·x) + bias.
        at::Tensor z = base->hasBias() ? baseResult - base->bias() : baseResult;
        if (!layer.addInto(x2d, z)) z = z + layer.delta(x2d);
        at::Tensor y = (z.scalar_type() == loraType ? z : z.to(loraType)) * scale;
        if (base->hasBias()) y = y + base->bias();
        return y.scalar_type() == outType ? y : y.to(outType);
    }
    // With dropout the update sees dropout(x), the base output x: both terms are computed here.
    at::Tensor h = layer.dropped(x2d.scalar_type() == loraType ? x2d : x2d.to(loraType));
    at::Tensor w = base->denseWeight().detach().to(loraType);
    at::Tensor xw = layer.conv1d() ? at::mm(h, w) : at::mm(h, w.t());       // [N, out]
    at::Tensor update = (scale - 1) * xw + scale * layer.lowRank(h);
    return baseResult + (update.scalar_type() == outType ? update : update.to(outType));
}

at::Tensor Dora::merged(LoraLinear& layer, const at::Tensor& w) {
    const at::Tensor sum = w + layer.lowRankDelta().to(w.device(), w.scalar_type());
    m_mergedNorm = rowNorms(layer, sum);
    return scaleRows(layer, sum, magnitude().detach().to(w.scalar_type()) / m_mergedNorm);
}

at::Tensor Dora::unmerged(LoraLinear& layer, const at::Tensor& mergedWeight) {
    if (!m_mergedNorm.defined()) throw Error("DoRA", "unmerge without a merge before it");
    const at::Tensor factor = magnitude().detach().to(mergedWeight.scalar_type()) / m_mergedNorm;
    const at::Tensor w = scaleRows(layer, mergedWeight, 1.0 / factor) -
                         layer.lowRankDelta().to(mergedWeight.device(), mergedWeight.scalar_type());
    m_mergedNorm = at::Tensor();
    return w;
}

std::pair<at::Tensor, at::Tensor> Dora::analysisFactors(LoraLinear& layer) {
    torch::NoGradGuard noGrad;
    const at::Tensor norm = adaptedRowNorms(layer);
    const at::Tensor factor = magnitude().detach().to(norm.scalar_type()) / norm;
    return {layer.loraA().detach(), layer.loraB().detach().to(norm.scalar_type()) * factor.unsqueeze(1)};
}

std::vector<VariantTensor> Dora::extraTensors() const {
    if (!m_magnitude) return {};
    return {{"lora_magnitude_vector", "lora_magnitude_vector", m_magnitude}};
}

void Dora::writeConfig(nlohmann::json& config) const { config["use_dora"] = true; }

} // namespace lorastudio

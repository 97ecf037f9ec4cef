// LinearLayer: nn.Linear / Conv1D with an adapter hook. See linear_layer.h.
#include "model/linear_layer.h"

namespace lorastudio {

LinearLayer::LinearLayer(int64_t inFeatures, int64_t outFeatures, bool bias, bool fanInFanOut,
                         const at::TensorOptions& options)
    : m_in(inFeatures), m_out(outFeatures), m_fanInFanOut(fanInFanOut) {
    const std::vector<int64_t> shape = fanInFanOut ? std::vector<int64_t>{inFeatures, outFeatures}
                                                   : std::vector<int64_t>{outFeatures, inFeatures};
    m_weight = register_parameter("weight", at::empty(shape, options));
    if (bias) m_bias = register_parameter("bias", at::empty({outFeatures}, options));
}

LinearLayer::LinearLayer(const at::Tensor& sharedWeight, int64_t inFeatures, int64_t outFeatures)
    : m_in(inFeatures), m_out(outFeatures), m_tied(true) {
    // register_parameter keeps the same TensorImpl, so loading the embedding fills both.
    m_weight = register_parameter("weight", sharedWeight, sharedWeight.requires_grad());
}

at::Tensor LinearLayer::forward(const at::Tensor& x) {
    // x: [..., in] -> x2d [N, in] -> y2d [N, out] -> [..., out]. The base output is computed in 2D
    // (what at::linear and transformers' Conv1D do too), so an adapter can add into it in place.
    auto x2d = x.reshape({-1, m_in});
    const at::Tensor w = m_fanInFanOut ? m_weight : m_weight.t();
    at::Tensor y = m_bias.defined() ? at::addmm(m_bias, x2d, w) : at::mm(x2d, w);
    if (m_adapter && !m_adapter->addInto(x2d, y)) y = y + m_adapter->delta(x2d);
    auto outShape = x.sizes().vec();
    outShape.back() = m_out;
    return y.view(outShape);
}

std::vector<LinearModuleInfo> linearModules(torch::nn::Module& root) {
    std::vector<LinearModuleInfo> out;
    for (const auto& item : root.named_modules("", /*include_self=*/false)) {
        auto layer = std::dynamic_pointer_cast<LinearLayer>(item.value());
        if (!layer) continue;
        out.push_back({item.key(), layer->inFeatures(), layer->outFeatures(), layer->fanInFanOut(),
                       layer->hasBias(), layer->tied(), layer});
    }
    return out;
}

} // namespace lorastudio

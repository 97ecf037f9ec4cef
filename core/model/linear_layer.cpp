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
    at::Tensor y;
    if (m_fanInFanOut) {
        // Conv1D as transformers computes it: addmm(bias, x2d, W) with W [in, out].
        auto x2d = x.reshape({-1, m_in});
        y = m_bias.defined() ? at::addmm(m_bias, x2d, m_weight) : at::mm(x2d, m_weight);
        auto outShape = x.sizes().vec();
        outShape.back() = m_out;
        y = y.view(outShape);
    } else {
        y = at::linear(x, m_weight, m_bias);
    }
    if (m_adapter) y = y + m_adapter->delta(x);
    return y;
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

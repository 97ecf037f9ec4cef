// Embedding, LayerNorm, RMSNorm and activations. See basic_layers.h.
#include "model/basic_layers.h"

#include <cmath>

namespace lorastudio {

EmbeddingLayer::EmbeddingLayer(int64_t num, int64_t dim, const at::TensorOptions& options) {
    m_weight = register_parameter("weight", at::empty({num, dim}, options));
}

at::Tensor EmbeddingLayer::forward(const at::Tensor& ids) { return at::embedding(m_weight, ids); }

LayerNormLayer::LayerNormLayer(int64_t dim, double eps, const at::TensorOptions& options)
    : m_dim(dim), m_eps(eps) {
    m_weight = register_parameter("weight", at::empty({dim}, options));
    m_bias = register_parameter("bias", at::empty({dim}, options));
}

at::Tensor LayerNormLayer::forward(const at::Tensor& x) {
    return at::layer_norm(x, {m_dim}, m_weight, m_bias, m_eps);
}

RMSNormLayer::RMSNormLayer(int64_t dim, double eps, const at::TensorOptions& options, RmsNormWeight weight)
    : m_eps(eps), m_weightKind(weight) {
    m_weight = register_parameter("weight", at::empty({dim}, options));
}

at::Tensor RMSNormLayer::forward(const at::Tensor& x) {
    const auto inputType = x.scalar_type();
    auto h = x.to(at::kFloat);
    auto variance = h.pow(2).mean(-1, /*keepdim=*/true);
    h = h * at::rsqrt(variance + m_eps);
    if (m_weightKind == RmsNormWeight::OnePlusInFp32) return (h * (1.0 + m_weight.to(at::kFloat))).to(inputType);
    return m_weight * h.to(inputType);
}

at::Tensor applyActivation(Activation a, const at::Tensor& x) {
    switch (a) {
    case Activation::Silu: return at::silu(x);
    case Activation::Gelu: return at::gelu(x);
    case Activation::GeluTanh: return at::gelu(x, "tanh");
    case Activation::Relu: return at::relu(x);
    case Activation::GeluNew: {
        // NewGELUActivation, written out as transformers does (not the fused kernel).
        const double c = std::sqrt(2.0 / M_PI);
        return 0.5 * x * (1.0 + at::tanh(c * (x + 0.044715 * at::pow(x, 3.0))));
    }
    }
    return x;
}

} // namespace lorastudio

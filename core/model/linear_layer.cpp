// LinearLayer: nn.Linear / Conv1D with an adapter hook and optional quantized storage. See
// linear_layer.h.
#include "model/linear_layer.h"

#include "common/error.h"

#include <torch/csrc/autograd/custom_function.h>

namespace lorastudio {

namespace {

struct QuantCapsule : torch::CustomClassHolder {
    std::shared_ptr<const QuantizedWeight> weight;
};

// x2d [N, in] -> x2d · W^T [N, out] with W dequantized in forward and again in backward, so the
// dense weight lives only for the matmul. The weight is frozen: only x gets a gradient.
struct QuantizedMatmul : torch::autograd::Function<QuantizedMatmul> {
    static at::Tensor product(const at::Tensor& x, const at::Tensor& w, bool fanInFanOut) {
        return at::mm(x, fanInFanOut ? w : w.t());
    }
    static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x2d,
                                                  std::shared_ptr<const QuantizedWeight> weight, bool fanInFanOut) {
        auto capsule = c10::make_intrusive<QuantCapsule>();
        capsule->weight = weight;
        ctx->saved_data["weight"] = c10::IValue::make_capsule(std::move(capsule));
        ctx->saved_data["fan_in_fan_out"] = fanInFanOut;
        ctx->saved_data["dtype"] = static_cast<int64_t>(x2d.scalar_type());
        return {product(x2d, weight->dequantize(x2d.scalar_type()), fanInFanOut)};
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        auto holder = ctx->saved_data["weight"].toCapsule();
        const auto& weight = static_cast<QuantCapsule*>(holder.get())->weight;
        const bool fanInFanOut = ctx->saved_data["fan_in_fan_out"].toBool();
        const auto dtype = static_cast<at::ScalarType>(ctx->saved_data["dtype"].toInt());
        const at::Tensor w = weight->dequantize(dtype);  // [out, in], Conv1D [in, out]
        const at::Tensor& g = grads[0];                  // [N, out]
        return {fanInFanOut ? at::mm(g, w.t()) : at::mm(g, w), at::Tensor(), at::Tensor()};
    }
};

} // namespace

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

void LinearLayer::quantizeWeight(QuantFormat format, bool doubleQuant) {
    if (m_quant) throw Error("quantization", "the weight is already quantized");
    if (m_tied) throw Error("quantization", "a weight shared with the embedding cannot be quantized");
    if (m_weight.requires_grad()) throw Error("quantization", "a trainable weight cannot be quantized");
    m_computeDtype = m_weight.scalar_type();
    m_quant = std::make_shared<const QuantizedWeight>(m_weight.detach(), format, doubleQuant, !m_fanInFanOut);
    // Release the dense storage; the parameter stays registered (named) with no elements.
    m_weight.set_data(at::empty({0}, m_weight.options()));
}

void LinearLayer::setQuantizedWeight(std::shared_ptr<const QuantizedWeight> codes) {
    if (m_quant) throw Error("quantization", "the weight is already quantized");
    if (m_tied) throw Error("quantization", "a weight shared with the embedding cannot be quantized");
    if (m_fanInFanOut) throw Error("quantization", "stored quantized weights are read for [out, in] layers only");
    if (codes->shape() != std::vector<int64_t>{m_out, m_in})
        throw Error("quantization", "stored quantized weight has the wrong shape");
    m_weight.requires_grad_(false);
    m_computeDtype = m_weight.scalar_type();
    m_quant = std::move(codes);
    m_weight.set_data(at::empty({0}, m_weight.options()));
}

at::Tensor LinearLayer::denseWeight() const {
    return m_quant ? m_quant->dequantize(m_computeDtype) : m_weight;
}

at::Tensor LinearLayer::forward(const at::Tensor& x) {
    // x: [..., in] -> x2d [N, in] -> y2d [N, out] -> [..., out]. The base output is computed in 2D
    // (what at::linear and transformers' Conv1D do too), so an adapter can add into it in place.
    auto x2d = x.reshape({-1, m_in});
    at::Tensor y;
    if (m_quant) {
        y = QuantizedMatmul::apply(x2d, m_quant, m_fanInFanOut)[0];
        if (m_bias.defined()) y = y + m_bias;
    } else {
        const at::Tensor w = m_fanInFanOut ? m_weight : m_weight.t();
        y = m_bias.defined() ? at::addmm(m_bias, x2d, w) : at::mm(x2d, w);
    }
    if (m_adapter) y = m_adapter->apply(x2d, std::move(y));
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
                       layer->hasBias(), layer->tied(), layer->quantized(), layer});
    }
    return out;
}

} // namespace lorastudio

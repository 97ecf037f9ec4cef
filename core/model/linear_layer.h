// LinearLayer: every projection of the models (q/k/v/o, MLP, GPT-2 Conv1D, lm_head). Holds the
// weight in the Hugging Face layout and an optional adapter hook whose output is added to the
// base output; LoRA implements the hook. linearModules() lists them with their HF names.
#pragma once
#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "quant/quantized_weight.h"

#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

// What adapts a LinearLayer's output, e.g. LoRA (y + B(A(dropout(x))) * scaling) or DoRA.
class LinearAdapter {
public:
    virtual ~LinearAdapter() = default;
    // x2d: [N, in], baseResult: [N, out] the base output (bias included; fresh, owned by the
    // callee, which may change it in place). Returns the adapted [N, out] in the same dtype.
    virtual at::Tensor apply(const at::Tensor& x2d, at::Tensor baseResult) = 0;
};

class LinearLayer : public torch::nn::Module {
public:
    // fanInFanOut = true: GPT-2 Conv1D, weight stored [in, out]; false: nn.Linear, weight [out, in].
    // The weight is allocated uninitialised with `options` (loading or initRandom fills it).
    LinearLayer(int64_t inFeatures, int64_t outFeatures, bool bias, bool fanInFanOut,
                const at::TensorOptions& options);
    // Shares an existing weight (tied lm_head); the tensor is registered as this layer's "weight".
    LinearLayer(const at::Tensor& sharedWeight, int64_t inFeatures, int64_t outFeatures);

    // x: [..., in] -> [..., out]
    at::Tensor forward(const at::Tensor& x);

    int64_t inFeatures() const { return m_in; }
    int64_t outFeatures() const { return m_out; }
    bool fanInFanOut() const { return m_fanInFanOut; }
    bool hasBias() const { return m_bias.defined(); }
    bool tied() const { return m_tied; }
    // The dense weight parameter; empty (0 elements) while the weight is stored quantized.
    at::Tensor& weight() { return m_weight; }
    // QLoRA: keeps the (frozen) weight as NF4 or int8 and releases the dense one; each forward
    // dequantizes it into `computeDtype` for the matmul and the backward does so again (the dense
    // copy is never kept for backward). Error for a trainable or tied weight.
    void quantizeWeight(QuantFormat format, bool doubleQuant);
    // The same with codes made elsewhere (a bitsandbytes checkpoint), kept as they are; they must
    // be of this layer's shape, in the [out, in] layout, on the weight's device.
    void setQuantizedWeight(std::shared_ptr<const QuantizedWeight> codes);
    bool quantized() const { return m_quant != nullptr; }
    const std::shared_ptr<const QuantizedWeight>& quantizedWeight() const { return m_quant; }
    // The weight to compute with, in the layer's layout: weight(), or the dequantized copy.
    at::Tensor denseWeight() const;
    at::Tensor& bias() { return m_bias; }  // undefined without bias

    void setAdapter(std::shared_ptr<LinearAdapter> adapter) { m_adapter = std::move(adapter); }
    const std::shared_ptr<LinearAdapter>& adapter() const { return m_adapter; }

private:
    int64_t m_in = 0;
    int64_t m_out = 0;
    bool m_fanInFanOut = false;
    bool m_tied = false;
    at::Tensor m_weight;
    at::Tensor m_bias;
    std::shared_ptr<LinearAdapter> m_adapter;
    std::shared_ptr<const QuantizedWeight> m_quant;
    at::ScalarType m_computeDtype = at::kFloat;  // of the dequantized weight
};

// One LinearLayer with its full HF module name ("model.layers.0.self_attn.q_proj",
// "transformer.h.0.attn.c_attn", "lm_head").
struct LinearModuleInfo {
    std::string name;
    int64_t inFeatures = 0;
    int64_t outFeatures = 0;
    bool conv1d = false;  // GPT-2 Conv1D (fan_in_fan_out)
    bool bias = false;
    bool tied = false;    // lm_head sharing the embedding matrix
    bool quantized = false;
    std::shared_ptr<LinearLayer> layer;
};

// Every LinearLayer under `root`, in registration order. root must be owned by a shared_ptr.
std::vector<LinearModuleInfo> linearModules(torch::nn::Module& root);

} // namespace lorastudio

// LinearLayer: every projection of the models (q/k/v/o, MLP, GPT-2 Conv1D, lm_head). Holds the
// weight in the Hugging Face layout and an optional adapter hook whose output is added to the
// base output; LoRA implements the hook. linearModules() lists them with their HF names.
#pragma once
#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

// Something added to a LinearLayer's output, e.g. a LoRA update B(A(dropout(x))) * scaling.
class LinearAdapter {
public:
    virtual ~LinearAdapter() = default;
    // x: [..., in] -> [..., out], same leading dims and dtype as the base output.
    virtual at::Tensor delta(const at::Tensor& x) = 0;
    // Adds the update into the base output in place, x2d: [N, in], y2d: [N, out] (fresh, owned by
    // the caller). Returns false where it cannot (then the caller adds delta(x)).
    virtual bool addInto(const at::Tensor& x2d, at::Tensor& y2d) { return false; }
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
    at::Tensor& weight() { return m_weight; }
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
    std::shared_ptr<LinearLayer> layer;
};

// Every LinearLayer under `root`, in registration order. root must be owned by a shared_ptr.
std::vector<LinearModuleInfo> linearModules(torch::nn::Module& root);

} // namespace lorastudio

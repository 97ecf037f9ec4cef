// Small building blocks shared by the architectures: token/position embedding, LayerNorm,
// RMSNorm (normalised in fp32 as transformers does), and the MLP activations.
#pragma once
#include "model/model_spec.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace lorastudio {

// nn.Embedding: parameter "weight" [num, dim].
class EmbeddingLayer : public torch::nn::Module {
public:
    EmbeddingLayer(int64_t num, int64_t dim, const at::TensorOptions& options);
    // ids: [B, T] int64 -> [B, T, dim]
    at::Tensor forward(const at::Tensor& ids);
    at::Tensor& weight() { return m_weight; }

private:
    at::Tensor m_weight;
};

// nn.LayerNorm over the last dim: parameters "weight", "bias" [dim].
class LayerNormLayer : public torch::nn::Module {
public:
    LayerNormLayer(int64_t dim, double eps, const at::TensorOptions& options);
    // x: [..., dim] -> [..., dim]
    at::Tensor forward(const at::Tensor& x);

private:
    int64_t m_dim;
    double m_eps;
    at::Tensor m_weight;
    at::Tensor m_bias;
};

// How RMSNorm applies its weight w (parameter "weight") to n = x_fp32 * rsqrt(mean(x_fp32^2) + eps):
// LlamaRMSNorm: w * n.to(x.dtype). Gemma2RMSNorm / Gemma3RMSNorm (zero-centred weights):
// (n * (1 + w_fp32)).to(x.dtype).
enum class RmsNormWeight { Scale, OnePlusInFp32 };

class RMSNormLayer : public torch::nn::Module {
public:
    RMSNormLayer(int64_t dim, double eps, const at::TensorOptions& options,
                 RmsNormWeight weight = RmsNormWeight::Scale);
    // x: [..., dim] -> [..., dim]
    at::Tensor forward(const at::Tensor& x);

private:
    double m_eps;
    RmsNormWeight m_weightKind;
    at::Tensor m_weight;
};

// x -> act(x), elementwise, formulas as in transformers' ACT2FN.
at::Tensor applyActivation(Activation a, const at::Tensor& x);

} // namespace lorastudio

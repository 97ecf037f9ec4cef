// Rotary position embeddings (rotate-half layout) with rope_scaling default, linear and llama3,
// computed in fp32 and cast to the compute dtype as transformers does.
#pragma once
#include "model/model_spec.h"

#include <ATen/ATen.h>

#include <utility>

namespace lorastudio {

// inv_freq [headDim / 2] (fp32, CPU): theta^(-2i/d), then scaled per spec.ropeScaling.
at::Tensor ropeInverseFrequencies(const ModelSpec& spec);

class RotaryEmbedding {
public:
    explicit RotaryEmbedding(const ModelSpec& spec);
    // positionIds: [B, T] int64 -> (cos, sin): [B, T, headDim] in `dtype`, on positionIds' device.
    std::pair<at::Tensor, at::Tensor> cosSin(const at::Tensor& positionIds, at::ScalarType dtype) const;
    const at::Tensor& inverseFrequencies() const { return m_invFreq; }

private:
    at::Tensor m_invFreq;
};

// q: [B, H, T, D], k: [B, Hkv, T, D], cos/sin: [B, T, D] -> rotated (q, k), same shapes.
std::pair<at::Tensor, at::Tensor> applyRotary(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos,
                                              const at::Tensor& sin);

} // namespace lorastudio

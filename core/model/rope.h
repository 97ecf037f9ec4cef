// Rotary position embeddings (rotate-half layout) with rope_scaling default, linear, llama3 and
// longrope, over all of head_dim or its first rotaryDim() dims (partial_rotary_factor), computed in
// fp32 and cast to the compute dtype as transformers does.
#pragma once
#include "model/model_spec.h"

#include <ATen/ATen.h>

#include <utility>

namespace lorastudio {

// inv_freq [rotaryDim / 2] (fp32, CPU): theta^(-2i/d), then scaled per spec.ropeScaling (longrope:
// its short factors, or the long ones with longFactors).
at::Tensor ropeInverseFrequencies(const ModelSpec& spec, bool longFactors = false);

class RotaryEmbedding {
public:
    explicit RotaryEmbedding(const ModelSpec& spec);
    // positionIds: [B, T] int64 -> (cos, sin): [B, T, rotaryDim] in `dtype`, on positionIds' device.
    // longrope, as transformers 4.x: the long factors when max(positionIds) + 1 exceeds
    // original_max_position_embeddings, else the short ones (decided per call).
    std::pair<at::Tensor, at::Tensor> cosSin(const at::Tensor& positionIds, at::ScalarType dtype) const;
    const at::Tensor& inverseFrequencies() const { return m_invFreq; }

private:
    at::Tensor m_invFreq;
    at::Tensor m_longInvFreq;       // longrope only
    int64_t m_originalMaxPositions = 0;
    double m_attentionFactor = 1.0;
};

// q: [B, H, T, D], k: [B, Hkv, T, D], cos/sin: [B, T, R] with R <= D: the first R dims rotate, the
// rest pass (partial rotary) -> rotated (q, k), same shapes.
std::pair<at::Tensor, at::Tensor> applyRotary(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos,
                                              const at::Tensor& sin);

} // namespace lorastudio

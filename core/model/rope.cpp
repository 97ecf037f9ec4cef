// RoPE frequencies and rotation. The operation order mirrors transformers' modeling_rope_utils so
// that fp32 results agree to the last bits that matter.
#include "model/rope.h"

#include <cmath>

namespace lorastudio {

at::Tensor ropeInverseFrequencies(const ModelSpec& spec) {
    const int64_t dim = spec.headDim;
    auto exponents = at::arange(0, dim, 2, at::kLong).to(at::kFloat) / static_cast<double>(dim);
    auto invFreq = at::reciprocal(at::pow(spec.ropeTheta, exponents));
    const RopeScaling& r = spec.ropeScaling;
    switch (r.type) {
    case RopeType::Default: break;
    case RopeType::Linear: invFreq = invFreq / r.factor; break;
    case RopeType::Llama3: {
        // Llama 3.1: long wavelengths divided by factor, short ones kept, smooth blend between.
        const double oldContext = static_cast<double>(r.originalMaxPositions);
        const double lowFreqWavelen = oldContext / r.lowFreqFactor;
        const double highFreqWavelen = oldContext / r.highFreqFactor;
        auto wavelen = (2 * M_PI) / invFreq;
        auto scaled = at::where(wavelen > lowFreqWavelen, invFreq / r.factor, invFreq);
        auto smooth = (oldContext / wavelen - r.lowFreqFactor) / (r.highFreqFactor - r.lowFreqFactor);
        auto smoothed = (1 - smooth) * scaled / r.factor + smooth * scaled;
        auto isMedium = at::logical_not(wavelen < highFreqWavelen).logical_and(
            at::logical_not(wavelen > lowFreqWavelen));
        invFreq = at::where(isMedium, smoothed, scaled);
        break;
    }
    }
    return invFreq.contiguous();
}

RotaryEmbedding::RotaryEmbedding(const ModelSpec& spec) : m_invFreq(ropeInverseFrequencies(spec)) {}

std::pair<at::Tensor, at::Tensor> RotaryEmbedding::cosSin(const at::Tensor& positionIds,
                                                          at::ScalarType dtype) const {
    auto invFreq = m_invFreq.to(positionIds.device());
    // freqs: [B, T, D/2] = position * inv_freq, in fp32 whatever the compute dtype.
    auto freqs = positionIds.to(at::kFloat).unsqueeze(-1) * invFreq;
    auto emb = at::cat({freqs, freqs}, -1);
    return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

namespace {
at::Tensor rotateHalf(const at::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}
} // namespace

std::pair<at::Tensor, at::Tensor> applyRotary(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos,
                                              const at::Tensor& sin) {
    auto c = cos.unsqueeze(1);  // [B, 1, T, D] broadcasts over heads
    auto s = sin.unsqueeze(1);
    return {q * c + rotateHalf(q) * s, k * c + rotateHalf(k) * s};
}

} // namespace lorastudio

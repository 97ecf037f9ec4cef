// RoPE frequencies and rotation. The operation order mirrors transformers' modeling_rope_utils so
// that fp32 results agree to the last bits that matter.
#include "model/rope.h"

#include <cmath>

namespace lorastudio {

at::Tensor ropeInverseFrequencies(const ModelSpec& spec, bool longFactors) {
    const int64_t dim = spec.rotaryDim();
    auto exponents = at::arange(0, dim, 2, at::kLong).to(at::kFloat) / static_cast<double>(dim);
    const RopeScaling& r = spec.ropeScaling;
    if (r.type == RopeType::LongRope) {
        // 1 / (factors * theta^(2i/d)), as modeling_rope_utils' longrope.
        const auto& factors = longFactors ? r.longFactor : r.shortFactor;
        auto ext = at::tensor(factors, at::kDouble).to(at::kFloat);
        return at::reciprocal(ext * at::pow(spec.ropeTheta, exponents)).contiguous();
    }
    auto invFreq = at::reciprocal(at::pow(spec.ropeTheta, exponents));
    switch (r.type) {
    case RopeType::Default:
    case RopeType::LongRope: break;
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

RotaryEmbedding::RotaryEmbedding(const ModelSpec& spec) : m_invFreq(ropeInverseFrequencies(spec)) {
    if (spec.ropeScaling.type != RopeType::LongRope) return;
    m_longInvFreq = ropeInverseFrequencies(spec, true);
    m_originalMaxPositions = spec.ropeScaling.originalMaxPositions;
    m_attentionFactor = spec.ropeScaling.attentionFactor;
}

std::pair<at::Tensor, at::Tensor> RotaryEmbedding::cosSin(const at::Tensor& positionIds,
                                                          at::ScalarType dtype) const {
    const bool useLong = m_longInvFreq.defined() && positionIds.max().item<int64_t>() + 1 > m_originalMaxPositions;
    auto invFreq = (useLong ? m_longInvFreq : m_invFreq).to(positionIds.device());
    // freqs: [B, T, R/2] = position * inv_freq, in fp32 whatever the compute dtype.
    auto freqs = positionIds.to(at::kFloat).unsqueeze(-1) * invFreq;
    auto emb = at::cat({freqs, freqs}, -1);
    auto cos = emb.cos(), sin = emb.sin();
    if (m_attentionFactor != 1.0) {  // longrope's attention scaling, in fp32 before the cast
        cos = cos * m_attentionFactor;
        sin = sin * m_attentionFactor;
    }
    return {cos.to(dtype), sin.to(dtype)};
}

namespace {
at::Tensor rotateHalf(const at::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}
} // namespace

std::pair<at::Tensor, at::Tensor> applyRotary(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos,
                                              const at::Tensor& sin) {
    auto c = cos.unsqueeze(1);  // [B, 1, T, R] broadcasts over heads
    auto s = sin.unsqueeze(1);
    const int64_t R = cos.size(-1), D = q.size(-1);
    if (R == D) return {q * c + rotateHalf(q) * s, k * c + rotateHalf(k) * s};
    auto rotate = [&](const at::Tensor& x) {  // the first R dims rotate, the rest pass through
        auto part = x.narrow(-1, 0, R);
        return at::cat({part * c + rotateHalf(part) * s, x.narrow(-1, R, D - R)}, -1);
    };
    return {rotate(q), rotate(k)};
}

} // namespace lorastudio

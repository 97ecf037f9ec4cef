// Attention masks and the two attention paths. The eager path follows transformers' eager
// implementation: scores in the compute dtype, masked with the dtype's lowest value, softmax in
// fp32, probabilities cast back. See attention.h.
#include "model/attention.h"

#include <torch/version.h>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
#define LORASTUDIO_HAVE_SDPA 1
#else
#define LORASTUDIO_HAVE_SDPA 0
#endif

namespace lorastudio {

bool sdpaAvailable() { return LORASTUDIO_HAVE_SDPA != 0; }

namespace {

// Runs of one nonzero segment id in segments [B, T] -> the per-example layout (see attention.h), or
// null when the block-diagonal mask over whole rows is cheaper (few examples of very mixed lengths).
std::shared_ptr<const PackedLayout> packedLayout(const at::Tensor& segments, int64_t slidingWindow,
                                                 const at::Device& device) {
    const auto cpu = segments.to(at::kCPU, at::kLong).contiguous();
    const int64_t B = cpu.size(0), T = cpu.size(1);
    const int64_t* seg = cpu.data_ptr<int64_t>();
    std::vector<std::pair<int64_t, int64_t>> runs;  // (flat start, length)
    for (int64_t b = 0; b < B; ++b)
        for (int64_t t = 0; t < T;) {
            const int64_t id = seg[b * T + t];
            int64_t e = t + 1;
            while (e < T && seg[b * T + e] == id) ++e;
            if (id != 0) runs.emplace_back(b * T + t, e - t);
            t = e;
        }
    int64_t lmax = 1;
    for (const auto& r : runs) lmax = std::max(lmax, r.second);
    const int64_t E = std::max<int64_t>(1, static_cast<int64_t>(runs.size()));
    // Per example the scores take E * Lmax^2, over whole rows B * T^2: take the smaller.
    if (E * lmax * lmax >= B * T * T) return nullptr;
    auto gather = at::zeros({E, lmax}, at::kLong);
    auto valid = at::zeros({E, lmax}, at::kLong);
    std::vector<int64_t> rows, positions;
    auto g = gather.accessor<int64_t, 2>();
    auto v = valid.accessor<int64_t, 2>();
    for (size_t e = 0; e < runs.size(); ++e)
        for (int64_t j = 0; j < runs[e].second; ++j) {
            g[int64_t(e)][j] = runs[e].first + j;
            v[int64_t(e)][j] = 1;
            rows.push_back(int64_t(e) * lmax + j);
            positions.push_back(runs[e].first + j);
        }
    auto layout = std::make_shared<PackedLayout>();
    layout->gather = gather.to(device);
    layout->rows = at::tensor(rows, at::kLong).to(device);
    layout->positions = at::tensor(positions, at::kLong).to(device);
    layout->inner = buildAttentionMask(valid.to(device), E, lmax, lmax, slidingWindow, device);
    return layout;
}

} // namespace

AttentionMask buildAttentionMask(const at::Tensor& attentionMask, int64_t batch, int64_t queryLength,
                                 int64_t keyLength, int64_t slidingWindow, const at::Device& device) {
    AttentionMask m;
    m.queryLength = queryLength;
    m.keyLength = keyLength;
    auto opts = at::TensorOptions().dtype(at::kLong).device(device);
    auto qpos = at::arange(keyLength - queryLength, keyLength, opts).view({queryLength, 1});
    auto kpos = at::arange(0, keyLength, opts).view({1, keyLength});
    auto allowed = kpos <= qpos;  // [T, S]
    if (slidingWindow > 0 && keyLength > slidingWindow) {
        // transformers masks keys with q - k >= window.
        allowed = allowed.logical_and(qpos - kpos < slidingWindow);
        m.plainCausal = false;
    }
    allowed = allowed.view({1, 1, queryLength, keyLength});
    if (attentionMask.defined()) {
        auto segments = attentionMask.to(device);
        // One read back for both: the largest id (> 1: packed) and the smallest (0: padding).
        const auto range = at::stack({segments.max(), segments.min()}).to(at::kCPU);
        const int64_t highest = range[0].item<int64_t>(), lowest = range[1].item<int64_t>();
        if (highest > 1) {
            // Packed rows: a query sees the keys of its own example only (block-diagonal causal).
            auto q = segments.narrow(1, keyLength - queryLength, queryLength).view({batch, 1, queryLength, 1});
            auto k = segments.view({batch, 1, 1, keyLength});
            allowed = allowed.logical_and(q.eq(k)).logical_and(k.ne(0));
            m.plainCausal = false;
            if (queryLength == keyLength) m.packed = packedLayout(segments, slidingWindow, device);
        } else if (lowest == 0) {
            allowed = allowed.logical_and(segments.ne(0).view({batch, 1, 1, keyLength}));
            m.plainCausal = false;
        }
    }
    m.allowed = allowed;
    return m;
}

namespace {

// torch.finfo(dtype).min, the value transformers fills masked scores with.
double lowestValue(at::ScalarType t) {
    switch (t) {
    case at::kDouble: return std::numeric_limits<double>::lowest();
    case at::kHalf: return static_cast<double>(std::numeric_limits<c10::Half>::lowest());
    case at::kBFloat16: return static_cast<double>(std::numeric_limits<c10::BFloat16>::lowest());
    default: return static_cast<double>(std::numeric_limits<float>::lowest());
    }
}

// `allowed` as an additive bias [B*Hkv or 1, rep*T, S] in dtype t: the grouped query layout below
// stacks the rep query heads of a kv head along the query axis, so the [T, S] mask repeats rep times.
const at::Tensor& additiveBias(const AttentionMask& mask, int64_t kvHeads, int64_t rep, at::ScalarType t) {
    auto& a = *mask.additive;
    if (a.bias.defined() && a.kvHeads == kvHeads && a.rep == rep && a.dtype == t) return a.bias;
    const auto& allowed = mask.allowed;  // [B or 1, 1, T, S]
    const int64_t b = allowed.size(0), T = allowed.size(2), S = allowed.size(3);
    auto bias = at::zeros(allowed.sizes(), allowed.options().dtype(t)).masked_fill_(allowed.logical_not(), lowestValue(t));
    bias = bias.view({b, 1, 1, T, S}).expand({b, b == 1 ? 1 : kvHeads, rep, T, S}).reshape({b == 1 ? 1 : b * kvHeads, rep * T, S});
    a = {bias.contiguous(), kvHeads, rep, t};
    return a.bias;
}

at::Tensor eagerAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const AttentionMask& mask,
                          double scoreDivisor, double softcap) {
    const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
    const int64_t Hkv = k.size(1), S = k.size(2);
    const int64_t rep = H / Hkv;
    // Grouped-query attention without materialising repeated keys: the rep query heads that share
    // a kv head are stacked along the query axis. q: [B*Hkv, rep*T, D], k^T: [B*Hkv, D, S].
    auto qg = q.reshape({B * Hkv, rep * T, D});
    auto kt = k.reshape({B * Hkv, S, D}).transpose(1, 2);
    // scores = mask + (q k^T) / divisor in one batched GEMM (beta = 1 onto the additive mask, alpha =
    // 1 / divisor), as transformers' eager path adds its finfo.min mask to the scaled scores.
    const auto& bias = additiveBias(mask, Hkv, rep, q.scalar_type());
    at::Tensor scores;  // [B*Hkv, rep*T, S]
    if (softcap > 0) {  // Gemma 2: scaled, capped, then masked
        scores = at::tanh(at::bmm(qg, kt).mul(1.0 / scoreDivisor).div(softcap)).mul(softcap).add(bias);
    } else {
        scores = at::baddbmm(bias, qg, kt, /*beta=*/1, /*alpha=*/1.0 / scoreDivisor);
    }
    auto probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
    auto out = at::bmm(probs, v.reshape({B * Hkv, S, D}));  // [B*Hkv, rep*T, D]
    return out.view({B, H, T, D});
}

#if LORASTUDIO_HAVE_SDPA
at::Tensor sdpaAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const AttentionMask& mask,
                         double scoreDivisor) {
    const int64_t H = q.size(1), Hkv = k.size(1);
    auto kr = k, vr = v;
    if (H != Hkv) {  // [B, Hkv, S, D] -> [B, H, S, D], head h reads kv head h / rep
        const int64_t rep = H / Hkv;
        auto expand = [&](const at::Tensor& x) {
            return x.unsqueeze(2).expand({x.size(0), Hkv, rep, x.size(2), x.size(3)})
                .reshape({x.size(0), H, x.size(2), x.size(3)});
        };
        kr = expand(k);
        vr = expand(v);
    }
    const double scale = 1.0 / scoreDivisor;
    if (mask.plainCausal && mask.queryLength == 1)  // one new token sees every cached key
        return at::scaled_dot_product_attention(q, kr, vr, {}, 0.0, false, scale);
    if (mask.plainCausal && mask.queryLength == mask.keyLength)
        return at::scaled_dot_product_attention(q, kr, vr, {}, 0.0, true, scale);
    // Additive mask (a fully masked padding row then gets a uniform, finite distribution, not NaN).
    auto bias = at::zeros(mask.allowed.sizes(), q.options())
                    .masked_fill(mask.allowed.logical_not(), lowestValue(q.scalar_type()));
    return at::scaled_dot_product_attention(q, kr, vr, bias, 0.0, false, scale);
}
#endif

} // namespace

at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     const AttentionMask& mask, double scoreDivisor, AttentionBackend backend,
                                     double softcap) {
    if (mask.packed) {
        // q: [B, H, T, D] -> [B*T, H, D] -> per example [E, H, Lmax, D]; attention there; back.
        const auto& p = *mask.packed;
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3), Hkv = k.size(1);
        const int64_t E = p.gather.size(0), L = p.gather.size(1);
        auto perExample = [&](const at::Tensor& x, int64_t heads) {
            return x.transpose(1, 2).reshape({B * T, heads, D}).index_select(0, p.gather.view({-1}))
                .view({E, L, heads, D}).transpose(1, 2);
        };
        auto out = scaledDotProductAttention(perExample(q, H), perExample(k, Hkv), perExample(v, Hkv), p.inner,
                                             scoreDivisor, backend, softcap);            // [E, H, L, D]
        auto tokens = out.transpose(1, 2).reshape({E * L, H, D}).index_select(0, p.rows);  // [N, H, D]
        auto flat = at::zeros({B * T, H, D}, out.options()).index_copy(0, p.positions, tokens);
        return flat.view({B, T, H, D}).transpose(1, 2);  // padding positions: 0
    }
#if LORASTUDIO_HAVE_SDPA
    // SDPA has no soft-capping: a capped model always takes the eager path.
    const bool useSdpa = softcap <= 0 && (backend == AttentionBackend::Sdpa || backend == AttentionBackend::Auto);
    if (useSdpa) return sdpaAttention(q, k, v, mask, scoreDivisor);
#else
    (void)backend;
#endif
    return eagerAttention(q, k, v, mask, scoreDivisor, softcap);
}

} // namespace lorastudio

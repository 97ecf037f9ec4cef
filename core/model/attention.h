// Scaled dot-product attention for all architectures: the causal/padding/sliding-window mask, an
// exact eager path (fp32 softmax, the reference on CPU and for the fixtures) and, with
// LibTorch >= 2.1, at::scaled_dot_product_attention on accelerators.
#pragma once
#include <ATen/ATen.h>

#include <memory>

namespace lorastudio {

enum class AttentionBackend {
    Auto,   // SDPA when LibTorch has it (>= 2.1; CPU too), eager otherwise
    Eager,  // always the explicit matmul/softmax path
    Sdpa,   // SDPA when available (falls back to eager on LibTorch < 2.1)
};

struct PackedLayout;

// Which keys each query may see, built once per forward and shared by all layers.
struct AttentionMask {
    at::Tensor allowed;        // bool [B or 1, 1, T, S]: causal & not padding & inside the window
    bool plainCausal = true;   // true: `allowed` is only the causal rule (no padding, no window cut)
    int64_t queryLength = 0;   // T: the queries are the last T of the S keys
    int64_t keyLength = 0;     // S = past + T
    // The eager path's additive form of `allowed` (0 / the dtype's lowest) laid out for its grouped
    // GEMM, [B*Hkv or 1, rep*T, S]: made by the first layer, shared by all (copies share it).
    struct Additive {
        at::Tensor bias;
        int64_t kvHeads = 0, rep = 0;
        at::ScalarType dtype = at::kFloat;
    };
    std::shared_ptr<Additive> additive = std::make_shared<Additive>();
    // Packed rows (see buildAttentionMask): attention runs per example instead of over the row.
    std::shared_ptr<const PackedLayout> packed;
};

// Packed rows as attention sees them: every example (a run of one segment id in a row) gathered
// into its own row of Lmax positions, so attention costs sum(n * Lmax) instead of B * T^2 (the
// varlen attention of flash kernels, done with an index). Built once per forward.
struct PackedLayout {
    at::Tensor gather;     // [E, Lmax] int64: flat position (b*T + t) of each example's tokens (0 past its end)
    at::Tensor rows;       // [N] int64: flat [E*Lmax] positions that hold a token, example by example
    at::Tensor positions;  // [N] int64: the flat b*T + t of those tokens, same order
    AttentionMask inner;   // causal + padding (+ window) over [E, Lmax]
};

// attentionMask: [B, S] (1 = token, 0 = padding) or undefined; slidingWindow 0 = none. Packed rows
// number their examples 1, 2, ... (data/batcher.h): a query then sees only its own example's keys
// (block-diagonal `allowed`, and `packed` for the per-example path; no KV cache then).
AttentionMask buildAttentionMask(const at::Tensor& attentionMask, int64_t batch, int64_t queryLength,
                                 int64_t keyLength, int64_t slidingWindow, const at::Device& device);

// q: [B, H, T, D], k, v: [B, Hkv, S, D] with H a multiple of Hkv (grouped-query attention:
// head h uses kv head h / (H / Hkv)) -> [B, H, T, D]. Scores are (q k^T) / scoreDivisor, and with
// softcap > 0 softcap * tanh(scores / softcap) before the mask (Gemma 2; always the eager path).
at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     const AttentionMask& mask, double scoreDivisor,
                                     AttentionBackend backend = AttentionBackend::Auto, double softcap = 0);

// Whether this build can use at::scaled_dot_product_attention.
bool sdpaAvailable();

} // namespace lorastudio

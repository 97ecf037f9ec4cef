// The SVD of one LoRA update dW = s*B*A without forming the out x in matrix: QR of B and of A^T,
// then the SVD of the small core s*Rb*Ra^T; plus the subspace similarity grid of the LoRA paper.
// Inputs are plain tensors of any floating dtype and device; the work is done in float64.
#pragma once
#include "analysis/analysis_report.h"

#include <ATen/core/Tensor.h>

#include <string>

namespace lorastudio {

struct LowRankSvd {
    at::Tensor sigma;  // [r] float64 on CPU, descending; exact zeros past k = min(out, in, r)
    at::Tensor U;      // [out, k] float64 on the inputs' device, orthonormal columns (only withVectors)
    at::Tensor V;      // [in, k]  float64 on the inputs' device, orthonormal columns (only withVectors)
};

// A: [r, in], B: [out, r] (same device, floating), scaling: s. With B = Qb*Rb, A^T = Qa*Ra:
//   dW = s*B*A = Qb * (s*Rb*Ra^T) * Qa^T,   core = s*Rb*Ra^T: [min(out, r), min(in, r)],
// core = Us*S*Vs^T (on CPU) gives sigma = S, U = Qb*Us, V = Qa*Vs. Cost O((out + in)*r^2 + r^3)
// instead of O(out*in*min(out, in)). r > out or r > in is allowed: the rank is then at most
// min(out, in) and sigma ends in zeros. Without withVectors neither Q is formed (half the cost).
// For an all-zero update U and V are some orthonormal bases (any would do). `where` names the
// module in error messages (bad shapes, non-floating dtype, mixed devices, non-finite values, and
// LibTorch failures, converted to Error).
LowRankSvd loraSvd(const at::Tensor& A, const at::Tensor& B, double scaling, bool withVectors = false,
                   const std::string& where = {});

// The right singular vectors of A [r, in] (its row space, by descending singular value) through
// the QR of A^T: [in, min(r, in)] float64 on A's device. The paper's U_A for subspace similarity.
at::Tensor loraRowSpace(const at::Tensor& A, const std::string& where = {});

// phi(i, j) = ||U1[:, :i]^T U2[:, :j]||_F^2 / min(i, j) for all i <= r1, j <= r2 (Hu et al. 2021,
// "LoRA", Sec. 7.2, Eq. 4), U1: [n, r1], U2: [n, r2] with orthonormal columns ordered by importance.
// One product M = U1^T U2 [r1, r2], then 2-D prefix sums of M^2. Values are clamped into [0, 1].
SubspaceSimilarity subspaceSimilarity(const at::Tensor& U1, const at::Tensor& U2, const std::string& where = {});

// ||W0||_F for a base weight of any layout, dtype and device (accumulated in float64).
double frobeniusNorm(const at::Tensor& W0);

} // namespace lorastudio

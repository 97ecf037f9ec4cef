// See lora_spectrum.h. The tall QRs run on the inputs' device in float64; the small core's SVD
// runs on CPU (a GPU SVD of an r x r matrix costs more in launches and syncs than it saves).
#include "analysis/lora_spectrum.h"

#include "common/error.h"

#include <ATen/Functions.h>

#include <algorithm>
#include <cmath>

namespace lorastudio {

namespace {

std::string label(const std::string& where) { return where.empty() ? "LoRA update" : where; }

std::string shapeOf(const at::Tensor& t) {
    std::string s = "[";
    for (int64_t d = 0; d < t.dim(); ++d) s += (d ? ", " : "") + std::to_string(t.size(d));
    return s + "]";
}

void checkMatrix(const at::Tensor& t, const std::string& what, const std::string& where) {
    if (!t.defined()) throw Error(label(where), what + " is missing");
    if (t.dim() != 2)
        throw Error(label(where), what + " has shape " + shapeOf(t) + ", expected a matrix",
                    "lora_A is [r, in] and lora_B is [out, r]");
    if (!c10::isFloatingType(t.scalar_type()))
        throw Error(label(where), what + " has dtype " + std::string(c10::toString(t.scalar_type())) +
                                      ", expected a floating type");
    if (t.numel() == 0) throw Error(label(where), what + " is empty (shape " + shapeOf(t) + ")");
}

void checkFinite(const at::Tensor& core, const std::string& where, const char* inputs) {
    if (!at::isfinite(core).all().item<bool>())
        throw Error(label(where), std::string("non-finite values (NaN or Inf) in ") + inputs,
                    "did training diverge? try a lower learning rate");
}

// X [m, n] float64 -> (Q [m, min(m, n)], R [min(m, n), n]), Householder QR (reduced). Without
// wantQ, Q is left empty: forming it costs as much again as the factorisation (mode "r").
std::tuple<at::Tensor, at::Tensor> reducedQr(const at::Tensor& X, bool wantQ = true) {
    return at::linalg_qr(X, wantQ ? "reduced" : "r");
}

at::Tensor toDouble(const at::Tensor& t) { return t.detach().to(at::kDouble); }

// Runs f, turning LibTorch's c10::Error (out of memory, a LAPACK failure) into our Error.
template <typename F>
auto torchGuard(const std::string& where, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const c10::Error& e) {
        throw Error(label(where), std::string("torch failed: ") + e.what_without_backtrace());
    }
}

} // namespace

LowRankSvd loraSvd(const at::Tensor& A, const at::Tensor& B, double scaling, bool withVectors,
                   const std::string& where) {
    return torchGuard(where, [&] {
        checkMatrix(A, "lora_A", where);
        checkMatrix(B, "lora_B", where);
        const int64_t r = A.size(0);
        if (B.size(1) != r)
            throw Error(label(where),
                        "lora_A is " + shapeOf(A) + " and lora_B is " + shapeOf(B) +
                            ": the rows of A must equal the columns of B (the rank r)",
                        "lora_A is [r, in] and lora_B is [out, r]; are they swapped?");
        if (A.device() != B.device())
            throw Error(label(where), "lora_A is on " + A.device().str() + " but lora_B on " + B.device().str());
        if (!std::isfinite(scaling)) throw Error(label(where), "the scaling is not a finite number");

        const c10::Device device = A.device();
        auto [Qb, Rb] = reducedQr(toDouble(B), withVectors);      // Qb [out, kb], Rb [kb, r], kb = min(out, r)
        auto [Qa, Ra] = reducedQr(toDouble(A).t(), withVectors);  // Qa [in, ka],  Ra [ka, r], ka = min(in, r)
        const at::Tensor core = Rb.matmul(Ra.t()).mul(scaling).to(at::kCPU);  // [kb, ka]
        checkFinite(core, where, "lora_A or lora_B");

        const int64_t k = std::min(core.size(0), core.size(1));  // = min(out, in, r)
        LowRankSvd out;
        out.sigma = at::zeros({r}, at::TensorOptions().dtype(at::kDouble));
        if (withVectors) {
            auto [Us, S, Vh] = at::linalg_svd(core, /*full_matrices=*/false);  // Us [kb, k], S [k], Vh [k, ka]
            out.sigma.narrow(0, 0, k).copy_(S);
            out.U = Qb.matmul(Us.to(device));      // [out, k]
            out.V = Qa.matmul(Vh.t().to(device));  // [in, k]
        } else {
            out.sigma.narrow(0, 0, k).copy_(at::linalg_svdvals(core));
        }
        return out;
    });
}

at::Tensor loraRowSpace(const at::Tensor& A, const std::string& where) {
    return torchGuard(where, [&] {
        checkMatrix(A, "lora_A", where);
        auto [Qa, Ra] = reducedQr(toDouble(A).t());  // A = Ra^T Qa^T; Qa [in, ka], Ra [ka, r]
        const at::Tensor small = Ra.t().to(at::kCPU);  // [r, ka]
        checkFinite(small, where, "lora_A");
        auto [Us, S, Vh] = at::linalg_svd(small, /*full_matrices=*/false);  // Vh [min(r, ka), ka]
        return Qa.matmul(Vh.t().to(A.device()));  // [in, min(r, in)]
    });
}

SubspaceSimilarity subspaceSimilarity(const at::Tensor& U1, const at::Tensor& U2, const std::string& where) {
    const std::string w = where.empty() ? "subspace similarity" : where;
    checkMatrix(U1, "the first basis", w);
    checkMatrix(U2, "the second basis", w);
    if (U1.size(0) != U2.size(0))
        throw Error(w, "the bases live in different spaces: " + shapeOf(U1) + " vs " + shapeOf(U2),
                    "compare the same module of two adapters of the same base model");
    const at::Tensor M = torchGuard(w, [&] {  // [r1, r2] = U1^T U2
        at::Tensor a = toDouble(U1), b = toDouble(U2);
        if (a.device() != b.device()) {
            a = a.to(at::kCPU);
            b = b.to(at::kCPU);
        }
        return a.t().matmul(b).to(at::kCPU).contiguous();
    });
    const int r1 = static_cast<int>(M.size(0)), r2 = static_cast<int>(M.size(1));
    const auto m = M.accessor<double, 2>();

    // P[i][j] = sum_{a<i, b<j} M[a][b]^2 over a (r1+1) x (r2+1) table with a zero border.
    std::vector<double> P(static_cast<std::size_t>(r1 + 1) * (r2 + 1), 0.0);
    auto p = [&](int i, int j) -> double& { return P[static_cast<std::size_t>(i) * (r2 + 1) + j]; };
    for (int i = 1; i <= r1; ++i)
        for (int j = 1; j <= r2; ++j) {
            const double v = m[i - 1][j - 1];
            p(i, j) = v * v + p(i - 1, j) + p(i, j - 1) - p(i - 1, j - 1);
        }
    SubspaceSimilarity s;
    s.rows = r1;
    s.cols = r2;
    s.phi.resize(static_cast<std::size_t>(r1) * r2);
    for (int i = 1; i <= r1; ++i)
        for (int j = 1; j <= r2; ++j)
            s.phi[static_cast<std::size_t>(i - 1) * r2 + (j - 1)] = std::clamp(p(i, j) / std::min(i, j), 0.0, 1.0);
    return s;
}

double frobeniusNorm(const at::Tensor& W0) {
    if (!W0.defined() || W0.numel() == 0) return 0.0;
    return at::linalg_vector_norm(W0.detach(), 2, c10::nullopt, false, at::kDouble).item<double>();
}

} // namespace lorastudio

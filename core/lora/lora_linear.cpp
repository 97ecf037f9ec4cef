// LoraLinear: forward delta, PEFT's initialisations and merge/unmerge. See lora_linear.h.
#include "lora/lora_linear.h"

#include "common/error.h"
#include "model/cuda_autocast.h"

#include <torch/csrc/autograd/grad_mode.h>

#include <cmath>
#include <tuple>

namespace lorastudio {

namespace {

// The dtype merges and SVDs compute in: fp32, or fp64 for fp64 weights.
at::ScalarType mathType(at::ScalarType t) { return t == at::kDouble ? at::kDouble : at::kFloat; }

// Orthonormal basis of the range of M [m, n] with q columns (torch.svd_lowrank's
// get_approximate_basis): random projection, then niter power iterations.
at::Tensor approximateBasis(const at::Tensor& m, int64_t q, int niter, at::Generator& gen) {
    auto omega = at::empty({m.size(1), q}, m.options().device(at::kCPU)).normal_(0, 1, gen).to(m.device());
    auto basis = std::get<0>(at::linalg_qr(at::matmul(m, omega)));           // [m, q]
    for (int i = 0; i < niter; ++i) {
        auto z = std::get<0>(at::linalg_qr(at::matmul(m.t(), basis)));       // [n, q]
        basis = std::get<0>(at::linalg_qr(at::matmul(m, z)));               // [m, q]
    }
    return basis;
}

Error quantizedBaseError(const std::string& name, const char* what) {
    return Error("LoRA module '" + name + "'", std::string(what) + " needs the full-precision base weight, but it is stored quantized",
                 "merge and export load the original checkpoint (lorastudio-cli merge / export-adapter do)");
}

} // namespace

LoraLinear::LoraLinear(const std::shared_ptr<LinearLayer>& base, std::string name, int r, double alpha,
                       double dropout, bool useRslora, at::ScalarType dtype, std::unique_ptr<LoraVariant> variant)
    : m_base(base), m_name(std::move(name)), m_r(r), m_alpha(alpha), m_dropout(dropout),
      m_conv1d(base->fanInFanOut()), m_variant(variant ? std::move(variant) : std::make_unique<PlainLora>()) {
    if (r < 1) throw Error("LoRA module '" + m_name + "'", "rank must be at least 1, got " + std::to_string(r));
    if (dropout < 0 || dropout >= 1)
        throw Error("LoRA module '" + m_name + "'", "dropout must be in [0, 1), got " + std::to_string(dropout));
    m_scaling = useRslora ? alpha / std::sqrt(double(r)) : alpha / double(r);
    const auto options = base->weight().options().dtype(dtype).requires_grad(false);
    m_a = std::make_shared<LoraFactor>(at::zeros({r, base->inFeatures()}, options).requires_grad_(true));
    m_b = std::make_shared<LoraFactor>(at::zeros({base->outFeatures(), r}, options).requires_grad_(true));
}

std::shared_ptr<LinearLayer> LoraLinear::base() const {
    auto b = m_base.lock();
    if (!b) throw Error("LoRA module '" + m_name + "'", "its base layer no longer exists");
    return b;
}

void LoraLinear::initDefault(at::Generator& generator) {
    torch::NoGradGuard noGrad;
    // kaiming_uniform(a = sqrt(5)) on [r, in]: gain = sqrt(2 / (1 + 5)), bound = gain * sqrt(3 / in).
    const double bound = 1.0 / std::sqrt(double(loraA().size(1)));
    auto a = at::empty(loraA().sizes(), at::dtype(at::kFloat)).uniform_(-bound, bound, generator);
    loraA().copy_(a);
    loraB().zero_();
}

void LoraLinear::initGaussian(at::Generator& generator) {
    torch::NoGradGuard noGrad;
    auto a = at::empty(loraA().sizes(), at::dtype(at::kFloat)).normal_(0.0, 1.0 / m_r, generator);
    loraA().copy_(a);
    loraB().zero_();
}

void LoraLinear::initPissa(int niter, at::Generator& generator) {
    torch::NoGradGuard noGrad;
    auto layer = base();
    if (layer->tied())
        throw Error("LoRA module '" + m_name + "'", "PiSSA cannot initialise a weight shared with the embedding",
                    "leave the tied output head out of target_modules");
    if (layer->quantized())  // a base folder that stores its weights quantized (bitsandbytes)
        throw Error("LoRA module '" + m_name + "'", "PiSSA needs the full-precision base weight, but the base model stores it quantized",
                    "use lora.init: default (or gaussian) with this base, or its 16-bit checkpoint");
    const int64_t k = std::min(layer->inFeatures(), layer->outFeatures());
    if (m_r > k)
        throw Error("LoRA module '" + m_name + "'",
                    "PiSSA rank " + std::to_string(m_r) + " exceeds min(in, out) = " + std::to_string(k),
                    "lower r (or its rank_pattern entry)");
    auto& weightParam = layer->weight();
    at::Tensor w = weightParam.detach().to(mathType(weightParam.scalar_type()));
    if (m_conv1d) w = w.t();                                                  // [out, in]
    at::Tensor u, s, vh;
    if (niter <= 0) {
        std::tie(u, s, vh) = at::linalg_svd(w, /*full_matrices=*/false);     // [out,k] [k] [k,in]
        u = u.narrow(1, 0, m_r);
        s = s.narrow(0, 0, m_r);
        vh = vh.narrow(0, 0, m_r);
    } else {
        auto q = approximateBasis(w, m_r, niter, generator);                  // [out, r]
        at::Tensor ub;
        std::tie(ub, s, vh) = at::linalg_svd(at::matmul(q.t(), w), false);   // [r,r] [r] [r,in]
        u = at::matmul(q, ub);                                                // [out, r]
    }
    auto root = (s / m_scaling).sqrt();                                       // [r]
    auto a = root.unsqueeze(1) * vh;                                          // [r, in]
    auto b = u * root.unsqueeze(0);                                           // [out, r]
    // The residual from the values A and B will actually hold (rounded to the LoRA dtype), so
    // residual + s·B·A == W0 up to rounding. Everything is computed before anything is assigned.
    a = a.to(loraA().scalar_type());
    b = b.to(loraB().scalar_type());
    auto residual = w - m_scaling * at::matmul(b.to(w.scalar_type()), a.to(w.scalar_type()));
    loraA().copy_(a);
    loraB().copy_(b);
    weightParam.copy_(m_conv1d ? residual.t() : residual);
}

at::Tensor LoraLinear::apply(const at::Tensor& x2d, at::Tensor baseResult) {
    return m_variant->apply(*this, x2d, std::move(baseResult));
}

at::Tensor LoraLinear::dropped(const at::Tensor& x) const {
    return m_dropout > 0 && training() ? at::dropout(x, m_dropout, /*train=*/true) : x;
}

at::Tensor LoraLinear::lowRank(const at::Tensor& h) const {
    return at::linear(at::linear(h, m_a->weight()), m_b->weight()) * m_scaling;
}

at::Tensor LoraLinear::delta(const at::Tensor& x) {
    // x: [..., in] -> h: [..., in] in the LoRA dtype -> [..., r] -> [..., out]
    at::Tensor h = x.scalar_type() == loraA().scalar_type() ? x : x.to(loraA().scalar_type());
    at::Tensor y = lowRank(dropped(h));
    return y.scalar_type() == x.scalar_type() ? y : y.to(x.scalar_type());
}

bool LoraLinear::addInto(const at::Tensor& x2d, at::Tensor& y2d) {
    const auto t = loraA().scalar_type();
    const bool sameType = x2d.scalar_type() == t && y2d.scalar_type() == t && loraB().scalar_type() == t;
    if (!sameType && !(x2d.is_cuda() && currentCudaAutocast().enabled)) return false;
    at::Tensor h = at::mm(dropped(x2d), loraA().t());                                               // [N, r]
    const auto yt = y2d.scalar_type();
    y2d.addmm_(h.scalar_type() == yt ? h : h.to(yt), loraB().scalar_type() == yt ? loraB().t() : loraB().to(yt).t(),
               /*beta=*/1, /*alpha=*/m_scaling);                               // [N, out]
    return true;
}

at::Tensor LoraLinear::lowRankDelta() const {
    const auto t = mathType(m_a->weight().scalar_type() == at::kDouble ? at::kDouble
                                                                        : base()->weight().scalar_type());
    auto d = at::matmul(m_b->weight().detach().to(t), m_a->weight().detach().to(t)) * m_scaling; // [out, in]
    return m_conv1d ? d.t() : d;
}

at::Tensor LoraLinear::deltaWeight() {
    torch::NoGradGuard noGrad;
    auto layer = base();
    if (m_merged) throw Error("LoRA module '" + m_name + "'", "is merged: its weight already holds ΔW", "unmerge() first");
    if (layer->quantized()) throw quantizedBaseError(m_name, "ΔW");
    const at::Tensor w = layer->weight().to(lowRankDelta().scalar_type());
    return m_variant->merged(*this, w) - w;
}

void LoraLinear::merge() {
    if (m_merged) throw Error("LoRA module '" + m_name + "'", "is already merged", "unmerge() first");
    auto layer = base();
    if (layer->tied())
        throw Error("LoRA module '" + m_name + "'", "cannot merge into a weight shared with the embedding",
                    "leave the tied output head out of target_modules");
    if (layer->quantized()) throw quantizedBaseError(m_name, "merge");
    torch::NoGradGuard noGrad;
    auto& w = layer->weight();
    w.copy_(m_variant->merged(*this, w.to(mathType(w.scalar_type()))).to(w.scalar_type()));
    m_merged = true;
}

void LoraLinear::unmerge() {
    if (!m_merged) throw Error("LoRA module '" + m_name + "'", "is not merged", "merge() first");
    auto layer = base();
    torch::NoGradGuard noGrad;
    auto& w = layer->weight();
    w.copy_(m_variant->unmerged(*this, w.to(mathType(w.scalar_type()))).to(w.scalar_type()));
    m_merged = false;
}

} // namespace lorastudio

// Chunked next-token loss. See chunked_loss.h.
#include "train/chunked_loss.h"

#include "common/error.h"
#include "model/linear_layer.h"
#include "train/grad_checkpoint.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace lorastudio {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

constexpr int64_t kIgnore = -100;

// [B, T, C] and [B, T] -> the T-1 positions that predict a next token: h [N, C], labels [N].
std::pair<at::Tensor, at::Tensor> shifted(const at::Tensor& hidden, const at::Tensor& labels) {
    if (hidden.dim() != 3 || labels.dim() != 2 || hidden.size(0) != labels.size(0) || hidden.size(1) != labels.size(1))
        throw Error("chunkedNextTokenLoss", "hidden must be [B, T, C] and labels [B, T]");
    const int64_t T = hidden.size(1);
    if (T < 2) throw Error("chunkedNextTokenLoss", "need at least 2 positions to predict a next token");
    auto h = hidden.narrow(1, 0, T - 1).reshape({-1, hidden.size(2)});                 // [N, C]
    auto l = labels.narrow(1, 1, T - 1).reshape({-1}).to(hidden.device(), at::kLong);  // [N]
    return {h, l};
}

// logits [n, V] of a chunk: x W^T (+ b), in the head's dtype (autocast may lower it). No bias: an
// empty tensor (custom autograd functions take no undefined tensors).
at::Tensor headLogits(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
    return bias.numel() > 0 ? at::addmm(bias, x, weight.t()) : at::mm(x, weight.t());
}

// cap * tanh(logits / cap) in the logits' dtype (Gemma 2's final soft-capping); cap 0: unchanged.
at::Tensor softcapped(const at::Tensor& logits, double cap) {
    return cap > 0 ? at::tanh(logits / cap) * cap : logits;
}

// One chunk of the frozen-head path: the per-position NLL [n] (0 where ignored) and, when dh is
// defined, rowScale_i * d(nll_i)/d(h_i) into its rows (rowScale [n, 1] fp32, 0 on ignored rows).
at::Tensor chunkNll(const at::Tensor& hc, const at::Tensor& weight, const at::Tensor& bias, const at::Tensor& lc,
                    double cap, const at::Tensor& rowScale, at::Tensor dh) {
    const auto valid = lc.ne(kIgnore).unsqueeze(1);                          // [n, 1]
    const auto target = lc.masked_fill(lc.eq(kIgnore), 0).unsqueeze(1);      // [n, 1]
    auto logits = headLogits(hc, weight, bias);                              // [n, V]
    at::Tensor capSlope;  // d(capped)/d(logits) = 1 - tanh^2, fp32
    if (cap > 0) {
        auto t = at::tanh(logits / cap);
        if (dh.defined()) capSlope = 1 - t.to(at::kFloat).pow(2);
        logits = t * cap;
    }
    auto lf = logits.scalar_type() == at::kFloat ? logits : logits.to(at::kFloat);
    // One exp pass: e = exp(lf - max) in place, lse = max + log(sum e), softmax = e / sum e.
    const auto picked = lf.gather(1, target);                                // [n, 1]
    const auto rowMax = std::get<0>(lf.max(1, /*keepdim=*/true));            // [n, 1]
    lf.sub_(rowMax).exp_();
    const auto rowSum = lf.sum(1, /*keepdim=*/true);                         // [n, 1]
    const auto nll = (rowSum.log() + rowMax - picked).masked_fill(valid.logical_not(), 0).squeeze(1);
    if (!dh.defined()) return nll;
    // d(nll)/d(logits) = softmax - onehot on counted rows, scaled per row; in place.
    lf.mul_(rowScale / rowSum);
    lf.scatter_add_(1, target, -rowScale);
    if (capSlope.defined()) lf.mul_(capSlope);
    dh.copy_(at::mm(lf.scalar_type() == weight.scalar_type() ? lf : lf.to(weight.scalar_type()), weight));  // [n, C]
    return nll;
}

// The frozen-head path: loss and d(loss)/d(hidden) per chunk in the forward; the backward only
// scales the kept gradient by the incoming one (the loss is a scalar).
struct FusedHeadLoss : public torch::autograd::Function<FusedHeadLoss> {
    // h: [N, C], weight: [V, C], bias: [V] or [0], labels: [N] -> scalar fp32 mean.
    static at::Tensor forward(AutogradContext* ctx, const at::Tensor& h, const at::Tensor& weight,
                              const at::Tensor& bias, const at::Tensor& labels, int64_t chunk, int64_t count,
                              double cap) {
        const bool needGrad = h.requires_grad();
        const int64_t N = h.size(0);
        at::Tensor grad = needGrad ? at::empty_like(h, at::MemoryFormat::Contiguous) : at::Tensor();
        at::Tensor total = at::zeros({}, h.options().dtype(at::kDouble));
        const double inv = count > 0 ? 1.0 / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
        for (int64_t s = 0; s < N; s += chunk) {
            const int64_t n = std::min(chunk, N - s);
            const auto lc = labels.narrow(0, s, n);
            // d(mean CE)/d(logits) = (softmax - onehot) / count on counted rows, 0 elsewhere.
            const auto scale = needGrad ? lc.ne(kIgnore).unsqueeze(1).to(at::kFloat).mul_(inv) : at::Tensor();
            const auto nll = chunkNll(h.narrow(0, s, n), weight, bias, lc, cap, scale,
                                      needGrad ? grad.narrow(0, s, n) : at::Tensor());
            total.add_(nll.sum().to(at::kDouble));
        }
        ctx->save_for_backward({grad});
        return (total * inv).to(at::kFloat);
    }

    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
        const auto grad = ctx->get_saved_variables()[0];
        at::Tensor dh = grad.defined() ? grad * gradOutputs[0].to(grad.scalar_type()) : at::Tensor();
        return {dh, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

// The same per position: [N] fp32 NLL (0 where ignored); the backward scales each kept row by
// its position's incoming gradient.
struct FusedHeadTokenNll : public torch::autograd::Function<FusedHeadTokenNll> {
    static at::Tensor forward(AutogradContext* ctx, const at::Tensor& h, const at::Tensor& weight,
                              const at::Tensor& bias, const at::Tensor& labels, int64_t chunk, double cap) {
        const bool needGrad = h.requires_grad();
        const int64_t N = h.size(0);
        at::Tensor grad = needGrad ? at::empty_like(h, at::MemoryFormat::Contiguous) : at::Tensor();
        at::Tensor out = at::empty({N}, h.options().dtype(at::kFloat));
        for (int64_t s = 0; s < N; s += chunk) {
            const int64_t n = std::min(chunk, N - s);
            const auto lc = labels.narrow(0, s, n);
            const auto scale = needGrad ? lc.ne(kIgnore).unsqueeze(1).to(at::kFloat) : at::Tensor();
            out.narrow(0, s, n).copy_(chunkNll(h.narrow(0, s, n), weight, bias, lc, cap, scale,
                                               needGrad ? grad.narrow(0, s, n) : at::Tensor()));
        }
        ctx->save_for_backward({grad});
        return out;
    }

    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
        const auto grad = ctx->get_saved_variables()[0];
        at::Tensor dh = grad.defined() ? grad * gradOutputs[0].unsqueeze(1).to(grad.scalar_type()) : at::Tensor();
        return {dh, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

bool headTrains(LinearLayer& head) {
    return head.adapter() || head.fanInFanOut() || head.weight().requires_grad() ||
           (head.bias().defined() && head.bias().requires_grad());
}

} // namespace

at::Tensor chunkedNextTokenLoss(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels,
                                int64_t chunkTokens, double logitSoftcap) {
    auto [h, l] = shifted(hidden, labels);
    const int64_t chunk = chunkTokens > 0 ? chunkTokens : lossChunkTokens(head.outFeatures(), hidden.is_cuda());
    const int64_t count = l.ne(kIgnore).sum().item<int64_t>();
    if (!headTrains(head)) {
        const at::Tensor bias = head.bias().defined() ? head.bias() : at::empty({0}, h.options());
        return FusedHeadLoss::apply(h, head.weight(), bias, l, chunk, count, logitSoftcap);
    }

    // A head that learns: every chunk checkpointed; its logits exist again only inside its backward.
    const double inv = count > 0 ? 1.0 / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
    LinearLayer* layer = &head;  // the model owns the head and outlives the backward pass
    at::Tensor total;
    for (int64_t s = 0; s < h.size(0); s += chunk) {
        const int64_t n = std::min(chunk, h.size(0) - s);
        const at::Tensor lc = l.narrow(0, s, n);
        auto part = checkpointedLayer(
            [layer, lc, inv, logitSoftcap](const at::Tensor& x) {
                auto logits = softcapped(layer->forward(x), logitSoftcap).to(at::kFloat);  // [n, V]
                return at::cross_entropy_loss(logits, lc, {}, at::Reduction::Sum, kIgnore) * inv;
            },
            h.narrow(0, s, n));
        total = total.defined() ? total + part : part;
    }
    return total;
}

at::Tensor chunkedTokenNll(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels, int64_t chunkTokens,
                           double logitSoftcap) {
    auto [h, l] = shifted(hidden, labels);
    const int64_t chunk = chunkTokens > 0 ? chunkTokens : lossChunkTokens(head.outFeatures(), hidden.is_cuda());
    const int64_t B = hidden.size(0), T = hidden.size(1);
    if (!headTrains(head)) {
        const at::Tensor bias = head.bias().defined() ? head.bias() : at::empty({0}, h.options());
        return FusedHeadTokenNll::apply(h, head.weight(), bias, l, chunk, logitSoftcap).view({B, T - 1});
    }
    LinearLayer* layer = &head;  // the model owns the head and outlives the backward pass
    std::vector<at::Tensor> parts;
    for (int64_t s = 0; s < h.size(0); s += chunk) {
        const int64_t n = std::min(chunk, h.size(0) - s);
        const at::Tensor lc = l.narrow(0, s, n);
        parts.push_back(checkpointedLayer(
            [layer, lc, logitSoftcap](const at::Tensor& x) {
                auto logits = softcapped(layer->forward(x), logitSoftcap).to(at::kFloat);  // [n, V]
                return at::cross_entropy_loss(logits, lc, {}, at::Reduction::None, kIgnore);
            },
            h.narrow(0, s, n)));
    }
    return at::cat(parts).view({B, T - 1});
}

LossSum nextTokenLossSum(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels, int64_t chunkTokens,
                         double logitSoftcap) {
    at::NoGradGuard noGrad;
    auto [h, l] = shifted(hidden, labels);
    const int64_t chunk = chunkTokens > 0 ? chunkTokens : lossChunkTokens(head.outFeatures(), hidden.is_cuda());
    LossSum out;
    out.count = l.ne(kIgnore).sum().item<int64_t>();
    for (int64_t s = 0; s < h.size(0); s += chunk) {
        const int64_t n = std::min(chunk, h.size(0) - s);
        auto logits = softcapped(head.forward(h.narrow(0, s, n)), logitSoftcap).to(at::kFloat);
        out.sum += at::cross_entropy_loss(logits, l.narrow(0, s, n), {}, at::Reduction::Sum, kIgnore).item<double>();
    }
    return out;
}

} // namespace lorastudio

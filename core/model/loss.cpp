// Next-token cross-entropy. See loss.h.
#include "model/loss.h"

#include "common/error.h"

namespace lorastudio {

at::Tensor nextTokenLoss(const at::Tensor& logits, const at::Tensor& labels, int64_t ignoreIndex) {
    if (logits.dim() != 3 || labels.dim() != 2 || logits.size(0) != labels.size(0) || logits.size(1) != labels.size(1))
        throw Error("nextTokenLoss", "logits must be [B, T, V] and labels [B, T]");
    const int64_t T = logits.size(1), V = logits.size(2);
    if (T < 2) throw Error("nextTokenLoss", "need at least 2 positions to predict a next token");
    auto shiftedLogits = logits.narrow(1, 0, T - 1).reshape({-1, V}).to(at::kFloat);  // [B*(T-1), V]
    auto shiftedLabels = labels.narrow(1, 1, T - 1).reshape({-1}).to(at::kLong);        // [B*(T-1)]
    return at::cross_entropy_loss(shiftedLogits, shiftedLabels, {}, at::Reduction::Mean, ignoreIndex);
}

at::Tensor labelsFromMask(const at::Tensor& inputIds, const at::Tensor& attentionMask, int64_t ignoreIndex) {
    return inputIds.masked_fill(attentionMask.eq(0), ignoreIndex);
}

} // namespace lorastudio

// The next-token loss without full-vocabulary logits: the output head's matmul, the log-softmax and
// the cross-entropy run on chunks of tokens, and gradients are made chunk by chunk, so no [B, T, V]
// tensor exists in training. Equal to nextTokenLoss(head(hidden), labels) (model/loss.h).
#pragma once
#include "model/loss.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace lorastudio {

class LinearLayer;

// Chunk sizes: lossChunkTokens() in model/loss.h (the memory estimate uses it too). A chunk lives
// as about three fp32 [tokens, V] blocks at once (logits, logsumexp's temporaries, the gradient).

// hidden: [B, T, C] final hidden states (CausalLM::forwardHidden), labels: [B, T] int64 with -100
// where no loss is wanted -> scalar fp32: mean over counted positions of CE(head(hidden[:, t]),
// labels[:, t + 1]); NaN when nothing counts (as torch). chunkTokens 0 = lossChunkTokens().
// logitSoftcap > 0 (Gemma 2's final_logit_softcapping): the logits are cap * tanh(logits / cap) in
// the head's dtype first, as the model's forward computes them.
// Two ways, both exact:
//  - a frozen head without adapter (the usual case): one custom autograd node computes, per chunk,
//    the loss and the gradient for hidden ((softmax - onehot) W / count) in the forward and keeps
//    only that [N, C] gradient: one head matmul forward and one backward, as the unchunked path;
//  - a head that trains (LoRA on lm_head, modules_to_save): each chunk is checkpointed and its
//    logits are recomputed in backward (one extra head matmul per chunk).
at::Tensor chunkedNextTokenLoss(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels,
                                int64_t chunkTokens = 0, double logitSoftcap = 0);

// The same per position, for losses made of per-sequence sums (DPO): [B, T-1] fp32, position t
// holding -log p(labels[:, t+1] | hidden[:, t]) (0 where the label is -100), with gradient. Chunked
// as above: no [B, T, V] tensor, and for a frozen head one matmul forward and one backward.
at::Tensor chunkedTokenNll(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels,
                           int64_t chunkTokens = 0, double logitSoftcap = 0);

// The same, summed instead of averaged, with the number of counted positions: for evaluation,
// which weights batches by their token counts. No gradient.
struct LossSum {
    double sum = 0;
    int64_t count = 0;
};
LossSum nextTokenLossSum(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels,
                         int64_t chunkTokens = 0, double logitSoftcap = 0);

} // namespace lorastudio

// Next-token cross-entropy, the language-modelling loss the trainer and the tests share.
#pragma once
#include "model/loss_chunk.h"

#include <ATen/ATen.h>

namespace lorastudio {

// logits: [B, T, V] (any float dtype; computed in fp32), labels: [B, T] int64 (usually the input
// ids, with -100 where no loss is wanted) -> scalar fp32: mean over the counted positions of
// CE(logits[:, t], labels[:, t + 1]). Returns NaN when no position counts, as torch does.
at::Tensor nextTokenLoss(const at::Tensor& logits, const at::Tensor& labels, int64_t ignoreIndex = -100);

// labels from input ids and an attention mask [B, T]: ids where mask == 1, ignoreIndex elsewhere.
at::Tensor labelsFromMask(const at::Tensor& inputIds, const at::Tensor& attentionMask, int64_t ignoreIndex = -100);

} // namespace lorastudio

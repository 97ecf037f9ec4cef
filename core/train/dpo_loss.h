// Direct Preference Optimization (Rafailov et al. 2023) on a batch of preference pairs, with the
// base model as the reference: the adapters are switched off for the reference pass, so no second
// model is held (what TRL does for a PEFT model without ref_model). Conventions as TRL's
// DPOTrainer: log-probabilities are sums over each answer's trained tokens (IPO: their mean), the
// loss is the mean over the pairs, rewards are beta (log pi - log ref).
#pragma once
#include "config/training_settings.h"
#include "train/train_types.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace lorastudio {

class CausalLM;
class LinearLayer;
class TrainableSet;

struct DpoOptions {
    double beta = 0.1;
    DpoLoss loss = DpoLoss::Sigmoid;
    double labelSmoothing = 0;
};
DpoOptions dpoOptions(const TrainingSettings& t);

// Per-row log-probability of the labels: [B] fp32 (sum over counted positions, or their mean when
// `average`; 0 for a row with none), from the final hidden states [B, T, C]; chunked
// (train/chunked_loss.h), with gradient.
at::Tensor sequenceLogProbs(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels, bool average,
                            double logitSoftcap = 0);

struct DpoResult {
    at::Tensor loss;            // scalar fp32: mean over the pairs, with gradient
    at::Tensor losses;          // [P], no gradient
    at::Tensor chosenRewards;   // [P] beta (log pi_c - log ref_c), no gradient
    at::Tensor rejectedRewards; // [P]
};

// The loss from the four [P] log-probabilities (policy with gradient, reference without).
DpoResult dpoLoss(const at::Tensor& policyChosen, const at::Tensor& policyRejected, const at::Tensor& referenceChosen,
                  const at::Tensor& referenceRejected, const DpoOptions& options);

// Sums over pairs of what PreferenceMetrics averages (so micro-batches and ranks add up).
struct PreferenceSums {
    int64_t pairs = 0;
    double loss = 0, rewardChosen = 0, rewardRejected = 0, correct = 0;
    void add(const DpoResult& r);
    PreferenceMetrics mean() const;
};

// One micro-batch of pairs (Batch::pairs rows chosen, then as many rejected) on the model: the
// reference pass with the adapters off and no gradient, then the policy pass. ids, mask, labels
// [2P, T] on the model's device; positions may be undefined.
DpoResult preferenceLoss(CausalLM& model, TrainableSet& adapters, const at::Tensor& ids, const at::Tensor& mask,
                         const at::Tensor& positions, const at::Tensor& labels, int64_t pairs, const DpoOptions& options);

} // namespace lorastudio

// Preference optimization on a batch of pairs (a chosen and a rejected answer to one prompt):
//  - DPO (Rafailov et al. 2023) with the base model as the reference: the adapters are switched off
//    for the reference pass, so no second model is held (what TRL does for a PEFT model without
//    ref_model). Log-probabilities are sums over each answer's trained tokens (IPO: their mean), the
//    loss is the mean over the pairs, rewards are beta (log pi - log ref): TRL's DPOTrainer.
//  - ORPO (Hong et al. 2024), reference-free: the chosen sequences' next-token loss plus the odds
//    ratio term -lambda log sigmoid(log odds(chosen) - log odds(rejected)) on per-token mean
//    log-probabilities; rewards are lambda times those: TRL's ORPOTrainer.
#pragma once
#include "config/training_settings.h"
#include "train/train_types.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace lorastudio {

class CausalLM;
class LinearLayer;
class TrainableSet;

struct PreferenceOptions {
    Objective objective = Objective::Dpo;  // Dpo or Orpo
    double beta = 0.1;                     // DPO's beta, or ORPO's lambda
    DpoLoss loss = DpoLoss::Sigmoid;       // DPO only
    double labelSmoothing = 0;             // DPO sigmoid only
};
PreferenceOptions preferenceOptions(const TrainingSettings& t);

// What a loss is divided by, when it is a share of a larger one (a data-parallel job's micro-batch):
// the job's pairs and the job's chosen tokens ORPO's next-token term counts; 0: this batch's own.
struct PreferenceNorm {
    int64_t pairs = 0;
    int64_t chosenTokens = 0;
};

// Per-row log-probability of the labels: [B] fp32 (sum over counted positions, or their mean when
// `average`; 0 for a row with none), from the final hidden states [B, T, C]; chunked
// (train/chunked_loss.h), with gradient.
at::Tensor sequenceLogProbs(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels, bool average,
                            double logitSoftcap = 0);

struct PreferenceResult {
    at::Tensor loss;            // scalar fp32 with gradient: this batch's (share of the) loss
    at::Tensor losses;          // [P] no gradient: DPO's per-pair loss; ORPO's per-pair odds-ratio term
    at::Tensor chosenRewards;   // [P] no gradient
    at::Tensor rejectedRewards; // [P]
    double nllSum = 0;          // ORPO: the chosen sequences' summed next-token loss
    int64_t chosenTokens = 0;   // ORPO: the tokens it counts
};

// DPO from the four [P] log-probabilities (policy with gradient, reference without).
PreferenceResult dpoLoss(const at::Tensor& policyChosen, const at::Tensor& policyRejected, const at::Tensor& referenceChosen,
                         const at::Tensor& referenceRejected, const PreferenceOptions& options, PreferenceNorm norm = {});

// ORPO from the policy's per-position next-token losses [2P, T-1] (chunkedTokenNll over
// `nllLabels` [2P, T], orpoNllLabels) and `answerLabels` [2P, T] (-100 but on the answers), the
// chosen rows first.
PreferenceResult orpoLoss(const at::Tensor& tokenNll, const at::Tensor& nllLabels, const at::Tensor& answerLabels,
                          int64_t pairs, double lambda, PreferenceNorm norm = {});

// Sums over pairs of what PreferenceMetrics averages (so micro-batches and ranks add up).
struct PreferenceSums {
    int64_t pairs = 0;
    double loss = 0, rewardChosen = 0, rewardRejected = 0, correct = 0;
    double nll = 0, chosenTokens = 0;  // ORPO's next-token term
    void add(const PreferenceResult& r);
    PreferenceMetrics mean() const;
};

// One micro-batch of pairs (Batch::pairs rows chosen, then as many rejected) on the model: DPO's
// reference pass with the adapters off and no gradient, then the policy pass. ids, mask, labels
// [2P, T] on the model's device; positions may be undefined.
PreferenceResult preferenceLoss(CausalLM& model, TrainableSet& adapters, const at::Tensor& ids, const at::Tensor& mask,
                                const at::Tensor& positions, const at::Tensor& labels, int64_t pairs,
                                const PreferenceOptions& options, PreferenceNorm norm = {});

// ORPO's labels for its next-token term: the chosen rows' every attended token after the first (the
// prompt's too, as TRL's ORPOTrainer counts them), the rejected rows' answers. labels, mask [2P, T].
at::Tensor orpoNllLabels(const at::Tensor& ids, const at::Tensor& mask, const at::Tensor& labels, int64_t pairs);

} // namespace lorastudio

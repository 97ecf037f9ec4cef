// See dpo_loss.h.
#include "train/dpo_loss.h"

#include "common/error.h"
#include "model/causal_lm.h"
#include "train/chunked_loss.h"
#include "train/trainable_set.h"

#include <ATen/ATen.h>

namespace lorastudio {

namespace {

constexpr int64_t kIgnore = -100;

// Switches the adapters off for its lifetime (and on again, also when the pass throws).
class AdaptersOff {
public:
    explicit AdaptersOff(TrainableSet& set) : m_set(set) { m_set.setAdaptersEnabled(false); }
    ~AdaptersOff() { m_set.setAdaptersEnabled(true); }
    AdaptersOff(const AdaptersOff&) = delete;
    AdaptersOff& operator=(const AdaptersOff&) = delete;

private:
    TrainableSet& m_set;
};

} // namespace

DpoOptions dpoOptions(const TrainingSettings& t) { return DpoOptions{t.dpoBeta, t.dpoLoss, t.dpoLabelSmoothing}; }

at::Tensor sequenceLogProbs(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels, bool average,
                            double logitSoftcap) {
    const at::Tensor nll = chunkedTokenNll(hidden, head, labels, 0, logitSoftcap);  // [B, T-1]
    at::Tensor logp = nll.sum(1).neg();
    if (!average) return logp;
    const int64_t T = labels.size(1);
    // A row cut so short that no answer token is left has log-probability 0, not 0 / 0.
    const at::Tensor counted = labels.narrow(1, 1, T - 1).ne(kIgnore).sum(1).clamp_min(1).to(logp.device(), at::kFloat);
    return logp / counted;
}

DpoResult dpoLoss(const at::Tensor& policyChosen, const at::Tensor& policyRejected, const at::Tensor& referenceChosen,
                  const at::Tensor& referenceRejected, const DpoOptions& o) {
    const at::Tensor rc = referenceChosen.detach(), rr = referenceRejected.detach();
    const at::Tensor h = (policyChosen - policyRejected) - (rc - rr);  // [P]
    DpoResult r;
    if (o.loss == DpoLoss::Ipo) {
        r.losses = (h - 1.0 / (2.0 * o.beta)).pow(2);
    } else {
        r.losses = at::log_sigmoid(h * o.beta).neg() * (1.0 - o.labelSmoothing);
        if (o.labelSmoothing > 0) r.losses = r.losses - at::log_sigmoid(h * -o.beta) * o.labelSmoothing;
    }
    r.loss = r.losses.mean();
    r.losses = r.losses.detach();
    r.chosenRewards = ((policyChosen.detach() - rc) * o.beta);
    r.rejectedRewards = ((policyRejected.detach() - rr) * o.beta);
    return r;
}

void PreferenceSums::add(const DpoResult& r) {
    const int64_t p = r.losses.size(0);
    pairs += p;
    loss += r.losses.sum().item<double>();
    rewardChosen += r.chosenRewards.sum().item<double>();
    rewardRejected += r.rejectedRewards.sum().item<double>();
    correct += r.chosenRewards.gt(r.rejectedRewards).sum().item<double>();
}

PreferenceMetrics PreferenceSums::mean() const {
    PreferenceMetrics m;
    m.pairs = pairs;
    if (pairs == 0) return m;
    const double n = static_cast<double>(pairs);
    m.loss = loss / n;
    m.rewardChosen = rewardChosen / n;
    m.rewardRejected = rewardRejected / n;
    m.accuracy = correct / n;
    return m;
}

DpoResult preferenceLoss(CausalLM& model, TrainableSet& adapters, const at::Tensor& ids, const at::Tensor& mask,
                         const at::Tensor& positions, const at::Tensor& labels, int64_t pairs, const DpoOptions& o) {
    if (pairs <= 0 || ids.size(0) != 2 * pairs)
        throw Error("DPO", "a preference batch holds its chosen rows, then as many rejected ones");
    const bool average = o.loss == DpoLoss::Ipo;
    const double cap = model.spec().finalLogitSoftcap;
    at::Tensor reference;
    {
        at::NoGradGuard noGrad;
        AdaptersOff off(adapters);
        reference = sequenceLogProbs(model.forwardHidden(ids, mask, positions), model.outputHead(), labels, average, cap);
    }
    const at::Tensor policy = sequenceLogProbs(model.forwardHidden(ids, mask, positions), model.outputHead(), labels, average, cap);
    return dpoLoss(policy.narrow(0, 0, pairs), policy.narrow(0, pairs, pairs), reference.narrow(0, 0, pairs),
                   reference.narrow(0, pairs, pairs), o);
}

} // namespace lorastudio

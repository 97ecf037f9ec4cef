// See preference_loss.h.
#include "train/preference_loss.h"

#include "common/error.h"
#include "model/causal_lm.h"
#include "train/chunked_loss.h"
#include "train/trainable_set.h"

#include <ATen/ATen.h>

#include <algorithm>

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

// [B, T] labels -> [B] fp32: the positions that count (at least 1, so a mean over none is 0).
at::Tensor countedPerRow(const at::Tensor& labels, const at::Device& device) {
    const int64_t T = labels.size(1);
    return labels.narrow(1, 1, T - 1).ne(kIgnore).sum(1).clamp_min(1).to(device, at::kFloat);
}

} // namespace

PreferenceOptions preferenceOptions(const TrainingSettings& t) {
    if (t.objective == Objective::Orpo) return PreferenceOptions{Objective::Orpo, t.orpoBeta, DpoLoss::Sigmoid, 0};
    return PreferenceOptions{Objective::Dpo, t.dpoBeta, t.dpoLoss, t.dpoLabelSmoothing};
}

at::Tensor sequenceLogProbs(const at::Tensor& hidden, LinearLayer& head, const at::Tensor& labels, bool average,
                            double logitSoftcap) {
    const at::Tensor nll = chunkedTokenNll(hidden, head, labels, 0, logitSoftcap);  // [B, T-1]
    const at::Tensor logp = nll.sum(1).neg();
    return average ? logp / countedPerRow(labels, logp.device()) : logp;
}

PreferenceResult dpoLoss(const at::Tensor& policyChosen, const at::Tensor& policyRejected, const at::Tensor& referenceChosen,
                         const at::Tensor& referenceRejected, const PreferenceOptions& o, PreferenceNorm norm) {
    const at::Tensor rc = referenceChosen.detach(), rr = referenceRejected.detach();
    const at::Tensor h = (policyChosen - policyRejected) - (rc - rr);  // [P]
    at::Tensor losses;
    if (o.loss == DpoLoss::Ipo) {
        losses = (h - 1.0 / (2.0 * o.beta)).pow(2);
    } else {
        losses = at::log_sigmoid(h * o.beta).neg() * (1.0 - o.labelSmoothing);
        if (o.labelSmoothing > 0) losses = losses - at::log_sigmoid(h * -o.beta) * o.labelSmoothing;
    }
    PreferenceResult r;
    r.loss = norm.pairs > 0 ? losses.sum() / static_cast<double>(norm.pairs) : losses.mean();
    r.losses = losses.detach();
    r.chosenRewards = (policyChosen.detach() - rc) * o.beta;
    r.rejectedRewards = (policyRejected.detach() - rr) * o.beta;
    return r;
}

PreferenceResult orpoLoss(const at::Tensor& tokenNll, const at::Tensor& nllLabels, const at::Tensor& answerLabels,
                          int64_t pairs, double lambda, PreferenceNorm norm) {
    const int64_t T = answerLabels.size(1);
    const at::Tensor answer = answerLabels.narrow(1, 1, T - 1).ne(kIgnore).to(tokenNll.device(), at::kFloat);  // [2P, T-1]
    // Per-token mean log-probabilities of the answers, and the chosen rows' next-token loss.
    const at::Tensor logp = (tokenNll * answer).sum(1).neg() / countedPerRow(answerLabels, tokenNll.device());
    const at::Tensor chosenNll = tokenNll.narrow(0, 0, pairs);
    const int64_t counted = nllLabels.narrow(0, 0, pairs).narrow(1, 1, T - 1).ne(kIgnore).sum().item<int64_t>();
    const at::Tensor nllSum = chosenNll.sum();
    const at::Tensor lc = logp.narrow(0, 0, pairs), lr = logp.narrow(0, pairs, pairs);
    // log odds(p) = log p - log(1 - p), on the mean log-probabilities.
    const at::Tensor logOdds = (lc - lr) - (at::log1p(lc.exp().neg()) - at::log1p(lr.exp().neg()));
    const at::Tensor terms = at::log_sigmoid(logOdds).mul(-lambda);  // [P]
    PreferenceResult r;
    const double tokens = static_cast<double>(norm.chosenTokens > 0 ? norm.chosenTokens : std::max<int64_t>(1, counted));
    const double n = static_cast<double>(norm.pairs > 0 ? norm.pairs : pairs);
    r.loss = nllSum / tokens + terms.sum() / n;
    r.losses = terms.detach();
    r.chosenRewards = lc.detach() * lambda;
    r.rejectedRewards = lr.detach() * lambda;
    r.nllSum = nllSum.item<double>();
    r.chosenTokens = counted;
    return r;
}

at::Tensor orpoNllLabels(const at::Tensor& ids, const at::Tensor& mask, const at::Tensor& labels, int64_t pairs) {
    at::Tensor out = labels.clone();
    out.narrow(0, 0, pairs).copy_(ids.narrow(0, 0, pairs).masked_fill(mask.narrow(0, 0, pairs).eq(0), kIgnore));
    return out;
}

void PreferenceSums::add(const PreferenceResult& r) {
    pairs += r.losses.size(0);
    loss += r.losses.sum().item<double>();
    rewardChosen += r.chosenRewards.sum().item<double>();
    rewardRejected += r.rejectedRewards.sum().item<double>();
    correct += r.chosenRewards.gt(r.rejectedRewards).sum().item<double>();
    nll += r.nllSum;
    chosenTokens += static_cast<double>(r.chosenTokens);
}

PreferenceMetrics PreferenceSums::mean() const {
    PreferenceMetrics m;
    m.pairs = pairs;
    if (pairs == 0) return m;
    const double n = static_cast<double>(pairs);
    m.loss = loss / n + (chosenTokens > 0 ? nll / chosenTokens : 0.0);
    m.rewardChosen = rewardChosen / n;
    m.rewardRejected = rewardRejected / n;
    m.accuracy = correct / n;
    return m;
}

PreferenceResult preferenceLoss(CausalLM& model, TrainableSet& adapters, const at::Tensor& ids, const at::Tensor& mask,
                                const at::Tensor& positions, const at::Tensor& labels, int64_t pairs,
                                const PreferenceOptions& o, PreferenceNorm norm) {
    if (pairs <= 0 || ids.size(0) != 2 * pairs)
        throw Error("preference loss", "a preference batch holds its chosen rows, then as many rejected ones");
    const double cap = model.spec().finalLogitSoftcap;
    if (o.objective == Objective::Orpo) {
        const at::Tensor hidden = model.forwardHidden(ids, mask, positions);
        const at::Tensor nllLabels = orpoNllLabels(ids, mask, labels, pairs);
        const at::Tensor nll = chunkedTokenNll(hidden, model.outputHead(), nllLabels, 0, cap);
        return orpoLoss(nll, nllLabels, labels, pairs, o.beta, norm);
    }
    const bool average = o.loss == DpoLoss::Ipo;
    at::Tensor reference;
    {
        at::NoGradGuard noGrad;
        AdaptersOff off(adapters);
        reference = sequenceLogProbs(model.forwardHidden(ids, mask, positions), model.outputHead(), labels, average, cap);
    }
    const at::Tensor policy = sequenceLogProbs(model.forwardHidden(ids, mask, positions), model.outputHead(), labels, average, cap);
    return dpoLoss(policy.narrow(0, 0, pairs), policy.narrow(0, pairs, pairs), reference.narrow(0, 0, pairs),
                   reference.narrow(0, pairs, pairs), o, norm);
}

} // namespace lorastudio

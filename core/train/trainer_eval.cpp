// Trainer::evaluate: the validation split's loss (see trainer.h).
#include "train/trainer.h"

#include "train/chunked_loss.h"
#include "train/preference_loss.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <cmath>

namespace lorastudio {

EvalMetrics Trainer::evaluate() {
    const auto& t = m_setup.config.training;
    EvalMetrics e;
    e.step = m_state.step;
    if (m_setup.validation.empty()) return e;
    m_setup.model->eval();
    // In a job each rank evaluates its share of the split; the sums are reduced below.
    DataLoader loader(m_setup.validation, t.batchSize, /*shuffle=*/false, 0, m_setup.padId,
                      batchingOptions(m_setup.config.data), shardOf(m_setup.collective));
    double sum = 0;
    int64_t count = 0;
    PreferenceSums preference;
    {
        at::NoGradGuard noGrad;
        for (int64_t b = 0; b < loader.batchesPerEpoch(); ++b) {
            Batch batch = loader.next();
            if (batch.empty() || batch.labels.size(1) < 2) continue;
            AutocastGuard autocast(m_setup.precision.autocast, m_setup.precision.autocastDtype);
            const auto ids = toTrainingDevice(batch.inputIds, m_setup.device);
            const auto mask = toTrainingDevice(batch.attentionMask, m_setup.device);
            const auto positions = toTrainingDevice(batch.positionIds, m_setup.device);
            const auto labels = toTrainingDevice(batch.labels, m_setup.device);
            if (batch.pairs > 0) {
                preference.add(preferenceLoss(*m_setup.model, *m_setup.trainable, ids, mask, positions, labels,
                                              batch.pairs, preferenceOptions(t)));
                count += batch.trainedTokens;  // the answers' tokens of both sides
                continue;
            }
            auto hidden = m_setup.model->forwardHidden(ids, mask, positions);
            const LossSum part = nextTokenLossSum(hidden, m_setup.model->outputHead(), labels, 0,
                                                  m_setup.model->spec().finalLogitSoftcap);
            sum += part.sum;  // token-weighted over the whole split
            count += part.count;
        }
    }
    m_setup.model->train();
    if (Collective* dist = distributed()) {
        const auto sums = dist->sum({sum, double(count), double(preference.pairs), preference.loss,
                                     preference.rewardChosen, preference.rewardRejected, preference.correct,
                                     preference.nll, preference.chosenTokens},
                                    "evaluation");
        sum = sums[0];
        count = static_cast<int64_t>(sums[1]);
        preference = PreferenceSums{static_cast<int64_t>(sums[2]), sums[3], sums[4], sums[5], sums[6], sums[7], sums[8]};
    }
    if (preference.pairs > 0) {
        e.preference = preference.mean();
        e.loss = e.preference.loss;
        e.perplexity = std::nan("");
        e.tokens = count;
        return e;
    }
    e.tokens = count;
    e.loss = count > 0 ? sum / static_cast<double>(count) : std::nan("");
    e.perplexity = std::exp(e.loss);
    return e;
}

} // namespace lorastudio

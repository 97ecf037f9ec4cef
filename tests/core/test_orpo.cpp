// ORPO (training.objective orpo) against TRL v0.8.6's ORPOTrainer code (tests/fixtures/orpo, see its
// README): per-token mean log-probabilities, odds-ratio terms and rewards as TRL computes them, the
// chosen sequences' next-token loss with padding masked (TRL 0.9.3 and later; 0.8.6 also counted the
// padding), the total loss, LoRA gradients, and three AdamW steps.
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "train/adamw.h"
#include "train/chunked_loss.h"
#include "train/lora_trainable_set.h"
#include "train/preference_loss.h"

#include <ATen/ATen.h>

#include "tensor_files.h"
#include "test_support.h"

#include <QtTest>

using namespace lorastudio;

namespace {

struct Loaded {
    LoadedModel model;
    std::shared_ptr<LoraTrainableSet> set;
    std::map<std::string, at::Tensor> ref;
};

Loaded load(const std::string& name) {
    const std::string dir = testsupport::fixturesDir() + "/models/" + name;
    Loaded l{loadCausalLM(dir + "/model"), nullptr,
             testsupport::readAllTensors(testsupport::sourceDir() + "/tests/fixtures/orpo/" + name + ".safetensors")};
    LoraAttachOptions options;
    options.dtype = at::kFloat;
    l.set = std::make_shared<LoraTrainableSet>(loadAdapter(l.model.model, dir + "/adapter", options), dir + "/model");
    return l;
}

double maxAbs(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble).reshape({-1}) - b.to(at::kDouble).reshape({-1})).abs().max().item<double>();
}

PreferenceResult run(Loaded& l, double lambda) {
    return preferenceLoss(*l.model.model, *l.set, l.ref.at("input_ids"), l.ref.at("attention_mask"), {},
                          l.ref.at("labels"), 2, PreferenceOptions{Objective::Orpo, lambda, DpoLoss::Sigmoid, 0});
}

} // namespace

class TestOrpo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTrl_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("llama") << "llama";
        QTest::newRow("gpt2") << "gpt2";
    }

    void matchesTrl() {
        QFETCH(QString, model);
        Loaded l = load(model.toStdString());
        const PreferenceResult r = run(l, 0.1);
        // TRL's "losses" are beta log sigmoid(log odds), subtracted; ours are the terms added.
        QVERIFY2(maxAbs(r.losses, l.ref.at("losses").neg()) < 2e-6, std::to_string(maxAbs(r.losses, l.ref.at("losses").neg())).c_str());
        QVERIFY(maxAbs(r.chosenRewards, l.ref.at("chosen_rewards")) < 2e-6);
        QVERIFY(maxAbs(r.rejectedRewards, l.ref.at("rejected_rewards")) < 2e-6);
        QCOMPARE(r.chosenTokens, int64_t(20));  // the chosen rows' prompt and answer tokens after the first, no padding
        QVERIFY(std::abs(r.nllSum / double(r.chosenTokens) - l.ref.at("nopad.chosen_nll_loss").item<double>()) < 2e-6);
        const double lossDiff = std::abs(r.loss.item<double>() - l.ref.at("nopad.loss").item<double>());
        QVERIFY2(lossDiff < 2e-6, std::to_string(lossDiff).c_str());
        for (const auto& p : l.set->parameters()) p.tensor.mutable_grad() = at::Tensor();
        r.loss.backward();
        double worst = 0;
        for (const auto& p : l.set->parameters()) {
            const auto& g = l.ref.at("nopad.grad." + p.name);
            const double scale = g.abs().max().item<double>();
            QVERIFY2(p.tensor.grad().defined(), p.name.c_str());
            worst = std::max(worst, maxAbs(p.tensor.grad(), g) / scale);
            QVERIFY2(at::allclose(p.tensor.grad().to(at::kDouble), g.to(at::kDouble), 1e-4, 1e-5 * scale), p.name.c_str());
        }
        qInfo("%s: loss within %.2g, gradients within %.2g of the largest", qPrintable(model), lossDiff, worst);

        // lambda 0.5: the odds-ratio terms scale with it.
        const PreferenceResult half = run(l, 0.5);
        QVERIFY(maxAbs(half.losses, l.ref.at("b05.losses").neg()) < 4e-6);
        // The metrics a step reports: mean DPO-style rewards, accuracy, and the loss rebuilt from sums.
        PreferenceSums sums;
        sums.add(r);
        const PreferenceMetrics m = sums.mean();
        QVERIFY(std::abs(m.loss - l.ref.at("nopad.loss").item<double>()) < 2e-6);
        QCOMPARE(m.pairs, int64_t(2));
    }

    void threeAdamWSteps_data() { matchesTrl_data(); }
    void threeAdamWSteps() {
        QFETCH(QString, model);
        Loaded l = load(model.toStdString());
        AdamWOptions o;
        o.weightDecay = 0;
        AdamW opt(l.set->parameters(), o);
        const auto losses = l.ref.at("nopad.train.losses");
        for (int step = 0; step <= 3; ++step) {
            opt.zeroGrad();
            const PreferenceResult r = run(l, 0.1);
            QVERIFY2(std::abs(r.loss.item<double>() - losses[step].item<double>()) < 4e-6,
                     (std::to_string(step) + ": " + std::to_string(r.loss.item<double>())).c_str());
            if (step == 3) break;
            r.loss.backward();
            opt.step(1e-3);
        }
        // An element whose gradient is near Adam's eps (1e-8) takes steps that follow its gradient's
        // last fp32 digits, which differ between LibTorch builds (gpt2's smallest lora_B gradient is
        // 1.2e-8: after 3 steps 3e-6 apart on LibTorch 1.13, 7e-5 on 2.6 with its SDPA). So: every
        // element whose first gradient is 10x eps or more within 5e-6 (0.5% of one update, lr 1e-3);
        // the few below within 3e-4 (10% of three updates).
        for (const auto& p : l.set->parameters()) {
            const auto& r = l.ref.at("nopad.step3." + p.name);
            const at::Tensor diff = (p.tensor - r).abs();
            const at::Tensor nearEps = l.ref.at("nopad.grad." + p.name).abs().lt(1e-7);
            const at::Tensor off = diff.gt(r.abs() * 1e-5 + 5e-6);
            QVERIFY2(!(off & nearEps.logical_not()).any().item<bool>(), (p.name + " " + std::to_string(maxAbs(p.tensor, r))).c_str());
            QVERIFY2(nearEps.sum().item<int64_t>() * 200 <= nearEps.numel(), p.name.c_str());
            QVERIFY2(!diff.gt(3e-4).any().item<bool>(), p.name.c_str());
        }
    }

    // ORPO has no reference pass: the adapters stay on, and the same batch gives the same loss twice.
    void noReferencePass() {
        Loaded l = load("llama");
        struct Watch : TrainableSet {
            TrainableSet* inner;
            int switched = 0;
            std::vector<TrainableParameter> parameters() const override { return inner->parameters(); }
            std::vector<LoraModuleTensors> loraModules() const override { return inner->loraModules(); }
            void saveAdapter(const std::string& f) const override { inner->saveAdapter(f); }
            void setAdaptersEnabled(bool on) override { ++switched, inner->setAdaptersEnabled(on); }
        } watch;
        watch.inner = l.set.get();
        const auto orpo = preferenceLoss(*l.model.model, watch, l.ref.at("input_ids"), l.ref.at("attention_mask"), {},
                                         l.ref.at("labels"), 2, PreferenceOptions{Objective::Orpo, 0.1, DpoLoss::Sigmoid, 0});
        QCOMPARE(watch.switched, 0);
        preferenceLoss(*l.model.model, watch, l.ref.at("input_ids"), l.ref.at("attention_mask"), {}, l.ref.at("labels"), 2,
                       PreferenceOptions{Objective::Dpo, 0.1, DpoLoss::Sigmoid, 0});
        QCOMPARE(watch.switched, 2);  // DPO: off for the reference, on again
        QCOMPARE(run(l, 0.1).loss.item<double>(), orpo.loss.item<double>());
    }
};

QTEST_APPLESS_MAIN(TestOrpo)
#include "test_orpo.moc"

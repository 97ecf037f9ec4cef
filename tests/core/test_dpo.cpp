// DPO (training.objective dpo) against TRL v0.7.11's DPOTrainer code (tests/fixtures/dpo, see its
// README): log-probabilities, losses, rewards and LoRA gradients of the sigmoid, label-smoothed and
// IPO losses, and three AdamW steps; the chunked per-position loss against the unchunked one.
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "model/linear_layer.h"
#include "model/loader.h"
#include "train/adamw.h"
#include "train/chunked_loss.h"
#include "train/preference_loss.h"
#include "train/lora_trainable_set.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "lora_test_helpers.h"
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
             testsupport::readAllTensors(testsupport::sourceDir() + "/tests/fixtures/dpo/" + name + ".safetensors")};
    LoraAttachOptions options;
    options.dtype = at::kFloat;
    l.set = std::make_shared<LoraTrainableSet>(loadAdapter(l.model.model, dir + "/adapter", options), dir + "/model");
    return l;
}

// |a - b| <= atol + rtol |b| everywhere.
bool close(const at::Tensor& a, const at::Tensor& b, double rtol, double atol) {
    return at::allclose(a.to(at::kDouble), b.to(at::kDouble).reshape(a.sizes()), rtol, atol);
}

double maxAbs(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble).reshape(a.sizes())).abs().max().item<double>();
}

std::string show(const at::Tensor& a, const at::Tensor& b) {
    std::ostringstream s;
    s << "ours " << a.to(at::kDouble).reshape({-1}) << " reference " << b.to(at::kDouble).reshape({-1});
    return s.str();
}

PreferenceResult run(Loaded& l, const PreferenceOptions& o) {
    return preferenceLoss(*l.model.model, *l.set, l.ref.at("input_ids"), l.ref.at("attention_mask"), {},
                          l.ref.at("labels"), 2, o);
}

// Gradients of `loss` for every adapter tensor against ref[prefix + name].
// Returns the largest |difference| relative to the largest reference gradient.
double compareGrads(Loaded& l, const at::Tensor& loss, const std::string& prefix) {
    for (const auto& p : l.set->parameters()) p.tensor.mutable_grad() = at::Tensor();
    loss.backward();
    double worst = 0;
    for (const auto& p : l.set->parameters()) {
        const auto& g = l.ref.at(prefix + p.name);
        if (!p.tensor.grad().defined()) {
            QTest::qFail((p.name + ": no gradient").c_str(), __FILE__, __LINE__);
            return worst;
        }
        worst = std::max(worst, maxAbs(p.tensor.grad(), g) / g.abs().max().item<double>());
        const double scale = g.abs().max().item<double>();
        if (!close(p.tensor.grad(), g, 1e-4, 1e-5 * scale)) {
            QTest::qFail((prefix + p.name + " " + show(p.tensor.grad().flatten().narrow(0, 0, 4), g.flatten().narrow(0, 0, 4))).c_str(),
                         __FILE__, __LINE__);
            return worst;
        }
    }
    return worst;
}

} // namespace

class TestDpo : public QObject {
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
        CausalLM& m = *l.model.model;
        const auto ids = l.ref.at("input_ids"), mask = l.ref.at("attention_mask"), labels = l.ref.at("labels");

        // Log-probabilities: policy with the adapter, reference with it off (and on again after).
        {
            at::NoGradGuard noGrad;
            const auto policy = sequenceLogProbs(m.forwardHidden(ids, mask), m.outputHead(), labels, false);
            QVERIFY2(close(policy.narrow(0, 0, 2), l.ref.at("policy_chosen_logps"), 1e-6, 2e-5),
                     show(policy, l.ref.at("policy_chosen_logps")).c_str());
            QVERIFY(close(policy.narrow(0, 2, 2), l.ref.at("policy_rejected_logps"), 1e-6, 2e-5));
            l.set->setAdaptersEnabled(false);
            const auto reference = sequenceLogProbs(m.forwardHidden(ids, mask), m.outputHead(), labels, false);
            l.set->setAdaptersEnabled(true);
            QVERIFY(close(reference.narrow(0, 0, 2), l.ref.at("reference_chosen_logps"), 1e-6, 2e-5));
            QVERIFY(close(reference.narrow(0, 2, 2), l.ref.at("reference_rejected_logps"), 1e-6, 2e-5));
            const auto averaged = sequenceLogProbs(m.forwardHidden(ids, mask), m.outputHead(), labels, true);
            QVERIFY(close(averaged.narrow(0, 0, 2), l.ref.at("ipo.policy_chosen_logps"), 1e-6, 4e-6));
            QVERIFY(close(averaged.narrow(0, 2, 2), l.ref.at("ipo.policy_rejected_logps"), 1e-6, 4e-6));
        }

        // Sigmoid, beta 0.1: losses, rewards, gradients.
        PreferenceResult d = run(l, PreferenceOptions{Objective::Dpo, 0.1, DpoLoss::Sigmoid, 0});
        QVERIFY2(close(d.losses, l.ref.at("losses"), 1e-5, 2e-6), show(d.losses, l.ref.at("losses")).c_str());
        QVERIFY(close(d.loss, l.ref.at("loss"), 1e-5, 2e-6));
        QVERIFY(close(d.chosenRewards, l.ref.at("chosen_rewards"), 1e-5, 4e-6));
        QVERIFY(close(d.rejectedRewards, l.ref.at("rejected_rewards"), 1e-5, 4e-6));
        const double lossDiff = maxAbs(d.losses, l.ref.at("losses"));
        const double gradDiff = compareGrads(l, d.loss, "grad.");
        if (QTest::currentTestFailed()) return;
        qInfo("%s sigmoid: losses within %.2g, gradients within %.2g of the largest", qPrintable(model), lossDiff, gradDiff);

        // Conservative DPO: beta 0.5, label smoothing 0.1.
        d = run(l, PreferenceOptions{Objective::Dpo, 0.5, DpoLoss::Sigmoid, 0.1});
        QVERIFY2(close(d.losses, l.ref.at("ls.losses"), 1e-5, 4e-6), show(d.losses, l.ref.at("ls.losses")).c_str());
        QVERIFY(close(d.loss, l.ref.at("ls.loss"), 1e-5, 4e-6));
        compareGrads(l, d.loss, "ls.grad.");
        if (QTest::currentTestFailed()) return;

        // IPO on averaged log-probabilities.
        d = run(l, PreferenceOptions{Objective::Dpo, 0.1, DpoLoss::Ipo, 0});
        QVERIFY2(close(d.losses, l.ref.at("ipo.losses"), 1e-5, 1e-5), show(d.losses, l.ref.at("ipo.losses")).c_str());
        QVERIFY(close(d.loss, l.ref.at("ipo.loss"), 1e-5, 1e-5));
    }

    void threeAdamWSteps_data() { matchesTrl_data(); }
    void threeAdamWSteps() {
        QFETCH(QString, model);
        Loaded l = load(model.toStdString());
        AdamWOptions o;
        o.weightDecay = 0;
        AdamW opt(l.set->parameters(), o);
        const auto losses = l.ref.at("train.losses");
        for (int step = 0; step <= 3; ++step) {
            opt.zeroGrad();
            const PreferenceResult d = run(l, PreferenceOptions{Objective::Dpo, 0.1, DpoLoss::Sigmoid, 0});
            QVERIFY2(std::abs(d.loss.item<double>() - losses[step].item<double>()) < 2e-6,
                     (std::to_string(step) + ": " + std::to_string(d.loss.item<double>())).c_str());
            if (step == 3) break;
            d.loss.backward();
            opt.step(1e-3);
        }
        for (const auto& p : l.set->parameters()) {
            const auto& r = l.ref.at("step3." + p.name);
            QVERIFY2(close(p.tensor, r, 1e-5, 1e-6), p.name.c_str());
        }
    }

    // A pair cut so that one answer has no token left: log-probability 0 there (IPO averages over
    // no tokens), so the loss stays finite and the other pair still trains.
    void answerWithoutTokensStaysFinite() {
        Loaded l = load("llama");
        auto labels = l.ref.at("labels").clone();
        labels[3].fill_(-100);
        for (DpoLoss loss : {DpoLoss::Sigmoid, DpoLoss::Ipo}) {
            const PreferenceResult d = preferenceLoss(*l.model.model, *l.set, l.ref.at("input_ids"), l.ref.at("attention_mask"), {},
                                               labels, 2, PreferenceOptions{Objective::Dpo, 0.1, loss, 0});
            QVERIFY(std::isfinite(d.loss.item<double>()));
            QCOMPARE(d.rejectedRewards[1].item<double>(), 0.0);
        }
    }

    // The per-position loss in chunks equals the unchunked cross-entropy, values and gradients, for a
    // frozen head (the fused path) and a head with its own LoRA (the checkpointed path).
    void chunkedTokenNllEqualsUnchunked_data() {
        QTest::addColumn<bool>("headTrains");
        QTest::newRow("frozen head") << false;
        QTest::newRow("lora on lm_head") << true;
    }
    void chunkedTokenNllEqualsUnchunked() {
        QFETCH(bool, headTrains);
        const std::string dir = testsupport::fixturesDir() + "/models/llama";
        auto loaded = loadCausalLM(dir + "/model");
        auto lora = LoraModel::attach(loaded.model, loratest::loraFor(headTrains ? std::vector<std::string>{"q_proj", "lm_head"}
                                                                       : std::vector<std::string>{"q_proj"}));
        {  // B nonzero, so the adapters change the outputs
            at::NoGradGuard g;
            for (auto& p : lora->trainableParameters()) p.second.normal_(0, 0.05);
        }
        at::manual_seed(3);
        const auto ids = at::randint(1, 1000, {3, 11}, at::kLong);
        auto labels = ids.clone();
        labels.narrow(1, 0, 4).fill_(-100);
        labels[2].narrow(0, 8, 3).fill_(-100);
        const auto weights = at::rand({3, 10});
        auto lossWith = [&](bool chunked) {
            const auto hidden = loaded.model->forwardHidden(ids);
            at::Tensor nll;
            if (chunked) {
                nll = chunkedTokenNll(hidden, loaded.model->outputHead(), labels, 7);
            } else {
                const auto logits = loaded.model->outputHead().forward(hidden).narrow(1, 0, 10);
                nll = at::cross_entropy_loss(logits.reshape({-1, logits.size(2)}), labels.narrow(1, 1, 10).reshape({-1}),
                                             {}, at::Reduction::None, -100).view({3, 10});
            }
            return std::make_pair(nll.detach(), (nll * weights).sum());
        };
        std::vector<at::Tensor> grads[2];
        at::Tensor values[2];
        for (int chunked = 0; chunked < 2; ++chunked) {
            auto [nll, loss] = lossWith(chunked == 1);
            values[chunked] = nll;
            for (auto& p : lora->trainableParameters()) p.second.mutable_grad() = at::Tensor();
            loss.backward();
            for (auto& p : lora->trainableParameters()) grads[chunked].push_back(p.second.grad().clone());
        }
        QVERIFY(at::allclose(values[0], values[1], 1e-6, 1e-6));
        QVERIFY(values[1].narrow(1, 0, 3).abs().max().item<double>() == 0);  // ignored positions hold 0
        QCOMPARE(grads[0].size(), grads[1].size());
        for (std::size_t i = 0; i < grads[0].size(); ++i)
            QVERIFY2(at::allclose(grads[1][i], grads[0][i], 1e-5, 1e-6), std::to_string(i).c_str());
    }
};

QTEST_APPLESS_MAIN(TestDpo)
#include "test_dpo.moc"

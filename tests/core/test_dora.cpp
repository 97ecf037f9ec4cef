// DoRA against real PEFT (tests/fixtures/dora, made with PEFT 0.13.2): the adapter PEFT saved loads
// and gives PEFT's logits; merging gives PEFT's merged logits and unmerging restores the weights;
// three AdamW steps follow PEFT's; the adapter we write has PEFT's keys and config. Also the parts
// no fixture can pin: a fresh DoRA starts equal to the base model, and the dropout path computes
// the DoRA formula with the same dropout mask.
#include "analysis/adapter_modules.h"
#include "io/safetensors.h"
#include "lora/dora.h"
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "model/loss.h"
#include "train/adamw.h"
#include "train/lora_trainable_set.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include "tensor_files.h"
#include "test_support.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <set>

using namespace lorastudio;

namespace {

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

std::string fixtureModel(const QString& model) {
    return testsupport::fixturesDir() + "/models/" + model.toStdString() + "/model";
}
std::string doraDir(const QString& model) {
    return testsupport::sourceDir() + "/tests/fixtures/dora/" + model.toStdString();
}
std::map<std::string, at::Tensor> reference(const QString& model) {
    return testsupport::readAllTensors(doraDir(model) + ".safetensors");
}

std::shared_ptr<LoraModel> loadDora(LoadedModel& loaded, const QString& model) {
    LoraAttachOptions options;
    options.dtype = at::kFloat;
    return loadAdapter(loaded.model, doraDir(model) + "/adapter", options);
}

} // namespace

class TestDora : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void models_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : {"gpt2", "llama", "qwen2"}) QTest::newRow(m) << QString(m);
    }

    void peftAdapterGivesPeftLogits_data() { models_data(); }
    void peftAdapterGivesPeftLogits() {
        QFETCH(QString, model);
        auto ref = reference(model);
        auto loaded = loadCausalLM(fixtureModel(model));
        auto lora = loadDora(loaded, model);
        QVERIFY(lora->settings().useDora);
        for (const auto& l : lora->layers()) QCOMPARE(std::string(l->variant().name()), std::string("dora"));
        // PEFT counts the magnitude vectors as trainable.
        QCOMPARE(lora->trainableParameterCount(), ref.at("trainable_and_all_params")[0].item<int64_t>());
        QCOMPARE(lora->allParameterCount(), ref.at("trainable_and_all_params")[1].item<int64_t>());
        at::NoGradGuard noGrad;
        const auto ids = ref.at("input_ids");
        const double d = maxDiff(loaded.model->forward(ids).logits, ref.at("lora_logits"));
        qInfo("%s DoRA logits vs PEFT: %.3g", qPrintable(model), d);
        QVERIFY2(d < 1e-5, std::to_string(d).c_str());
        // Without the magnitude (plain LoRA on the same A, B) the logits are measurably different.
        lora->setEnabled(false);
        QVERIFY(maxDiff(loaded.model->forward(ids).logits, ref.at("lora_logits")) > 1e-4);
    }

    void mergeGivesPeftMergedLogits_data() { models_data(); }
    void mergeGivesPeftMergedLogits() {
        QFETCH(QString, model);
        auto ref = reference(model);
        auto loaded = loadCausalLM(fixtureModel(model));
        auto lora = loadDora(loaded, model);
        std::vector<at::Tensor> before;
        for (const auto& l : lora->layers()) before.push_back(l->base()->weight().clone());
        at::NoGradGuard noGrad;
        const auto ids = ref.at("input_ids");
        lora->merge();
        const double d = maxDiff(loaded.model->forward(ids).logits, ref.at("merged_logits"));
        qInfo("%s DoRA merged logits vs PEFT: %.3g", qPrintable(model), d);
        QVERIFY2(d < 1e-5, std::to_string(d).c_str());
        lora->unmerge();
        for (std::size_t i = 0; i < before.size(); ++i)
            QVERIFY(maxDiff(lora->layers()[i]->base()->weight(), before[i]) < 1e-6);
        QVERIFY(maxDiff(loaded.model->forward(ids).logits, ref.at("lora_logits")) < 1e-5);
    }

    void threeAdamWSteps_data() { models_data(); }
    void threeAdamWSteps() {
        QFETCH(QString, model);
        auto ref = reference(model);
        auto loaded = loadCausalLM(fixtureModel(model));
        auto set = std::make_shared<LoraTrainableSet>(loadDora(loaded, model), fixtureModel(model));
        const auto params = set->parameters();
        int magnitudes = 0;
        for (const auto& p : params) magnitudes += p.name.find("lora_magnitude_vector") != std::string::npos;
        QCOMPARE(magnitudes * 3, int(params.size()));  // A, B and m per module
        AdamWOptions o;
        o.weightDecay = 0.01;
        AdamW opt(params, o);
        const auto ids = ref.at("input_ids");
        const auto losses = ref.at("losses");
        double worst = 0;
        for (int step = 0; step < 3; ++step) {
            opt.zeroGrad();
            auto loss = nextTokenLoss(loaded.model->forward(ids).logits, ids);
            QVERIFY(std::abs(loss.item<double>() - losses[step].item<double>()) < 1e-5);
            loss.backward();
            opt.step(1e-3);
            if (step != 0 && step != 2) continue;
            const std::string tag = step == 0 ? "step1." : "step3.";
            for (const auto& p : params) {
                QVERIFY2(ref.count(tag + p.name), (tag + p.name).c_str());
                const double d = maxDiff(p.tensor, ref.at(tag + p.name));
                worst = std::max(worst, d);
                QVERIFY2(at::allclose(p.tensor.to(at::kDouble), ref.at(tag + p.name).to(at::kDouble), 1e-5, 1e-6),
                         (tag + p.name + ": " + std::to_string(d)).c_str());
            }
        }
        at::NoGradGuard noGrad;
        auto logits = loaded.model->forward(ids).logits;
        QVERIFY(std::abs(nextTokenLoss(logits, ids).item<double>() - losses[3].item<double>()) < 1e-5);
        const double d = maxDiff(logits, ref.at("logits_after_3_steps"));
        qInfo("%s DoRA 3 AdamW steps: tensors %.3g, logits %.3g", qPrintable(model), worst, d);
        QVERIFY2(d < 1e-5, std::to_string(d).c_str());
    }

    void savedAdapterHasPeftKeys_data() { models_data(); }
    void savedAdapterHasPeftKeys() {
        QFETCH(QString, model);
        auto loaded = loadCausalLM(fixtureModel(model));
        auto lora = loadDora(loaded, model);
        const nlohmann::json config = adapterConfigJson(*lora);
        QVERIFY(config.value("use_dora", false));
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/adapter";
        saveAdapter(*lora, out);
        std::set<std::string> ours, peft;
        for (const auto& [n, t] : testsupport::readAllTensors(out + "/adapter_model.safetensors")) ours.insert(n);
        for (const auto& [n, t] : testsupport::readAllTensors(doraDir(model) + "/adapter/adapter_model.safetensors"))
            peft.insert(n);
        QCOMPARE(ours, peft);
        // And it loads back to the same model.
        auto again = loadCausalLM(fixtureModel(model));
        LoraAttachOptions options;
        options.dtype = at::kFloat;
        loadAdapter(again.model, out, options);
        at::NoGradGuard noGrad;
        const auto ids = reference(model).at("input_ids");
        QVERIFY(maxDiff(again.model->forward(ids).logits, loaded.model->forward(ids).logits) < 1e-6);
    }

    // The analysis of a saved DoRA adapter (with its base) studies what the live model's variant
    // reports: diag(m / ||W + s·B·A||)·B with A.
    void analysisOfASavedDoraAdapter() {
        auto loaded = loadCausalLM(fixtureModel("gpt2"));
        auto lora = loadDora(loaded, "gpt2");
        const auto inputs = adapterModuleInputs(doraDir("gpt2") + "/adapter", fixtureModel("gpt2"));
        QCOMPARE(inputs.size(), lora->layers().size());
        for (const auto& in : inputs) {
            auto layer = lora->layer(in.name);
            QVERIFY2(layer, in.name.c_str());
            auto [a, b] = layer->variant().analysisFactors(*layer);
            QVERIFY(maxDiff(in.A, a) < 1e-7);
            QVERIFY(maxDiff(in.B, b) < 1e-6);
            QVERIFY(maxDiff(in.B, layer->loraB()) > 1e-6);  // the magnitude did change B
        }
    }

    void freshDoraStartsAtTheBase() {
        auto loaded = loadCausalLM(fixtureModel("llama"));
        const auto ids = reference("llama").at("input_ids");
        at::Tensor base;
        {
            at::NoGradGuard noGrad;
            base = loaded.model->forward(ids).logits;
        }
        LoraSettings s;
        s.targetModules = ModuleSelection::list({"q_proj", "v_proj", "down_proj"});
        s.r = 4;
        s.useDora = true;
        auto lora = LoraModel::attach(loaded.model, s);
        for (const auto& l : lora->layers()) {
            auto& m = static_cast<Dora&>(l->variant()).magnitude();
            const auto norms = at::linalg_vector_norm(l->base()->weight(), 2, {1});
            QVERIFY(maxDiff(m, norms) < 1e-6);  // m = ||W|| row-wise while B = 0
            QVERIFY(m.requires_grad());
        }
        at::NoGradGuard noGrad;
        QVERIFY(maxDiff(loaded.model->forward(ids).logits, base) < 1e-5);
    }

    void dropoutPathIsTheFormula() {
        // Linear [out 6, in 5] with bias; DoRA with dropout 0.5 in training mode.
        auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
        auto base = std::make_shared<LinearLayer>(5, 6, true, false, at::TensorOptions().dtype(at::kFloat));
        {
            at::NoGradGuard noGrad;
            base->weight().normal_(0, 1, gen);
            base->bias().normal_(0, 1, gen);
        }
        base->weight().requires_grad_(false);
        base->bias().requires_grad_(false);
        LoraLinear lora(base, "x", 2, 4, 0.5, false, at::kFloat, std::make_unique<Dora>());
        lora.initDefault(gen);
        {
            at::NoGradGuard noGrad;
            lora.loraB().normal_(0, 0.3, gen);
        }
        lora.initVariant();
        auto& m = static_cast<Dora&>(lora.variant()).magnitude();
        {
            at::NoGradGuard noGrad;
            m.mul_(1.1);
        }
        lora.moduleA()->train(true);
        auto x = at::randn({7, 5}, gen);
        auto y0 = at::addmm(base->bias(), x, base->weight().t());
        at::manual_seed(11);
        auto y = lora.apply(x, y0.clone());
        at::manual_seed(11);
        auto h = at::dropout(x, 0.5, true);
        const double s = lora.scaling();
        auto w = base->weight();
        auto norm = at::linalg_vector_norm(w + s * at::mm(lora.loraB(), lora.loraA()), 2, {1}).detach();
        auto scale = m / norm;
        auto expect = y0 + (scale - 1) * at::mm(h, w.t()) + scale * s * at::mm(at::mm(h, lora.loraA().t()), lora.loraB().t());
        QVERIFY(maxDiff(y, expect) < 1e-5);
        // The same input in eval mode takes the base-result path: no dropout, the formula with x.
        lora.moduleA()->train(false);
        auto yEval = lora.apply(x, y0.clone());
        auto expectEval = y0 + (scale - 1) * at::mm(x, w.t()) + scale * s * at::mm(at::mm(x, lora.loraA().t()), lora.loraB().t());
        QVERIFY(maxDiff(yEval, expectEval) < 1e-5);
        // Gradients reach m, A and B, none the norm (it is detached).
        yEval.sum().backward();
        QVERIFY(m.grad().defined() && lora.loraA().grad().defined() && lora.loraB().grad().defined());
    }
};

QTEST_APPLESS_MAIN(TestDora)
#include "test_dora.moc"

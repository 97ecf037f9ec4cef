// The LoRA layer itself: init statistics (Kaiming, Gaussian, PiSSA reconstruction), merge/unmerge,
// dropout only in training, a frozen base, bias modes, modules_to_save (targeting:
// test_lora_targets.cpp). Torch headers (in the helpers) come before Qt's.
#include "lora_test_helpers.h"

#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::loratest;
using testsupport::errorOf;

class TestLora : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initDefaultKaiming() {
        auto base = randomLayer(256, 128, false);
        LoraLinear lora(base, "x", 8, 16, 0, false, at::kFloat);
        QCOMPARE(lora.scaling(), 2.0);
        QCOMPARE(lora.loraA().sizes().vec(), (std::vector<int64_t>{8, 256}));
        QCOMPARE(lora.loraB().sizes().vec(), (std::vector<int64_t>{128, 8}));
        auto gen = generator(7);
        lora.initDefault(gen);
        const double bound = 1.0 / 16.0;  // kaiming_uniform(a = sqrt(5)) on fan_in 256
        const auto a = lora.loraA().detach().to(at::kDouble);
        QVERIFY(a.abs().max().item<double>() <= bound);
        QVERIFY(a.abs().max().item<double>() > 0.99 * bound);
        QVERIFY(std::abs(a.mean().item<double>()) < 0.1 * bound);
        QVERIFY(std::abs(a.std().item<double>() / (bound / std::sqrt(3.0)) - 1) < 0.05);
        QCOMPARE(lora.loraB().abs().max().item<double>(), 0.0);
        QVERIFY(lora.loraA().requires_grad() && lora.loraB().requires_grad());
        // Seeded: the same seed gives the same A, another seed another.
        LoraLinear again(base, "x", 8, 16, 0, false, at::kFloat);
        auto gen2 = generator(7);
        again.initDefault(gen2);
        QVERIFY(at::equal(again.loraA(), lora.loraA()));
        auto gen3 = generator(8);
        again.initDefault(gen3);
        QVERIFY(!at::equal(again.loraA(), lora.loraA()));
        // rsLoRA scaling.
        QCOMPARE(LoraLinear(base, "x", 16, 8, 0, true, at::kFloat).scaling(), 2.0);
    }

    void initGaussian() {
        auto base = randomLayer(1024, 64, false);
        LoraLinear lora(base, "x", 8, 16, 0, false, at::kFloat);
        auto gen = generator(3);
        lora.initGaussian(gen);
        const double sd = lora.loraA().std().item<double>();
        QVERIFY2(std::abs(sd / (1.0 / 8) - 1) < 0.05, std::to_string(sd).c_str());
        QVERIFY(std::abs(lora.loraA().mean().item<double>()) < 0.01);
        QCOMPARE(lora.loraB().abs().max().item<double>(), 0.0);
    }

    void initPissaReconstructs_data() {
        QTest::addColumn<bool>("conv1d");
        QTest::addColumn<int>("niter");
        QTest::newRow("linear, full SVD") << false << 0;
        QTest::newRow("conv1d, full SVD") << true << 0;
        QTest::newRow("linear, niter 4") << false << 4;
    }
    void initPissaReconstructs() {
        QFETCH(bool, conv1d);
        QFETCH(int, niter);
        auto base = randomLayer(32, 48, conv1d);
        {
            // A decaying spectrum, so the randomized SVD finds the same top singular vectors.
            torch::NoGradGuard noGrad;
            auto w = base->weight();
            auto usv = at::linalg_svd(w, false);
            auto s = at::pow(0.5, at::arange(std::get<1>(usv).size(0), at::kFloat)) * 10;
            w.copy_(at::matmul(std::get<0>(usv) * s.unsqueeze(0), std::get<2>(usv)));
        }
        const at::Tensor w0 = base->weight().detach().clone();
        LoraLinear lora(base, "x", 4, 8, 0, false, at::kFloat);
        auto gen = generator(5);
        lora.initPissa(niter, gen);
        // residual + s·B·A == W0 (deltaWeight is in the weight's own layout).
        const double dRecon = maxDiff(base->weight() + lora.deltaWeight(), w0);
        QVERIFY2(dRecon < 1e-5, std::to_string(dRecon).c_str());
        QVERIFY(maxDiff(base->weight(), w0) > 1e-2); // the weight did change
        // s·B·A is W0's best rank-4 approximation.
        auto w0Math = conv1d ? w0.t() : w0;                       // [out, in]
        auto usv = at::linalg_svd(w0Math, false);
        auto best = at::matmul(std::get<0>(usv).narrow(1, 0, 4) * std::get<1>(usv).narrow(0, 0, 4).unsqueeze(0),
                               std::get<2>(usv).narrow(0, 0, 4));
        auto delta = conv1d ? lora.deltaWeight().t() : lora.deltaWeight();
        const double dBest = maxDiff(delta, best);
        QVERIFY2(dBest < (niter ? 1e-3 : 1e-4), std::to_string(dBest).c_str());
        // A = sqrt(S_r / s) Vh_r: its row norms are sqrt(S_r / scaling).
        auto rowNorms = lora.loraA().norm(2, {1});
        QVERIFY(maxDiff(rowNorms, (std::get<1>(usv).narrow(0, 0, 4) / 2.0).sqrt()) < 1e-4);
    }

    void initPissaErrors() {
        auto base = randomLayer(8, 6, false);
        LoraLinear lora(base, "tiny", 7, 8, 0, false, at::kFloat);
        auto gen = generator(1);
        QVERIFY(errorOf([&] { lora.initPissa(0, gen); }).find("min(in, out) = 6") != std::string::npos);
        QVERIFY(!errorOf([&] { LoraLinear(base, "x", 0, 8, 0, false, at::kFloat); }).empty());
        QVERIFY(!errorOf([&] { LoraLinear(base, "x", 2, 8, 1.0, false, at::kFloat); }).empty());
    }

    // The delta is B(A(x))·s for both layouts; merging gives the same outputs; unmerge restores W.
    void deltaMergeUnmerge_data() {
        QTest::addColumn<bool>("conv1d");
        QTest::newRow("linear") << false;
        QTest::newRow("conv1d") << true;
    }
    void deltaMergeUnmerge() {
        QFETCH(bool, conv1d);
        auto base = randomLayer(24, 40, conv1d);
        const at::Tensor w0 = base->weight().detach().clone();
        auto lora = std::make_shared<LoraLinear>(base, "x", 4, 12, 0, false, at::kFloat);
        auto gen = generator(2);
        lora->initDefault(gen);
        {
            torch::NoGradGuard noGrad;
            lora->loraB().normal_(0, 0.3, gen);
        }
        auto x = at::randn({3, 5, 24}, gen);                         // [B, T, in]
        torch::NoGradGuard noGrad;
        const auto expectDelta = at::matmul(at::matmul(x, lora->loraA().t()), lora->loraB().t()) * 3.0;
        QVERIFY(maxDiff(lora->delta(x), expectDelta) < 1e-5);
        const auto plain = base->forward(x);
        base->setAdapter(lora);
        const auto adapted = base->forward(x);
        QVERIFY(maxDiff(adapted, plain + expectDelta) < 1e-5);
        QVERIFY(maxDiff(adapted, plain) > 1e-2);
        // ΔW in the weight's layout: [in, out] for Conv1D.
        QCOMPARE(lora->deltaWeight().sizes(), base->weight().sizes());
        base->setAdapter(nullptr);
        lora->merge();
        QVERIFY(lora->merged());
        QVERIFY(maxDiff(base->forward(x), adapted) < 1e-5);
        QVERIFY(!errorOf([&] { lora->merge(); }).empty());
        lora->unmerge();
        QVERIFY(maxDiff(base->weight(), w0) < 1e-6);
        QVERIFY(!errorOf([&] { lora->unmerge(); }).empty());
    }

    void dropoutOnlyInTraining() {
        auto base = randomLayer(64, 32, false);
        LoraLinear lora(base, "x", 4, 8, 0.5, false, at::kFloat);
        auto gen = generator(4);
        lora.initDefault(gen);
        torch::NoGradGuard noGrad;
        lora.loraB().normal_(0, 1, gen);
        auto x = at::randn({8, 64}, gen);
        const auto exact = at::matmul(at::matmul(x, lora.loraA().t()), lora.loraB().t()) * 2.0;
        QVERIFY(lora.training()); // new modules train, like torch's
        const auto t1 = lora.delta(x), t2 = lora.delta(x);
        QVERIFY(maxDiff(t1, t2) > 1e-3);
        QVERIFY(maxDiff(t1, exact) > 1e-3);
        lora.moduleA()->eval();
        QVERIFY(!lora.training());
        QVERIFY(maxDiff(lora.delta(x), exact) < 1e-5);
        QVERIFY(at::equal(lora.delta(x), lora.delta(x)));
    }

    // Attach: base frozen, LoRA trainable, the adapted model starts equal to the base; PiSSA
    // keeps the outputs too; train/eval propagates to LoRA dropout and never merges.
    void attachFreezesBase() {
        auto loaded = loadCausalLM(modelDir("llama"));
        auto model = loaded.model;
        model->eval();
        const auto base = logitsOf(*model);
        LoraSettings s = loraFor({"q_proj", "v_proj", "down_proj"});
        s.loraDropout = 0.1;
        auto lora = LoraModel::attach(model, s);
        QCOMPARE(lora->layers().size(), std::size_t(6));
        int loraParams = 0;
        for (const auto& p : model->named_parameters()) {
            const bool isLora = p.key().find(".lora_") != std::string::npos;
            loraParams += isLora;
            QVERIFY2(p.value().requires_grad() == isLora, p.key().c_str());
        }
        QCOMPARE(loraParams, 12);
        QCOMPARE(lora->trainableParameters().size(), std::size_t(12));
        QCOMPARE(lora->trainableParameters()[0].first, std::string("model.layers.0.self_attn.q_proj.lora_A.weight"));
        QCOMPARE(lora->trainableParameterCount(),
                 int64_t(2 * 4 * ((64 + 64) + (64 + 32) + (176 + 64))));
        QVERIFY(maxDiff(logitsOf(*model), base) < 1e-6);  // B = 0
        QVERIFY(!lora->layers()[0]->training());          // model was in eval mode
        model->train();
        QVERIFY(lora->layers()[0]->training());
        const auto w = lora->layers()[0]->base()->weight().clone();
        model->eval();
        QVERIFY(at::equal(w, lora->layers()[0]->base()->weight()));
        QVERIFY(!lora->merged());
        // A second attach is refused.
        QVERIFY(errorOf([&] { LoraModel::attach(model, s); }).find("already has an adapter") != std::string::npos);
        lora->detach();
        for (const auto& p : model->named_parameters()) QVERIFY(p.value().requires_grad());

        s.init = LoraInit::Pissa;
        lora = LoraModel::attach(model, s);
        QVERIFY(maxDiff(logitsOf(*model), base) < 1e-4);
        QVERIFY(lora->layers()[0]->loraB().abs().max().item<double>() > 0);
        lora->mergeAndDetach(); // residual + s·B·A: the original weights again
        QVERIFY(maxDiff(logitsOf(*model), base) < 1e-4);
    }

    void biasModes() {
        auto model = loadCausalLM(modelDir("gpt2")).model;
        int biasCount = 0;
        for (const auto& p : model->named_parameters()) biasCount += p.key().find("bias") != std::string::npos;
        LoraSettings s = loraFor({"c_attn"});
        auto lora = LoraModel::attach(model, s);
        QCOMPARE(lora->trainableParameters().size(), std::size_t(4));
        QCOMPARE(lora->adapterStateDict().size(), std::size_t(4));
        lora->detach();

        s.bias = LoraBias::All;
        lora = LoraModel::attach(model, s);
        QCOMPARE(int(lora->trainableParameters().size()), 4 + biasCount);
        for (const auto& p : model->named_parameters())
            QCOMPARE(p.value().requires_grad(), p.key().find("bias") != std::string::npos ||
                                                    p.key().find("lora_") != std::string::npos);
        lora->detach();

        s.bias = LoraBias::LoraOnly;
        lora = LoraModel::attach(model, s);
        Names trainable;
        for (const auto& [n, t] : lora->trainableParameters()) trainable.push_back(n);
        QCOMPARE(trainable.size(), std::size_t(6));
        QCOMPARE(trainable[4], std::string("transformer.h.0.attn.c_attn.bias"));
        QVERIFY(!model->named_parameters()["transformer.h.0.attn.c_proj.bias"].requires_grad());
        // Exported under PEFT's wrapper name.
        const auto state = lora->adapterStateDict();
        QCOMPARE(state[4].first, std::string("base_model.model.transformer.h.0.attn.c_attn.base_layer.bias"));
        // Round trip through an adapter folder: the bias comes back.
        {
            torch::NoGradGuard noGrad;
            model->named_parameters()["transformer.h.1.attn.c_attn.bias"].add_(1.0);
        }
        const std::string dir = testsupport::makeTempDir("lora-bias") + "/a";
        saveAdapter(*lora, dir);
        QCOMPARE(readJsonFile(dir + "/adapter_config.json")["bias"].get<std::string>(), std::string("lora_only"));
        auto fresh = loadCausalLM(modelDir("gpt2")).model;
        auto again = loadAdapter(fresh, dir);
        QVERIFY(at::equal(fresh->named_parameters()["transformer.h.1.attn.c_attn.bias"],
                          model->named_parameters()["transformer.h.1.attn.c_attn.bias"]));
    }

    void modulesToSave() {
        auto model = loadCausalLM(modelDir("llama")).model;
        LoraSettings s = loraFor({"q_proj"});
        s.modulesToSave = {"lm_head"};
        s.rankPattern = {{"layers.1.self_attn.q_proj", 2}};
        s.init = LoraInit::Gaussian;
        auto lora = LoraModel::attach(model, s);
        QVERIFY(model->named_parameters()["lm_head.weight"].requires_grad());
        QVERIFY(!model->named_parameters()["model.embed_tokens.weight"].requires_grad());
        const auto state = lora->adapterStateDict();
        QCOMPARE(state.back().first, std::string("base_model.model.lm_head.weight"));
        QCOMPARE(lora->layer("model.layers.1.self_attn.q_proj")->r(), 2);
        {
            torch::NoGradGuard noGrad;
            model->named_parameters()["lm_head.weight"].mul_(2.0);
            lora->layers()[0]->loraB().fill_(0.25);
        }
        const std::string dir = testsupport::makeTempDir("lora-mts") + "/a";
        saveAdapter(*lora, dir);
        const auto config = readJsonFile(dir + "/adapter_config.json");
        QCOMPARE(config["modules_to_save"], nlohmann::json({"lm_head"}));
        QCOMPARE(config["rank_pattern"]["layers.1.self_attn.q_proj"].get<int>(), 2);
        QCOMPARE(config["init_lora_weights"].get<std::string>(), std::string("gaussian"));
        auto fresh = loadCausalLM(modelDir("llama")).model;
        fresh->eval();
        model->eval();
        auto again = loadAdapter(fresh, dir);
        QCOMPARE(again->layer("model.layers.1.self_attn.q_proj")->r(), 2);
        QVERIFY(maxDiff(logitsOf(*fresh), logitsOf(*model)) < 1e-6);
        // An entry naming no module is an error.
        lora->detach();
        s.modulesToSave = {"score"};
        QVERIFY(errorOf([&] { LoraModel::attach(model, s); }).find("'score'") != std::string::npos);
        // A refused attach leaves the model untouched.
        for (const auto& p : model->named_parameters()) {
            QVERIFY(p.key().find("lora_") == std::string::npos);
            QVERIFY(p.value().requires_grad());
        }
        s.modulesToSave = {};
        s.init = LoraInit::Pissa;
        s.rankPattern = {{"q_proj", 65}};
        const auto w = model->named_parameters()["model.layers.0.self_attn.q_proj.weight"].clone();
        QVERIFY(errorOf([&] { LoraModel::attach(model, s); }).find("min(in, out) = 64") != std::string::npos);
        QVERIFY(at::equal(w, model->named_parameters()["model.layers.0.self_attn.q_proj.weight"]));
    }
};

QTEST_APPLESS_MAIN(TestLora)
#include "test_lora.moc"

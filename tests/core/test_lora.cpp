// LoRA unit tests: PEFT 0.8.2's target matching (suffix rule, regex fullmatch, all-linear,
// exclude, layers_to_transform, rank/alpha patterns, errors), and the LoRA layer itself (init
// statistics, PiSSA reconstruction, frozen base, bias modes, dropout only in training).
// Torch headers come before Qt's.
#include "common/error.h"
#include "common/json_file.h"
#include "lora/target_matching.h"
#include "io/safetensors.h"
#include "lora/export_folder.h"
#include "lora/lora_linear.h"
#include "lora/lora_model.h"
#include "common/python_format.h"
#include "lora/merged_export.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "model/model_spec.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>


#include "test_support.h"

#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <functional>

using namespace lorastudio;

namespace {

const std::vector<std::string> kLlamaNames = {
    "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj", "model.layers.0.self_attn.v_proj",
    "model.layers.0.self_attn.o_proj", "model.layers.0.mlp.gate_proj",    "model.layers.0.mlp.up_proj",
    "model.layers.0.mlp.down_proj",    "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.k_proj",
    "model.layers.1.self_attn.v_proj", "model.layers.1.self_attn.o_proj", "model.layers.1.mlp.gate_proj",
    "model.layers.1.mlp.up_proj",      "model.layers.1.mlp.down_proj",    "lm_head"};

const std::vector<std::string> kGpt2Names = {
    "transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_fc",
    "transformer.h.0.mlp.c_proj",  "transformer.h.1.attn.c_attn", "transformer.h.1.attn.c_proj",
    "transformer.h.1.mlp.c_fc",    "transformer.h.1.mlp.c_proj",  "lm_head"};

LoraSettings withTargets(ModuleSelection targets) {
    LoraSettings s;
    s.targetModules = std::move(targets);
    return s;
}

using Names = std::vector<std::string>;

std::string modelDir(const char* name) { return testsupport::fixturesDir() + "/models/" + name + "/model"; }

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// A standalone layer with seeded random weights. x: [.., in] -> [.., out]
std::shared_ptr<LinearLayer> randomLayer(int64_t in, int64_t out, bool conv1d, uint64_t seed = 1) {
    auto layer = std::make_shared<LinearLayer>(in, out, false, conv1d, at::dtype(at::kFloat));
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    torch::NoGradGuard noGrad;
    layer->weight().normal_(0, 0.5, gen);
    return layer;
}

at::Generator generator(uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

LoraSettings loraFor(std::vector<std::string> targets, int r = 4, double alpha = 8) {
    LoraSettings s;
    s.targetModules = ModuleSelection::list(std::move(targets));
    s.r = r;
    s.loraAlpha = alpha;
    s.loraDropout = 0;
    return s;
}

at::Tensor probeIds() { return at::arange(32, at::kLong).remainder(997).view({2, 16}); }

at::Tensor logitsOf(CausalLM& model) {
    torch::NoGradGuard noGrad;
    return model.forward(probeIds()).logits;
}

using testsupport::errorOf;

} // namespace

class TestLora : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listSuffixRule() {
        auto m = matchTargetModules(kLlamaNames, withTargets(ModuleSelection::list({"q_proj", "v_proj"})));
        QCOMPARE(m, (Names{"model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                           "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"}));
        // A suffix must start at a dot: "proj" is not ".proj" of "q_proj".
        QVERIFY(!errorOf([] { matchTargetModules(kLlamaNames, withTargets(ModuleSelection::list({"proj"}))); })
                     .empty());
        // Multi-component entries and full names.
        m = matchTargetModules(kLlamaNames, withTargets(ModuleSelection::list({"mlp.up_proj", "lm_head"})));
        QCOMPARE(m, (Names{"model.layers.0.mlp.up_proj", "model.layers.1.mlp.up_proj", "lm_head"}));
        m = matchTargetModules(kLlamaNames,
                               withTargets(ModuleSelection::list({"model.layers.1.self_attn.k_proj"})));
        QCOMPARE(m, (Names{"model.layers.1.self_attn.k_proj"}));
        // GPT-2: c_proj is both the attention and the MLP output.
        m = matchTargetModules(kGpt2Names, withTargets(ModuleSelection::list({"c_proj"})));
        QCOMPARE(m.size(), std::size_t(4));
        m = matchTargetModules(kGpt2Names, withTargets(ModuleSelection::list({"attn.c_proj"})));
        QCOMPARE(m, (Names{"transformer.h.0.attn.c_proj", "transformer.h.1.attn.c_proj"}));
    }

    void regexIsFullMatch() {
        auto m = matchTargetModules(kLlamaNames, withTargets(ModuleSelection::fromRegex(R"(.*\.(q|k)_proj)")));
        QCOMPARE(m, (Names{"model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
                           "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.k_proj"}));
        // re.fullmatch: a pattern matching only a part of the name does not count.
        QVERIFY(!errorOf([] { matchTargetModules(kLlamaNames, withTargets(ModuleSelection::fromRegex("q_proj"))); })
                     .empty());
        QVERIFY(!selectionMatches(ModuleSelection::fromRegex("model"), "model.layers.0.self_attn.q_proj"));
        // Alternation must cover the whole name too (fullmatch backtracks into the second branch).
        QVERIFY(selectionMatches(ModuleSelection::fromRegex("lm|lm_head"), "lm_head"));
        m = matchTargetModules(kLlamaNames, withTargets(ModuleSelection::fromRegex(R"(model\.layers\.1\..*)")));
        QCOMPARE(m.size(), std::size_t(7));
        // Invalid regex: an Error naming the setting.
        const auto err = errorOf(
            [] { matchTargetModules(kLlamaNames, withTargets(ModuleSelection::fromRegex("(q_proj"))); });
        QVERIFY2(err.find("lora.target_modules") != std::string::npos, err.c_str());
        QVERIFY2(err.find("(q_proj") != std::string::npos, err.c_str());
    }

    void allLinearExcludesHead() {
        auto m = matchTargetModules(kLlamaNames, withTargets(ModuleSelection::allLinear()));
        QCOMPARE(m.size(), kLlamaNames.size() - 1);
        QVERIFY(std::find(m.begin(), m.end(), "lm_head") == m.end());
        QCOMPARE(allLinearSuffixes(kGpt2Names), (Names{"c_attn", "c_fc", "c_proj"}));
        QCOMPARE(allLinearSuffixes(kLlamaNames),
                 (Names{"down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"}));
        m = matchTargetModules(kGpt2Names, withTargets(ModuleSelection::fromRegex("ALL-LINEAR")));
        QCOMPARE(m.size(), kGpt2Names.size() - 1);
    }

    void excludeModules() {
        LoraSettings s = withTargets(ModuleSelection::allLinear());
        s.excludeModules = ModuleSelection::list({"mlp.down_proj", "model.layers.0.self_attn.q_proj"});
        auto m = matchTargetModules(kLlamaNames, s);
        QCOMPARE(m.size(), std::size_t(11));
        QVERIFY(std::find(m.begin(), m.end(), "model.layers.0.self_attn.q_proj") == m.end());
        QVERIFY(std::find(m.begin(), m.end(), "model.layers.1.self_attn.q_proj") != m.end());
        s.excludeModules = ModuleSelection::fromRegex(R"(.*layers\.1\..*)");
        m = matchTargetModules(kLlamaNames, s);
        QCOMPARE(m.size(), std::size_t(7));
        // Excluding everything is the no-match error, mentioning the exclusion.
        s.targetModules = ModuleSelection::list({"q_proj"});
        s.excludeModules = ModuleSelection::list({"q_proj"});
        const auto err = errorOf([&] { matchTargetModules(kLlamaNames, s); });
        QVERIFY2(err.find("exclude_modules") != std::string::npos, err.c_str());
        s.excludeModules = ModuleSelection::allLinear();
        QVERIFY(!errorOf([&] { matchTargetModules(kLlamaNames, s); }).empty());
    }

    void layersToTransform() {
        QCOMPARE(layerIndexOf("model.layers.12.self_attn.q_proj"), 12);
        QCOMPARE(layerIndexOf("transformer.h.3.attn.c_attn"), 3);
        QCOMPARE(layerIndexOf("lm_head"), -1);
        QCOMPARE(layerIndexOf("layers.0.q_proj"), -1); // PEFT's pattern needs a dot before the word
        LoraSettings s = withTargets(ModuleSelection::list({"q_proj", "v_proj"}));
        s.layersToTransform = {1};
        auto m = matchTargetModules(kLlamaNames, s);
        QCOMPARE(m, (Names{"model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"}));
        s = withTargets(ModuleSelection::list({"c_attn"}));
        s.layersToTransform = {0};
        QCOMPARE(matchTargetModules(kGpt2Names, s), (Names{"transformer.h.0.attn.c_attn"}));
        // all-linear + layers: the head is never taken; layers filter the rest.
        s = withTargets(ModuleSelection::allLinear());
        s.layersToTransform = {0};
        QCOMPARE(matchTargetModules(kGpt2Names, s).size(), std::size_t(4));
        // PEFT applies layers_to_transform neither to full names nor to regexes.
        s = withTargets(ModuleSelection::list({"model.layers.0.self_attn.q_proj"}));
        s.layersToTransform = {1};
        QCOMPARE(matchTargetModules(kLlamaNames, s), (Names{"model.layers.0.self_attn.q_proj"}));
        s = withTargets(ModuleSelection::fromRegex(R"(.*q_proj)"));
        s.layersToTransform = {1};
        QCOMPARE(matchTargetModules(kLlamaNames, s).size(), std::size_t(2));
        // A layer that does not exist: nothing left, an error naming the layers.
        s = withTargets(ModuleSelection::list({"q_proj"}));
        s.layersToTransform = {7};
        const auto err = errorOf([&] { matchTargetModules(kLlamaNames, s); });
        QVERIFY2(err.find("[7]") != std::string::npos, err.c_str());
    }

    void rankAndAlphaPatterns() {
        LoraSettings s = withTargets(ModuleSelection::allLinear());
        s.r = 8;
        s.loraAlpha = 16;
        s.rankPattern = {{"q_proj", 4}, {"layers.1.mlp.up_proj", 2}};
        s.alphaPattern = {{"v_proj", 32}, {"q_proj", 3}};
        auto ra = rankAndAlphaFor("model.layers.0.self_attn.q_proj", s);
        QCOMPARE(ra.r, 4);
        QCOMPARE(ra.alpha, 3.0); // same key in both maps
        ra = rankAndAlphaFor("model.layers.0.self_attn.v_proj", s);
        QCOMPARE(ra.r, 8);
        QCOMPARE(ra.alpha, 32.0);
        ra = rankAndAlphaFor("model.layers.1.mlp.up_proj", s);
        QCOMPARE(ra.r, 2);
        QCOMPARE(ra.alpha, 16.0);
        ra = rankAndAlphaFor("model.layers.0.mlp.up_proj", s);
        QCOMPARE(ra.r, 8);
        // Key must end the name after a dot: "proj" alone does not match "q_proj".
        s.rankPattern = {{"proj", 5}};
        s.alphaPattern = {};
        QCOMPARE(rankAndAlphaFor("model.layers.0.self_attn.q_proj", s).r, 8);
        // First key in order wins, and PEFT 0.8.2 looks that one key up in both maps: a module
        // matching the rank key "q_proj" does not also take alpha from "self_attn.q_proj".
        s.rankPattern = {{"q_proj", 4}};
        s.alphaPattern = {{"self_attn.q_proj", 64}};
        ra = rankAndAlphaFor("model.layers.0.self_attn.q_proj", s);
        QCOMPARE(ra.r, 4);
        QCOMPARE(ra.alpha, 16.0);
        // Regex keys.
        s.rankPattern = {{R"(layers\.[01]\.self_attn\.(k|v)_proj)", 6}};
        s.alphaPattern = {};
        QCOMPARE(rankAndAlphaFor("model.layers.1.self_attn.k_proj", s).r, 6);
        QCOMPARE(rankAndAlphaFor("model.layers.1.self_attn.q_proj", s).r, 8);
    }

    void planFromSpec() {
        ModelSpec spec;
        spec.architecture = Architecture::Gpt2;
        spec.vocabSize = 100;
        spec.hiddenSize = 16;
        spec.numLayers = 2;
        spec.numHeads = 2;
        spec.numKvHeads = 2;
        spec.headDim = 8;
        spec.intermediateSize = 64;
        spec.maxPositions = 32;
        spec.tieWordEmbeddings = true;
        spec.qkvBias = spec.outputBias = spec.mlpBias = true;
        const auto shapes = linearModuleShapes(spec);
        Names names;
        for (const auto& s : shapes) names.push_back(s.name);
        QCOMPARE(names, kGpt2Names);
        QVERIFY(shapes[0].conv1d);
        QCOMPARE(shapes[0].inFeatures, int64_t(16));
        QCOMPARE(shapes[0].outFeatures, int64_t(48));
        QVERIFY(!shapes.back().conv1d);
        QVERIFY(shapes.back().tied);

        LoraSettings s = withTargets(ModuleSelection::list({"c_attn", "c_fc"}));
        s.r = 4;
        s.loraAlpha = 8;
        s.rankPattern = {{"c_fc", 16}};
        auto plan = planLoraTargets(spec, s);
        QCOMPARE(plan.size(), std::size_t(4));
        QCOMPARE(plan[0].scaling, 2.0);
        QCOMPARE(plan[0].parameterCount(), int64_t(4 * (16 + 48)));
        QCOMPARE(plan[1].name, std::string("transformer.h.0.mlp.c_fc"));
        QCOMPARE(plan[1].r, 16);
        QCOMPARE(plan[1].scaling, 0.5);
        s.useRslora = true;
        plan = planLoraTargets(spec, s);
        QCOMPARE(plan[0].scaling, 4.0); // 8 / sqrt(4)
        s.rankPattern = {{"c_fc", 0}};
        QVERIFY(!errorOf([&] { planLoraTargets(spec, s); }).empty());
    }

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

    // The exported config expands all-linear as PEFT does and names excluded selections in full.
    void exportedTargetModules() {
        auto model = loadCausalLM(modelDir("gpt2")).model;
        LoraSettings s = loraFor({});
        s.targetModules = ModuleSelection::allLinear();
        auto lora = LoraModel::attach(model, s);
        QCOMPARE(lora->layers().size(), std::size_t(8));
        auto j = adapterConfigJson(*lora);
        QCOMPARE(j["target_modules"], nlohmann::json({"c_attn", "c_fc", "c_proj"}));
        QCOMPARE(j["fan_in_fan_out"].get<bool>(), true);
        QCOMPARE(j["lora_alpha"].dump(), std::string("8"));
        lora->detach();
        s.excludeModules = ModuleSelection::list({"mlp.c_proj"});
        s.layersToTransform = {1};
        lora = LoraModel::attach(model, s);
        j = adapterConfigJson(*lora);
        QCOMPARE(j["target_modules"], nlohmann::json({"transformer.h.1.attn.c_attn", "transformer.h.1.attn.c_proj",
                                                      "transformer.h.1.mlp.c_fc"}));
        QCOMPARE(j["layers_to_transform"], nlohmann::json({1}));
        // Read back, the same modules are selected.
        const std::string dir = testsupport::makeTempDir("lora-targets") + "/a";
        saveAdapter(*lora, dir);
        const auto config = readAdapterConfig(dir, Architecture::Gpt2);
        auto again = LoraModel::attach(loadCausalLM(modelDir("gpt2")).model, config.settings);
        QCOMPARE(again->targets().size(), lora->targets().size());
        QVERIFY(config.fanInFanOut);
    }

    void helpers() {
        QCOMPARE(pythonFloatText(100.0), std::string("100.0"));
        QCOMPARE(pythonFloatText(1.1747430249632893), std::string("1.1747430249632893"));
        QCOMPARE(pythonFloatText(0.1), std::string("0.1"));
        QCOMPARE(pythonFloatText(1e-05), std::string("1e-05"));
        using Plan = std::vector<std::vector<std::size_t>>;
        QCOMPARE(planShards({3, 3, 3}, 5), (Plan{{0}, {1}, {2}}));
        QCOMPARE(planShards({2, 2, 2}, 5), (Plan{{0, 1}, {2}}));
        QCOMPARE(planShards({10, 1, 1}, 5), (Plan{{0}, {1, 2}}));
        QCOMPARE(planShards({}, 5), (Plan{{}}));
        const std::string tmp = testsupport::makeTempDir("lora-space");
        auto err = errorOf([&] { requireFreeSpace(tmp, 1ull << 62, "merged model"); });
        QVERIFY2(err.find("not enough free disk space") != std::string::npos, err.c_str());
        testsupport::writeFile(tmp + "/file", "x");
        err = errorOf([&] { StagingFolder(tmp + "/file", 10, true, "adapter"); });
        QVERIFY2(err.find("not a folder") != std::string::npos, err.c_str());
        {
            StagingFolder staging(tmp + "/out", 10, false, "adapter");
            QVERIFY(std::filesystem::is_directory(staging.path()));
        } // not committed: removed
        QCOMPARE(std::distance(std::filesystem::directory_iterator(tmp), {}), std::ptrdiff_t(1));
    }

    // The torch-free module list equals the built model's, for every fixture architecture.
    void shapesMatchBuiltModel() {
        for (const char* name : {"gpt2", "llama", "qwen2"}) {
            const ModelSpec spec = parseModelConfig(modelDir(name) + "/config.json");
            auto model = createCausalLM(spec, at::TensorOptions().device(at::kMeta));
            const auto built = linearModules(*model);
            const auto shapes = linearModuleShapes(spec);
            QCOMPARE(shapes.size(), built.size());
            for (std::size_t i = 0; i < shapes.size(); ++i) {
                QCOMPARE(shapes[i].name, built[i].name);
                QCOMPARE(shapes[i].inFeatures, built[i].inFeatures);
                QCOMPARE(shapes[i].outFeatures, built[i].outFeatures);
                QCOMPARE(shapes[i].conv1d, built[i].conv1d);
                QCOMPARE(shapes[i].tied, built[i].tied);
            }
        }
    }

    void noMatchErrorListsModules() {
        const auto err = errorOf(
            [] { matchTargetModules(kLlamaNames, withTargets(ModuleSelection::list({"query", "value"}))); });
        QVERIFY2(err.find("'query'") != std::string::npos, err.c_str());
        QVERIFY2(err.find("hint:") != std::string::npos, err.c_str());
        QVERIFY2(err.find("model.layers.0.self_attn.q_proj") != std::string::npos, err.c_str());
        QVERIFY2(err.find("gate_proj") != std::string::npos, err.c_str());
        qInfo("%s", err.c_str());
    }

};

QTEST_APPLESS_MAIN(TestLora)
#include "test_lora.moc"

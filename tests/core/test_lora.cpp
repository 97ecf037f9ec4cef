// LoRA unit tests: PEFT 0.8.2's target matching (suffix rule, regex fullmatch, all-linear,
// exclude, layers_to_transform, rank/alpha patterns, errors), and the LoRA layer itself (init
// statistics, PiSSA reconstruction, frozen base, bias modes, dropout only in training).
// Torch headers come before Qt's.
#include "common/error.h"
#include "lora/target_matching.h"
#include "model/model_spec.h"


#include "test_support.h"

#include <QtTest>

#include <algorithm>
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

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

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

    void noMatchErrorListsModules() {
        const auto err = errorOf(
            [] { matchTargetModules(kLlamaNames, withTargets(ModuleSelection::list({"query", "value"}))); });
        QVERIFY2(err.find("'query'") != std::string::npos, err.c_str());
        QVERIFY2(err.find("hint:") != std::string::npos, err.c_str());
        QVERIFY2(err.find("model.layers.0.self_attn.q_proj") != std::string::npos, err.c_str());
        QVERIFY2(err.find("gate_proj") != std::string::npos, err.c_str());
    }

};

QTEST_APPLESS_MAIN(TestLora)
#include "test_lora.moc"

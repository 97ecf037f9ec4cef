// LoRA target matching, PEFT 0.8.2's rules: the suffix rule, regex fullmatch, all-linear, exclude,
// layers_to_transform, rank/alpha patterns, the exported target list, errors that list the modules.
// Torch headers (in the helpers) come before Qt's.
#include "lora_test_helpers.h"

#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::loratest;
using testsupport::errorOf;

class TestLoraTargets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // r above min(in, out) is reported per (r, min) group, naming the first module and the count.
    void rankAboveMinInOutIsReported() {
        std::vector<LinearModuleShape> modules = {
            {"m.layers.0.q", 64, 64}, {"m.layers.0.up", 64, 256}, {"m.layers.1.q", 64, 64}, {"m.layers.0.down", 256, 64}};
        LoraSettings s;
        s.targetModules = ModuleSelection::list({"q", "up", "down"});
        s.r = 32;
        QVERIFY(rankWarnings(planLoraTargets(modules, s)).empty());
        s.r = 100;
        auto w = rankWarnings(planLoraTargets(modules, s));
        QCOMPARE(int(w.size()), 1);  // all four have min(in, out) = 64
        QVERIFY2(w[0].find("r = 100 exceeds min(in, out) = 64 of m.layers.0.q (and 3 more modules)") != std::string::npos, w[0].c_str());
        s.r = 8;
        s.rankPattern = {{"up", 128}, {"down", 65}};
        w = rankWarnings(planLoraTargets(modules, s));
        QCOMPARE(int(w.size()), 2);
        QVERIFY2(w[0].find("r = 128 exceeds min(in, out) = 64 of m.layers.0.up:") != std::string::npos, w[0].c_str());
        QVERIFY2(w[1].find("r = 65 exceeds min(in, out) = 64 of m.layers.0.down:") != std::string::npos, w[1].c_str());
    }

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

QTEST_APPLESS_MAIN(TestLoraTargets)
#include "test_lora_targets.moc"

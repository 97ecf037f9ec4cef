// Estimate tests: parameter counts equal PEFT's print_trainable_parameters (the fixtures' lines and
// published figures for Llama-2-7B, GPT-2, Llama-3-8B, Qwen2-7B), agree with a model built on the
// meta device, and the memory estimate and fit advisor move the way they must.
// Torch headers come before Qt's.
#include "common/error.h"
#include "estimate/device_memory.h"
#include "estimate/fit_advisor.h"
#include "estimate/memory_estimate.h"
#include "estimate/parameter_count.h"
#include "lora/lora_model.h"
#include "model/causal_lm.h"
#include "model/linear_layer.h"
#include "model/model_spec.h"

#include "test_support.h"

#include <QtTest>

#include <fstream>
#include <functional>
#include <map>
#include <set>

using namespace lorastudio;

namespace {

ModelSpec fixtureModel(const std::string& name) {
    return parseModelConfig(testsupport::fixturesDir() + "/models/" + name + "/model/config.json");
}

ModelSpec publishedConfig(const std::string& file) {
    return parseModelConfig(testsupport::sourceDir() + "/tests/fixtures/configs/" + file);
}

LoraSettings lora(std::vector<std::string> targets, int r) {
    LoraSettings s;
    s.targetModules = ModuleSelection::list(std::move(targets));
    s.r = r;
    s.loraAlpha = 2 * r;
    return s;
}

std::string firstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

using testsupport::errorOf;

ProjectConfig project(std::vector<std::string> targets, int batch, int maxLength) {
    ProjectConfig p = defaultProject();
    p.lora = lora(std::move(targets), 8);
    p.lora.loraDropout = 0.05;
    p.training.batchSize = batch;
    p.data.maxLength = maxLength;
    p.training.device = "cpu";
    return p;
}

MemoryOptions cpuEager() {
    MemoryOptions o;
    o.device = MemoryDevice::Cpu;
    o.attention = AttentionKind::Eager;
    o.cpuAllocator = CpuAllocator::Mimalloc;
    return o;
}

} // namespace

class TestEstimate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pythonFloatText() {
        QCOMPARE(lorastudio::pythonFloatText(1.1747430249632893), std::string("1.1747430249632893"));
        QCOMPARE(lorastudio::pythonFloatText(0.06220594176090199), std::string("0.06220594176090199"));
        QCOMPARE(lorastudio::pythonFloatText(0.1), std::string("0.1"));
        QCOMPARE(lorastudio::pythonFloatText(100.0), std::string("100.0"));
        QCOMPARE(lorastudio::pythonFloatText(1e-5), std::string("1e-05"));
        QCOMPARE(lorastudio::pythonFloatText(0.0001), std::string("0.0001"));
        QCOMPARE(lorastudio::pythonFloatText(1.5e16), std::string("1.5e+16"));
        QCOMPARE(lorastudio::pythonFloatText(0.0005), std::string("0.0005"));
        QCOMPARE(lorastudio::pythonFloatText(1e15), std::string("1000000000000000.0"));
        QCOMPARE(lorastudio::pythonFloatText(1234567890123456.0), std::string("1234567890123456.0"));
        QCOMPARE(lorastudio::pythonFloatText(-2.5), std::string("-2.5"));
        QCOMPARE(lorastudio::pythonFloatText(0.0), std::string("0.0"));
        QCOMPARE(withThousandsSeparators(174336), std::string("174,336"));
        QCOMPARE(withThousandsSeparators(6742609920), std::string("6,742,609,920"));
        QCOMPARE(withThousandsSeparators(999), std::string("999"));
        QCOMPARE(withThousandsSeparators(1000), std::string("1,000"));
    }

    // The fixtures' lines were printed by PEFT 0.8.2 for these very configs (r=4, alpha 8).
    void fixturesMatchPeft_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QStringList>("targets");
        QTest::newRow("gpt2") << "gpt2" << QStringList{"c_attn"};
        QTest::newRow("llama") << "llama" << QStringList{"v_proj", "q_proj"};
        QTest::newRow("qwen2") << "qwen2" << QStringList{"v_proj", "q_proj"};
    }
    void fixturesMatchPeft() {
        QFETCH(QString, model);
        QFETCH(QStringList, targets);
        std::vector<std::string> t;
        for (const auto& s : targets) t.push_back(s.toStdString());
        const ParameterCounts c = countParameters(fixtureModel(model.toStdString()), lora(t, 4));
        const std::string expected = firstLine(testsupport::fixturesDir() + "/models/" + model.toStdString() +
                                               "/print_trainable_parameters.txt");
        QVERIFY(!expected.empty());
        QCOMPARE(trainableParametersLine(c), expected);
    }

    void publishedFigures() {
        const ParameterCounts llama2 = countParameters(publishedConfig("llama-2-7b-hf.json"), lora({"q_proj", "v_proj"}, 8));
        QCOMPARE(trainableParametersLine(llama2),
                 std::string("trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.06220594176090199"));
        const ParameterCounts gpt2 = countParameters(publishedConfig("gpt2.json"), lora({"c_attn"}, 8));
        QCOMPARE(trainableParametersLine(gpt2),
                 std::string("trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.23643136409814364"));
        QCOMPARE(gpt2.baseParameters, int64_t(124439808));  // tied lm_head counted once
        QCOMPARE(parameterCount(publishedConfig("llama-3-8b.json")), int64_t(8030261248));
        QCOMPARE(parameterCount(publishedConfig("qwen2-7b.json")), int64_t(7615616512));
        const ParameterCounts qwen = countParameters(publishedConfig("qwen2-7b.json"), lora({"q_proj", "v_proj"}, 8));
        // q: 8 * (3584 + 3584), v: 8 * (3584 + 512), 28 layers
        QCOMPARE(qwen.loraParameters, int64_t(28 * 8 * (3584 + 3584 + 3584 + 512)));
        QCOMPARE(qwen.allParameters, int64_t(7615616512) + qwen.loraParameters);
    }

    void perModuleSumsEqualTotals() {
        LoraSettings s;  // all-linear, r 8
        s.rankPattern = {{"q_proj", 16}};
        s.alphaPattern = {{"down_proj", 4.0}};
        const ParameterCounts c = countParameters(publishedConfig("llama-3-8b.json"), s);
        QCOMPARE(c.modules.size(), size_t(32 * 7));
        int64_t sum = 0;
        for (const auto& m : c.modules) {
            QCOMPARE(m.loraParameters, int64_t(m.r) * (m.inFeatures + m.outFeatures));
            sum += m.loraParameters;
        }
        QCOMPARE(sum, c.loraParameters);
        QCOMPARE(c.trainableParameters, c.loraParameters);
        QCOMPARE(c.allParameters, c.baseParameters + c.loraParameters);
        const auto& q = c.modules[0];
        QCOMPARE(q.name, std::string("model.layers.0.self_attn.q_proj"));
        QCOMPARE(q.r, 16);
        QCOMPARE(q.weightShape, (std::vector<int64_t>{4096, 4096}));
        const auto& k = c.modules[1];
        QCOMPARE(k.r, 8);
        QCOMPARE(k.outFeatures, int64_t(1024));
        QCOMPARE(c.modules[6].name, std::string("model.layers.0.mlp.down_proj"));
        QCOMPARE(c.modules[6].alpha, 4.0);
        // GPT-2 Conv1D: the weight is stored [in, out]
        const ParameterCounts g = countParameters(fixtureModel("gpt2"), lora({"c_attn"}, 4));
        QCOMPARE(g.modules[0].weightShape, (std::vector<int64_t>{64, 192}));
        QCOMPARE(g.modules[0].inFeatures, int64_t(64));
        QCOMPARE(g.modules[0].outFeatures, int64_t(192));
    }

    void biasModesAndModulesToSave() {
        const ModelSpec gpt2 = fixtureModel("gpt2");  // C 64, I 256, 2 layers, V 1000, tied
        LoraSettings s = lora({"c_attn"}, 4);
        const ParameterCounts none = countParameters(gpt2, s);
        s.bias = LoraBias::All;
        const ParameterCounts all = countParameters(gpt2, s);
        // per layer: ln_1, c_attn, c_proj, ln_2, c_fc, c_proj biases; plus ln_f
        const int64_t biases = 2 * (64 + 192 + 64 + 64 + 256 + 64) + 64;
        QCOMPARE(all.trainableParameters, none.trainableParameters + biases);
        QCOMPARE(all.allParameters, none.allParameters);
        s.bias = LoraBias::LoraOnly;
        const ParameterCounts only = countParameters(gpt2, s);
        QCOMPARE(only.trainableParameters, none.trainableParameters + 2 * 192);
        QCOMPARE(only.extra.size(), size_t(2));
        QCOMPARE(only.extra[0].name, std::string("transformer.h.0.attn.c_attn.bias"));

        // modules_to_save: PEFT trains a copy, which counts in all params too; tied heads included.
        s.bias = LoraBias::None;
        s.modulesToSave = {"lm_head"};
        const ParameterCounts saved = countParameters(gpt2, s);
        QCOMPARE(saved.trainableParameters, none.trainableParameters + 1000 * 64);
        QCOMPARE(saved.allParameters, none.allParameters + 1000 * 64);
        s.modulesToSave = {"nothing_like_this"};
        QVERIFY(errorOf([&] { countParameters(gpt2, s); }).find("modules_to_save") != std::string::npos);
    }

    void targetsMatchingNothingAreAnError() {
        const ModelSpec llama = fixtureModel("llama");
        const std::string e = errorOf([&] { countParameters(llama, lora({"c_attn"}, 8)); });
        QVERIFY2(!e.empty(), "a target list that matches nothing must throw");
        QVERIFY2(e.find("c_attn") != std::string::npos, e.c_str());
        ProjectConfig p = project({"query_key_value"}, 1, 16);
        QVERIFY(!errorOf([&] { estimateMemory(llama, p, cpuEager()); }).empty());
        QVERIFY(!errorOf([&] { adviseFit(llama, p, int64_t(1) << 30, cpuEager()); }).empty());
    }

    // Counts from the config equal a model built on the meta device (no memory): parameters, and
    // every LoRA module's shape.
    void countsAgreeWithMetaModel_data() {
        QTest::addColumn<QString>("config");
        QTest::newRow("gpt2") << "gpt2.json";
        QTest::newRow("llama-3-8b") << "llama-3-8b.json";
        QTest::newRow("qwen2-7b") << "qwen2-7b.json";
    }
    void countsAgreeWithMetaModel() {
        QFETCH(QString, config);
        const ModelSpec spec = publishedConfig(config.toStdString());
        auto model = createCausalLM(spec, at::TensorOptions().device(at::kMeta).dtype(at::kFloat));
        std::set<const void*> seen;
        int64_t total = 0;
        for (const auto& p : model->parameters())
            if (seen.insert(p.unsafeGetTensorImpl()).second) total += p.numel();
        LoraSettings s;  // all-linear
        s.r = 8;
        const ParameterCounts c = countParameters(spec, s);
        QCOMPARE(c.baseParameters, total);
        std::map<std::string, std::pair<int64_t, int64_t>> shapes;
        for (const auto& m : linearModules(*model)) shapes[m.name] = {m.inFeatures, m.outFeatures};
        int64_t lora = 0;
        for (const auto& m : c.modules) {
            QVERIFY2(shapes.count(m.name), m.name.c_str());
            QCOMPARE(shapes[m.name].first, m.inFeatures);
            QCOMPARE(shapes[m.name].second, m.outFeatures);
            lora += 8 * (shapes[m.name].first + shapes[m.name].second);
        }
        QCOMPARE(lora, c.loraParameters);
        QCOMPARE(c.modules.size(), shapes.size() - 1);  // all-linear leaves lm_head out
    }

    // The same numbers as core/lora's LoraModel attached to a model on the meta device (no memory):
    // trainable and all parameters, per module rank, for several settings. (modules_to_save is
    // left out: LoRA Studio trains the module in place, PEFT a copy that "all params" counts.)
    void countsAgreeWithLoraModel_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<int>("bias");
        QTest::addColumn<bool>("allLinear");
        QTest::newRow("gpt2 c_attn bias none") << "gpt2.json" << int(LoraBias::None) << false;
        QTest::newRow("gpt2 all-linear bias all") << "gpt2.json" << int(LoraBias::All) << true;
        QTest::newRow("gpt2 all-linear lora_only") << "gpt2.json" << int(LoraBias::LoraOnly) << true;
        QTest::newRow("qwen2-7b q,v lora_only") << "qwen2-7b.json" << int(LoraBias::LoraOnly) << false;
        QTest::newRow("llama-3-8b all-linear") << "llama-3-8b.json" << int(LoraBias::None) << true;
    }
    void countsAgreeWithLoraModel() {
        QFETCH(QString, config);
        QFETCH(int, bias);
        QFETCH(bool, allLinear);
        const ModelSpec spec = publishedConfig(config.toStdString());
        const bool gpt2 = spec.architecture == Architecture::Gpt2;
        LoraSettings s = lora(spec.family().presetQv, 8);
        if (allLinear) s.targetModules = ModuleSelection::allLinear();
        s.bias = static_cast<LoraBias>(bias);
        s.rankPattern = {{gpt2 ? "c_fc" : "v_proj", 4}};
        auto model = createCausalLM(spec, at::TensorOptions().device(at::kMeta).dtype(at::kFloat));
        LoraAttachOptions options;
        options.initialize = false;
        auto attached = LoraModel::attach(model, s, options);
        const ParameterCounts c = countParameters(spec, s);
        QCOMPARE(c.trainableParameters, attached->trainableParameterCount());
        QCOMPARE(c.allParameters, attached->allParameterCount());
        QCOMPARE(c.modules.size(), attached->targets().size());
        for (std::size_t i = 0; i < c.modules.size(); ++i) {
            QCOMPARE(c.modules[i].name, attached->targets()[i].name);
            QCOMPARE(c.modules[i].r, attached->targets()[i].r);
        }
        if (bias != int(LoraBias::None)) QVERIFY(c.trainableBaseParameters > 0 || !gpt2);
    }

    void memoryComponentsAddUp() {
        const ModelSpec spec = publishedConfig("llama-2-7b-hf.json");
        const MemoryEstimate m = estimateMemory(spec, project({"q_proj", "v_proj"}, 4, 512), cpuEager());
        int64_t sum = 0;
        for (const auto& c : m.components()) {
            QVERIFY2(c.bytes >= 0, c.name.c_str());
            sum += c.bytes;
        }
        QCOMPARE(sum, m.total);
        QCOMPARE(m.weights, int64_t(6738415616) * 4);
        QCOMPARE(m.loraParameters, int64_t(4194304) * 4);
        QCOMPARE(m.gradients, m.loraParameters);
        QCOMPARE(m.optimizerStates, 2 * m.loraParameters);
        int64_t moduleWeights = 0, moduleLora = 0;
        for (const auto& mod : m.modules) {
            moduleWeights += mod.weightBytes;
            moduleLora += mod.loraBytes;
        }
        QCOMPARE(moduleWeights, m.weights);
        QCOMPARE(moduleLora, m.loraParameters);
        QCOMPARE(m.layers.size(), size_t(32));
        int64_t layers = 0;
        for (const auto& l : m.layers) {
            int64_t s = 0;
            for (const auto& t : l.saved) s += t.bytes;
            QCOMPARE(s, l.savedBytes);
            layers += l.savedBytes;
        }
        QVERIFY(layers <= m.activations);
        // The chunked loss keeps the hidden states' gradient [B*(T-1), C], never the [B, T, V] logits.
        QVERIFY(m.logits >= int64_t(4) * 511 * 4096 * 4);
        QVERIFY(m.logits < int64_t(4) * 512 * 32000 * 4 / 4);
    }

    void memoryBehaves() {
        const ModelSpec spec = publishedConfig("llama-2-7b-hf.json");
        const ProjectConfig base = project({"q_proj", "v_proj"}, 2, 1024);
        const MemoryEstimate m = estimateMemory(spec, base, cpuEager());

        ProjectConfig ckpt = base;
        ckpt.training.gradientCheckpointing = true;
        const MemoryEstimate c = estimateMemory(spec, ckpt, cpuEager());
        QVERIFY(c.activations < m.activations / 4);
        QVERIFY(c.total < m.total);

        ProjectConfig twice = base;
        twice.training.batchSize = 4;
        const MemoryEstimate d = estimateMemory(spec, twice, cpuEager());
        QCOMPARE(d.peakPhase, m.peakPhase);
        QCOMPARE(d.activations, 2 * m.activations);
        QCOMPARE(d.logits, 2 * m.logits);
        QCOMPARE(d.weights, m.weights);

        ProjectConfig bf16 = base;
        bf16.training.precision = Precision::Bf16;
        const MemoryEstimate h = estimateMemory(spec, bf16, cpuEager());
        QCOMPARE(h.weights * 2, m.weights);
        QCOMPARE(h.loraParameters, m.loraParameters);  // fp32 master weights either way
        QVERIFY(h.total < m.total);

        MemoryOptions sdpa = cpuEager();
        sdpa.attention = AttentionKind::Sdpa;
        const MemoryEstimate s = estimateMemory(spec, base, sdpa);
        // eager keeps 2 x 32 x 1024 x 1024 fp32 probabilities per layer; SDPA the output and a
        // log-sum-exp instead
        const int64_t probs = int64_t(2) * 32 * 1024 * 1024 * 4;
        QCOMPARE(m.layers[5].savedBytes - s.layers[5].savedBytes, probs - int64_t(2048) * 4096 * 4 - int64_t(2048) * 32 * 4);
        QVERIFY(m.activations > s.activations);

        ProjectConfig noDropout = base;
        noDropout.lora.loraDropout = 0;
        const MemoryEstimate n = estimateMemory(spec, noDropout, cpuEager());
        // each of q and v keeps a mask and a dropped input ([B*T, 4096] fp32 each), instead of
        // the shared normed input
        QCOMPARE(m.layers[5].savedBytes - n.layers[5].savedBytes, int64_t(2048) * 4096 * 4 * 3);

        // CUDA: no baseline RSS, but a context; glibc's slack only on the CPU
        MemoryOptions cuda;
        cuda.device = MemoryDevice::Cuda;
        cuda.attention = AttentionKind::Sdpa;
        const MemoryEstimate g = estimateMemory(spec, base, cuda);
        QCOMPARE(g.device, MemoryDevice::Cuda);
        QVERIFY(g.overhead >= int64_t(512) << 20);
        MemoryOptions untuned = cpuEager();
        untuned.cpuAllocator = CpuAllocator::Glibc;

        // glibc's default allocator keeps freed heap blocks: for GPT-2 small, whose activations are
        // all below its 32 MiB mmap threshold, the CPU peak is about twice the step's tensors;
        // mimalloc's is the live peak and a small slack.
        const ModelSpec gpt2 = publishedConfig("gpt2.json");
        const ProjectConfig small = project({"c_attn"}, 4, 256);
        const MemoryEstimate tunedGpt2 = estimateMemory(gpt2, small, cpuEager());
        const MemoryEstimate defaultGpt2 = estimateMemory(gpt2, small, untuned);
        const int64_t step = tunedGpt2.activations + tunedGpt2.logits + tunedGpt2.workspace;
        QVERIFY(defaultGpt2.overhead - tunedGpt2.overhead > step / 2);
        QVERIFY(defaultGpt2.overhead - tunedGpt2.overhead < step * 3 / 2);
    }

    // Sized for the data: a batch is padded to its longest example, so the estimate for a data
    // set whose longest example is N < max_length tokens equals the one for max_length N; longer
    // examples are cut to max_length; packed rows fill max_length whatever the examples' lengths.
    void sizedForTheDataLongestExample() {
        const ModelSpec spec = publishedConfig("llama-2-7b-hf.json");
        const ProjectConfig p = project({"q_proj", "v_proj"}, 2, 1024);
        MemoryOptions data = cpuEager();
        data.longestExample = 300;
        const MemoryEstimate sized = estimateMemory(spec, p, data);
        QCOMPARE(sized.sequence, int64_t(300));
        QVERIFY(sized.sequenceFromData);
        ProjectConfig cut = p;
        cut.data.maxLength = 300;
        const MemoryEstimate worstAt300 = estimateMemory(spec, cut, cpuEager());
        QCOMPARE(sized.total, worstAt300.total);
        QCOMPARE(sized.activations, worstAt300.activations);
        const MemoryEstimate worst = estimateMemory(spec, p, cpuEager());
        QCOMPARE(worst.sequence, int64_t(1024));
        QVERIFY(!worst.sequenceFromData);
        QVERIFY(sized.total < worst.total);
        QCOMPARE(sized.weights, worst.weights);

        data.longestExample = 5000;  // longer than max_length: cut to it
        const MemoryEstimate longer = estimateMemory(spec, p, data);
        QCOMPARE(longer.sequence, int64_t(1024));
        QVERIFY(!longer.sequenceFromData);
        QCOMPARE(longer.total, worst.total);

        ProjectConfig packed = p;
        packed.data.packing = true;
        data.longestExample = 300;
        const MemoryEstimate rows = estimateMemory(spec, packed, data);
        QCOMPARE(rows.sequence, int64_t(1024));
        QVERIFY(!rows.sequenceFromData);

        // GPT-2: the shorter of the data's longest example and n_positions
        const ModelSpec gpt2 = publishedConfig("gpt2.json");
        ProjectConfig g = project({"c_attn"}, 2, 4096);
        data.longestExample = 2000;
        QCOMPARE(estimateMemory(gpt2, g, cpuEager()).sequence, int64_t(1024));
        QCOMPARE(estimateMemory(gpt2, g, data).sequence, int64_t(1024));
        data.longestExample = 700;
        QCOMPARE(estimateMemory(gpt2, g, data).sequence, int64_t(700));

        // The fit advisor measures its changes at the same length.
        data.longestExample = 300;
        const FitReport fit = adviseFit(spec, p, int64_t(1) << 30, data);
        QCOMPARE(fit.estimate.total, sized.total);
        for (const FitSuggestion& s : fit.suggestions) QCOMPARE(s.options.longestExample, data.longestExample);
        // Halving max_length (1024 -> 512) cuts nothing of a 300-token longest example: no saving,
        // not offered. At 700 it cuts, and says so.
        auto lowerLength = [](const FitReport& r) {
            for (const FitSuggestion& s : r.suggestions)
                if (s.change.rfind("lower max length", 0) == 0) return s.change;
            return std::string();
        };
        QCOMPARE(lowerLength(fit), std::string());
        data.longestExample = 700;
        QCOMPARE(lowerLength(adviseFit(spec, p, int64_t(1) << 30, data)),
                 std::string("lower max length (1024 -> 512), cutting the examples longer than 512 tokens"));
        QCOMPARE(lowerLength(adviseFit(spec, p, int64_t(1) << 30, cpuEager())), std::string("lower max length (1024 -> 512)"));
    }

    void laterLayersOnlyKeepLess() {
        const ModelSpec spec = publishedConfig("llama-2-7b-hf.json");
        ProjectConfig p = project({"q_proj", "v_proj"}, 1, 512);
        const MemoryEstimate all = estimateMemory(spec, p, cpuEager());
        p.lora.layersToTransform = {30, 31};
        const MemoryEstimate late = estimateMemory(spec, p, cpuEager());
        QCOMPARE(late.layers[0].savedBytes, int64_t(0));   // nothing needs grad before layer 30
        QCOMPARE(late.layers[29].savedBytes, int64_t(0));
        QCOMPARE(late.layers[31].savedBytes, all.layers[31].savedBytes);
        QVERIFY(late.activations < all.activations / 4);
    }

    void fitAdvisor() {
        const ModelSpec spec = publishedConfig("llama-2-7b-hf.json");
        ProjectConfig p = project({"q_proj", "v_proj"}, 4, 512);
        MemoryOptions o;
        o.device = MemoryDevice::Cuda;
        o.attention = AttentionKind::Eager;
        const FitReport r = adviseFit(spec, p, int64_t(24) << 30, o);
        QVERIFY(!r.fits);
        QVERIFY(r.summary.find("does not fit") != std::string::npos);
        QVERIFY(r.suggestions.size() >= 5);
        for (std::size_t i = 0; i < r.suggestions.size(); ++i) {
            const FitSuggestion& s = r.suggestions[i];
            QVERIFY2(s.totalAfter < r.requiredBytes, s.text.c_str());
            QCOMPARE(s.savedBytes, r.requiredBytes - s.totalAfter);
            QCOMPARE(estimateMemory(spec, s.project, s.options).total, s.totalAfter);
            if (i > 0) QVERIFY(r.suggestions[i - 1].savedBytes >= s.savedBytes);
            QVERIFY(s.text.find(": saves ") != std::string::npos);
        }
        auto suggested = [&](const std::string& start) {
            for (const auto& s : r.suggestions)
                if (s.change.rfind(start, 0) == 0) return true;
            return false;
        };
        QVERIFY(suggested("enable gradient checkpointing"));
        QVERIFY(suggested("halve the batch size (4 -> 2)"));
        QVERIFY(suggested("use bf16"));
        QVERIFY(suggested("lower max length (512 -> 256)"));
        QVERIFY(suggested("use SDPA"));
        // 6.7B fp32 weights alone are 25 GiB: nothing but bf16 could make it fit in 24 GiB
        for (const auto& s : r.suggestions)
            if (s.fitsAfter) QCOMPARE(s.change, std::string("use bf16"));
        // with 30 GiB, checkpointing (the largest saving here) is enough
        const FitReport r30 = adviseFit(spec, p, int64_t(30) << 30, o);
        QCOMPARE(r30.suggestions.front().change, std::string("enable gradient checkpointing"));
        QVERIFY(r30.suggestions.front().fitsAfter);

        // Eager attention at long sequences: bf16 keeps the fp32 probabilities *and* a bf16 copy,
        // so it costs more than the weights save; the advisor must not offer it then.
        ProjectConfig longer = project({"q_proj", "v_proj"}, 8, 4096);
        const FitReport l = adviseFit(spec, longer, int64_t(24) << 30, o);
        for (const auto& s : l.suggestions) QVERIFY2(s.change != "use bf16", s.text.c_str());

        const FitReport roomy = adviseFit(spec, p, int64_t(1) << 40, o);
        QVERIFY(roomy.fits);
        QCOMPARE(roomy.requiredBytes, r.requiredBytes);
    }

    void formatBytes() {
        QCOMPARE(lorastudio::formatBytes(512), std::string("512 B"));
        QCOMPARE(lorastudio::formatBytes(3 * 1024 + 100), std::string("3.10 KiB"));
        QCOMPARE(lorastudio::formatBytes(int64_t(25) << 30), std::string("25.0 GiB"));
    }

    void processBaselineReplacesTheBareProcess() {
        // A front end that trains in its own process counts its resident size instead of a bare
        // LibTorch process's: the overhead (and total) moves by exactly the difference.
        const ModelSpec spec = parseModelConfig(testsupport::sourceDir() + "/resources/demo/model/config.json");
        ProjectConfig project;
        project.training.device = "cpu";
        MemoryOptions bare;
        bare.cpuAllocator = CpuAllocator::Mimalloc;
        const MemoryEstimate a = estimateMemory(spec, project, bare);
        MemoryOptions studio = bare;
        studio.processBaselineBytes = a.overhead + (int64_t(100) << 20); // certainly above the default
        const MemoryEstimate b = estimateMemory(spec, project, studio);
        QVERIFY(b.overhead > a.overhead);
        QCOMPARE(b.total - a.total, b.overhead - a.overhead);
        QCOMPARE(b.activations, a.activations);
        studio.processBaselineBytes = *studio.processBaselineBytes + (int64_t(7) << 20);
        QCOMPARE(estimateMemory(spec, project, studio).total - b.total, int64_t(7) << 20);
        QVERIFY(currentRssBytes() > (int64_t(1) << 20)); // this test process holds more than 1 MiB
    }

    void deviceMemoryReadsRamAndMapsGpus() {
        const int64_t ram = systemMemoryBytes();
        QVERIFY(ram > (int64_t(64) << 20)); // any machine that runs the tests has more than 64 MiB
        const auto cpu = deviceMemory("cpu");
        QVERIFY(cpu.has_value());
        QCOMPARE(cpu->totalBytes, ram);
        QCOMPARE(cpu->device, std::string("cpu"));
        QVERIFY(!cudaDeviceMemory(-1));
        QVERIFY(!deviceMemory("cuda:x"));
        // CUDA_VISIBLE_DEVICES hides every GPU past the ones it lists, whatever the machine has.
        const QByteArray saved = qgetenv("CUDA_VISIBLE_DEVICES");
        const bool had = qEnvironmentVariableIsSet("CUDA_VISIBLE_DEVICES");
        qputenv("CUDA_VISIBLE_DEVICES", "0");
        QVERIFY(!cudaDeviceMemory(1));
        QVERIFY(!deviceMemory("cuda:1"));
        if (had) qputenv("CUDA_VISIBLE_DEVICES", saved);
        else qunsetenv("CUDA_VISIBLE_DEVICES");
        // GPU 0: read through the NVIDIA driver where there is one, else nothing (never a guess).
        if (const auto gpu = cudaDeviceMemory(0)) {
            QVERIFY(gpu->totalBytes > 0);
            QVERIFY(gpu->freeBytes >= 0 && gpu->freeBytes <= gpu->totalBytes);
            QCOMPARE(gpu->device, std::string("cuda:0"));
        } else {
            QVERIFY(!deviceMemory("cuda"));
        }
    }
};

QTEST_APPLESS_MAIN(TestEstimate)
#include "test_estimate.moc"

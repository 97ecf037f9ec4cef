// Gemma 2, Gemma 3 (text), Phi-3 / Phi-4-mini and StableLM against real transformers 4.57.1 and PEFT
// 0.17.1 (tests/fixtures/gemma_phi3 and tests/fixtures/stablelm, made by
// tests/reference/make_gemma_phi3_fixtures.py and make_stablelm_fixtures.py): logits, hidden
// states, padding, greedy generation with the KV cache, a PEFT adapter (import, merge, loss with the
// soft-capped head, LoRA gradients), PEFT's parameter counts for the fixtures and for published
// configs, and what config.json readers derive. Torch headers come before Qt's.
#include "common/error.h"
#include "estimate/memory_estimate.h"
#include "estimate/parameter_count.h"
#include "export/gguf_arch.h"
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "model/generate.h"
#include "model/loader.h"
#include "model/loss.h"
#include "project/project_config.h"
#include "train/chunked_loss.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "tensor_files.h"
#include "test_support.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

using namespace lorastudio;

namespace {

// "phi3" (a folder of tests/fixtures/gemma_phi3) or "stablelm/stablelm_tied" (of tests/fixtures).
std::string fixtureDir(const QString& name) {
    const std::string root = testsupport::sourceDir() + "/tests/fixtures/";
    return name.contains(QLatin1Char('/')) ? root + name.toStdString() : root + "gemma_phi3/" + name.toStdString();
}

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// Logits are of size ~5-10 (soft-capped ones below 3); fp32 agreement is ~1e-6.
constexpr double kTolerance = 2e-5;

std::map<std::string, double>& worst() {
    static std::map<std::string, double> w;
    return w;
}

#define CHECK_CLOSE(what, a, b, tol)                                                   \
    do {                                                                               \
        const double d_ = maxDiff(a, b);                                               \
        auto& w_ = worst()[what];                                                      \
        w_ = std::max(w_, d_);                                                         \
        QVERIFY2(d_ < (tol), (std::string(what) + ": " + std::to_string(d_)).c_str()); \
    } while (0)

struct Fixture {
    std::string dir;
    LoadedModel loaded;
    std::map<std::string, at::Tensor> expected;
};

Fixture openFixture(const QString& name) {
    Fixture f;
    f.dir = fixtureDir(name);
    f.loaded = loadCausalLM(f.dir + "/model");
    f.loaded.model->setAttentionBackend(AttentionBackend::Eager);
    f.expected = testsupport::readAllTensors(f.dir + "/expected.safetensors");
    return f;
}

at::Tensor logitsOf(CausalLM& model, const at::Tensor& ids, const at::Tensor& mask = {}) {
    torch::NoGradGuard noGrad;
    return model.forward(ids, mask).logits;
}

// Rows where the mask is 1 ([B, T, V] -> [n, V]).
at::Tensor kept(const at::Tensor& logits, const at::Tensor& mask) { return logits.index({mask.to(at::kBool)}); }

GenerateResult greedy(CausalLM& model, const at::Tensor& ids) {
    GenerateOptions opts;
    opts.maxNewTokens = 10;
    opts.returnScores = true;
    return generate(model, ids.narrow(1, 0, 6), {}, opts);
}

ModelSpec publishedConfig(const std::string& file) {
    return parseModelConfig(testsupport::sourceDir() + "/tests/fixtures/configs/" + file);
}

} // namespace

class TestGemmaPhi3 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void models_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"gemma2", "gemma3", "phi3", "phi4mini", "stablelm/stablelm", "stablelm/stablelm_tied"})
            if (QFileInfo::exists(QString::fromStdString(fixtureDir(name) + "/expected.safetensors")))
                QTest::newRow(name) << name;
    }

    // Logits (fp32, eager), every hidden state, right padding, and a sequence short enough for
    // Phi-3's short RoPE factors.
    void baseModel_data() { models_data(); }
    void baseModel() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        auto& model = *f.loaded.model;
        const auto& ids = f.expected.at("input_ids");
        CausalLMOutput out;
        {
            torch::NoGradGuard noGrad;
            out = model.forward(ids, {}, {}, nullptr, true);
        }
        CHECK_CLOSE("logits", out.logits, f.expected.at("logits"), kTolerance);
        QCOMPARE(int64_t(out.hiddenStates.size()), f.loaded.spec.numLayers + 1);
        for (std::size_t i = 0; i < out.hiddenStates.size(); ++i)
            CHECK_CLOSE("hidden_states", out.hiddenStates[i], f.expected.at("hidden_states." + std::to_string(i)),
                        kTolerance);
        const auto& mask = f.expected.at("attention_mask");
        CHECK_CLOSE("logits_masked", kept(logitsOf(model, ids, mask), mask),
                    kept(f.expected.at("logits_masked"), mask), kTolerance);
        CHECK_CLOSE("logits_short", logitsOf(model, ids.narrow(1, 0, 6)), f.expected.at("logits_short"), kTolerance);
        // The SDPA path where LibTorch has it (soft-capped models stay eager).
        model.setAttentionBackend(AttentionBackend::Auto);
        CHECK_CLOSE("logits (auto backend)", logitsOf(model, ids), f.expected.at("logits"), kTolerance);
    }

    // Greedy decoding of 10 tokens from 6 with the KV cache, past the sliding window.
    void greedyGeneration_data() { models_data(); }
    void greedyGeneration() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        const auto gen = greedy(*f.loaded.model, f.expected.at("input_ids"));
        QVERIFY(at::equal(gen.sequences, f.expected.at("generate.sequences")));
        CHECK_CLOSE("generate.scores", at::stack(gen.scores), f.expected.at("generate.scores"), kTolerance);
    }

    // PEFT's adapter (fused targets for Phi-3): logits, padding, greedy tokens, merged logits,
    // PEFT's parameter counts.
    void peftAdapter_data() { models_data(); }
    void peftAdapter() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        auto model = f.loaded.model;
        const AdapterConfig config = readAdapterConfig(f.dir + "/adapter", f.loaded.spec.architecture);
        const ParameterCounts counts = countParameters(f.loaded.spec, config.settings);
        QCOMPARE(counts.trainableParameters, f.expected.at("peft_counts")[0].item<int64_t>());
        QCOMPARE(counts.allParameters, f.expected.at("peft_counts")[1].item<int64_t>());
        auto lora = loadAdapter(model, f.dir + "/adapter");
        QCOMPARE(lora->trainableParameterCount(), counts.trainableParameters);
        const auto& ids = f.expected.at("input_ids");
        const auto& mask = f.expected.at("attention_mask");
        CHECK_CLOSE("logits_lora", logitsOf(*model, ids), f.expected.at("logits_lora"), kTolerance);
        QVERIFY(maxDiff(f.expected.at("logits"), f.expected.at("logits_lora")) > 1e-2);
        CHECK_CLOSE("logits_lora_masked", kept(logitsOf(*model, ids, mask), mask),
                    kept(f.expected.at("logits_lora_masked"), mask), kTolerance);
        QVERIFY(at::equal(greedy(*model, ids).sequences, f.expected.at("generate.sequences_lora")));
        lora->merge();
        CHECK_CLOSE("logits_merged", logitsOf(*model, ids), f.expected.at("logits_merged"), kTolerance);
    }

    // The training path: hidden states + the chunked loss with the soft-capped head (one chunk and
    // several), and the LoRA gradients of PEFT's backward.
    void lossAndGradients_data() { models_data(); }
    void lossAndGradients() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        auto model = f.loaded.model;
        auto lora = loadAdapter(model, f.dir + "/adapter");
        model->train();
        const auto& ids = f.expected.at("input_ids");
        const double cap = f.loaded.spec.finalLogitSoftcap;
        const double expectedLoss = f.expected.at("loss_lora").item<double>();
        {
            torch::NoGradGuard noGrad;
            const LossSum sum = nextTokenLossSum(model->forwardHidden(ids), model->outputHead(), ids, 7, cap);
            const double d = std::abs(sum.sum / double(sum.count) - expectedLoss);
            QVERIFY2(d < 1e-5, std::to_string(d).c_str());
            const double plain = nextTokenLoss(model->forward(ids).logits, ids).item<double>();
            QVERIFY2(std::abs(plain - expectedLoss) < 1e-5, std::to_string(plain).c_str());
        }
        auto loss = chunkedNextTokenLoss(model->forwardHidden(ids), model->outputHead(), ids, 7, cap);
        const double d = std::abs(loss.item<double>() - expectedLoss);
        worst()["loss_lora"] = std::max(worst()["loss_lora"], d);
        QVERIFY2(d < 1e-5, std::to_string(d).c_str());
        loss.backward();
        int checked = 0;
        for (const auto& [key, tensor] : lora->adapterStateDict()) {
            (void)tensor;
            const std::string param = key.substr(std::string(kPeftKeyPrefix).size());
            at::Tensor grad;
            for (const auto& [n, t] : lora->trainableParameters())
                if (n == param) grad = t.grad();
            QVERIFY2(grad.defined(), key.c_str());
            CHECK_CLOSE("LoRA gradients", grad, f.expected.at("grad." + key), 1e-5);
            ++checked;
        }
        QVERIFY(checked >= 8);
    }

    // PEFT's counts for the published configs (base models built by transformers on the meta
    // device), from config.json alone.
    void publishedCounts() {
        int cases = 0;
        for (const char* folder : {"gemma_phi3", "stablelm"}) {
        std::ifstream in(testsupport::sourceDir() + "/tests/fixtures/" + folder + "/published_counts.json");
        const auto counts = nlohmann::json::parse(in);
        for (const auto& [file, entries] : counts.items()) {
            const ModelSpec spec = publishedConfig(file);
            for (const auto& e : entries) {
                LoraSettings s;
                s.r = e.at("r").get<int>();
                s.loraAlpha = 2 * s.r;
                s.targetModules = e.at("target_modules").is_string()
                                      ? ModuleSelection::allLinear()
                                      : ModuleSelection::list(e.at("target_modules").get<std::vector<std::string>>());
                QCOMPARE(parameterCount(spec), e.at("base_parameters").get<int64_t>());
                const ParameterCounts c = countParameters(spec, s);
                QVERIFY2(c.trainableParameters == e.at("trainable").get<int64_t>(), (file + " trainable").c_str());
                QVERIFY2(c.allParameters == e.at("all").get<int64_t>(), (file + " all").c_str());
                ++cases;
            }
        }
        }
        QVERIFY(cases >= 8);
    }

    // What the readers derive from the published configs' keys (and the classes' defaults).
    void configReading() {
        const ModelSpec g2 = publishedConfig("gemma-2-2b.json");
        QVERIFY(g2.architecture == Architecture::Gemma2);
        QCOMPARE(g2.attnLogitSoftcap, 50.0);
        QCOMPARE(g2.finalLogitSoftcap, 30.0);
        QCOMPARE(g2.queryPreAttnScalar, 256.0);
        QCOMPARE(g2.slidingWindow, int64_t(4096));
        QVERIFY(g2.tieWordEmbeddings && g2.activation == Activation::GeluTanh);
        for (int64_t l = 0; l < g2.numLayers; ++l) QCOMPARE(g2.slidingLayer(l), l % 2 == 0);  // no layer_types: even layers slide

        const ModelSpec g3 = publishedConfig("gemma-3-1b-it.json");
        QVERIFY(g3.architecture == Architecture::Gemma3 && g3.qkNorm);
        QCOMPARE(g3.ropeTheta, 1000000.0);
        QCOMPARE(g3.ropeLocalTheta, 10000.0);
        QCOMPARE(g3.finalLogitSoftcap, 0.0);
        QCOMPARE(g3.eosTokenIds, (std::vector<int64_t>{1, 106}));
        for (int64_t l = 0; l < g3.numLayers; ++l) QCOMPARE(g3.slidingLayer(l), (l + 1) % 6 != 0);  // sliding_window_pattern 6

        // null soft-capping means none; an absent key the class default.
        nlohmann::json j = nlohmann::json::parse(testsupport::readFile(testsupport::sourceDir() +
                                                                       "/tests/fixtures/configs/gemma-2-2b.json"));
        j["final_logit_softcapping"] = nullptr;
        j.erase("attn_logit_softcapping");
        j["layer_types"] = std::vector<std::string>(26, "full_attention");
        const ModelSpec edited = parseModelConfigText(j.dump(), "edited.json");
        QCOMPARE(edited.finalLogitSoftcap, 0.0);
        QCOMPARE(edited.attnLogitSoftcap, 50.0);
        QVERIFY(!edited.slidingLayer(0));
        j["layer_types"] = std::vector<std::string>(3, "full_attention");
        QVERIFY(testsupport::errorOf([&] { parseModelConfigText(j.dump(), "edited.json"); }).find("layer_types") !=
                std::string::npos);
    }

    // Phi-3: Phi3Config's defaults, LongRoPE under its legacy name, Phi-4-mini's partial rotary.
    void phi3ConfigReading() {
        const ModelSpec mini = publishedConfig("phi-3-mini-4k-instruct.json");
        QVERIFY(mini.architecture == Architecture::Phi3);
        QCOMPARE(mini.slidingWindow, int64_t(2047));
        QVERIFY(mini.ropeScaling.type == RopeType::Default && mini.rotaryDim() == 96);
        QCOMPARE(mini.normEps, 1e-5);
        QVERIFY(mini.family().peftDefaultTargets.empty());  // PEFT has no phi3 default: targets must be named

        const ModelSpec phi3 = parseModelConfig(fixtureDir("phi3") + "/model/config.json");
        QVERIFY(phi3.ropeScaling.type == RopeType::LongRope);  // written as "su"
        QCOMPARE(phi3.ropeScaling.originalMaxPositions, int64_t(8));
        QCOMPARE(phi3.ropeScaling.attentionFactor, std::sqrt(1 + std::log(4.0) / std::log(8.0)));
        const ModelSpec phi4 = parseModelConfig(fixtureDir("phi4mini") + "/model/config.json");
        QCOMPARE(phi4.rotaryDim(), int64_t(12));
        QVERIFY(phi4.tieWordEmbeddings && phi4.slidingWindow == 0);

        nlohmann::json j = nlohmann::json::parse(testsupport::readFile(fixtureDir("phi4mini") + "/model/config.json"));
        j["rope_scaling"]["short_factor"] = std::vector<double>(8, 1.0);  // 6 needed: 12 rotary dims / 2
        QVERIFY(testsupport::errorOf([&] { parseModelConfigText(j.dump(), "x.json"); }).find("short_factor") !=
                std::string::npos);
        j["rope_scaling"] = {{"type", "linear"}, {"factor", 2.0}};
        QVERIFY(testsupport::errorOf([&] { parseModelConfigText(j.dump(), "x.json"); }).find("longrope") !=
                std::string::npos);
    }

    // The memory estimate and GGUF know the families through the table.
    void estimateKnowsTheFamilies() {
        for (const char* file : {"gemma-2-2b.json", "gemma-3-1b-it.json", "phi-3-mini-4k-instruct.json",
                                 "stablelm-config-defaults.json"}) {
            const ModelSpec spec = publishedConfig(file);
            ProjectConfig project;
            project.lora.targetModules = ModuleSelection::list(spec.family().presetAttention);
            project.data.maxLength = 256;
            MemoryOptions options;
            options.device = MemoryDevice::Cpu;
            const MemoryEstimate m = estimateMemory(spec, project, options);
            QCOMPARE(m.counts.modules.size(), spec.family().presetAttention.size() * std::size_t(spec.numLayers));
            QVERIFY(m.activations > 0);
            // The published configs are what llama.cpp's graphs run: exported with no fold of the
            // attention scale (query_pre_attn_scalar = head_dim for these sizes).
            std::vector<std::string> warnings;
            const std::string error = testsupport::errorOf([&] { checkGgufSupport(spec, warnings); });
            QVERIFY2(error.empty(), error.c_str());
            QCOMPARE(ggufValueChange(spec, "model.layers.0.self_attn.q_proj.weight").scale, 1.0);
            QCOMPARE(ggufValueChange(spec, "model.layers.0.self_attn.q_norm.weight").scale, 1.0);
        }
    }

    // StableLM: StableLmConfig's defaults (stablelm-3b-4e1t's sizes), the fixtures' biases and
    // partial rotary, and the refused 12B features.
    void stableLmConfigReading() {
        const ModelSpec s3b = publishedConfig("stablelm-config-defaults.json");
        QVERIFY(s3b.architecture == Architecture::StableLm && !s3b.qkvBias && !s3b.tieWordEmbeddings);
        QCOMPARE(s3b.rotaryDim(), int64_t(20));  // 80 * 0.25
        QCOMPARE(s3b.numKvHeads, int64_t(32));
        QCOMPARE(s3b.normEps, 1e-5);
        QCOMPARE(s3b.family().peftDefaultTargets, (std::vector<std::string>{"q_proj", "v_proj"}));
        const ModelSpec tiny = parseModelConfig(fixtureDir("stablelm/stablelm") + "/model/config.json");
        QVERIFY(tiny.qkvBias && tiny.rotaryDim() == 4 && tiny.numKvHeads == 2);

        nlohmann::json j = nlohmann::json::parse(testsupport::readFile(fixtureDir("stablelm/stablelm") + "/model/config.json"));
        j.erase("num_key_value_heads");
        j["num_attention_heads"] = 32;
        j["hidden_size"] = 512;
        QCOMPARE(parseModelConfigText(j.dump(), "x.json").numKvHeads, int64_t(32));  // StableLmConfig's default
        for (const char* key : {"qk_layernorm", "use_parallel_residual"}) {
            nlohmann::json k = nlohmann::json::parse(testsupport::readFile(fixtureDir("stablelm/stablelm") + "/model/config.json"));
            k[key] = true;
            const std::string error = testsupport::errorOf([&] { parseModelConfigText(k.dump(), "x.json"); });
            QVERIFY2(error.find(key) != std::string::npos && error.find("not supported") != std::string::npos, error.c_str());
        }
    }

    void cleanupTestCase() {
        for (const auto& [what, d] : worst()) std::printf("worst %-28s %.3g\n", what.c_str(), d);
    }
};

QTEST_APPLESS_MAIN(TestGemmaPhi3)
#include "test_gemma_phi3.moc"

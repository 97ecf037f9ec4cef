// config.json -> ModelSpec and the loader's checks: the specs of the fixtures, and every user
// mistake (unknown architecture, missing key, malformed JSON, unsupported RoPE, missing /
// misshapen / unexpected tensors) ending in an Error that names the file, key or tensor.
// Torch headers come before Qt's.
#include "common/error.h"
#include "io/safetensors.h"
#include "model/loader.h"
#include "model/model_spec.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <torch/version.h>

#include "test_support.h"

#include <QtTest>

#include <filesystem>
#include <functional>

using namespace lorastudio;
namespace fs = std::filesystem;

namespace {

std::string hfDir() { return testsupport::fixturesDir() + "/models"; }
std::string tinyDir() { return testsupport::sourceDir() + "/tests/fixtures/tiny_models"; }

nlohmann::json fixtureConfig(const std::string& modelDir) {
    return nlohmann::json::parse(testsupport::readFile(modelDir + "/config.json"));
}

// The message of the Error that f throws ("" if it throws none; other exceptions fail the test).
using testsupport::errorOf;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

#define VERIFY_CONTAINS(message, needle)                                                              \
    QVERIFY2(contains(message, needle), ("'" + std::string(needle) + "' not in: " + message).c_str())

// A model folder under a temp dir with this config and these tensors.
std::string writeModel(const std::string& tag, const nlohmann::json& config,
                       const std::vector<std::pair<std::string, at::Tensor>>& tensors) {
    const std::string dir = testsupport::makeTempDir(tag);
    testsupport::writeFile(dir + "/config.json", config.dump(2));
    writeSafetensors(dir + "/model.safetensors", tensors);
    return dir;
}

std::vector<std::pair<std::string, at::Tensor>> fixtureTensors(const std::string& modelDir) {
    auto ckpt = Checkpoint::open(modelDir);
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (const auto& name : ckpt.names()) out.emplace_back(name, ckpt.tensor(name).clone());
    return out;
}

ModelSpec specOf(const nlohmann::json& config) { return parseModelConfigText(config.dump(), "config.json"); }

} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtureSpecs() {
        auto gpt2 = parseModelConfig(hfDir() + "/gpt2/model/config.json");
        QVERIFY(gpt2.architecture == Architecture::Gpt2);
        QCOMPARE(gpt2.hiddenSize, int64_t(64));
        QCOMPARE(gpt2.numHeads, int64_t(4));
        QCOMPARE(gpt2.headDim, int64_t(16));
        QCOMPARE(gpt2.intermediateSize, int64_t(256));  // n_inner null -> 4 * n_embd
        QCOMPARE(gpt2.maxPositions, int64_t(128));
        QVERIFY(gpt2.activation == Activation::GeluNew);
        QVERIFY(gpt2.tieWordEmbeddings && gpt2.qkvBias && gpt2.outputBias && gpt2.mlpBias);
        QCOMPARE(gpt2.normEps, 1e-5);
        QCOMPARE(gpt2.eosTokenIds, std::vector<int64_t>{999});

        auto llama = parseModelConfig(hfDir() + "/llama/model/config.json");
        QVERIFY(llama.architecture == Architecture::Llama);
        QCOMPARE(llama.numKvHeads, int64_t(2));
        QCOMPARE(llama.intermediateSize, int64_t(176));
        QCOMPARE(llama.normEps, 1e-6);
        QCOMPARE(llama.ropeTheta, 1e4);
        QVERIFY(llama.ropeScaling.type == RopeType::Default);
        QVERIFY(!llama.tieWordEmbeddings && !llama.qkvBias && !llama.outputBias && !llama.qkNorm);
        QCOMPARE(llama.padTokenId, int64_t(0));
        QCOMPARE(llama.torchDtype, std::string("float32"));

        auto qwen2 = parseModelConfig(hfDir() + "/qwen2/model/config.json");
        QVERIFY(qwen2.architecture == Architecture::Qwen2);
        QVERIFY(qwen2.qkvBias && !qwen2.outputBias && qwen2.tieWordEmbeddings);
        QCOMPARE(qwen2.slidingWindow, int64_t(0));  // use_sliding_window false
    }

    void tinySpecs() {
        auto qwen3 = parseModelConfig(tinyDir() + "/qwen3/model/config.json");
        QVERIFY(qwen3.architecture == Architecture::Qwen3 && qwen3.qkNorm && !qwen3.qkvBias);
        QCOMPARE(qwen3.headDim, int64_t(16));  // from config, not 32 / 4
        QCOMPARE(qwen3.qDim(), int64_t(64));
        auto mistral = parseModelConfig(tinyDir() + "/mistral/model/config.json");
        QCOMPARE(mistral.slidingWindow, int64_t(4));
        QVERIFY(mistral.ropeScaling.type == RopeType::Linear);  // under the old key "type"
        QCOMPARE(mistral.ropeScaling.factor, 2.0);
        auto llama3 = parseModelConfig(tinyDir() + "/llama3/model/config.json");
        QVERIFY(llama3.ropeScaling.type == RopeType::Llama3);
        QCOMPARE(llama3.ropeScaling.originalMaxPositions, int64_t(64));
        QCOMPARE(llama3.ropeScaling.highFreqFactor, 4.0);
        QVERIFY(llama3.qkvBias && llama3.outputBias && llama3.mlpBias);
        QCOMPARE(llama3.eosTokenIds, (std::vector<int64_t>{2, 3}));
    }

    // Expected tensors from the spec alone equal the checkpoint's names and shapes.
    void expectedParametersMatchCheckpoints() {
        for (const std::string dir : {hfDir() + "/llama/model", hfDir() + "/qwen2/model", hfDir() + "/gpt2/model",
                                      tinyDir() + "/qwen3/model", tinyDir() + "/llama3/model"}) {
            auto spec = parseModelConfig(dir + "/config.json");
            auto ckpt = Checkpoint::open(dir);
            int64_t numel = 0;
            for (const auto& name : ckpt.names()) numel += ckpt.tensor(name).numel();
            std::size_t listed = 0;
            for (const auto& p : expectedParameters(spec)) {
                if (!p.tiedTo.empty()) {
                    QVERIFY(!ckpt.contains(p.name));
                    continue;
                }
                ++listed;
                const TensorInfo* t = ckpt.find(p.name);
                QVERIFY2(t, (dir + ": " + p.name).c_str());
                QCOMPARE(t->shape, p.shape);
            }
            QCOMPARE(listed, ckpt.names().size());
            QCOMPARE(parameterCount(spec), numel);
        }
    }

    void unknownArchitecture() {
        auto cfg = fixtureConfig(hfDir() + "/llama/model");
        cfg["architectures"] = {"FalconForCausalLM"};
        const std::string msg = errorOf([&] { specOf(cfg); });
        VERIFY_CONTAINS(msg, "config.json");
        VERIFY_CONTAINS(msg, "'FalconForCausalLM'");
        for (const auto& name : supportedArchitectures()) VERIFY_CONTAINS(msg, name);
        // Without "architectures", model_type decides.
        cfg.erase("architectures");
        QVERIFY(specOf(cfg).architecture == Architecture::Llama);
        cfg["model_type"] = "falcon";
        VERIFY_CONTAINS(errorOf([&] { specOf(cfg); }), "'falcon'");
        cfg.erase("model_type");
        VERIFY_CONTAINS(errorOf([&] { specOf(cfg); }), "'architectures'");
    }

    void missingKey_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("key");
        for (const char* key : {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                                "num_attention_heads"})
            QTest::newRow(key) << "llama" << key;
        for (const char* key : {"n_embd", "n_head", "n_layer", "vocab_size"})
            QTest::newRow((std::string("gpt2 ") + key).c_str()) << "gpt2" << key;
    }
    void missingKey() {
        QFETCH(QString, model);
        QFETCH(QString, key);
        const std::string dir = testsupport::makeTempDir("config");
        auto cfg = fixtureConfig(hfDir() + "/" + model.toStdString() + "/model");
        cfg.erase(key.toStdString());
        testsupport::writeFile(dir + "/config.json", cfg.dump(2));
        const std::string msg = errorOf([&] { parseModelConfig(dir + "/config.json"); });
        VERIFY_CONTAINS(msg, dir + "/config.json");
        VERIFY_CONTAINS(msg, "'" + key.toStdString() + "'");
        VERIFY_CONTAINS(msg, "missing");
        fs::remove_all(dir);
    }

    void malformedJson() {
        const std::string dir = testsupport::makeTempDir("config");
        testsupport::writeFile(dir + "/config.json", "{\n  \"hidden_size\": 64,\n  \"vocab_size\" 1000\n}\n");
        const std::string msg = errorOf([&] { parseModelConfig(dir + "/config.json"); });
        VERIFY_CONTAINS(msg, "config.json");
        VERIFY_CONTAINS(msg, "line 3");
        VERIFY_CONTAINS(msg, "column");
        const std::string missing = errorOf([&] { parseModelConfig(dir + "/nope.json"); });
        VERIFY_CONTAINS(missing, "nope.json");
        fs::remove_all(dir);
    }

    void wrongTypesAndInconsistentSizes() {
        auto cfg = fixtureConfig(hfDir() + "/llama/model");
        auto bad = cfg;
        bad["hidden_size"] = "64";
        auto msg = errorOf([&] { specOf(bad); });
        VERIFY_CONTAINS(msg, "'hidden_size'");
        VERIFY_CONTAINS(msg, "wrong type");
        bad = cfg;
        bad["num_key_value_heads"] = 3;
        VERIFY_CONTAINS(errorOf([&] { specOf(bad); }), "num_key_value_heads");
        bad = cfg;
        bad["num_attention_heads"] = 5;
        msg = errorOf([&] { specOf(bad); });
        VERIFY_CONTAINS(msg, "hidden_size (64) is not divisible by num_attention_heads (5)");
        bad = cfg;
        bad["num_hidden_layers"] = 0;
        VERIFY_CONTAINS(errorOf([&] { specOf(bad); }), "'num_hidden_layers' must be positive");
        bad = cfg;
        bad["hidden_act"] = "swiglu";
        VERIFY_CONTAINS(errorOf([&] { specOf(bad); }), "'swiglu'");
        bad = fixtureConfig(hfDir() + "/qwen2/model");
        bad["use_sliding_window"] = true;
        VERIFY_CONTAINS(errorOf([&] { specOf(bad); }), "use_sliding_window");
    }

    void ropeScalingKeys() {
        auto cfg = fixtureConfig(hfDir() + "/llama/model");
        cfg["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 32.0}, {"low_freq_factor", 1.0},
                               {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}};
        QVERIFY(specOf(cfg).ropeScaling.type == RopeType::Llama3);
        cfg["rope_scaling"] = {{"type", "linear"}, {"factor", 4.0}};
        QCOMPARE(specOf(cfg).ropeScaling.factor, 4.0);
        cfg["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}};
        auto msg = errorOf([&] { specOf(cfg); });
        VERIFY_CONTAINS(msg, "'yarn'");
        VERIFY_CONTAINS(msg, "llama3");
        cfg["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 8.0}};
        VERIFY_CONTAINS(errorOf([&] { specOf(cfg); }), "'low_freq_factor'");
        cfg["rope_scaling"] = {{"factor", 8.0}};
        VERIFY_CONTAINS(errorOf([&] { specOf(cfg); }), "rope_type");
    }

    void missingTensors() {
        const std::string src = hfDir() + "/llama/model";
        auto tensors = fixtureTensors(src);
        auto dropped = tensors;
        dropped.erase(std::remove_if(dropped.begin(), dropped.end(),
                                     [](const auto& t) { return t.first == "model.layers.1.mlp.up_proj.weight"; }),
                      dropped.end());
        const std::string dir = writeModel("missing", fixtureConfig(src), dropped);
        const std::string msg = errorOf([&] { loadCausalLM(dir); });
        VERIFY_CONTAINS(msg, dir + "/model.safetensors: missing tensors: model.layers.1.mlp.up_proj.weight [176, 64]");
        VERIFY_CONTAINS(msg, "(hint: ");
        fs::remove_all(dir);
    }

    void misshapenAndUnexpectedTensors() {
        const std::string src = hfDir() + "/llama/model";
        auto tensors = fixtureTensors(src);
        for (auto& [name, t] : tensors)
            if (name == "model.layers.0.self_attn.k_proj.weight") t = at::zeros({64, 64});
        tensors.emplace_back("model.layers.2.mlp.up_proj.weight", at::zeros({176, 64}));
        const std::string dir = writeModel("misshapen", fixtureConfig(src), tensors);
        const std::string msg = errorOf([&] { loadCausalLM(dir); });
        VERIFY_CONTAINS(msg, "misshapen tensors: model.layers.0.self_attn.k_proj.weight (expected [32, 64], found [64, 64])");
        VERIFY_CONTAINS(msg, "unexpected tensors: model.layers.2.mlp.up_proj.weight");
        QVERIFY(!contains(msg, "missing"));
        fs::remove_all(dir);
    }

    // GPT-2 config over Llama weights: everything is listed, the long lists shortened.
    void wrongArchitectureCheckpoint() {
        const std::string dir = writeModel("wrongarch", fixtureConfig(hfDir() + "/gpt2/model"),
                                           fixtureTensors(hfDir() + "/llama/model"));
        const std::string msg = errorOf([&] { loadCausalLM(dir); });
        // (lm_head.weight stands in for the tied transformer.wte.weight, so wpe comes first.)
        VERIFY_CONTAINS(msg, "missing tensors: transformer.wpe.weight [128, 64], transformer.h.0.ln_1.weight [64]");
        VERIFY_CONTAINS(msg, "more)");
        VERIFY_CONTAINS(msg, "unexpected tensors: model.embed_tokens.weight");
        VERIFY_CONTAINS(msg, "GPT2LMHeadModel");
        fs::remove_all(dir);
    }

    // Buffers older checkpoints carry are skipped; tied heads load from either copy.
    void toleratedExtras() {
        auto gpt2 = fixtureTensors(hfDir() + "/gpt2/model_noprefix");
        gpt2.emplace_back("h.0.attn.bias", at::ones({1, 1, 128, 128}));
        gpt2.emplace_back("h.0.attn.masked_bias", at::tensor({-1e4}));
        std::string dir = writeModel("gpt2extras", fixtureConfig(hfDir() + "/gpt2/model"), gpt2);
        QVERIFY(errorOf([&] { loadCausalLM(dir); }).empty());
        fs::remove_all(dir);

        auto llama = fixtureTensors(hfDir() + "/llama/model");
        llama.emplace_back("model.layers.0.self_attn.rotary_emb.inv_freq", at::ones({8}));
        dir = writeModel("llamaextras", fixtureConfig(hfDir() + "/llama/model"), llama);
        QVERIFY(errorOf([&] { loadCausalLM(dir); }).empty());
        fs::remove_all(dir);

        // Qwen2 (tied) with only lm_head.weight instead of the embedding.
        auto qwen = fixtureTensors(hfDir() + "/qwen2/model");
        at::Tensor embed;
        for (auto& [name, t] : qwen)
            if (name == "model.embed_tokens.weight") {
                name = "lm_head.weight";
                embed = t;
            }
        dir = writeModel("qwentied", fixtureConfig(hfDir() + "/qwen2/model"), qwen);
        auto loaded = loadCausalLM(dir);
        auto params = loaded.model->named_parameters();
        QVERIFY(at::equal(*params.find("model.embed_tokens.weight"), embed));
        QVERIFY(at::equal(*params.find("lm_head.weight"), embed));
        fs::remove_all(dir);
    }

    void loaderArguments() {
        VERIFY_CONTAINS(errorOf([] { loadCausalLM("/nonexistent/model"); }), "/nonexistent/model");
        const std::string empty = testsupport::makeTempDir("empty");
        VERIFY_CONTAINS(errorOf([&] { loadCausalLM(empty); }), "config.json");
        fs::remove_all(empty);
        VERIFY_CONTAINS(errorOf([] { parseComputeDtype("int8"); }), "'int8'");
        QVERIFY(parseComputeDtype("bf16") == at::kBFloat16);
        QVERIFY(parseComputeDtype("float16") == at::kHalf);
#if TORCH_VERSION_MAJOR < 2
        VERIFY_CONTAINS(errorOf([] { loadCausalLM(hfDir() + "/gpt2/model", at::kHalf); }), "float16");
#else
        auto fp16 = loadCausalLM(hfDir() + "/gpt2/model", at::kHalf);
        QVERIFY(fp16.model->dtype() == at::kHalf);
#endif
    }
};

QTEST_APPLESS_MAIN(TestModelConfig)
#include "test_model_config.moc"

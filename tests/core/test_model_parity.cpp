// Model parity: our GPT-2 / Llama / Qwen2 forward, hidden states, masks, loss and greedy generation
// against Hugging Face transformers' own outputs (../shared/fixtures/models), and Qwen3 / Mistral /
// Llama-3 RoPE against the independent PyTorch reference in tests/reference (tests/fixtures).
// Torch headers come before Qt's.
#include "common/json_file.h"
#include "io/safetensors.h"
#include "model/generate.h"
#include "model/kv_cache.h"
#include "model/linear_layer.h"
#include "model/loader.h"
#include "model/loss.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "tensor_files.h"
#include "test_support.h"

#include <QtTest>

#include <set>

using namespace lorastudio;

namespace {

std::string hfDir() { return testsupport::fixturesDir() + "/models"; }
std::string tinyDir() { return testsupport::sourceDir() + "/tests/fixtures/tiny_models"; }

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// Max |a - b| over positions [B, T] where keep is non-zero (a, b: [B, T, V]).
double maxDiffWhere(const at::Tensor& a, const at::Tensor& b, const at::Tensor& keep) {
    auto d = (a.to(at::kDouble) - b.to(at::kDouble)).abs().amax(-1);  // [B, T]
    return d.masked_select(keep.to(at::kBool)).max().item<double>();
}

// Everything a reference file holds, copied out of the mapping.
std::map<std::string, at::Tensor> readAll(const std::string& path) { return testsupport::readAllTensors(path); }

constexpr double kTolerance = 1e-4;

// Records the worst difference seen per quantity, printed at the end of the run.
std::map<std::string, double>& worst() {
    static std::map<std::string, double> w;
    return w;
}
void note(const std::string& what, double diff) {
    auto& w = worst()[what];
    w = std::max(w, diff);
}

// A test adapter: adds a constant to every output element.
class ConstantAdapter : public LinearAdapter {
public:
    explicit ConstantAdapter(double value) : m_value(value) {}
    at::Tensor apply(const at::Tensor& x2d, at::Tensor baseResult) override {
        if (baseResult.size(0) != x2d.size(0) || baseResult.size(1) != m_out)
            throw std::runtime_error("the base result is not [N, out]");
        return baseResult + m_value;
    }
    int64_t m_out = 0;

private:
    double m_value;
};

} // namespace

class TestModelParity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::manual_seed(0); }

    void hfFixtures_data() {
        QTest::addColumn<QString>("modelDir");
        QTest::addColumn<QString>("refDir");
        QTest::newRow("gpt2") << "gpt2/model" << "gpt2";
        QTest::newRow("gpt2-noprefix") << "gpt2/model_noprefix" << "gpt2";
        QTest::newRow("llama") << "llama/model" << "llama";
        QTest::newRow("qwen2") << "qwen2/model" << "qwen2";
    }

    // Logits, hidden states, right-padded logits, loss and greedy generation vs transformers.
    void hfFixtures() {
        QFETCH(QString, modelDir);
        QFETCH(QString, refDir);
        auto loaded = loadCausalLM(hfDir() + "/" + modelDir.toStdString());
        auto ref = readAll(hfDir() + "/" + refDir.toStdString() + "/logits.safetensors");
        CausalLM& model = *loaded.model;
        c10::InferenceMode inference;

        const auto& ids = ref.at("input_ids");
        auto out = model.forward(ids, {}, {}, nullptr, /*outputHiddenStates=*/true);
        QCOMPARE(out.logits.sizes().vec(), ref.at("logits").sizes().vec());
        const double dLogits = maxDiff(out.logits, ref.at("logits"));
        note("hf logits", dLogits);
        QVERIFY2(dLogits < kTolerance, std::to_string(dLogits).c_str());

        QCOMPARE(static_cast<int64_t>(out.hiddenStates.size()), loaded.spec.numLayers + 1);
        for (std::size_t k = 0; k < out.hiddenStates.size(); ++k) {
            const double d = maxDiff(out.hiddenStates[k], ref.at("hidden_states." + std::to_string(k)));
            note("hf hidden_states", d);
            QVERIFY2(d < kTolerance, ("hidden_states." + std::to_string(k) + ": " + std::to_string(d)).c_str());
        }

        // Right padding: transformers' forward with a mask keeps positions 0..T-1.
        const auto& mask = ref.at("attention_mask");
        auto masked = model.forward(ids, mask).logits;
        const double dMasked = maxDiffWhere(masked, ref.at("logits_masked"), mask);
        note("hf logits_masked", dMasked);
        QVERIFY2(dMasked < kTolerance, std::to_string(dMasked).c_str());
        // Valid positions of a right-padded row only see earlier tokens: same as without a mask.
        QVERIFY(maxDiffWhere(masked, out.logits, mask) < kTolerance);

        const double dLoss = std::abs(nextTokenLoss(out.logits, ids).item<double>() - ref.at("loss").item<double>());
        note("hf loss", dLoss);
        QVERIFY2(dLoss < 1e-5, std::to_string(dLoss).c_str());

        // Greedy generation of 8 tokens from the first 8, through the KV cache.
        GenerateOptions opts;
        opts.maxNewTokens = 8;
        opts.returnScores = true;
        auto gen = generate(model, ids.narrow(1, 0, 8), {}, opts);
        QVERIFY(at::equal(gen.sequences, ref.at("generate.sequences")));
        QCOMPARE(static_cast<int64_t>(gen.scores.size()), int64_t(8));
        const double dScores = maxDiff(at::stack(gen.scores), ref.at("generate.scores"));
        note("hf generate.scores", dScores);
        QVERIFY2(dScores < kTolerance, std::to_string(dScores).c_str());
    }

    void tinyReference_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("qwen3") << "qwen3";
        QTest::newRow("mistral-sliding-window-linear-rope") << "mistral";
        QTest::newRow("llama3-rope-biases") << "llama3";
    }

    // Architectures without HF fixtures, against tests/reference/make_tiny_models.py.
    void tinyReference() {
        QFETCH(QString, name);
        const std::string dir = tinyDir() + "/" + name.toStdString();
        auto loaded = loadCausalLM(dir + "/model");
        auto ref = readAll(dir + "/expected.safetensors");
        CausalLM& model = *loaded.model;
        c10::InferenceMode inference;

        const auto& ids = ref.at("input_ids");
        auto out = model.forward(ids, {}, {}, nullptr, true);
        const double dLogits = maxDiff(out.logits, ref.at("logits"));
        note("tiny logits", dLogits);
        QVERIFY2(dLogits < kTolerance, std::to_string(dLogits).c_str());
        for (std::size_t k = 0; k < out.hiddenStates.size(); ++k) {
            const double d = maxDiff(out.hiddenStates[k], ref.at("hidden_states." + std::to_string(k)));
            note("tiny hidden_states", d);
            QVERIFY2(d < kTolerance, std::to_string(d).c_str());
        }
        const double dLoss = std::abs(nextTokenLoss(out.logits, ids).item<double>() - ref.at("loss").item<double>());
        QVERIFY2(dLoss < 1e-5, std::to_string(dLoss).c_str());

        // Left padding with generate()'s positions (cumsum(mask) - 1, padding at 1).
        const auto& mask = ref.at("attention_mask");
        auto positions = (mask.cumsum(-1) - 1).masked_fill(mask.eq(0), 1);
        auto masked = model.forward(ids, mask, positions).logits;
        const double dMasked = maxDiffWhere(masked, ref.at("logits_masked"), mask);
        note("tiny logits_masked (left padding)", dMasked);
        QVERIFY2(dMasked < kTolerance, std::to_string(dMasked).c_str());

        // Greedy generation from a left-padded prompt; the reference recomputes without a cache.
        GenerateOptions opts;
        opts.maxNewTokens = ref.at("generate.scores").size(0);
        opts.returnScores = true;
        const auto& gmask = ref.at("generate.attention_mask");
        auto gen = generate(model, ids.narrow(1, 0, gmask.size(1)), gmask, opts);
        QVERIFY(at::equal(gen.sequences, ref.at("generate.sequences")));
        const double dScores = maxDiff(at::stack(gen.scores), ref.at("generate.scores"));
        note("tiny generate.scores", dScores);
        QVERIFY2(dScores < kTolerance, std::to_string(dScores).c_str());
    }

    void stateDictNames_data() {
        QTest::addColumn<QString>("modelDir");
        QTest::newRow("gpt2") << hfDir().append("/gpt2/model").c_str();
        QTest::newRow("gpt2-noprefix") << hfDir().append("/gpt2/model_noprefix").c_str();
        QTest::newRow("llama") << hfDir().append("/llama/model").c_str();
        QTest::newRow("qwen2") << hfDir().append("/qwen2/model").c_str();
        QTest::newRow("qwen3") << tinyDir().append("/qwen3/model").c_str();
        QTest::newRow("mistral") << tinyDir().append("/mistral/model").c_str();
        QTest::newRow("llama3") << tinyDir().append("/llama3/model").c_str();
    }

    // named_parameters() == expectedParameters(spec) == the checkpoint's names (+ tied lm_head).
    void stateDictNames() {
        QFETCH(QString, modelDir);
        const std::string dir = modelDir.toStdString();
        auto loaded = loadCausalLM(dir);
        auto expected = expectedParameters(loaded.spec);
        auto params = loaded.model->named_parameters();
        QCOMPARE(params.size(), expected.size());
        std::set<std::string> fromSpec;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(params[i].key(), expected[i].name);
            QCOMPARE(params[i].value().sizes().vec(), expected[i].shape);
            if (expected[i].tiedTo.empty()) fromSpec.insert(expected[i].name);
        }
        const bool noPrefix = dir.find("noprefix") != std::string::npos;
        std::set<std::string> inFile;
        for (const auto& n : Checkpoint::open(dir).names())
            inFile.insert(noPrefix && n != "lm_head.weight" ? "transformer." + n : n);
        QVERIFY(fromSpec == inFile);
        if (loaded.spec.tieWordEmbeddings) {  // one storage for both names
            const auto* head = params.find("lm_head.weight");
            const auto* embed = params.find(expectedParameters(loaded.spec).front().name);  // the token embedding
            QVERIFY(head && embed && head->data_ptr() == embed->data_ptr());
        }
    }

    void parameterCountMatchesManifest() {
        auto manifest = readJsonFile(hfDir() + "/manifest.json");
        for (const char* name : {"gpt2", "llama", "qwen2"}) {
            auto spec = parseModelConfig(hfDir() + "/" + name + "/model/config.json");
            QCOMPARE(parameterCount(spec), manifest["models"][name]["n_params"].get<int64_t>());
        }
    }

    // bf16 loading: parameters and compute in bf16, logits near the fp32 ones.
    void bf16Smoke_data() {
        QTest::addColumn<QString>("modelDir");
        QTest::newRow("gpt2") << "gpt2";
        QTest::newRow("llama") << "llama";
        QTest::newRow("qwen2") << "qwen2";
    }
    void bf16Smoke() {
        QFETCH(QString, modelDir);
        const std::string dir = hfDir() + "/" + modelDir.toStdString();
        auto ref = readAll(dir + "/logits.safetensors");
        auto loaded = loadCausalLM(dir + "/model", at::kBFloat16);
        QCOMPARE(loaded.model->dtype(), at::kBFloat16);
        c10::InferenceMode inference;
        auto logits = loaded.model->forward(ref.at("input_ids")).logits;
        QCOMPARE(logits.scalar_type(), at::kBFloat16);
        const double d = maxDiff(logits, ref.at("logits"));
        const double scale = ref.at("logits").abs().max().item<double>();
        qInfo("bf16 %s: max |logits - fp32 reference| = %.4f (max |logit| %.2f)", modelDir.toUtf8().constData(), d,
              scale);
        QVERIFY2(d < 0.05 * scale, std::to_string(d).c_str());
        QVERIFY(d > 0);  // really computed in bf16
        auto loss = nextTokenLoss(logits, ref.at("input_ids")).item<double>();
        QVERIFY(std::abs(loss - ref.at("loss").item<double>()) < 0.02);
        // Generation runs in bf16 too (cache in bf16, scores handed back in fp32).
        GenerateOptions opts;
        opts.maxNewTokens = 4;
        opts.returnScores = true;
        auto gen = generate(*loaded.model, ref.at("input_ids").narrow(1, 0, 8), {}, opts);
        QCOMPARE(gen.sequences.size(1), int64_t(12));
        QCOMPARE(gen.scores.front().scalar_type(), at::kFloat);
        QVERIFY(maxDiff(gen.scores.front(), ref.at("generate.scores")[0]) < 0.05 * scale);
    }

    // Prefill, then a chunk of several tokens, then single tokens through the cache == one forward.
    void kvCacheChunks_data() {
        QTest::addColumn<QString>("modelDir");
        QTest::newRow("gpt2") << hfDir().append("/gpt2/model").c_str();
        QTest::newRow("llama") << hfDir().append("/llama/model").c_str();
        QTest::newRow("mistral-window") << tinyDir().append("/mistral/model").c_str();
    }
    void kvCacheChunks() {
        QFETCH(QString, modelDir);
        auto loaded = loadCausalLM(modelDir.toStdString());
        CausalLM& model = *loaded.model;
        c10::InferenceMode inference;
        auto ids = at::randint(3, loaded.spec.vocabSize, {2, 12}, at::kLong);
        auto full = model.forward(ids).logits;
        KVCache cache(loaded.spec.numLayers);
        std::vector<at::Tensor> parts;
        parts.push_back(model.forward(ids.narrow(1, 0, 5), {}, {}, &cache).logits);
        parts.push_back(model.forward(ids.narrow(1, 5, 3), {}, {}, &cache).logits);
        for (int64_t t = 8; t < 12; ++t) parts.push_back(model.forward(ids.narrow(1, t, 1), {}, {}, &cache).logits);
        QCOMPARE(cache.length(), int64_t(12));
        const double d = maxDiff(at::cat(parts, 1), full);
        note("kv cache vs full forward", d);
        QVERIFY2(d < 1e-5, std::to_string(d).c_str());
    }

    // A left-padded row generates exactly what it generates alone (GPT-2: learned positions).
    void leftPaddedBatchMatchesSingle_data() {
        QTest::addColumn<QString>("modelDir");
        QTest::newRow("gpt2") << "gpt2";
        QTest::newRow("llama") << "llama";
    }
    void leftPaddedBatchMatchesSingle() {
        QFETCH(QString, modelDir);
        const std::string dir = hfDir() + "/" + modelDir.toStdString();
        auto loaded = loadCausalLM(dir + "/model");
        auto ids = readAll(dir + "/logits.safetensors").at("input_ids").narrow(1, 0, 8).clone();
        GenerateOptions opts;
        opts.maxNewTokens = 6;
        opts.stopOnEos = false;
        opts.returnScores = true;
        auto alone = generate(*loaded.model, ids.narrow(0, 1, 1).narrow(1, 3, 5), {}, opts);
        auto batchIds = ids.clone();
        batchIds.narrow(1, 0, 3).select(0, 1).fill_(0);  // 3 padding tokens in row 1
        auto mask = at::ones({2, 8}, at::kLong);
        mask.select(0, 1).narrow(0, 0, 3).fill_(0);
        auto batch = generate(*loaded.model, batchIds, mask, opts);
        QVERIFY(at::equal(batch.sequences.select(0, 1).narrow(0, 3, 11), alone.sequences.select(0, 0)));
        const double d = maxDiff(at::stack(batch.scores).select(1, 1), at::stack(alone.scores).select(1, 0));
        note("left-padded vs alone scores", d);
        QVERIFY2(d < 1e-4, std::to_string(d).c_str());
        // Row 0 is unaffected by row 1's padding.
        auto row0 = generate(*loaded.model, ids.narrow(0, 0, 1), {}, opts);
        QVERIFY(at::equal(batch.sequences.select(0, 0), row0.sequences.select(0, 0)));
    }

    void eosAndCallback() {
        auto loaded = loadCausalLM(hfDir() + "/llama/model");
        auto ref = readAll(hfDir() + "/llama/logits.safetensors");
        auto prompt = ref.at("input_ids").narrow(1, 0, 8);
        const auto& expected = ref.at("generate.sequences");
        // Row 0's third new token as eos: row 0 stops there and is padded, row 1 runs on.
        const int64_t eosId = expected[0][10].item<int64_t>();
        QVERIFY(!at::isin(expected[1].narrow(0, 8, 8), at::tensor({eosId})).any().item<bool>());
        GenerateOptions opts;
        opts.maxNewTokens = 8;
        opts.eosTokenIds = {eosId};
        opts.padTokenId = 7;
        int calls = 0;
        opts.onToken = [&](int64_t step, const at::Tensor& tokens) {
            ++calls;
            return tokens.size(0) == 2 && step >= 0;
        };
        auto gen = generate(*loaded.model, prompt, {}, opts);
        QCOMPARE(calls, 8);
        QVERIFY(at::equal(gen.sequences[1], expected[1]));
        QVERIFY(at::equal(gen.sequences[0].narrow(0, 0, 11), expected[0].narrow(0, 0, 11)));
        QVERIFY((gen.sequences[0].narrow(0, 11, 5) == 7).all().item<bool>());
        // All rows finished -> stops early; a callback returning false stops too.
        opts.eosTokenIds = {eosId, expected[1][8].item<int64_t>()};
        QVERIFY(generate(*loaded.model, prompt, {}, opts).sequences.size(1) < 16);
        opts.eosTokenIds.clear();
        opts.onToken = [](int64_t step, const at::Tensor&) { return step < 2; };
        QCOMPARE(generate(*loaded.model, prompt, {}, opts).sequences.size(1), int64_t(8 + 3));
    }

    void sampling() {
        auto loaded = loadCausalLM(hfDir() + "/qwen2/model");
        auto prompt = readAll(hfDir() + "/qwen2/logits.safetensors").at("input_ids").narrow(1, 0, 8);
        GenerateOptions opts;
        opts.maxNewTokens = 8;
        opts.temperature = 1.3;
        opts.topP = 0.95;
        opts.seed = 42;
        auto a = generate(*loaded.model, prompt, {}, opts).sequences;
        auto b = generate(*loaded.model, prompt, {}, opts).sequences;
        QVERIFY(at::equal(a, b));  // seeded: reproducible
        opts.seed = 43;
        auto c = generate(*loaded.model, prompt, {}, opts).sequences;
        QVERIFY(!at::equal(a, c));  // 16 draws from near-uniform 1000-way distributions
        // top-k 1 sampling is greedy.
        opts.topK = 1;
        opts.topP = 1.0;
        GenerateOptions greedy;
        greedy.maxNewTokens = 8;
        QVERIFY(at::equal(generate(*loaded.model, prompt, {}, opts).sequences,
                          generate(*loaded.model, prompt, {}, greedy).sequences));
    }

    void samplingLogitsProcessing() {
        auto probs = at::tensor({0.5, 0.3, 0.15, 0.05}, at::kFloat).view({1, 4});
        auto logits = probs.log();
        // top-p 0.8: the ascending cumulative sums are 0.05, 0.2, 0.5, 1 -> drop the two smallest.
        auto p = processSamplingLogits(logits, 1.0, 0, 0.8);
        auto kept = at::isfinite(p).view({4}).to(at::kLong);
        QVERIFY(at::equal(kept, at::tensor({1, 1, 0, 0}, at::kLong)));
        // top-k 3 drops the smallest only; temperature scales.
        auto k = processSamplingLogits(logits, 2.0, 3, 1.0);
        QVERIFY(at::equal(at::isfinite(k).view({4}).to(at::kLong), at::tensor({1, 1, 1, 0}, at::kLong)));
        QVERIFY(maxDiff(k.narrow(1, 0, 3), logits.narrow(1, 0, 3) / 2.0) < 1e-7);
        // top-p tiny keeps the best token.
        QCOMPARE(at::isfinite(processSamplingLogits(logits, 1.0, 0, 1e-6)).sum().item<int64_t>(), int64_t(1));
    }

    void linearModulesAndAdapterHook() {
        auto llama = loadCausalLM(hfDir() + "/llama/model");
        auto list = linearModules(*llama.model);
        QCOMPARE(static_cast<int64_t>(list.size()), 7 * llama.spec.numLayers + 1);
        QCOMPARE(list.front().name, std::string("model.layers.0.self_attn.q_proj"));
        QCOMPARE(list.back().name, std::string("lm_head"));
        for (const auto& m : list) {
            QVERIFY(!m.conv1d);
            if (m.name == "model.layers.1.self_attn.k_proj") {
                QCOMPARE(m.inFeatures, int64_t(64));
                QCOMPARE(m.outFeatures, int64_t(32));  // 2 kv heads x 16
            }
            if (m.name == "model.layers.1.mlp.down_proj") QCOMPARE(m.inFeatures, int64_t(176));
        }
        auto gpt2 = loadCausalLM(hfDir() + "/gpt2/model");
        auto glist = linearModules(*gpt2.model);
        QCOMPARE(static_cast<int64_t>(glist.size()), 4 * gpt2.spec.numLayers + 1);
        QCOMPARE(glist.front().name, std::string("transformer.h.0.attn.c_attn"));
        QVERIFY(glist.front().conv1d);
        QCOMPARE(glist.front().inFeatures, int64_t(64));
        QCOMPARE(glist.front().outFeatures, int64_t(192));
        QVERIFY(glist.back().tied && !glist.back().conv1d);

        // The hook's output is added to the base output; removing it restores the model.
        torch::NoGradGuard noGrad;
        auto ids = readAll(hfDir() + "/llama/logits.safetensors").at("input_ids");
        auto base = llama.model->forward(ids).logits;
        auto adapter = std::make_shared<ConstantAdapter>(1.5);
        adapter->m_out = list.back().outFeatures;
        list.back().layer->setAdapter(adapter);
        QVERIFY(maxDiff(llama.model->forward(ids).logits, base + 1.5) < 1e-5);
        list.back().layer->setAdapter(nullptr);
        auto zero = std::make_shared<ConstantAdapter>(0.0);
        zero->m_out = list.front().outFeatures;
        list.front().layer->setAdapter(zero);  // q_proj of layer 0: a real input, a zero delta
        QVERIFY(maxDiff(llama.model->forward(ids).logits, base) < 1e-6);
        auto shift = std::make_shared<ConstantAdapter>(0.5);
        shift->m_out = list.front().outFeatures;
        list.front().layer->setAdapter(shift);
        QVERIFY(maxDiff(llama.model->forward(ids).logits, base) > 1e-3);
        list.front().layer->setAdapter(nullptr);
        QVERIFY(maxDiff(llama.model->forward(ids).logits, base) == 0.0);
    }

    // Gradients reach the parameters (the trainer relies on it) and loss ignores -100 labels.
    void lossAndGradients() {
        auto loaded = loadCausalLM(hfDir() + "/gpt2/model");
        auto ref = readAll(hfDir() + "/gpt2/logits.safetensors");
        const auto& ids = ref.at("input_ids");
        auto logits = loaded.model->forward(ids).logits;
        auto loss = nextTokenLoss(logits, ids);
        loss.backward();
        auto list = linearModules(*loaded.model);
        QVERIFY(list.front().layer->weight().grad().defined());
        QVERIFY(list.front().layer->weight().grad().abs().sum().item<double>() > 0);
        // Ignoring the padded tail equals the loss over the valid positions only.
        const auto& mask = ref.at("attention_mask");
        auto labels = labelsFromMask(ids, mask);
        auto masked = nextTokenLoss(logits.detach(), labels).item<double>();
        auto lp = at::log_softmax(logits.detach().narrow(1, 0, 15), -1);
        auto target = ids.narrow(1, 1, 15);
        auto nll = -lp.gather(-1, target.unsqueeze(-1)).squeeze(-1);  // [2, 15]
        auto keep = mask.narrow(1, 1, 15).to(at::kBool);
        QVERIFY(std::abs(masked - nll.masked_select(keep).mean().item<double>()) < 1e-5);
        // Generated ids can feed a training step (generate() returns no inference-mode tensors).
        GenerateOptions opts;
        opts.maxNewTokens = 4;
        auto seq = generate(*loaded.model, ids.narrow(1, 0, 4), {}, opts).sequences;
        auto again = nextTokenLoss(loaded.model->forward(seq).logits, seq);
        again.backward();
        QVERIFY(std::isfinite(again.item<double>()));
    }

    void cleanupTestCase() {
        for (const auto& [what, diff] : worst()) qInfo("max |diff| %-36s %.3g", what.c_str(), diff);
    }
};

QTEST_APPLESS_MAIN(TestModelParity)
#include "test_model_parity.moc"

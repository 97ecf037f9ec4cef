// Our GGUF files in a real llama.cpp (node-llama-cpp 3.22.1's prebuilt CPU build, installed by the
// CTest fixture llama_cpp_install; tests/llama_cpp/README.md): for the fixtures' llama, qwen2 and
// gpt2 models, the tiny Llama-3 (rope_freqs) and Qwen3 models, the demo, and the Gemma 2/3, Phi-3,
// Phi-4-mini and StableLM fixtures, llama.cpp's greedy tokens from our merged GGUF equal our
// engine's (F32 exactly; Q8_0, F16, BF16 counted, a first-token change only at a near tie), base GGUF + our
// GGUF LoRA give our merged model's tokens (plain, rsLoRA, alpha_pattern adapters), and llama.cpp
// tokenizes the fixture texts with our vocabulary metadata as our tokenizer does. The 4-bit files
// are checked in test_gguf_quantized_llama_cpp.
#include "export/gguf_arch.h"
#include "export/gguf_export.h"
#include "export/gguf_job.h"
#include "export/gguf_vocab.h"
#include "io/gguf.h"
#include "lora/peft_adapter.h"
#include "model/generate.h"
#include "model/loader.h"
#include "tokenizer/tokenizer.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "llama_cpp_runner.h"
#include "test_support.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

using namespace lorastudio;
using nlohmann::json;
using namespace llamacpp;
namespace fs = std::filesystem;

namespace {

constexpr int kNew = 8;

// Greedy continuation by our engine (the model as it is: base, or with a LoRA merged in).
std::vector<int64_t> ourTokens(CausalLM& model, const std::vector<int64_t>& prompt) {
    at::InferenceMode guard;
    GenerateOptions g;
    g.maxNewTokens = kNew;
    g.stopOnEos = false;
    const at::Tensor seq = generate(model, at::tensor(prompt, at::kLong).unsqueeze(0), at::Tensor(), g).sequences[0];
    std::vector<int64_t> out;
    for (int64_t i = static_cast<int64_t>(prompt.size()); i < seq.size(0); ++i) out.push_back(seq[i].item<int64_t>());
    return out;
}

// An adapter folder like `src` with adapter_config.json edited.
std::string editedAdapter(const std::string& src, const std::string& dst, const std::function<void(json&)>& edit) {
    fs::create_directories(dst);
    fs::copy_file(src + "/adapter_model.safetensors", dst + "/adapter_model.safetensors", fs::copy_options::overwrite_existing);
    json c = json::parse(testsupport::readFile(src + "/adapter_config.json"));
    edit(c);
    testsupport::writeFile(dst + "/adapter_config.json", c.dump(2));
    return dst;
}

// The demo project's LoRA (r 8, alpha 16 on c_attn and both c_proj: GPT-2's Conv1D in attention
// and MLP) with random non-zero B, saved as a PEFT adapter.
std::string randomDemoAdapter(LoadedModel& lm, const std::string& folder) {
    LoraSettings s;
    s.targetModules = ModuleSelection::list({"c_attn", "c_proj"});
    s.r = 8;
    s.loraAlpha = 16;
    s.loraDropout = 0;
    auto lora = LoraModel::attach(lm.model, s);
    {
        at::NoGradGuard noGrad;
        at::manual_seed(7);
        for (const auto& layer : lora->layers()) layer->loraB().normal_(0.0, 0.5);
    }
    saveAdapter(*lora, folder);
    lora->detach();
    return folder;
}

} // namespace

class TestGgufLlamaCpp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mergedAndAdapterTokensEqualOurs_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("hasAdapter");
        QTest::newRow("llama") << QStringLiteral("models/llama") << true;
        QTest::newRow("qwen2") << QStringLiteral("models/qwen2") << true;
        QTest::newRow("gpt2") << QStringLiteral("models/gpt2") << true;
        QTest::newRow("llama3-rope") << QStringLiteral("tiny/llama3") << false;
        QTest::newRow("qwen3") << QStringLiteral("tiny/qwen3") << false;
        // Mistral with linear RoPE scaling; its 4-token sliding window removed (llama.cpp has none).
        QTest::newRow("mistral-linear-rope") << QStringLiteral("tiny/mistral") << false;
        QTest::newRow("demo") << QStringLiteral("demo") << true;
        // transformers 4.57.1 fixtures with their PEFT adapters. Gemma 2: soft-capping, a 5-token
        // sliding window on alternate layers, query_pre_attn_scalar 24 where llama.cpp takes head_dim
        // 16 (folded into q). Gemma 3: q/k norms, the window on two layers of three, linear RoPE
        // scaling on the full layers only. The prompt and continuation (16 tokens) pass the windows.
        QTest::newRow("gemma2") << QStringLiteral("local/gemma_phi3/gemma2") << true;
        QTest::newRow("gemma3") << QStringLiteral("local/gemma_phi3/gemma3") << true;
        // Phi-3: fused qkv / gate_up, LongRoPE (short factors: the context stays within the original
        // length), its 5-token window removed (llama.cpp's phi3 graph has none). Phi-4-mini: partial
        // rotary (0.75), tied head.
        QTest::newRow("phi3") << QStringLiteral("local/gemma_phi3/phi3") << true;
        QTest::newRow("phi4mini") << QStringLiteral("local/gemma_phi3/phi4mini") << true;
        // StableLM: LayerNorm with biases, q/k/v biases, partial rotary (0.25); tied: the head
        // written as its own output.weight, linear RoPE scaling, rotary 0.5.
        QTest::newRow("stablelm") << QStringLiteral("local/stablelm/stablelm") << true;
        QTest::newRow("stablelm-tied") << QStringLiteral("local/stablelm/stablelm_tied") << true;
    }

    void mergedAndAdapterTokensEqualOurs() {
        QFETCH(QString, fixture);
        QFETCH(bool, hasAdapter);
        const std::string f = fixture.toStdString();
        const std::string dir = testsupport::makeTempDir("gguf-llama-cpp");
        std::string src, adapterSrc;
        if (f == "demo") src = testsupport::sourceDir() + "/resources/demo/model";
        else if (f.rfind("tiny/", 0) == 0) src = testsupport::sourceDir() + "/tests/fixtures/tiny_models/" + f.substr(5) + "/model";
        else if (f.rfind("local/", 0) == 0) {
            src = testsupport::sourceDir() + "/tests/fixtures/" + f.substr(6) + "/model";
            adapterSrc = testsupport::sourceDir() + "/tests/fixtures/" + f.substr(6) + "/adapter";
        } else {
            src = testsupport::fixturesDir() + "/" + f + "/model";
            adapterSrc = testsupport::fixturesDir() + "/" + f + "/adapter";
        }
        const std::string base = modelWithTokenizer(src, dir + "/base");
        const bool phi = f.find("/phi") != std::string::npos;
        if (f == "tiny/mistral" || phi) {
            json config = json::parse(testsupport::readFile(base + "/config.json"));
            config["sliding_window"] = nullptr;
            // LongRoPE's short factors (and its attention factor, sqrt(1 + ln 2 / ln 256)) for the
            // whole run on both sides: llama.cpp's 256-token context is within the original length.
            if (phi) config["max_position_embeddings"] = 512, config["original_max_position_embeddings"] = 256;
            testsupport::writeFile(base + "/config.json", config.dump(2));
        }

        LoadedModel lm = loadCausalLM(base, at::kFloat);
        lm.model->eval();
        if (f == "demo") adapterSrc = randomDemoAdapter(lm, dir + "/demo-adapter");
        const auto prompt = promptFor(lm.spec.vocabSize);
        json jobs;
        std::vector<std::pair<std::string, std::vector<int64_t>>> expected;  // job id -> our tokens
        std::vector<std::string> q8Jobs;

        GgufExportOptions f32;
        f32.type = GgufFileType::F32;
        GgufExportOptions q8;
        q8.type = GgufFileType::Q8_0;
        auto addJob = [&](const std::string& id, const std::string& model, const std::vector<std::string>& loras) {
            json job = {{"id", id}, {"kind", "generate"}, {"model", model}, {"prompt", prompt}, {"n", kNew}, {"kv_type", "f32"},
                        {"logits", "full"}};
            for (const auto& l : loras) job["lora"].push_back({{"path", l}, {"scale", 1.0}});
            jobs["jobs"].push_back(job);
        };
        const std::string baseF32 = dir + "/base-f32.gguf";
        exportGgufModel(*lm.model, base, baseF32, f32);
        addJob("base-f32", baseF32, {});
        expected.emplace_back("base-f32", ourTokens(*lm.model, prompt));
        exportGgufModel(*lm.model, base, dir + "/base-q8.gguf", q8);
        addJob("base-q8_0", dir + "/base-q8.gguf", {});
        q8Jobs.push_back("base-q8_0");
        for (const auto type : {GgufFileType::F16, GgufFileType::BF16}) {
            GgufExportOptions o;
            o.type = type;
            const std::string id = std::string("base-") + ggufFileTypeName(type);
            exportGgufModel(*lm.model, base, dir + "/" + id + ".gguf", o);
            addJob(id, dir + "/" + id + ".gguf", {});
            q8Jobs.push_back(id);
        }

        if (hasAdapter) {
            const std::map<std::string, std::string> adapters{
                {"plain", adapterSrc},
                {"rslora", editedAdapter(adapterSrc, dir + "/rslora", [](json& c) { c["use_rslora"] = true; })},
                {"alpha_pattern", editedAdapter(adapterSrc, dir + "/alpha", [&](json& c) {
                     c["alpha_pattern"] = f == "models/gpt2" ? json{{"h.0.attn.c_attn", 20}}
                                          : f == "demo"      ? json{{"mlp.c_proj", 40}}
                                          : phi              ? json{{"qkv_proj", 20}}
                                          : f.rfind("local/", 0) == 0 ? json{{"q_proj", 20}}  // Gemma 2: with the fold
                                                             : json{{"v_proj", 20}};
                 })}};
            for (const auto& [name, folder] : adapters) {
                auto lora = loadAdapter(lm.model, folder);
                const std::string adapterFile = dir + "/" + name + "-lora.gguf";
                exportGgufAdapter(*lora, adapterFile, f32);
                lora->merge();
                const auto merged = ourTokens(*lm.model, prompt);
                if (name == "plain") {
                    exportGgufModel(*lm.model, base, dir + "/merged-f32.gguf", f32);
                    exportGgufModel(*lm.model, base, dir + "/merged-q8.gguf", q8);
                    addJob("merged-f32", dir + "/merged-f32.gguf", {});
                    expected.emplace_back("merged-f32", merged);
                    addJob("merged-q8_0", dir + "/merged-q8.gguf", {});
                    q8Jobs.push_back("merged-q8_0");
                }
                lora->detach();
                addJob("base+" + name, baseF32, {adapterFile});
                expected.emplace_back("base+" + name, merged);
                // The adapter changes what comes out (else the check above proves nothing).
                QVERIFY2(merged != expected.front().second || name != "plain", "the fixture adapter does not change the greedy tokens");
            }
        }

        // Our reader (and `inspect`) reads back every file written, every tensor decoded and finite.
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() != ".gguf") continue;
            const gguf::File file = gguf::read(e.path().string());
            QVERIFY(!file.tensors.empty());
            for (const auto& t : file.tensors)
                for (float x : gguf::readTensor(file, t)) QVERIFY2(std::isfinite(x), t.name.c_str());
        }
        const json results = runLlamaCpp(jobs, dir);
        QVERIFY2(results.contains("results"), "llama.cpp did not run");
        std::map<std::string, json> byId;
        for (const json& r : results["results"]) byId[r.value("id", "")] = r;
        for (const auto& [id, ours] : expected) {
            const auto theirs = tokensOf(byId[id]);
            qInfo("%s %s: ours %s, llama.cpp %s", qPrintable(fixture), id.c_str(), show(ours).c_str(), show(theirs).c_str());
            QVERIFY2(theirs == ours, qPrintable(QStringLiteral("%1: llama.cpp's tokens differ from ours").arg(QString::fromStdString(id))));
        }
        // Q8_0, F16 and BF16 round every weight: count the tokens that agree with our fp32 engine.
        // The first may differ only where the F32 file's two candidates are closer than rounding moved
        // the logits (a near tie in a random-weight fixture), never by more.
        for (const auto& id : q8Jobs) {
            const auto theirs = tokensOf(byId[id]);
            const std::string reference = id.rfind("base-", 0) == 0 ? "base-f32" : "merged-f32";
            const auto& ours = std::find_if(expected.begin(), expected.end(), [&](const auto& e) { return e.first == reference; })->second;
            int agree = 0;
            while (agree < int(theirs.size()) && agree < int(ours.size()) && theirs[agree] == ours[agree]) ++agree;
            const json& exact = byId[reference]["logits"][0];
            const double moved = maxAbsDifference(byId[id]["logits"][0], exact);
            qInfo("%s %s: the first %d of %d greedy tokens agree with our fp32 engine (llama.cpp %s; first-step logits moved by "
                  "at most %.3g)", qPrintable(fixture), id.c_str(), agree, kNew, show(theirs).c_str(), moved);
            QCOMPARE(int(theirs.size()), kNew);
            if (agree == 0) {
                const double margin = exact[ours[0]].get<double>() - exact[theirs[0]].get<double>();
                qInfo("  a near tie: the F32 file ranks %lld over %lld by %.3g", (long long)ours[0], (long long)theirs[0], margin);
                QVERIFY2(margin <= 2 * moved, "rounding the weights changes the first greedy token by more than a near tie");
            }
        }
    }

    void vocabularyGivesOurIds_data() {
        QTest::addColumn<QString>("folder");
        QTest::newRow("gpt2") << QString::fromStdString(testsupport::fixturesDir() + "/tokenizers/gpt2");
        QTest::newRow("qwen3") << QString::fromStdString(testsupport::fixturesDir() + "/tokenizers/qwen3");
        QTest::newRow("mistral") << QString::fromStdString(testsupport::fixturesDir() + "/tokenizers/mistral");
        QTest::newRow("demo") << QString::fromStdString(testsupport::sourceDir() + "/resources/demo/model");
    }

    void vocabularyGivesOurIds() {
        QFETCH(QString, folder);
        const std::string dir = testsupport::makeTempDir("gguf-vocab");
        const Tokenizer tok = Tokenizer::fromFolder(folder.toStdString());
        const json tokenizerJson = json::parse(testsupport::readFile(folder.toStdString() + "/tokenizer.json"));
        // A vocabulary-only GGUF: the hyper-parameters of a one-layer model of this vocabulary.
        ModelSpec spec;
        spec.architecture = tokenizerJson["model"].value("byte_fallback", false) ? Architecture::Llama : Architecture::Gpt2;
        spec.vocabSize = tok.vocabSize();
        spec.hiddenSize = 64;
        spec.numLayers = 1;
        spec.numHeads = spec.numKvHeads = 4;
        spec.headDim = 16;
        spec.intermediateSize = 128;
        spec.maxPositions = 128;
        gguf::Writer w;
        writeHyperParameters(spec, w);
        std::vector<std::string> warnings;
        const GgufVocabInfo info = writeGgufVocabulary(folder.toStdString(), spec, w, warnings);
        QVERIFY2(warnings.empty(), warnings.empty() ? "" : warnings.front().c_str());
        w.write(dir + "/vocab.gguf");

        std::vector<std::string> texts = json::parse(testsupport::readFile(testsupport::fixturesDir() + "/tokenizers/corpus.json"));
        // Hugging Face tokenizers always split added tokens out of the text; llama.cpp does with parse_special.
        const json results =
            runLlamaCpp({{"jobs", {{{"kind", "tokenize"}, {"model", dir + "/vocab.gguf"}, {"texts", texts}, {"special", true}}}}}, dir);
        QVERIFY2(results.contains("results"), "llama.cpp did not run");
        const json& r = results["results"][0];
        QVERIFY2(!r.contains("error"), r.contains("error") ? r["error"].get<std::string>().c_str() : "");
        // llama.cpp re-types some ordinary vocabulary entries as control tokens by their text
        // ("control-looking token ... will be overridden": Qwen's plain "</s>"), then matches them
        // whole; Hugging Face splits them as text. No metadata can stop that, so a text holding such
        // an entry is excused, and named.
        std::set<std::string> added;
        for (const json& t : tokenizerJson["added_tokens"]) added.insert(t["content"].get<std::string>());
        auto retyped = [&](const std::string& text) {
            for (const char* name : {"</s>", "<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|end|>", "<EOT>", "<end_of_turn>"})
                if (text.find(name) != std::string::npos && !added.count(name) && tok.tokenToId(name)) return true;
            return false;
        };
        int same = 0, excused = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const auto ours = tok.encode(texts[i], false);
            const auto theirs = r["tokens"][i].get<std::vector<int32_t>>();
            if (ours == theirs) ++same;
            else if (retyped(texts[i])) ++excused, qInfo("text %zu holds a vocabulary entry llama.cpp re-types as control: %zu ids vs our %zu", i, theirs.size(), ours.size());
            else qWarning("%s text %zu differs: ours %zu ids, llama.cpp %zu ids", info.model.c_str(), i, ours.size(), theirs.size());
        }
        qInfo("%s (%s, pre %s): %d of %zu texts tokenized identically, %d excused", qPrintable(folder), info.model.c_str(),
              info.pre.c_str(), same, texts.size(), excused);
        QCOMPARE(same + excused, int(texts.size()));
        QVERIFY(excused <= 1);
    }
};

QTEST_MAIN(TestGgufLlamaCpp)
#include "test_gguf_llama_cpp.moc"

// GGUF without llama.cpp: the writer's bytes read back key by key and tensor by tensor; Q8_0 as
// ggml defines it (scale max|x|/127 as fp16, values round(x/d)); truncated, lying and foreign
// files refused with the file named; every tensor of every architecture has a GGUF name; the
// q/k permutation turns halves into adjacent pairs; an adapter's B carries each module's true
// scale over llama.cpp's alpha/r and the base's permutation; DoRA, trained biases and tied-head
// adapters refused with the merged export as the way out; the Modelfile's lines.
#include "export/gguf_arch.h"
#include "export/gguf_export.h"
#include "export/gguf_job.h"
#include "export/ollama_modelfile.h"
#include "io/gguf.h"
#include "io/gguf_quant.h"
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

using namespace lorastudio;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string fixtureModel(const std::string& name) { return testsupport::fixturesDir() + "/models/" + name + "/model"; }

// A copy of a fixture model with the demo's tokenizer files (enough for writing; not for llama.cpp).
std::string withTokenizer(const std::string& model, const std::string& dir) {
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(model)) fs::copy_file(e.path(), fs::path(dir) / e.path().filename());
    return dir;
}

gguf::TensorData floats(std::vector<float> v) {
    return [v](std::string& out) { gguf::encode(gguf::TensorType::F32, v.data(), v.size(), out); };
}

} // namespace

class TestGguf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writerAndReaderAgree() {
        const std::string dir = testsupport::makeTempDir("gguf");
        gguf::Writer w(64);
        w.set("general.architecture", gguf::Value::string("llama"));
        w.set("a.u32", gguf::Value::u32(7));
        w.set("a.f32", gguf::Value::f32(0.25f));
        w.set("a.bool", gguf::Value::boolean(true));
        w.set("a.strings", gguf::Value::strings({"x", "", "ü"}));
        w.set("a.ints", gguf::Value::ints({-1, 2}));
        w.set("a.u32", gguf::Value::u32(8));  // replaced, not repeated
        std::vector<float> t1(3 * 32);
        for (std::size_t i = 0; i < t1.size(); ++i) t1[i] = std::sin(float(i));
        w.addTensor("t1", {32, 3}, gguf::TensorType::F32, floats(t1));
        w.addTensor("t2", {5}, gguf::TensorType::F32, floats({1, 2, 3, 4, 5}));
        w.addTensor("t3", {32, 3}, gguf::TensorType::Q8_0, [&](std::string& out) { gguf::encode(gguf::TensorType::Q8_0, t1.data(), t1.size(), out); });
        QCOMPARE(testsupport::errorOf([&] { w.addTensor("t2", {1}, gguf::TensorType::F32, floats({0})); }).find("twice") != std::string::npos, true);
        QVERIFY(testsupport::errorOf([&] { w.addTensor("q", {20, 2}, gguf::TensorType::Q8_0, floats({})); }).find("Q8_0") != std::string::npos);
        const std::string path = dir + "/x.gguf";
        w.write(path);
        QCOMPARE(uint64_t(fs::file_size(path)), w.fileSize());

        const gguf::File f = gguf::read(path);
        QCOMPARE(f.version, 3u);
        QCOMPARE(f.alignment, 64u);
        QCOMPARE(f.metadata.size(), std::size_t(7));  // general.alignment + 6
        QCOMPARE(f.find("a.u32")->u, uint64_t(8));
        QCOMPARE(f.find("a.f32")->f, 0.25);
        QCOMPARE(f.find("a.bool")->u, uint64_t(1));
        QCOMPARE(f.find("a.strings")->items.at(2).s, std::string("ü"));
        QCOMPARE(f.find("a.ints")->items.at(0).i, int64_t(-1));
        QCOMPARE(f.stringValue("general.architecture"), std::string("llama"));
        QCOMPARE(f.tensors.size(), std::size_t(3));
        for (const auto& t : f.tensors) QCOMPARE(t.offset % 64, uint64_t(0));
        QCOMPARE(f.tensor("t1")->shapeString(), std::string("[3, 32]"));
        QVERIFY(gguf::readTensor(f, *f.tensor("t1")) == t1);
        QVERIFY((gguf::readTensor(f, *f.tensor("t2")) == std::vector<float>{1, 2, 3, 4, 5}));
        const auto q = gguf::readTensor(f, *f.tensor("t3"));
        for (std::size_t i = 0; i < t1.size(); ++i) QVERIFY(std::abs(q[i] - t1[i]) <= 1.0f / 127.0f);
    }

    void q8BlocksAreGgmls() {
        std::vector<float> x(32);
        for (int i = 0; i < 32; ++i) x[i] = float(i - 16) * 0.1f;  // max |x| = 1.6
        std::string bytes;
        gguf::encode(gguf::TensorType::Q8_0, x.data(), x.size(), bytes);
        QCOMPARE(bytes.size(), std::size_t(34));
        uint16_t d;
        std::memcpy(&d, bytes.data(), 2);
        QCOMPARE(d, c10::Half(1.6f / 127.0f).x);
        QCOMPARE(int(int8_t(bytes[2])), -127);  // -1.6 / d
        QCOMPARE(int(int8_t(bytes[2 + 16])), 0);
        QCOMPARE(int(int8_t(bytes[2 + 21])), int(std::lround(0.5f / (1.6f / 127.0f))));
        std::vector<float> zeros(32, 0.0f);
        bytes.clear();
        gguf::encode(gguf::TensorType::Q8_0, zeros.data(), 32, bytes);
        std::vector<float> back(32, 1.0f);
        gguf::decode(gguf::TensorType::Q8_0, reinterpret_cast<const uint8_t*>(bytes.data()), 32, back.data());
        QVERIFY(back == zeros);
        bytes.clear();
        const float h[2] = {1.0f / 3.0f, -65504.0f};
        gguf::encode(gguf::TensorType::F16, h, 2, bytes);
        float hb[2];
        gguf::decode(gguf::TensorType::F16, reinterpret_cast<const uint8_t*>(bytes.data()), 2, hb);
        QCOMPARE(hb[0], float(c10::Half(1.0f / 3.0f)));
        QCOMPARE(hb[1], -65504.0f);
    }

    void badFilesAreRefusedWithTheirName() {
        const std::string dir = testsupport::makeTempDir("gguf-bad");
        gguf::Writer w;
        w.set("k", gguf::Value::string("v"));
        w.addTensor("t", {4}, gguf::TensorType::F32, floats({1, 2, 3, 4}));
        w.write(dir + "/good.gguf");
        const std::string good = testsupport::readFile(dir + "/good.gguf");
        auto refused = [&](const std::string& bytes, const char* what) {
            testsupport::writeFile(dir + "/bad.gguf", bytes);
            const std::string e = testsupport::errorOf([&] { gguf::read(dir + "/bad.gguf"); });
            QVERIFY2(e.find("bad.gguf") != std::string::npos && e.find(what) != std::string::npos, e.c_str());
        };
        refused("GGML" + good.substr(4), "magic");
        refused(good.substr(0, 30), "truncated");
        refused(good.substr(0, good.size() - 20), "past the end");  // into the data, not just its padding
        std::string lying = good;
        const uint64_t huge = uint64_t(1) << 40;
        std::memcpy(&lying[16], &huge, 8);  // the key count
        refused(lying, "more than the file can hold");
        std::string version = good;
        version[4] = 9;
        refused(version, "version 9");
    }

    void everyTensorHasAGgufName() {
        const std::string local = testsupport::sourceDir() + "/tests/fixtures/";
        for (const std::string config : {fixtureModel("llama"), fixtureModel("qwen2"), fixtureModel("gpt2"),
                                         local + "gemma_phi3/gemma2/model", local + "gemma_phi3/gemma3/model",
                                         local + "gemma_phi3/phi3/model", local + "gemma_phi3/phi4mini/model",
                                         local + "stablelm/stablelm/model", local + "stablelm/stablelm_tied/model"}) {
            const ModelSpec spec = parseModelConfig(config + "/config.json");
            std::set<std::string> names;
            for (const auto& p : expectedParameters(spec)) {
                if (!p.tiedTo.empty()) continue;  // a tied head is the embedding's tensor
                const auto n = ggufTensorName(spec, p.name);
                QVERIFY2(n, p.name.c_str());
                QVERIFY2(names.insert(*n).second, n->c_str());
            }
        }
        const ModelSpec llama = parseModelConfig(fixtureModel("llama") + "/config.json");
        QCOMPARE(*ggufTensorName(llama, "model.layers.1.self_attn.q_proj.weight"), std::string("blk.1.attn_q.weight"));
        QCOMPARE(*ggufTensorName(llama, "model.layers.0.mlp.down_proj.weight"), std::string("blk.0.ffn_down.weight"));
        QVERIFY(!ggufTensorName(llama, "model.layers.x.mlp.down_proj.weight"));
        QCOMPARE(*qkPermuteHeads(llama, "model.layers.0.self_attn.k_proj.weight"), llama.numKvHeads);
        QVERIFY(!qkPermuteHeads(llama, "model.layers.0.self_attn.v_proj.weight"));
        const ModelSpec qwen = parseModelConfig(fixtureModel("qwen2") + "/config.json");
        QVERIFY(!qkPermuteHeads(qwen, "model.layers.0.self_attn.q_proj.weight"));  // NeoX rotation in llama.cpp
        const ModelSpec gpt2 = parseModelConfig(fixtureModel("gpt2") + "/config.json");
        QCOMPARE(*ggufTensorName(gpt2, "h.0.attn.c_attn.weight"), std::string("blk.0.attn_qkv.weight"));  // no "transformer." prefix
        const ModelSpec gemma2 = parseModelConfig(local + "gemma_phi3/gemma2/model/config.json");
        QCOMPARE(*ggufTensorName(gemma2, "model.layers.2.pre_feedforward_layernorm.weight"), std::string("blk.2.ffn_norm.weight"));
        QCOMPARE(*ggufTensorName(gemma2, "model.layers.2.post_feedforward_layernorm.weight"), std::string("blk.2.post_ffw_norm.weight"));
        const ModelSpec phi3 = parseModelConfig(local + "gemma_phi3/phi3/model/config.json");
        QCOMPARE(*ggufTensorName(phi3, "model.layers.0.mlp.gate_up_proj.weight"), std::string("blk.0.ffn_up.weight"));
        QVERIFY(!qkPermuteHeads(phi3, "model.layers.0.self_attn.qkv_proj.weight"));
    }

    // Gemma's stored values: norms as 1 + w; the fixture's query_pre_attn_scalar (24) against
    // llama.cpp's head_dim (16) folded into q (Gemma 2) or q_norm (Gemma 3), nothing else changed.
    // The keys llama.cpp reads: soft-capping, the sliding window and its period (layer_types).
    void gemmaValuesAndKeys() {
        const std::string local = testsupport::sourceDir() + "/tests/fixtures/gemma_phi3/";
        const ModelSpec gemma2 = parseModelConfig(local + "gemma2/model/config.json");
        const ModelSpec gemma3 = parseModelConfig(local + "gemma3/model/config.json");
        const double fold = std::sqrt(16.0 / 24.0);
        QCOMPARE(ggufValueChange(gemma2, "model.layers.0.input_layernorm.weight").add, 1.0);
        QCOMPARE(ggufValueChange(gemma2, "model.norm.weight").add, 1.0);
        QCOMPARE(ggufValueChange(gemma2, "model.layers.1.self_attn.q_proj.weight").scale, fold);
        QVERIFY(ggufValueChange(gemma2, "model.layers.1.self_attn.k_proj.weight").none());
        QVERIFY(ggufValueChange(gemma3, "model.layers.1.self_attn.q_proj.weight").none());
        QCOMPARE(ggufValueChange(gemma3, "model.layers.1.self_attn.q_norm.weight").scale, fold);
        QCOMPARE(ggufValueChange(gemma3, "model.layers.1.self_attn.k_norm.weight").add, 1.0);
        QVERIFY(ggufValueChange(parseModelConfig(fixtureModel("llama") + "/config.json"), "model.norm.weight").none());
        auto keys = [](const ModelSpec& spec) {
            gguf::Writer w;
            writeHyperParameters(spec, w);
            const std::string path = testsupport::makeTempDir("gguf-keys") + "/k.gguf";
            w.write(path);
            return gguf::read(path);
        };
        const gguf::File k2 = keys(gemma2), k3 = keys(gemma3);
        QCOMPARE(k2.find("gemma2.attention.sliding_window_pattern")->u, uint64_t(2));  // sliding, full, sliding, full
        QCOMPARE(k3.find("gemma3.attention.sliding_window_pattern")->u, uint64_t(3));  // sliding, sliding, full, sliding
        QCOMPARE(k2.find("gemma2.attention.sliding_window")->u, uint64_t(5));
        QCOMPARE(k2.find("gemma2.final_logit_softcapping")->f, 3.0);
        QCOMPARE(k3.find("gemma3.rope.freq_base_swa")->f, 10000.0);
        QVERIFY(!k3.find("gemma3.final_logit_softcapping"));
        // layer_types no period gives, and an untied head, are refused by name.
        ModelSpec odd = gemma3;
        odd.slidingLayers = {true, false, false, true};
        std::vector<std::string> warnings;
        QVERIFY(testsupport::errorOf([&] { checkGgufSupport(odd, warnings); }).find("layer_types") != std::string::npos);
        ModelSpec untied = gemma2;
        untied.tieWordEmbeddings = false;
        QVERIFY(testsupport::errorOf([&] { checkGgufSupport(untied, warnings); }).find("tie_word_embeddings false") != std::string::npos);
    }

    void mergedLlamaFileHoldsPermutedRows() {
        const std::string dir = testsupport::makeTempDir("gguf-llama");
        LoadedModel lm = loadCausalLM(fixtureModel("llama"), at::kFloat);
        const std::string base = withTokenizer(fixtureModel("llama"), dir + "/base");
        testsupport::writeFile(base + "/tokenizer.json", testsupport::readFile(testsupport::sourceDir() + "/resources/demo/model/tokenizer.json"));
        // The demo's 490-token vocabulary is smaller than the model's 1000 rows: padded, not refused.
        GgufExportOptions o;
        o.type = GgufFileType::F32;
        const GgufExportResult r = exportGgufModel(*lm.model, base, dir + "/m.gguf", o);
        QCOMPARE(r.typeCounts.at("F32"), int(expectedParameters(lm.spec).size()));
        const gguf::File f = gguf::read(r.path);
        QCOMPARE(f.find("tokenizer.ggml.tokens")->items.size(), std::size_t(1000));
        QCOMPARE(f.find("tokenizer.ggml.tokens")->items.at(999).s, std::string("[PAD999]"));
        QCOMPARE(*f.find("llama.attention.head_count_kv")->number(), double(lm.spec.numKvHeads));
        QCOMPARE(*f.find("llama.rope.dimension_count")->number(), double(lm.spec.headDim));
        // Row 2i+j of a head in the file is row j·(d/2)+i of transformers' q_proj.
        const at::Tensor q = lm.model->named_parameters()["model.layers.0.self_attn.q_proj.weight"];
        const auto rows = gguf::readTensor(f, *f.tensor("blk.0.attn_q.weight"));
        const int64_t d = lm.spec.headDim, in = q.size(1);
        for (int64_t h = 0; h < lm.spec.numHeads; ++h)
            for (int64_t i = 0; i < d / 2; ++i)
                for (int64_t j = 0; j < 2; ++j)
                    QCOMPARE(rows[std::size_t((h * d + 2 * i + j) * in + 3)], q[h * d + j * (d / 2) + i][3].item<float>());
        // Exists: refused unless overwriting.
        QVERIFY(testsupport::errorOf([&] { exportGgufModel(*lm.model, base, r.path, o); }).find("exists") != std::string::npos);
        o.overwrite = true;
        exportGgufModel(*lm.model, base, r.path, o);
    }

    void adapterBCarriesTheTrueScale() {
        const std::string dir = testsupport::makeTempDir("gguf-adapter");
        LoadedModel lm = loadCausalLM(fixtureModel("llama"), at::kFloat);
        LoraSettings s;
        s.targetModules = ModuleSelection::list({"q_proj", "v_proj"});
        s.r = 4;
        s.loraAlpha = 8;
        s.useRslora = true;                       // scale 8 / sqrt(4) = 4, llama.cpp's 8 / 4 = 2
        s.alphaPattern = {{"layers.1.self_attn.v_proj", 12.0}};  // 12 / 2 = 6
        auto lora = LoraModel::attach(lm.model, s);
        {
            at::NoGradGuard g;
            for (const auto& l : lora->layers()) l->loraB().normal_();
        }
        GgufExportOptions o;
        o.type = GgufFileType::F32;
        exportGgufAdapter(*lora, dir + "/a.gguf", o);
        const gguf::File f = gguf::read(dir + "/a.gguf");
        QCOMPARE(f.stringValue("general.type"), std::string("adapter"));
        QCOMPARE(f.stringValue("adapter.type"), std::string("lora"));
        QCOMPARE(*f.find("adapter.lora.alpha")->number(), 8.0);
        const auto v1 = lora->layer("model.layers.1.self_attn.v_proj");
        const auto b = gguf::readTensor(f, *f.tensor("blk.1.attn_v.weight.lora_b"));
        const at::Tensor expected = v1->loraB() * (v1->scaling() * 4 / 8.0);
        QCOMPARE(v1->scaling(), 6.0);
        for (int64_t k = 0; k < 5; ++k) QVERIFY(std::abs(b[std::size_t(k)] - expected.flatten()[k].item<float>()) < 1e-6f);
        const auto a = gguf::readTensor(f, *f.tensor("blk.0.attn_q.weight.lora_a"));
        QCOMPARE(a[1], lora->layer("model.layers.0.self_attn.q_proj")->loraA()[0][1].item<float>());  // A as it is
        QCOMPARE(f.tensor("blk.0.attn_q.weight.lora_a")->shapeString(), std::string("[4, 64]"));
        QCOMPARE(f.tensor("blk.0.attn_q.weight.lora_b")->shapeString(), std::string("[64, 4]"));
        lora->detach();

        // No GGUF LoRA form: DoRA, trained biases.
        for (int variant = 0; variant < 2; ++variant) {
            LoraSettings d = s;
            d.useDora = variant == 0;
            d.bias = variant == 1 ? LoraBias::All : LoraBias::None;
            auto other = LoraModel::attach(lm.model, d);
            const std::string e = testsupport::errorOf([&] { exportGgufAdapter(*other, dir + "/d.gguf", o); });
            QVERIFY2(e.find(variant == 0 ? "DoRA" : "biases") != std::string::npos && e.find("merged") != std::string::npos, e.c_str());
            other->detach();
        }
        QVERIFY(!fs::exists(dir + "/d.gguf"));
        // A LoRA on a tied output head (qwen2): the base GGUF has no output.weight.
        LoadedModel qwen = loadCausalLM(fixtureModel("qwen2"), at::kFloat);
        LoraSettings head;
        head.targetModules = ModuleSelection::list({"lm_head"});
        auto onHead = LoraModel::attach(qwen.model, head);
        QVERIFY(testsupport::errorOf([&] { exportGgufAdapter(*onHead, dir + "/h.gguf", o); }).find("tied") != std::string::npos);
    }

    void modelfileNamesItsFilesAndStops() {
        ModelfileSpec m;
        m.from = "/out/base.gguf";
        m.adapter = "/out/lora.gguf";
        m.chatTemplate = ChatTemplate::ChatML;
        m.eosText = "<|endoftext|>";
        const std::string text = ollamaModelfile(m, "/out");
        QVERIFY(text.find("FROM ./base.gguf\n") != std::string::npos);
        QVERIFY(text.find("ADAPTER ./lora.gguf\n") != std::string::npos);
        QVERIFY(text.find("<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n") != std::string::npos);
        QVERIFY(text.find("PARAMETER stop \"<|im_end|>\"") != std::string::npos);
        QVERIFY(text.find("PARAMETER stop \"<|endoftext|>\"") != std::string::npos);
        m.adapter.clear();
        m.chatTemplate = ChatTemplate::Llama3;
        const std::string llama3 = ollamaModelfile(m, "/elsewhere");
        QVERIFY(llama3.find("FROM /out/base.gguf\n") != std::string::npos);  // not beside: absolute
        QVERIFY(llama3.find("ADAPTER") == std::string::npos);
        QVERIFY(llama3.find("<|start_header_id|>assistant<|end_header_id|>\n\n") != std::string::npos);
    }

    // An export's Modelfile follows the model's own chat_template (tokenizer_config.json) where a
    // format renders as it does (Phi-4-mini's here, on the demo model); another template gets the
    // Alpaca TEMPLATE and a warning that says so; no template, Alpaca without one.
    void modelfileFollowsTheModelsTemplate_data() {
        QTest::addColumn<QString>("chatTemplate");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("templateLine");
        QTest::addColumn<bool>("warns");
        const json phi4 = json::parse(testsupport::readFile(testsupport::sourceDir() + "/tests/fixtures/jinja/phi4_mini.json"));
        QTest::newRow("phi4-mini") << QString::fromStdString(phi4.at("template").get<std::string>()) << "phi4-mini"
                                   << "TEMPLATE \"\"\"{{- range .Messages }}<|{{ .Role }}|>" << false;
        QTest::newRow("unknown") << "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}" << "alpaca"
                                 << "TEMPLATE \"\"\"{{- if and .Messages" << true;
        QTest::newRow("none") << QString() << "alpaca" << "TEMPLATE \"\"\"{{- if and .Messages" << false;
    }

    void modelfileFollowsTheModelsTemplate() {
        QFETCH(QString, chatTemplate);
        QFETCH(QString, name);
        QFETCH(QString, templateLine);
        QFETCH(bool, warns);
        const std::string dir = testsupport::makeTempDir("gguf-modelfile");
        const std::string base = dir + "/demo";
        fs::copy(testsupport::sourceDir() + "/resources/demo/model", base);
        json config = json::parse(testsupport::readFile(base + "/tokenizer_config.json"));
        if (!chatTemplate.isEmpty()) config["chat_template"] = chatTemplate.toStdString();
        testsupport::writeFile(base + "/tokenizer_config.json", config.dump(2));
        GgufJob job;
        job.baseFolder = base;
        job.out = dir + "/out/demo.gguf";
        job.ollama = true;
        job.options.type = GgufFileType::F32;
        const GgufJobResult r = runGgufExport(job);
        QCOMPARE(QString::fromStdString(r.templateName()), name);
        const std::string modelfile = testsupport::readFile(r.modelfile);
        QVERIFY2(modelfile.find(templateLine.toStdString()) != std::string::npos, modelfile.c_str());
        const bool warned = std::any_of(r.warnings.begin(), r.warnings.end(),
                                        [](const std::string& w) { return w.find("not the model's own Jinja chat_template") != std::string::npos; });
        QCOMPARE(warned, warns);
    }
};

QTEST_MAIN(TestGguf)
#include "test_gguf.moc"

// LoRA parity against PEFT 0.8.2 (../shared/fixtures/models/*/adapter and the tensors PEFT
// computed): imported adapter logits, merge / unmerge, greedy generation, first-step gradients,
// adapter export (byte-identical to PEFT's) and re-import, merged-model export and reload, and
// the import errors. Torch headers come before Qt's.
#include "common/error.h"
#include "common/json_file.h"
#include "io/safetensors.h"
#include "lora/lora_model.h"
#include "lora/merged_export.h"
#include "lora/peft_adapter.h"
#include "model/generate.h"
#include "model/loader.h"
#include "model/loss.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "tensor_files.h"
#include "test_support.h"

#include <QtTest>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

using namespace lorastudio;
namespace fs = std::filesystem;

namespace {

std::string modelsDir() { return testsupport::fixturesDir() + "/models"; }

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

std::map<std::string, at::Tensor> readAll(const std::string& path) { return testsupport::readAllTensors(path); }

constexpr double kTolerance = 1e-4;  // the README's "about 1e-5"; logits of size ~5

// Worst difference per quantity over all models, printed at the end.
std::map<std::string, double>& worst() {
    static std::map<std::string, double> w;
    return w;
}
void note(const std::string& what, double diff) {
    auto& w = worst()[what];
    w = std::max(w, diff);
}

#define CHECK_CLOSE(what, a, b, tol)                                                   \
    do {                                                                               \
        const double d_ = maxDiff(a, b);                                               \
        note(what, d_);                                                                \
        QVERIFY2(d_ < (tol), (std::string(what) + ": " + std::to_string(d_)).c_str()); \
    } while (0)

using testsupport::errorOf;

struct Fixture {
    std::string dir;        // models/<name>
    LoadedModel loaded;
    std::map<std::string, at::Tensor> logits, lora;
};

Fixture openFixture(const QString& name) {
    Fixture f;
    f.dir = modelsDir() + "/" + name.toStdString();
    f.loaded = loadCausalLM(f.dir + "/model");
    f.loaded.model->eval();
    f.logits = readAll(f.dir + "/logits.safetensors");
    f.lora = readAll(f.dir + "/lora_logits.safetensors");
    return f;
}

at::Tensor forwardLogits(CausalLM& model, const at::Tensor& ids) {
    torch::NoGradGuard noGrad;
    return model.forward(ids).logits;
}

// A copy of the fixture adapter whose tensors / config a test then edits.
std::string copyAdapter(const std::string& fixtureDir, const std::string& tag) {
    const std::string dir = testsupport::makeTempDir(tag);
    for (const char* f : {"adapter_config.json", "adapter_model.safetensors"}) {
        fs::copy_file(fixtureDir + "/adapter/" + f, dir + "/" + f);
        fs::permissions(dir + "/" + f, fs::perms::owner_write, fs::perm_options::add);
    }
    return dir;
}

} // namespace

class TestLoraParity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void models_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("gpt2") << "gpt2";
        QTest::newRow("llama") << "llama";
        QTest::newRow("qwen2") << "qwen2";
    }

    // Import PEFT's adapter: logits with the adapter, greedy generation, PEFT's parameter line;
    // merge: logits and merged weights; unmerge: the base logits again.
    void importMergeUnmerge_data() { models_data(); }
    void importMergeUnmerge() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        auto model = f.loaded.model;
        auto lora = loadAdapter(model, f.dir + "/adapter");
        const auto& ids = f.lora.at("input_ids");
        QVERIFY(at::equal(ids, f.logits.at("input_ids")));

        // PEFT printed the line with a newline after it.
        QCOMPARE(QString::fromStdString(lora->trainableParametersLine() + "\n"),
                 QString::fromStdString(testsupport::readFile(f.dir + "/print_trainable_parameters.txt")));
        QCOMPARE(lora->layers().size(), std::size_t(name == "gpt2" ? 2 : 4));
        QCOMPARE(lora->layers()[0]->scaling(), 2.0);

        CHECK_CLOSE("logits_lora", forwardLogits(*model, ids), f.lora.at("logits_lora"), kTolerance);
        // The adapter matters: the base logits are far from the adapted ones.
        QVERIFY(maxDiff(f.logits.at("logits"), f.lora.at("logits_lora")) > 1e-2);

        GenerateOptions opts;
        opts.maxNewTokens = 8;
        opts.returnScores = true;
        auto gen = generate(*model, ids.narrow(1, 0, 8), {}, opts);
        QVERIFY(at::equal(gen.sequences, f.lora.at("generate.sequences_lora")));
        CHECK_CLOSE("generate.scores_lora", at::stack(gen.scores), f.lora.at("generate.scores_lora"), kTolerance);

        lora->merge();
        QVERIFY(lora->merged());
        CHECK_CLOSE("logits_merged", forwardLogits(*model, ids), f.lora.at("logits_merged"), kTolerance);
        std::map<std::string, at::Tensor> params;
        for (auto& p : model->named_parameters()) params.emplace(p.key(), p.value());
        const auto mergedRef = readAll(f.dir + "/merged_target_weights.safetensors");
        QVERIFY(mergedRef.size() >= 4);
        for (const auto& [key, ref] : mergedRef) {
            QVERIFY2(params.count(key), key.c_str());
            CHECK_CLOSE("merged_target_weights", params.at(key), ref, 1e-6);
        }
        // Merging twice is refused; train/eval never merges or unmerges.
        QVERIFY(!errorOf([&] { lora->merge(); }).empty());
        model->train();
        model->eval();
        QVERIFY(lora->merged());

        lora->unmerge();
        // Unmerged, the adapter is active again; without it the base weights are back.
        CHECK_CLOSE("logits_lora after unmerge", forwardLogits(*model, ids), f.lora.at("logits_lora"), kTolerance);
        const auto baseFile = Checkpoint::open(f.dir + "/model");
        for (const auto& [key, ref] : mergedRef) {
            (void)ref;
            CHECK_CLOSE("unmerged weights vs base checkpoint", params.at(key), baseFile.tensor(key), 1e-6);
        }
        lora->setEnabled(false);
        CHECK_CLOSE("unmerged, disabled: logits vs base", forwardLogits(*model, ids), f.logits.at("logits"), kTolerance);
        lora->setEnabled(true);

        lora->detach();
        CHECK_CLOSE("detached vs base", forwardLogits(*model, ids), f.logits.at("logits"), kTolerance);
        for (auto& p : model->named_parameters()) QVERIFY2(p.key().find("lora_") == std::string::npos, p.key().c_str());
    }

    // The first training step's gradients of the LoRA parameters (PEFT: train_ref grad0.*).
    void firstStepGradients_data() { models_data(); }
    void firstStepGradients() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        auto lora = loadAdapter(f.loaded.model, f.dir + "/adapter");
        const auto ref = readAll(f.dir + "/train_ref.safetensors");
        f.loaded.model->train();
        const auto& ids = ref.at("input_ids");
        auto loss = nextTokenLoss(f.loaded.model->forward(ids).logits, ids);
        const double dLoss = std::abs(loss.item<double>() - ref.at("losses")[0].item<double>());
        note("train loss before step 1", dLoss);
        QVERIFY2(dLoss < 1e-5, std::to_string(dLoss).c_str());
        loss.backward();
        int checked = 0;
        for (const auto& [key, tensor] : lora->adapterStateDict()) {
            (void)tensor;
            const std::string param = key.substr(std::string(kPeftKeyPrefix).size());
            at::Tensor grad;
            for (const auto& [n, t] : lora->trainableParameters())
                if (n == param) grad = t.grad();
            QVERIFY2(grad.defined(), key.c_str());
            CHECK_CLOSE("grad0", grad, ref.at("grad0." + key), 1e-5);
            ++checked;
        }
        QCOMPARE(checked, int(2 * lora->layers().size()));
        QVERIFY(checked >= 4);
        // Nothing of the frozen base got a gradient.
        for (const auto& p : f.loaded.model->named_parameters())
            if (p.key().find("lora_") == std::string::npos) QVERIFY2(!p.value().grad().defined(), p.key().c_str());
    }

    // Export the imported adapter: same bytes as PEFT's file, same config, and it re-imports.
    void adapterExportRoundTrip_data() { models_data(); }
    void adapterExportRoundTrip() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        auto lora = loadAdapter(f.loaded.model, f.dir + "/adapter");
        const std::string out = testsupport::makeTempDir("lora-export") + "/adapter";
        saveAdapter(*lora, out);

        const auto ours = SafetensorsFile::open(out + "/adapter_model.safetensors");
        const auto theirs = SafetensorsFile::open(f.dir + "/adapter/adapter_model.safetensors");
        QCOMPARE(ours->tensors().size(), theirs->tensors().size());
        for (const auto& info : theirs->tensors()) {
            const auto* mine = ours->find(info.name);
            QVERIFY2(mine, info.name.c_str());
            QCOMPARE(mine->shape, info.shape);
            QVERIFY(at::equal(ours->tensor(info.name), theirs->tensor(info.name)));
        }
        QCOMPARE(ours->metadata(), theirs->metadata());
        QVERIFY(testsupport::readFile(out + "/adapter_model.safetensors") ==
                testsupport::readFile(f.dir + "/adapter/adapter_model.safetensors"));

        // Config: every key PEFT 0.8.2 wrote, with the same value, and nothing else (0.8.2 refuses
        // keys it does not know, e.g. use_dora): the text is PEFT's, byte for byte.
        const auto mine = readJsonFile(out + "/adapter_config.json");
        const auto ref = readJsonFile(f.dir + "/adapter/adapter_config.json");
        for (const auto& [key, value] : ref.items()) {
            QVERIFY2(mine.contains(key), key.c_str());
            QVERIFY2(mine[key] == value, (key + ": " + mine[key].dump() + " vs " + value.dump()).c_str());
        }
        QVERIFY(!mine.contains("use_dora"));
        QCOMPARE(mine.size(), ref.size());
        QCOMPARE(adapterConfigText(mine), testsupport::readFile(f.dir + "/adapter/adapter_config.json"));

        // Re-import into a fresh base: same tensors, same logits.
        auto fresh = loadCausalLM(f.dir + "/model");
        fresh.model->eval();
        auto again = loadAdapter(fresh.model, out);
        for (std::size_t i = 0; i < again->layers().size(); ++i) {
            QVERIFY(at::equal(again->layers()[i]->loraA(), lora->layers()[i]->loraA()));
            QVERIFY(at::equal(again->layers()[i]->loraB(), lora->layers()[i]->loraB()));
        }
        CHECK_CLOSE("re-imported logits_lora", forwardLogits(*fresh.model, f.lora.at("input_ids")),
                    f.lora.at("logits_lora"), kTolerance);

        // Saving over an existing adapter folder replaces it; no staging folder is left behind.
        saveAdapter(*lora, out);
        int entries = 0;
        for (const auto& e : fs::directory_iterator(fs::path(out).parent_path())) {
            (void)e;
            ++entries;
        }
        QCOMPARE(entries, 1);
        AdapterSaveOptions noOverwrite;
        noOverwrite.overwrite = false;
        QVERIFY(errorOf([&] { saveAdapter(*lora, out, noOverwrite); }).find("already exists") != std::string::npos);
    }

    // Merged export: a folder loadCausalLM (and transformers) reads, equal to PEFT's merged logits.
    // Reading stays tolerant: a PEFT 0.8.2 config reads without a word; keys of newer PEFTs at their
    // neutral values (use_dora false, layer_replication null, lora_bias false) too; an unknown key,
    // or a newer option that is set, is a warning naming file and key, never an error.
    void adapterConfigWarnsOnUnknownKeys() {
        const std::string dir = testsupport::fixturesDir() + "/models/llama/adapter";
        QVERIFY(readAdapterConfig(dir, Architecture::Llama).warnings.empty());
        auto config = readJsonFile(dir + "/adapter_config.json");
        config["use_dora"] = false;
        config["layer_replication"] = nullptr;
        config["lora_bias"] = false;
        const std::string tmp = testsupport::makeTempDir("adapter-keys");
        auto write = [&](const nlohmann::json& j) {
            std::ofstream(tmp + "/adapter_config.json") << j.dump(2);
            return readAdapterConfig(tmp, Architecture::Llama);
        };
        QVERIFY(write(config).warnings.empty());
        config["my_tool_note"] = "hello";
        config["layer_replication"] = nlohmann::json::array({nlohmann::json::array({0, 1})});
        const AdapterConfig read = write(config);
        QCOMPARE(int(read.warnings.size()), 2);
        QVERIFY2(read.warnings[0].find("'layer_replication' is [[0,1]]: LoRA Studio does not apply") != std::string::npos,
                 read.warnings[0].c_str());
        QVERIFY2(read.warnings[1].find("adapter_config.json: unknown key 'my_tool_note', ignored") != std::string::npos,
                 read.warnings[1].c_str());
        QCOMPARE(read.settings.r, 4);  // everything else read as before
    }

    void mergedExport_data() { models_data(); }
    void mergedExport() {
        QFETCH(QString, name);
        Fixture f = openFixture(name);
        auto lora = loadAdapter(f.loaded.model, f.dir + "/adapter");
        const auto& ids = f.lora.at("input_ids");
        const std::string out = testsupport::makeTempDir("lora-merged") + "/merged";
        MergedExportOptions opts;
        opts.probeIds = ids;
        const auto result = exportMergedModel(*lora, f.dir + "/model", out, opts);
        note("merge check (adapted vs merged, probe)", result.maxAbsLogitDiff);
        QVERIFY2(result.maxAbsLogitDiff < kTolerance, std::to_string(result.maxAbsLogitDiff).c_str());
        QVERIFY(result.maxAbsLogitDiff >= 0);
        QCOMPARE(result.shards, 1);
        QCOMPARE(result.dtype, at::kFloat);
        QCOMPARE(result.files, (std::vector<std::string>{"config.json", "generation_config.json", "model.safetensors"}));
        // The adapter is back to unmerged and active.
        QVERIFY(!lora->merged());
        CHECK_CLOSE("logits_lora after export", forwardLogits(*f.loaded.model, ids), f.lora.at("logits_lora"), kTolerance);

        // Same tensor names and shapes as the base checkpoint transformers wrote.
        const auto base = SafetensorsFile::open(f.dir + "/model/model.safetensors");
        const auto merged = SafetensorsFile::open(out + "/model.safetensors");
        QCOMPARE(merged->tensors().size(), base->tensors().size());
        for (const auto& info : base->tensors()) {
            QVERIFY2(merged->contains(info.name), info.name.c_str());
            QCOMPARE(merged->find(info.name)->shape, info.shape);
        }
        QCOMPARE(merged->metadata().at("format"), std::string("pt"));
        QCOMPARE(testsupport::readFile(out + "/config.json"), testsupport::readFile(f.dir + "/model/config.json"));

        auto reloaded = loadCausalLM(out);
        reloaded.model->eval();
        CHECK_CLOSE("merged export reloaded vs logits_merged", forwardLogits(*reloaded.model, ids),
                    f.lora.at("logits_merged"), kTolerance);

        // Shards: a small limit gives several files and an index that loads the same model.
        const std::string sharded = testsupport::makeTempDir("lora-sharded") + "/merged";
        opts.maxShardBytes = 200000;
        const auto r2 = exportMergedModel(*lora, f.dir + "/model", sharded, opts);
        QVERIFY(r2.shards > 1);
        const auto index = readJsonFile(sharded + "/model.safetensors.index.json");
        QCOMPARE(index["metadata"]["total_size"].get<uint64_t>(), r2.tensorBytes);
        QCOMPARE(index["weight_map"].size(), base->tensors().size());
        auto reloadedSharded = loadCausalLM(sharded);
        reloadedSharded.model->eval();
        CHECK_CLOSE("sharded merged export vs logits_merged", forwardLogits(*reloadedSharded.model, ids),
                    f.lora.at("logits_merged"), kTolerance);

        // bf16 export: a base-dtype override is honoured.
        const std::string half = testsupport::makeTempDir("lora-bf16") + "/merged";
        opts.maxShardBytes = 5000000000ull;
        opts.dtype = at::kBFloat16;
        QCOMPARE(exportMergedModel(*lora, f.dir + "/model", half, opts).dtype, at::kBFloat16);
        QCOMPARE(SafetensorsFile::open(half + "/model.safetensors")->tensors().front().dtype, DType::BF16);

        // An existing folder is refused without overwrite, and nothing is left half-written.
        opts.dtype.reset();
        const auto err = errorOf([&] { exportMergedModel(*lora, f.dir + "/model", out, opts); });
        QVERIFY2(err.find("already exists") != std::string::npos, err.c_str());
        opts.overwrite = true;
        QVERIFY(exportMergedModel(*lora, f.dir + "/model", out, opts).maxAbsLogitDiff < kTolerance);
        // Already merged: the export still works and leaves the adapter merged.
        lora->merge();
        QVERIFY(exportMergedModel(*lora, f.dir + "/model", out, opts).maxAbsLogitDiff < kTolerance);
        QVERIFY(lora->merged());
    }

    // A bf16 base with fp32 LoRA parameters (the usual mixed setup): close to PEFT's fp32
    // logits at bf16 precision, gradients reach the fp32 A/B, the merged export keeps fp32 (the
    // base checkpoint's dtype) unless told otherwise.
    void bf16BaseFp32Lora() {
        const std::string dir = modelsDir() + "/llama";
        auto loaded = loadCausalLM(dir + "/model", at::kBFloat16);
        loaded.model->eval();
        LoraAttachOptions opts;
        opts.dtype = at::kFloat;
        auto lora = loadAdapter(loaded.model, dir + "/adapter", opts);
        QCOMPARE(lora->layers()[0]->loraA().scalar_type(), at::kFloat);
        const auto ref = readAll(dir + "/lora_logits.safetensors");
        const auto& ids = ref.at("input_ids");
        auto logits = loaded.model->forward(ids).logits;
        QCOMPARE(logits.scalar_type(), at::kBFloat16);
        const double d = maxDiff(logits, ref.at("logits_lora"));
        note("bf16 base, fp32 LoRA: logits_lora", d);
        QVERIFY2(d < 0.25, std::to_string(d).c_str());
        nextTokenLoss(logits, ids).backward();
        QVERIFY(lora->layers()[0]->loraB().grad().defined());
        QCOMPARE(lora->layers()[0]->loraB().grad().scalar_type(), at::kFloat);
        QVERIFY(lora->layers()[0]->loraB().grad().abs().max().item<double>() > 0);
        const std::string out = testsupport::makeTempDir("lora-bf16-base") + "/merged";
        MergedExportOptions mopts;
        mopts.probeIds = ids;
        const auto result = exportMergedModel(*lora, dir + "/model", out, mopts);
        QCOMPARE(result.dtype, at::kFloat);
        note("bf16 base: merge check", result.maxAbsLogitDiff);
        QVERIFY2(result.maxAbsLogitDiff < 0.25, std::to_string(result.maxAbsLogitDiff).c_str());
    }

    // Import errors name the tensor and give a hint.
    void importErrors() {
        const std::string llama = modelsDir() + "/llama";
        auto base = [&] { return loadCausalLM(llama + "/model").model; };
        const auto tensors = readAll(llama + "/adapter/adapter_model.safetensors");
        auto writeTensors = [](const std::string& dir, const std::map<std::string, at::Tensor>& t) {
            std::vector<std::pair<std::string, at::Tensor>> list(t.begin(), t.end());
            writeSafetensors(dir + "/adapter_model.safetensors", list, {{"format", "pt"}});
        };

        // A key whose module the base model lacks: llama.cpp's wording.
        std::string dir = copyAdapter(llama, "lora-err-extra");
        auto extra = tensors;
        extra["base_model.model.model.layers.7.self_attn.q_proj.lora_A.weight"] = at::zeros({4, 64});
        writeTensors(dir, extra);
        std::string err = errorOf([&] { loadAdapter(base(), dir); });
        QVERIFY2(err.find("LoRA tensor 'base_model.model.model.layers.7.self_attn.q_proj.lora_A.weight' does not "
                          "exist in base model (hint: maybe wrong base model?)") != std::string::npos,
                 err.c_str());

        // A module that exists but the config does not target.
        extra = tensors;
        extra["base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight"] = at::zeros({4, 64});
        writeTensors(dir, extra);
        err = errorOf([&] { loadAdapter(base(), dir); });
        QVERIFY2(err.find("k_proj") != std::string::npos && err.find("does not select") != std::string::npos,
                 err.c_str());

        // Misshapen: r in the config differs from the tensors.
        extra = tensors;
        extra["base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"] = at::zeros({32, 3});
        writeTensors(dir, extra);
        err = errorOf([&] { loadAdapter(base(), dir); });
        QVERIFY2(err.find("[32, 3]") != std::string::npos && err.find("[32, 4]") != std::string::npos, err.c_str());

        // Missing B of one module.
        extra = tensors;
        extra.erase("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight");
        writeTensors(dir, extra);
        auto model = base();
        err = errorOf([&] { loadAdapter(model, dir); });
        QVERIFY2(err.find("missing tensor 'base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight'") !=
                     std::string::npos,
                 err.c_str());
        // A failed import leaves the base model as it was (no adapters, trainable flags restored).
        for (const auto& m : linearModules(*model)) QVERIFY(!m.layer->adapter());
        for (const auto& p : model->named_parameters()) QVERIFY(p.key().find("lora_") == std::string::npos);

        // The llama adapter on GPT-2: no q_proj there.
        err = errorOf([&] { loadAdapter(loadCausalLM(modelsDir() + "/gpt2/model").model, llama + "/adapter"); });
        QVERIFY2(err.find("q_proj") != std::string::npos && err.find("maybe wrong base model?") != std::string::npos,
                 err.c_str());

        // Config problems name the key.
        dir = copyAdapter(llama, "lora-err-config");
        auto config = readJsonFile(dir + "/adapter_config.json");
        config["peft_type"] = "IA3";
        testsupport::writeFile(dir + "/adapter_config.json", config.dump(2));
        err = errorOf([&] { loadAdapter(base(), dir); });
        QVERIFY2(err.find("peft_type") != std::string::npos && err.find("IA3") != std::string::npos, err.c_str());
        config["peft_type"] = "LORA";
        config["bias"] = "some";
        testsupport::writeFile(dir + "/adapter_config.json", config.dump(2));
        err = errorOf([&] { loadAdapter(base(), dir); });
        QVERIFY2(err.find("'bias'") != std::string::npos, err.c_str());
        fs::remove(dir + "/adapter_model.safetensors");
        config["bias"] = "none";
        testsupport::writeFile(dir + "/adapter_config.json", config.dump(2));
        err = errorOf([&] { loadAdapter(base(), dir); });
        QVERIFY2(err.find("adapter_model.safetensors") != std::string::npos, err.c_str());
    }

    void cleanupTestCase() {
        std::string summary = "largest differences vs PEFT fixtures:";
        for (const auto& [what, d] : worst()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.3g", d);
            summary += "\n  " + what + ": " + buf;
        }
        qInfo("%s", summary.c_str());
    }
};

QTEST_APPLESS_MAIN(TestLoraParity)
#include "test_lora_parity.moc"

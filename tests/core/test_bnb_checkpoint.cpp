// Base folders that bitsandbytes stored quantized (tests/fixtures/bnb, made by the real
// bitsandbytes 0.50.1 + transformers 4.57.1 with tests/reference/make_bnb_fixtures.py): the stored
// weights read exactly as bitsandbytes dequantizes them, the model's logits equal transformers' with
// them, LoRA trains on the stored codes, and damaged or unsupported layouts are refused by name.
#include "analysis/adapter_modules.h"
#include "common/error.h"
#include "estimate/memory_estimate.h"
#include "estimate/parameter_count.h"
#include "project/project_config.h"
#include "io/safetensors.h"
#include "lora/lora_model.h"
#include "lora/merged_export.h"
#include "lora/peft_adapter.h"
#include "model/bnb_weights.h"
#include "model/linear_layer.h"
#include "model/loader.h"
#include "model/loss.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "tensor_files.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

using namespace lorastudio;
namespace fs = std::filesystem;

namespace {

const char* const kModels[] = {"llama-nf4", "llama-nf4-single", "llama-int8"};
const char* const kModules[] = {"model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj"};

std::string bnbDir() { return testsupport::sourceDir() + "/tests/fixtures/bnb"; }

const std::map<std::string, at::Tensor>& reference() {
    static const auto ref = testsupport::readAllTensors(bnbDir() + "/reference.safetensors");
    return ref;
}

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

int quantizedModules(CausalLM& model) {
    int n = 0;
    for (const auto& m : linearModules(model)) n += m.layer->quantized() ? 1 : 0;
    return n;
}

// A copy of a fixture folder whose model.safetensors went through `edit`.
std::string editedCopy(const QTemporaryDir& tmp, const char* model,
                       const std::function<void(std::map<std::string, at::Tensor>&)>& edit) {
    const fs::path from = fs::path(bnbDir()) / model, to = fs::path(tmp.path().toStdString()) / model;
    fs::create_directories(to);
    fs::copy_file(from / "config.json", to / "config.json", fs::copy_options::overwrite_existing);
    auto tensors = testsupport::readAllTensors((from / "model.safetensors").string());
    edit(tensors);
    std::vector<std::pair<std::string, at::Tensor>> list(tensors.begin(), tensors.end());
    writeSafetensors((to / "model.safetensors").string(), list);
    return to.string();
}

QString loadError(const std::string& folder, bool quantized) {
    LoadQuantization q;
    try {
        loadCausalLM(folder, at::kFloat, at::kCPU, quantized ? &q : nullptr);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestBnbCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void storedWeightsDequantizeAsBitsandbytes() {
        for (const char* model : kModels) {
            const Checkpoint ckpt = Checkpoint::open(bnbDir() + "/" + model);
            for (const char* module : kModules) {
                const std::string w = std::string(module) + ".weight";
                const at::Tensor expected = reference().at(std::string(model) + "." + w);
                const auto codes = readBnbWeight(ckpt, w, expected.sizes().vec(), at::kCPU, "test");
                QCOMPARE(codes->format(), std::string(model) == "llama-int8" ? QuantFormat::Int8 : QuantFormat::Nf4);
                const double d = maxDiff(codes->dequantize(at::kFloat), expected);
                if (d != 0) QFAIL(qPrintable(QString("%1 %2: dequantized differs by %3").arg(model, module).arg(d)));
            }
        }
    }

    void storageIsWhatTheFileHolds() {
        const Checkpoint ckpt = Checkpoint::open(bnbDir() + "/llama-nf4");
        const std::string w = "model.layers.0.self_attn.q_proj.weight";  // [64, 64]: 64 blocks
        const auto codes = readBnbWeight(ckpt, w, {64, 64}, at::kCPU, "test");
        // 2048 packed bytes + 64 uint8 absmax codes + 1 nested scale + offset + the 256-entry map
        QCOMPARE(codes->storageBytes(), int64_t(2048 + 64 + 4 + 4 + 256 * 4));
        QVERIFY(bnbStorage(ckpt, "model.layers.0.input_layernorm.weight", "test") == BnbStorage::None);
        QCOMPARE(int(bnbCompanions(ckpt, w).size()), 5);
    }

    void logitsEqualTransformers_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels) QTest::newRow(m) << QString(m);
    }
    void logitsEqualTransformers() {
        QFETCH(QString, model);
        const std::string name = model.toStdString(), folder = bnbDir() + "/" + name;
        const at::Tensor ids = reference().at("input_ids");
        torch::NoGradGuard noGrad;
        // Dense: every stored weight dequantized into the fp32 parameter (merge, export, plain LoRA).
        LoadedModel dense = loadCausalLM(folder);
        QCOMPARE(quantizedModules(*dense.model), 0);
        const double dDense = maxDiff(dense.model->forward(ids).logits, reference().at(name + ".logits_dequantized"));
        QVERIFY2(dDense < 1e-5, qPrintable(QString("dense: %1").arg(dDense)));
        // QLoRA: the 14 stored projections kept as stored (lm_head is not stored quantized).
        LoadQuantization q;
        LoadedModel kept = loadCausalLM(folder, at::kFloat, at::kCPU, &q);
        QCOMPARE(quantizedModules(*kept.model), 14);
        const at::Tensor logits = kept.model->forward(ids).logits;
        const double dKept = maxDiff(logits, reference().at(name + ".logits_dequantized"));
        QVERIFY2(dKept < 1e-5, qPrintable(QString("kept: %1").arg(dKept)));
        double dBnb = -1;
        if (name != "llama-int8") {  // bitsandbytes' 4-bit forward is dequantize + matmul: the same
            dBnb = maxDiff(logits, reference().at(name + ".logits"));
            QVERIFY2(dBnb < 1e-5, qPrintable(QString("against bitsandbytes: %1").arg(dBnb)));
        }
        qInfo("%s: max |logit diff| dense %.3g, kept quantized %.3g, against bitsandbytes' own forward %.3g",
              name.c_str(), dDense, dKept, dBnb);
    }

    void loraTrainsOnTheStoredCodes() {
        LoadQuantization q;
        LoadedModel loaded = loadCausalLM(bnbDir() + "/llama-nf4", at::kFloat, at::kCPU, &q);
        LoraSettings settings;
        settings.targetModules = ModuleSelection::list({"q_proj", "v_proj"});
        settings.r = 4;
        settings.loraDropout = 0;
        auto lora = LoraModel::attach(loaded.model, settings);
        loaded.model->train();
        const at::Tensor ids = reference().at("input_ids");
        const at::Tensor loss = nextTokenLoss(loaded.model->forward(ids).logits, ids);
        loss.backward();
        int withGrad = 0;
        for (auto& p : loaded.model->named_parameters(true))
            if (p.value().requires_grad() && p.value().grad().defined() && p.value().grad().abs().sum().item<double>() > 0)
                ++withGrad;
        QCOMPARE(withGrad, 4);  // lora_B of q_proj and v_proj in 2 layers (A's gradient is 0 while B is 0)
        QVERIFY(std::isfinite(loss.item<double>()));
        QCOMPARE(quantizedModules(*loaded.model), 14);

        // Its adapter studied against the stored base: W0 is the dequantized weight.
        QTemporaryDir tmp;
        saveAdapter(*lora, tmp.path().toStdString());
        const auto modules = adapterModuleInputs(tmp.path().toStdString(), bnbDir() + "/llama-nf4");
        QCOMPARE(int(modules.size()), 4);
        bool seen = false;
        for (const auto& m : modules)
            if (m.name == kModules[0]) {
                QCOMPARE(maxDiff(m.baseWeight, reference().at(std::string("llama-nf4.") + kModules[0] + ".weight")), 0.0);
                seen = true;
            }
        QVERIFY(seen);
    }

    void estimateCountsTheStoredCodes_data() { logitsEqualTransformers_data(); }
    void estimateCountsTheStoredCodes() {
        QFETCH(QString, model);
        const std::string folder = bnbDir() + "/" + model.toStdString();
        const ModelSpec spec = parseModelConfig(folder + "/config.json");
        QVERIFY(spec.storedQuantization.any());
        QVERIFY(spec.storedQuantization.covers("model.layers.1.mlp.up_proj"));
        QVERIFY(!spec.storedQuantization.covers("lm_head"));
        ProjectConfig project;
        project.lora.targetModules = ModuleSelection::list({"q_proj"});
        project.lora.r = 4;
        project.lora.quantization = BaseQuantization::Nf4;  // the stored format wins where the folder has one
        project.training.batchSize = 1;
        project.data.maxLength = 16;
        MemoryOptions options;
        options.device = MemoryDevice::Cpu;
        const MemoryEstimate qlora = estimateMemory(spec, project, options);
        // What the loaded model holds: its dense parameters and the stored codes, byte for byte.
        LoadQuantization q;
        LoadedModel kept = loadCausalLM(folder, at::kFloat, at::kCPU, &q);
        int64_t held = 0;
        for (const auto& p : kept.model->parameters()) held += p.numel() * 4;
        for (const auto& m : linearModules(*kept.model))
            if (m.layer->quantized()) held += m.layer->quantizedWeight()->storageBytes();
        QCOMPARE(qlora.weights, held);
        // Without QLoRA the weights are dequantized: the dense model's size.
        project.lora.quantization = BaseQuantization::None;
        const MemoryEstimate dense = estimateMemory(spec, project, options);
        QCOMPARE(dense.weights, parameterCount(spec) * 4);
        // The 14 projections hold 92,160 values (368,640 bytes in fp32); 8 bits keep a quarter plus
        // the row scales, 4 bits an eighth plus the block scales.
        const double saved = double(dense.weights - qlora.weights) / (92160.0 * 4);
        QVERIFY2(saved > (model == "llama-int8" ? 0.7 : 0.8), qPrintable(QString("saved %1").arg(saved)));
    }

    void mergedExportIsDenseWithoutQuantizationConfig() {
        QTemporaryDir tmp;
        LoadedModel loaded = loadCausalLM(bnbDir() + "/llama-nf4");  // dense: dequantized W0
        LoraSettings settings;
        settings.targetModules = ModuleSelection::list({"q_proj", "down_proj"});
        settings.r = 4;
        LoraAttachOptions attach;
        attach.seed = 3;
        auto lora = LoraModel::attach(loaded.model, settings, attach);
        {
            torch::NoGradGuard noGrad;
            for (auto& p : loaded.model->named_parameters(true))
                if (p.key().find("lora_B") != std::string::npos) p.value().normal_(0, 0.05);
        }
        const std::string out = tmp.path().toStdString() + "/merged";
        const MergedExportResult r = exportMergedModel(*lora, bnbDir() + "/llama-nf4", out, {});
        QCOMPARE(QString::fromStdString(r.baseQuantization), QString("nf4, double quantization"));
        QVERIFY(r.maxAbsLogitDiff < 1e-5);
        std::ifstream in(out + "/config.json");
        const auto config = nlohmann::json::parse(in);
        QVERIFY(!config.contains("quantization_config"));
        // The export loads as an ordinary dense model, its weights = dequantized W0 + ΔW.
        LoadedModel merged = loadCausalLM(out);
        const Checkpoint ckpt = Checkpoint::open(out);
        QCOMPARE(ckpt.find("model.layers.0.self_attn.q_proj.weight")->dtype, DType::F32);
        torch::NoGradGuard noGrad;
        const at::Tensor ids = reference().at("input_ids");
        lora->setEnabled(true);
        const double d = maxDiff(merged.model->forward(ids).logits, loaded.model->forward(ids).logits);
        QVERIFY2(d < 1e-5, qPrintable(QString("merged vs adapted: %1").arg(d)));
    }

    void unsupportedOrDamagedLayoutsAreNamed() {
        QTemporaryDir tmp;
        const std::string w = "model.layers.0.self_attn.q_proj.weight";
        const std::string fp4 = editedCopy(tmp, "llama-nf4", [&](auto& t) {
            t[w + ".quant_state.bitsandbytes__fp4"] = t.at(w + ".quant_state.bitsandbytes__nf4");
            t.erase(w + ".quant_state.bitsandbytes__nf4");
        });
        QString e = loadError(fp4, false);
        QVERIFY2(e.contains("fp4") && e.contains(QString::fromStdString(w)), qPrintable(e));

        QTemporaryDir tmp2;
        const std::string shortAbsmax = editedCopy(tmp2, "llama-nf4-single", [&](auto& t) {
            t[w + ".absmax"] = t.at(w + ".absmax").narrow(0, 0, 63).clone();
        });
        e = loadError(shortAbsmax, true);
        QVERIFY2(e.contains(QString::fromStdString(w + ".absmax")) && e.contains("64 blocks"), qPrintable(e));

        QTemporaryDir tmp3;
        const std::string noScb = editedCopy(tmp3, "llama-int8", [&](auto& t) {
            t.erase("model.layers.1.mlp.down_proj.SCB");
        });
        e = loadError(noScb, false);  // without SCB the int8 tensor is an ordinary (misshapen-dtype) weight
        QVERIFY2(e.contains("model.layers.1.mlp.down_proj.weight"), qPrintable(e));

        QTemporaryDir tmp4;
        const std::string badState = editedCopy(tmp4, "llama-nf4", [&](auto& t) {
            t[w + ".quant_state.bitsandbytes__nf4"] = t.at(w + ".quant_state.bitsandbytes__nf4").narrow(0, 0, 20).clone();
        });
        e = loadError(badState, true);
        QVERIFY2(e.contains("quant_state") && e.contains("JSON"), qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestBnbCheckpoint)
#include "test_bnb_checkpoint.moc"

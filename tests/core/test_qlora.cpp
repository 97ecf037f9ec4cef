// QLoRA wiring: a LinearLayer with a quantized weight computes exactly what the dense layer with the
// dequantized weight computes, forward and backward (the input's gradient), without keeping the
// dense weight; attach quantizes the adapted layers (or all linear ones) and refuses merges; the
// loader quantizes while reading; nf4 and int8 train the Llama fixture (the loss falls).
#include "lora/lora_model.h"
#include "lora/target_matching.h"
#include "model/loader.h"
#include "model/loss.h"
#include "train/adamw.h"
#include "train/lora_trainable_set.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "test_support.h"

#include <QtTest>

using namespace lorastudio;

namespace {

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

std::string llamaDir() { return testsupport::fixturesDir() + "/models/llama/model"; }

at::Tensor fixtureIds() {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
    return at::randint(0, 256, {2, 16}, gen, at::kLong);
}

} // namespace

class TestQlora : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quantizedLayerIsTheDequantizedOne_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("conv1d");
        QTest::newRow("nf4") << int(QuantFormat::Nf4) << false;
        QTest::newRow("nf4 conv1d") << int(QuantFormat::Nf4) << true;
        QTest::newRow("int8") << int(QuantFormat::Int8) << false;
        QTest::newRow("int8 conv1d") << int(QuantFormat::Int8) << true;
    }
    void quantizedLayerIsTheDequantizedOne() {
        QFETCH(int, format);
        QFETCH(bool, conv1d);
        auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
        auto layer = std::make_shared<LinearLayer>(96, 40, true, conv1d, at::TensorOptions().dtype(at::kFloat));
        {
            at::NoGradGuard noGrad;
            layer->weight().normal_(0, 0.05, gen);
            layer->bias().normal_(0, 0.1, gen);
        }
        const at::Tensor original = layer->weight().detach().clone();
        layer->weight().requires_grad_(false);
        layer->bias().requires_grad_(false);
        layer->quantizeWeight(QuantFormat(format), true);
        QVERIFY(layer->quantized());
        QCOMPARE(layer->weight().numel(), int64_t(0));  // the dense storage is gone
        const at::Tensor w = layer->denseWeight();
        QCOMPARE(w.sizes(), original.sizes());
        // Close to the original (NF4: within a block's absmax share; int8: half a step per row).
        QVERIFY(maxDiff(w, original) < (format == int(QuantFormat::Nf4) ? 0.05 : 0.002));
        QVERIFY(maxDiff(w, original) > 0);

        auto x = at::randn({3, 5, 96}, gen).requires_grad_(true);
        auto y = layer->forward(x);
        auto x2 = x.detach().clone().requires_grad_(true);
        auto expect = at::linear(x2, conv1d ? w.t() : w, layer->bias());
        QVERIFY(maxDiff(y, expect) < 1e-5);
        auto probe = at::randn(y.sizes(), gen);
        (y * probe).sum().backward();
        (expect * probe).sum().backward();
        QVERIFY(maxDiff(x.grad(), x2.grad()) < 1e-5);
        QVERIFY_THROWS_EXCEPTION(std::exception, layer->quantizeWeight(QuantFormat::Nf4, false));
    }

    void attachQuantizesTheAdaptedLayers() {
        auto loaded = loadCausalLM(llamaDir());
        LoraSettings s;
        s.targetModules = ModuleSelection::list({"q_proj", "v_proj"});
        s.r = 4;
        s.quantization = BaseQuantization::Nf4;
        auto lora = LoraModel::attach(loaded.model, s);
        int quantized = 0, dense = 0;
        for (const auto& m : linearModules(*loaded.model)) {
            const bool adapted = lora->layer(m.name) != nullptr;
            QCOMPARE(m.layer->quantized(), adapted);
            (m.layer->quantized() ? quantized : dense) += 1;
        }
        QVERIFY(quantized > 0 && dense > 0);
        QVERIFY_THROWS_EXCEPTION(std::exception, lora->merge());  // merging reads the checkpoint instead

        // quantize_all_linear: every linear layer but the (tied or not) output head.
        auto again = loadCausalLM(llamaDir());
        s.quantizeAllLinear = true;
        s.quantization = BaseQuantization::Int8;
        LoraModel::attach(again.model, s);
        for (const auto& m : linearModules(*again.model))
            QCOMPARE(m.layer->quantized(), m.name != kOutputHeadName && !m.tied);
    }

    void loaderQuantizesWhileReading() {
        LoadQuantization q;
        q.format = QuantFormat::Int8;
        q.modules = {"model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj"};
        auto loaded = loadCausalLM(llamaDir(), at::kFloat, at::kCPU, &q);
        auto dense = loadCausalLM(llamaDir());
        for (const auto& m : linearModules(*loaded.model)) {
            QCOMPARE(m.layer->quantized(), q.modules.count(m.name) == 1);
            if (!m.layer->quantized()) continue;
            for (const auto& d : linearModules(*dense.model))
                if (d.name == m.name) QVERIFY(maxDiff(m.layer->denseWeight(), d.layer->weight()) < 0.01);
        }
        q.modules = {"no.such.module"};
        auto none = loadCausalLM(llamaDir(), at::kFloat, at::kCPU, &q);  // names it does not have: nothing quantized
        for (const auto& m : linearModules(*none.model)) QVERIFY(!m.layer->quantized());
    }

    void quantizedBaseTrains_data() {
        QTest::addColumn<int>("quant");
        QTest::newRow("nf4") << int(BaseQuantization::Nf4);
        QTest::newRow("int8") << int(BaseQuantization::Int8);
    }
    void quantizedBaseTrains() {
        QFETCH(int, quant);
        auto loaded = loadCausalLM(llamaDir());
        LoraSettings s;
        s.targetModules = ModuleSelection::allLinear();
        s.r = 8;
        s.loraDropout = 0;
        s.quantization = BaseQuantization(quant);
        LoraAttachOptions options;
        options.dtype = at::kFloat;
        auto set = std::make_shared<LoraTrainableSet>(LoraModel::attach(loaded.model, s, options), llamaDir());
        AdamWOptions o;
        AdamW opt(set->parameters(), o);
        const auto ids = fixtureIds();
        double first = 0, last = 0;
        for (int step = 0; step < 8; ++step) {
            opt.zeroGrad();
            auto loss = nextTokenLoss(loaded.model->forward(ids).logits, ids);
            (step == 0 ? first : last) = loss.item<double>();
            QVERIFY(std::isfinite(loss.item<double>()));
            loss.backward();
            opt.step(5e-3);
        }
        qInfo("%s: loss %.4f -> %.4f", quant == int(BaseQuantization::Nf4) ? "nf4" : "int8", first, last);
        QVERIFY(last < first - 0.05);
    }
};

QTEST_APPLESS_MAIN(TestQlora)
#include "test_qlora.moc"

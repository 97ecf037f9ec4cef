// The trainer's parts in isolation: AdamW against hand-computed updates and its state round trip,
// lr schedules against transformers' formulas, step counts, clipping against clip_grad_norm_'s
// definition, gradient checkpointing against plain backprop, metrics.jsonl truncation.
// Torch headers come before Qt's.
#include "common/error.h"
#include "train/adamw.h"
#include "train/grad_checkpoint.h"
#include "train/lr_schedule.h"
#include "train/metrics_log.h"
#include "train/run_memory.h"
#include "lora/lora_model.h"
#include "model/loader.h"
#include "model/loss.h"
#include "project/project_config.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/function.h>

#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <fstream>

using namespace lorastudio;

namespace {

at::Tensor leaf(std::vector<float> values) {
    return at::tensor(values, at::kFloat).requires_grad_(true);
}
void setGrad(const at::Tensor& p, std::vector<float> g) { p.mutable_grad() = at::tensor(g, at::kFloat); }

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

} // namespace

class TestTrainUnits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void adamwMatchesTextbook() {
        // Loshchilov & Hutter's AdamW as torch documents it, computed here in double.
        const std::vector<double> p0{1.0, -2.0, 0.5};
        const std::vector<std::vector<double>> grads{{0.1, -0.2, 0.3}, {-0.05, 0.4, 0.0}, {0.2, 0.2, -0.1}};
        const double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        auto p = leaf({1.0f, -2.0f, 0.5f});
        AdamWOptions o;
        o.weightDecay = wd;
        AdamW opt({{"p", p}}, o);
        std::vector<double> ref = p0, m(3, 0), v(3, 0);
        for (int t = 1; t <= 3; ++t) {
            const auto& g = grads[t - 1];
            setGrad(p, {float(g[0]), float(g[1]), float(g[2])});
            opt.step(lr);
            for (int i = 0; i < 3; ++i) {
                ref[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                const double mHat = m[i] / (1 - std::pow(b1, t)), vHat = v[i] / (1 - std::pow(b2, t));
                ref[i] -= lr * mHat / (std::sqrt(vHat) + eps);
            }
            for (int i = 0; i < 3; ++i) QVERIFY2(std::abs(p[i].item<double>() - ref[i]) < 2e-7, std::to_string(t).c_str());
        }
        // First step by hand: 1 * (1 - 0.001) - 0.01 * 0.1 / (0.1 + 1e-8) = 0.989 (to fp32).
        auto q = leaf({1.0f});
        AdamW one({{"q", q}}, o);
        setGrad(q, {0.1f});
        one.step(lr);
        QVERIFY(std::abs(q.item<double>() - 0.989) < 1e-7);
        QCOMPARE(opt.stepCount(0), int64_t(3));
    }

    void adamwSkipsParametersWithoutGrad() {
        auto a = leaf({1.0f, 2.0f}), b = leaf({3.0f});
        AdamWOptions o;
        o.weightDecay = 0.5;  // would change b if it were touched
        AdamW opt({{"a", a}, {"b", b}}, o);
        setGrad(a, {1.0f, -1.0f});
        opt.step(0.1);
        QCOMPARE(b.item<float>(), 3.0f);
        QCOMPARE(opt.stepCount(0), int64_t(1));
        QCOMPARE(opt.stepCount(1), int64_t(0));
        opt.zeroGrad();
        QVERIFY(!a.grad().defined());
    }

    void adamwStateRoundTripIsExact() {
        auto make = [] { return leaf({0.3f, -0.7f, 1.1f, 0.0f}); };
        auto a = make(), b = make();
        AdamW first({{"w", a}}, {});
        for (int i = 0; i < 3; ++i) {
            setGrad(a, {0.1f * i, -0.3f, 0.2f, 1e-3f});
            first.step(1e-2);
        }
        {
            at::NoGradGuard g;
            b.copy_(a);
        }
        AdamW second({{"w", b}}, {});
        auto state = first.stateTensors();
        QCOMPARE(int(state.size()), 3);
        second.loadState([&](const std::string& n) {
            for (auto& [k, t] : state)
                if (k == n) return t;
            return at::Tensor();
        }, "test");
        setGrad(a, {0.5f, 0.5f, -0.5f, 0.25f});
        setGrad(b, {0.5f, 0.5f, -0.5f, 0.25f});
        first.step(1e-2);
        second.step(1e-2);
        QVERIFY(at::equal(a, b));
        QCOMPARE(second.stepCount(0), int64_t(4));
        // A missing entry is an error naming it.
        AdamW third({{"w", make()}}, {});
        bool threw = false;
        try {
            third.loadState([](const std::string&) { return at::Tensor(); }, "opt.safetensors");
        } catch (const Error& e) {
            threw = std::string(e.what()).find("w.exp_avg") != std::string::npos;
        }
        QVERIFY(threw);
    }

    void schedulesMatchTransformers() {
        // get_linear_schedule_with_warmup(warmup 2, total 10)
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 0, 2, 10), 0.0);
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 1, 2, 10), 0.5);
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 2, 2, 10), 1.0);
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 6, 2, 10), 0.5);
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 9, 2, 10), 0.125);
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 10, 2, 10), 0.0);
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 12, 2, 10), 0.0);
        // get_cosine_schedule_with_warmup(warmup 2, total 10), num_cycles 0.5
        QCOMPARE(lrMultiplier(LrSchedule::Cosine, 1, 2, 10), 0.5);
        QCOMPARE(lrMultiplier(LrSchedule::Cosine, 2, 2, 10), 1.0);
        QVERIFY(std::abs(lrMultiplier(LrSchedule::Cosine, 4, 2, 10) - 0.8535533905932737) < 1e-15);
        QVERIFY(std::abs(lrMultiplier(LrSchedule::Cosine, 6, 2, 10) - 0.5) < 1e-15);
        QVERIFY(std::abs(lrMultiplier(LrSchedule::Cosine, 10, 2, 10)) < 1e-15);
        // transformers does not clamp progress: past the end the cosine rises again (0.0380602337443566).
        QVERIFY(std::abs(lrMultiplier(LrSchedule::Cosine, 11, 2, 10) - 0.038060233744356645) < 1e-15);
        // get_constant_schedule_with_warmup(warmup 4) and get_constant_schedule
        QCOMPARE(lrMultiplier(LrSchedule::Constant, 0, 4, 10), 0.0);
        QCOMPARE(lrMultiplier(LrSchedule::Constant, 1, 4, 10), 0.25);
        QCOMPARE(lrMultiplier(LrSchedule::Constant, 3, 4, 10), 0.75);
        QCOMPARE(lrMultiplier(LrSchedule::Constant, 4, 4, 10), 1.0);
        QCOMPARE(lrMultiplier(LrSchedule::Constant, 0, 0, 10), 1.0);
        // No warmup: linear starts at 1 and cosine too.
        QCOMPARE(lrMultiplier(LrSchedule::Linear, 0, 0, 4), 1.0);
        QCOMPARE(lrMultiplier(LrSchedule::Cosine, 0, 0, 4), 1.0);
    }

    void stepCounts() {
        TrainingSettings t;
        t.maxSteps = 0;
        t.epochs = 3;
        t.gradientAccumulation = 4;
        QCOMPARE(stepsPerEpoch(10, 4), int64_t(3));  // 4 + 4 + 2 micro-batches
        QCOMPARE(totalTrainingSteps(t, 10), int64_t(9));
        t.epochs = 1.5;
        QCOMPARE(totalTrainingSteps(t, 10), int64_t(5));  // ceil(4.5)
        t.maxSteps = 7;
        QCOMPARE(totalTrainingSteps(t, 10), int64_t(7));
        t.warmupSteps = 0;
        t.warmupRatio = 0.03;
        QCOMPARE(warmupStepsFor(t, 100), int64_t(3));
        QCOMPARE(warmupStepsFor(t, 101), int64_t(4));  // ceil(3.03)
        t.warmupSteps = 5;
        QCOMPARE(warmupStepsFor(t, 101), int64_t(5));
    }

    void clippingFollowsClipGradNorm() {
        auto a = leaf({0, 0}), b = leaf({0}), c = leaf({5});
        std::vector<TrainableParameter> ps{{"a", a}, {"b", b}, {"c", c}};  // c has no grad: ignored
        setGrad(a, {3, 4});
        setGrad(b, {12});
        // total = sqrt(3^2 + 4^2 + 12^2) = 13
        QCOMPARE(clipGradNorm(ps, 100.0), 13.0);
        QCOMPARE(a.grad()[0].item<float>(), 3.0f);  // coef clamped to 1
        QCOMPARE(clipGradNorm(ps, 0.0), 13.0);      // 0: norm only
        QCOMPARE(b.grad()[0].item<float>(), 12.0f);
        QCOMPARE(clipGradNorm(ps, 6.5), 13.0);      // returns the norm before clipping
        const float coef = float(6.5 / (13.0 + 1e-6));
        QVERIFY(std::abs(a.grad()[1].item<float>() - 4 * coef) < 1e-6);
        QVERIFY(std::abs(b.grad()[0].item<float>() - 12 * coef) < 1e-6);
        QVERIFY(std::abs(clipGradNorm(ps, 0.0) - 6.5) < 1e-5);
        setGrad(b, {std::nanf("")});
        QVERIFY(std::isnan(clipGradNorm(ps, 1.0)));
    }

    void gradientCheckpointingGivesTheSameGradients() {
        at::manual_seed(3);
        auto W = at::randn({8, 8}) * 0.3;                 // frozen
        auto A = (at::randn({2, 8}) * 0.3).requires_grad_(true);
        auto B = (at::randn({8, 2}) * 0.3).requires_grad_(true);
        // A layer with a LoRA-like branch and dropout (random numbers must be replayed).
        LayerFunction layer = [W, A, B](const at::Tensor& x) {
            auto h = at::dropout(x, 0.3, true);
            return at::tanh(at::linear(x, W) + at::linear(at::linear(h, A), B));  // [.., 8] -> [.., 8]
        };
        auto x0 = at::randn({2, 3, 8});
        for (bool inputGrad : {false, true}) {
            auto run = [&](bool checkpoint) {
                at::manual_seed(11);
                A.mutable_grad() = at::Tensor();
                B.mutable_grad() = at::Tensor();
                auto x = x0.clone().requires_grad_(inputGrad);
                auto h = x;
                for (int l = 0; l < 3; ++l) h = checkpoint ? checkpointedLayer(layer, h) : layer(h);
                h.pow(2).sum().backward();
                auto after = at::rand({1});  // the generator continues as without checkpointing
                return std::vector<at::Tensor>{A.grad().clone(), B.grad().clone(),
                                               inputGrad ? x.grad().clone() : at::zeros({1}), after};
            };
            auto plain = run(false), ckpt = run(true);
            for (std::size_t i = 0; i < plain.size(); ++i) QVERIFY2(at::equal(plain[i], ckpt[i]), std::to_string(i).c_str());
        }
        // The output really comes from the checkpoint node (no graph through the layer is kept).
        auto y = checkpointedLayer(layer, x0);
        QVERIFY(y.requires_grad());  // through the LoRA parameters, although x0 does not require grad
        QVERIFY(y.grad_fn() && y.grad_fn()->name().find("CheckpointFunction") != std::string::npos);
        // Without grad mode it is the function itself.
        at::NoGradGuard noGrad;
        at::manual_seed(5);
        auto y1 = layer(x0);
        at::manual_seed(5);
        QVERIFY(at::equal(y1, checkpointedLayer(layer, x0)));
    }

    // The whole path the trainer uses: LoRA on the demo model, layers run through the checkpointing
    // runner. Loss and LoRA gradients equal the plain run's; with the runner the saved graph holds
    // fewer tensors, so this also checks the runner really wraps the layers (it must be called).
    void modelLayerRunnerCheckpointsEveryLayer() {
        auto run = [](bool checkpoint, int* calls) {
            LoadedModel lm = loadCausalLM(testsupport::sourceDir() + "/resources/demo/model");
            LoraSettings settings;
            settings.targetModules = ModuleSelection::list({"c_attn", "c_proj"});
            settings.r = 4;
            settings.loraDropout = 0.0;
            LoraAttachOptions opts;
            opts.seed = 3;
            auto lora = LoraModel::attach(lm.model, settings, opts);
            // B starts at zero: give it values so gradients reach A too.
            for (auto& [name, t] : lora->trainableParameters())
                if (name.find("lora_B") != std::string::npos) {
                    at::NoGradGuard g;
                    t.copy_(at::randn(t.sizes(), at::make_generator<at::CPUGeneratorImpl>(5)) * 0.02);
                }
            if (checkpoint)
                lm.model->setLayerRunner([calls](const LayerFunction& f, const at::Tensor& x) {
                    ++*calls;
                    return checkpointedLayer(f, x);
                });
            lm.model->train();
            auto ids = at::arange(0, 48, at::kLong).remainder(400).view({2, 24});
            at::Tensor loss = nextTokenLoss(lm.model->forward(ids).logits, ids);
            loss.backward();
            std::vector<at::Tensor> grads;
            for (auto& [name, t] : lora->trainableParameters()) grads.push_back(t.grad().clone());
            return std::make_pair(loss.item<double>(), grads);
        };
        int calls = 0;
        const auto plain = run(false, &calls);
        QCOMPARE(calls, 0);
        const auto ckpt = run(true, &calls);
        QCOMPARE(calls, 4);  // one per decoder layer of the demo model
        QCOMPARE(ckpt.first, plain.first);
        QCOMPARE(ckpt.second.size(), plain.second.size());
        for (std::size_t i = 0; i < plain.second.size(); ++i) {
            QVERIFY(plain.second[i].abs().max().item<double>() > 0);
            QVERIFY(at::allclose(ckpt.second[i], plain.second[i], 1e-5, 1e-7));
        }
    }

    void metricsLogKeepsOneCurve() {
        const std::string path = testsupport::makeTempDir("metrics") + "/metrics.jsonl";
        MetricsLog log;
        log.startFresh(path);
        for (int s = 1; s <= 5; ++s) {
            StepMetrics m;
            m.step = s;
            m.totalSteps = 5;
            m.loss = 1.0 / s;
            m.lr = 1e-4 * s;
            log.append(toJson(m));
            if (s % 2 == 0) log.append(toJson(EvalMetrics{s, 0.5, std::exp(0.5), 10}));
        }
        QCOMPARE(int(readLines(path).size()), 7);
        {
            std::ofstream torn(path, std::ios::app);
            torn << "{\"type\": \"step\", \"st";  // a crash mid-line
        }
        MetricsLog resumed;
        resumed.continueAfter(path, 3);
        StepMetrics m4;
        m4.step = 4;
        m4.loss = 0.125;
        resumed.append(toJson(m4));
        auto lines = readLines(path);
        QCOMPARE(int(lines.size()), 5);  // steps 1, 2, eval 2, 3, then the new 4
        std::vector<int64_t> steps;
        for (const auto& l : lines) steps.push_back(nlohmann::json::parse(l).at("step").get<int64_t>());
        QCOMPARE(steps, (std::vector<int64_t>{1, 2, 2, 3, 4}));
        auto back = stepMetricsFromJson(nlohmann::json::parse(lines[1]));
        QCOMPARE(back.loss, 0.5);
        QCOMPARE(back.lr, 2e-4);
        QCOMPARE(evalMetricsFromJson(nlohmann::json::parse(lines[2])).perplexity, std::exp(0.5));
        QCOMPARE(stepMetricsFromJson(nlohmann::json::parse(lines[4])).loss, 0.125);
        // Read back line by line, as the studio replays or follows a run.
        QCOMPARE(readMetricsLine(lines[1]).kind, MetricsRecord::Kind::Step);
        QCOMPARE(readMetricsLine(lines[1]).step.loss, 0.5);
        QCOMPARE(readMetricsLine(lines[2]).kind, MetricsRecord::Kind::Eval);
        QCOMPARE(readMetricsLine(lines[2]).eval.perplexity, std::exp(0.5));
        const MetricsRecord checkpoint = readMetricsLine(toJson(CheckpointInfo{4, "out/checkpoints/step-4"}).dump());
        QCOMPARE(checkpoint.kind, MetricsRecord::Kind::Checkpoint);
        QCOMPARE(checkpoint.checkpoint.step, int64_t(4));
        QCOMPARE(checkpoint.checkpoint.path, std::string("out/checkpoints/step-4"));
        QCOMPARE(readMetricsLine("{\"type\": \"step\", \"st").kind, MetricsRecord::Kind::Other);  // torn
        QCOMPARE(readMetricsLine("{\"type\": \"step\", \"step\": 3}").kind, MetricsRecord::Kind::Other);  // keys missing
        QCOMPARE(readMetricsLine("{\"type\": \"analysis\", \"step\": 3}").kind, MetricsRecord::Kind::Other);
    }

    // The run's memory lines: the estimate as it was made, and the measured peak's difference from it.
    void memoryLines() {
        MemoryEstimate e;
        e.device = MemoryDevice::Cpu;
        e.total = int64_t(100) << 20;
        e.overhead = int64_t(20) << 20;
        e.batch = 8;
        e.sequence = 185;
        e.sequenceFromData = true;
        e.peakPhase = "layer backward";
        QCOMPARE(estimateLine(e), std::string("Memory estimate: peak 100 MiB resident (batch 8 x 185 tokens, the data's "
                                              "longest example; peak during layer backward)"));
        QCOMPARE(peakLine(e, int64_t(110) << 20),
                 std::string("Peak memory: 110 MiB resident; the estimate said 100 MiB (measured +10.0%)"));
        QCOMPARE(peakLine(e, int64_t(95) << 20),
                 std::string("Peak memory: 95.0 MiB resident; the estimate said 100 MiB (measured -5.0%)"));
        QVERIFY(peakLine(e, 0).empty());
        // CUDA: the allocator's reservation has no context in it, so neither has the figure it is held to.
        e.device = MemoryDevice::Cuda;
        e.worldSize = 2;
        QVERIFY(estimateLine(e).find("of GPU memory") != std::string::npos);
        QVERIFY(estimateLine(e).find("per rank") != std::string::npos);
        QCOMPARE(peakLine(e, int64_t(80) << 20), std::string("Peak memory: 80.0 MiB reserved by the CUDA allocator; the "
                                                             "estimate said 80.0 MiB without the CUDA context (measured +0.0%)"));
    }
};

QTEST_APPLESS_MAIN(TestTrainUnits)
#include "test_train_units.moc"

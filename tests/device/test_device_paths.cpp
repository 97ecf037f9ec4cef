// The training device's paths, checked on whatever device LORASTUDIO_TEST_DEVICE names (default
// cpu): CTest runs this on the CPU everywhere; bench/gpu/device_check.sh runs the same binary with
// LORASTUDIO_TEST_DEVICE=cuda on a GPU machine, which has no Qt, hence doctest rather than Qt Test.
//  - fp32 parity with transformers + PEFT (the fixtures, ../shared/fixtures/models) on the device,
//    TF32 off: base logits, PEFT adapter logits, three AdamW steps;
//  - bf16 (autocast on CUDA, a bf16 model on the CPU) against the fp32 reference, at a stated tolerance
//    (every logit within 5% of the largest, mean error under 1% of it),
//    with fp32 LoRA master weights and gradients;
//  - a training run on the device: factors and optimizer state there, memory peaks reported, and a
//    resumed run equal to the uninterrupted one (bit for bit on the CPU);
//  - fp16 loss scaling, out-of-memory reporting, TF32, random generator states, pinned copies;
//  - DoRA (PEFT 0.13.2's fixture logits, merged and not) and QLoRA (nf4 / int8 layers against their
//    dequantized weights, a few training steps of the Llama fixture) on the device.
// A check that only means something on CUDA says so in the output when it is not run.
#include "io/safetensors.h"
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "model/loss.h"
#include "project/project_config.h"
#include "train/adamw.h"
#include "train/loss_scaler.h"
#include "train/lora_trainable_set.h"
#include "train/train_checkpoint.h"
#include "train/train_device.h"
#include "train/train_session.h"
#include "train/trainer.h"

#include "demo_project.h"
#include "tensor_files.h"
#include "test_support.h"

#include <ATen/ATen.h>

#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

using namespace lorastudio;

namespace {

c10::Device g_device(c10::kCPU);

const std::string kModels[] = {"gpt2", "llama", "qwen2"};

std::string fixture(const std::string& model) { return testsupport::fixturesDir() + "/models/" + model; }

std::map<std::string, at::Tensor> readAll(const std::string& path) { return testsupport::readAllTensors(path); }

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.detach().cpu().to(at::kDouble) - b.detach().cpu().to(at::kDouble)).abs().max().item<double>();
}

at::Tensor logitsOf(CausalLM& model, const at::Tensor& ids) {
    at::NoGradGuard noGrad;
    return model.forward(ids.to(g_device)).logits.to(at::kFloat).cpu();
}

struct Recorder : TrainObserver {
    std::vector<StepMetrics> steps;
    void onStep(const StepMetrics& m) override { steps.push_back(m); }
};

// The tests' demo project (LoRA on every linear layer with dropout, so the device's generator is
// used; 6 steps, a checkpoint every 3) on the device, without validation, rows of 128 tokens.
ProjectConfig demoRun(const std::string& out, Precision precision = Precision::Fp32) {
    ProjectConfig c = testsupport::demoProject(out);
    c.data.validationFraction = 0;
    c.data.maxLength = 128;
    c.training.weightDecay = 0;
    c.training.precision = precision;
    c.training.device = g_device.str();
    c.training.seed = 11;
    return c;
}

} // namespace

TEST_CASE("base model logits on the device equal transformers' (fp32, TF32 off)") {
    for (const std::string& name : kModels) {
        CAPTURE(name);
        const auto ref = readAll(fixture(name) + "/logits.safetensors");
        auto loaded = loadCausalLM(fixture(name) + "/model", at::kFloat, g_device);
        const auto logits = logitsOf(*loaded.model, ref.at("input_ids"));
        // The fixtures' README: logits to about 1e-5 (values of size ~5).
        CHECK(maxDiff(logits, ref.at("logits")) < 1e-4);
        at::NoGradGuard noGrad;
        const auto mask = ref.at("attention_mask");
        const auto masked = loaded.model->forward(ref.at("input_ids").to(g_device), mask.to(g_device)).logits.cpu();
        const auto keep = mask.to(at::kBool).unsqueeze(-1).expand_as(masked);
        CHECK(maxDiff(masked.masked_select(keep), ref.at("logits_masked").masked_select(keep)) < 1e-4);
    }
}

TEST_CASE("PEFT adapter logits on the device equal PEFT's; the factors live on the device") {
    for (const std::string& name : kModels) {
        CAPTURE(name);
        const auto ref = readAll(fixture(name) + "/lora_logits.safetensors");
        auto loaded = loadCausalLM(fixture(name) + "/model", at::kFloat, g_device);
        auto lora = loadAdapter(loaded.model, fixture(name) + "/adapter");
        for (const auto& layer : lora->layers()) {
            CHECK(layer->loraA().device() == g_device);
            CHECK(layer->loraB().device() == g_device);
        }
        CHECK(maxDiff(logitsOf(*loaded.model, ref.at("input_ids")), ref.at("logits_lora")) < 1e-4);
    }
}

TEST_CASE("DoRA on the device: PEFT 0.13.2's logits, its merged logits, the magnitude on the device") {
    for (const std::string& name : kModels) {
        CAPTURE(name);
        const std::string dora = testsupport::sourceDir() + "/tests/fixtures/dora/" + name;
        const auto ref = readAll(dora + ".safetensors");
        auto loaded = loadCausalLM(fixture(name) + "/model", at::kFloat, g_device);
        auto lora = loadAdapter(loaded.model, dora + "/adapter");
        for (const auto& layer : lora->layers())
            for (const auto& extra : layer->variant().extraTensors()) CHECK(extra.module->weight().device() == g_device);
        CHECK(maxDiff(logitsOf(*loaded.model, ref.at("input_ids")), ref.at("lora_logits")) < 1e-4);
        lora->merge();
        CHECK(maxDiff(logitsOf(*loaded.model, ref.at("input_ids")), ref.at("merged_logits")) < 1e-4);
    }
}

TEST_CASE("QLoRA on the device: nf4 and int8 layers equal their dequantized weights, and the Llama fixture trains") {
    for (const auto format : {QuantFormat::Nf4, QuantFormat::Int8}) {
        CAPTURE(int(format));
        LoadQuantization q;
        q.format = format;
        q.modules = {"model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj"};
        auto loaded = loadCausalLM(fixture("llama") + "/model", at::kFloat, g_device, &q);
        for (const auto& m : linearModules(*loaded.model)) {
            if (!m.layer->quantized()) continue;
            const at::Tensor w = m.layer->denseWeight();
            CHECK(w.device() == g_device);
            auto x = at::randn({4, m.inFeatures}, at::TensorOptions().device(g_device));
            at::NoGradGuard noGrad;
            CHECK(maxDiff(m.layer->forward(x), at::linear(x, w)) < 1e-4);
        }
        LoraSettings s;
        s.targetModules = ModuleSelection::allLinear();
        s.r = 8;
        s.loraDropout = 0;
        s.quantization = format == QuantFormat::Nf4 ? BaseQuantization::Nf4 : BaseQuantization::Int8;
        auto fresh = loadCausalLM(fixture("llama") + "/model", at::kFloat, g_device);
        auto set = std::make_shared<LoraTrainableSet>(LoraModel::attach(fresh.model, s), fixture("llama") + "/model");
        AdamW opt(set->parameters(), AdamWOptions{});
        const auto ids = readAll(fixture("llama") + "/logits.safetensors").at("input_ids").to(g_device);
        double first = 0, last = 0;
        for (int step = 0; step < 6; ++step) {
            opt.zeroGrad();
            auto loss = nextTokenLoss(fresh.model->forward(ids).logits, ids);
            (step == 0 ? first : last) = loss.item<double>();
            loss.backward();
            opt.step(5e-3);
        }
        CHECK(std::isfinite(last));
        CHECK(last < first);
    }
}

TEST_CASE("three AdamW steps on the device follow torch.optim.AdamW") {
    for (const std::string& name : kModels) {
        CAPTURE(name);
        const auto ref = readAll(fixture(name) + "/train_ref.safetensors");
        auto loaded = loadCausalLM(fixture(name) + "/model", at::kFloat, g_device);
        LoraAttachOptions options;
        options.dtype = at::kFloat;
        auto set = std::make_shared<LoraTrainableSet>(loadAdapter(loaded.model, fixture(name) + "/adapter", options),
                                                      fixture(name) + "/model");
        AdamWOptions o;
        o.weightDecay = 0;
        AdamW opt(set->parameters(), o);
        const auto ids = ref.at("input_ids").to(g_device);
        const auto losses = ref.at("losses");
        for (int step = 0; step < 3; ++step) {
            opt.zeroGrad();
            auto loss = nextTokenLoss(loaded.model->forward(ids).logits, ids);
            CHECK(std::abs(loss.item<double>() - losses[step].item<double>()) < 1e-5);
            loss.backward();
            opt.step(1e-3);
        }
        for (const auto& p : set->parameters()) {
            CAPTURE(p.name);
            CHECK(p.tensor.device() == g_device);
            // An Adam update is ~lr (1e-3) per element: 1e-6 is 0.1% of one update.
            CHECK(maxDiff(p.tensor, ref.at("step3." + p.name)) < 1e-6 + 1e-5 * ref.at("step3." + p.name).abs().max().item<double>());
        }
        for (std::size_t i = 0; i < set->parameters().size(); ++i) {
            REQUIRE(opt.firstMoment(i).defined());
            CHECK(opt.firstMoment(i).device() == g_device);  // optimizer state beside its parameter
        }
    }
}

TEST_CASE("bf16: logits within the stated tolerance of fp32, LoRA master weights and gradients fp32") {
    const PrecisionPlan plan = planPrecision(Precision::Bf16, g_device);
    CHECK((plan.modelDtype == at::kBFloat16));
    CHECK(plan.autocast == g_device.is_cuda());  // CUDA: autocast; CPU: the model itself runs in bf16
    for (const std::string& name : kModels) {
        CAPTURE(name);
        const auto ref = readAll(fixture(name) + "/lora_logits.safetensors");
        auto loaded = loadCausalLM(fixture(name) + "/model", plan.modelDtype, g_device);
        LoraAttachOptions options;
        options.dtype = at::kFloat;
        auto lora = loadAdapter(loaded.model, fixture(name) + "/adapter", options);
        const auto ids = ref.at("input_ids").to(g_device);
        at::Tensor logits;
        {
            AutocastGuard autocast(plan.autocast, plan.autocastDtype);
            logits = loaded.model->forward(ids).logits;
            nextTokenLoss(logits, ids).backward();
        }
        // bf16 keeps 8 bits of mantissa (relative step 2^-8 = 0.4%). The stated tolerance: after two
        // layers every logit is within 5% of the largest fp32 logit of its reference, and the mean
        // error is under 1% of it (CPU, 1.13: worst 2.4% and 0.3%).
        const auto fp32 = ref.at("logits_lora");
        const double scale = fp32.abs().max().item<double>();
        const double d = maxDiff(logits, fp32);
        const double mean = (logits.detach().cpu().to(at::kDouble) - fp32.to(at::kDouble)).abs().mean().item<double>();
        MESSAGE(name << ": bf16 |logits - fp32 reference| max " << d << ", mean " << mean << " (largest logit " << scale << ")");
        CHECK(d < 0.05 * scale);
        CHECK(mean < 0.01 * scale);
        for (const auto& layer : lora->layers()) {
            CHECK((layer->loraA().scalar_type() == at::kFloat));
            REQUIRE(layer->loraB().grad().defined());
            CHECK((layer->loraB().grad().scalar_type() == at::kFloat));
            CHECK(std::isfinite(layer->loraB().grad().abs().sum().item<double>()));
        }
    }
}

TEST_CASE("a run on the device reports its memory and resumes where it stopped") {
    const std::string out = testsupport::makeTempDir("device-run");
    TrainControl control;
    Recorder full;
    const TrainResult done = runTraining(demoRun(out + "/full"), control, full);
    REQUIRE((done.outcome == TrainOutcome::Completed));
    REQUIRE(full.steps.size() == 6);
    for (const auto& m : full.steps) {
        CHECK(std::isfinite(m.loss));
        if (g_device.is_cuda()) {
            CHECK(m.devicePeakBytes > 0);
            CHECK(m.deviceReservedPeakBytes >= m.devicePeakBytes);
        } else {
            CHECK(m.devicePeakBytes == 0);
            CHECK(m.deviceReservedPeakBytes == 0);
        }
    }
    const CheckpointMeta meta = readCheckpointMeta(out + "/full/checkpoints/step-3");
    bool cudaState = false;
    for (const auto& [gen, state] : meta.rng) cudaState = cudaState || gen.rfind("cuda", 0) == 0;
    CHECK(cudaState == g_device.is_cuda());  // the device's generator (dropout) is saved

    // Resume a copy of the run from step 3: steps 4..6 must be what the full run did.
    std::filesystem::copy(out + "/full", out + "/resumed", std::filesystem::copy_options::recursive);
    Recorder resumed;
    const TrainResult again = resumeTraining(out + "/resumed/checkpoints/step-3", control, resumed);
    REQUIRE((again.outcome == TrainOutcome::Completed));
    REQUIRE(resumed.steps.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CAPTURE(i + 4);
        if (g_device.is_cpu()) {
            CHECK(resumed.steps[i].loss == full.steps[i + 3].loss);  // bit for bit
        } else {
            // CUDA's attention backward may add in another order between runs (atomics).
            CHECK(std::abs(resumed.steps[i].loss - full.steps[i + 3].loss) < 1e-5 * std::abs(full.steps[i + 3].loss));
        }
    }
    std::filesystem::remove_all(out);
}

TEST_CASE("fp16: loss scaling on CUDA, a clear refusal on the CPU") {
    double scale = LossScaleRule::kInitialScale;
    int64_t good = 0;
    CHECK_FALSE(updateLossScale(scale, good, /*finite=*/false));  // overflow: skip, halve
    CHECK(scale == LossScaleRule::kInitialScale / 2);
    for (int64_t i = 0; i < LossScaleRule::kGrowthInterval - 1; ++i) CHECK(updateLossScale(scale, good, true));
    CHECK(scale == LossScaleRule::kInitialScale / 2);
    CHECK(updateLossScale(scale, good, true));  // the 2000th good step in a row doubles it
    CHECK(scale == LossScaleRule::kInitialScale);
    CHECK(good == 0);

    if (!g_device.is_cuda()) {
        MESSAGE("not run on " << g_device.str() << ": an fp16 training run (CUDA only); checked instead that the CPU refuses fp16");
        const std::string err = testsupport::errorOf([] { planPrecision(Precision::Fp16, c10::Device(c10::kCPU)); });
        CHECK(err.find("bf16") != std::string::npos);
        return;
    }
    const PrecisionPlan plan = planPrecision(Precision::Fp16, g_device);
    CHECK(plan.lossScaling);
    CHECK((plan.modelDtype == at::kHalf));
    const std::string out = testsupport::makeTempDir("device-fp16");
    TrainControl control;
    Recorder rec;
    const TrainResult r = runTraining(demoRun(out, Precision::Fp16), control, rec);
    CHECK((r.outcome == TrainOutcome::Completed));
    for (const auto& m : rec.steps) CHECK(std::isfinite(m.loss));
    const CheckpointMeta meta = readCheckpointMeta(out + "/checkpoints/step-6");
    CHECK(meta.state.lossScale > 0);
    CHECK(meta.state.lossScale <= LossScaleRule::kInitialScale);
    std::filesystem::remove_all(out);
}

TEST_CASE("out of memory on the device is named as such, and the cache is handed back") {
    bool thrown = false;
    try {
        auto huge = at::empty({int64_t(1) << 50}, at::TensorOptions().dtype(at::kFloat).device(g_device));  // 4 PiB
        (void)huge;
    } catch (const std::exception& e) {
        thrown = true;
        CHECK(isOutOfMemory(e));
        const std::string message = torchErrorToError("training", e).what();
        CAPTURE(message);
        CHECK(message.find("out of memory") != std::string::npos);
        CHECK(message.find("batch_size") != std::string::npos);  // the hint
    }
    CHECK(thrown);
    releaseCachedDeviceMemory(g_device);
    const std::runtime_error other("shape mismatch");
    CHECK_FALSE(isOutOfMemory(other));
}

TEST_CASE("TF32 is a switch: off for parity, on when training.tf32 asks") {
    setTf32(true);
    CHECK(tf32Enabled());
    if (g_device.is_cuda()) {
        // On Ampere and newer TF32 visibly changes an fp32 product; off, it matches fp64 closely.
        const auto a = at::randn({512, 512}, at::TensorOptions().device(g_device));
        const auto b = at::randn({512, 512}, at::TensorOptions().device(g_device));
        const auto exact = at::mm(a.to(at::kDouble), b.to(at::kDouble));
        const double with = maxDiff(at::mm(a, b), exact);
        setTf32(false);
        const double without = maxDiff(at::mm(a, b), exact);
        MESSAGE("512x512 fp32 matmul: max error " << with << " with TF32, " << without << " without");
        CHECK(without < 1e-3);
        CHECK(with > without);
    } else {
        MESSAGE("not run on " << g_device.str() << ": TF32's effect on a matmul (CUDA only); the switch itself is checked");
    }
    setTf32(false);
    CHECK_FALSE(tf32Enabled());
    ProjectConfig c = defaultProject();
    CHECK_FALSE(c.training.tf32);  // PyTorch's default for matmuls
}

TEST_CASE("random generator states: the device's is saved and restored") {
    const auto states = rngStates(g_device);
    at::Tensor first = at::rand({64}, at::TensorOptions().device(g_device));
    setRngStates(states, "test");
    at::Tensor again = at::rand({64}, at::TensorOptions().device(g_device));
    CHECK(at::equal(first.cpu(), again.cpu()));
    if (!g_device.is_cuda() && !at::hasCUDA()) {
        // A checkpoint from a GPU machine resumed here: its CUDA state is skipped and named.
        const auto skipped = setRngStates({{"cuda:0", states.front().second}}, "test");
        REQUIRE(skipped.size() == 1);
        CHECK(skipped.front() == "cuda:0");
    }
}

TEST_CASE("host batches reach the device unchanged (pinned, non-blocking on CUDA)") {
    const auto host = at::arange(0, 4096, at::kLong).reshape({8, 512});
    const auto moved = toTrainingDevice(host, g_device);
    CHECK(moved.device() == g_device);
    CHECK(at::equal(moved.cpu(), host));  // .cpu() waits for the copy
    CHECK_FALSE(toTrainingDevice(at::Tensor(), g_device).defined());
}

int main(int argc, char** argv) {
    const char* env = std::getenv("LORASTUDIO_TEST_DEVICE");
    const std::string name = env && *env ? env : "cpu";
    try {
        g_device = resolveTrainingDevice(name);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "LORASTUDIO_TEST_DEVICE=%s: %s\n", name.c_str(), e.what());
        return 2;
    }
    setTf32(false);
    std::printf("device paths on %s%s\n", g_device.str().c_str(),
                g_device.is_cuda() ? "" : " (CUDA-only checks are said to be skipped where they are)");
    doctest::Context context(argc, argv);
    return context.run();
}

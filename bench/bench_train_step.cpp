// bench_train_step: LoRA training throughput of the real Trainer loop (forward, next-token loss,
// backward, clipping, AdamW, metrics) on a random GPT-2-shaped model on the CPU, fp32. Every
// example is exactly --seq tokens (demo tokenizer, text truncated), so batches are [batch, seq].
// Prints one line; bench/run_train_bench.sh puts it beside train_step_reference.py (plain PyTorch).
// Usage: bench_train_step [--threads N] [--batch B] [--seq T] [--steps S] [--layers L] [--hidden C]
//                         [--heads H] [--vocab V] [--r R]
#include "data/batcher.h"
#include "data/dataset.h"
#include "model/causal_lm.h"
#include "model/model_spec.h"
#include "tokenizer/tokenizer.h"
#include "lora/lora_model.h"
#include "train/lora_trainable_set.h"
#include "train/train_device.h"
#include "train/trainer.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

using namespace lorastudio;
namespace fs = std::filesystem;

namespace {

double cpuSeconds() {
    struct rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Wall time per step from the trainer's own figures; CPU time (all threads) between consecutive step
// callbacks, which a loaded machine distorts much less than wall time.
struct Timings : TrainObserver {
    std::vector<StepMetrics> steps;
    std::vector<double> cpuAt;
    void onStep(const StepMetrics& m) override {
        steps.push_back(m);
        cpuAt.push_back(cpuSeconds());
    }
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    int64_t threads = 1, batch = 4, seq = 128, steps = 10, layers = 6, hidden = 512, heads = 8, vocab = 8192, r = 8;
    for (int i = 1; i + 1 < argc; i += 2) {
        const int64_t v = std::atoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--threads")) threads = v;
        else if (!std::strcmp(argv[i], "--batch")) batch = v;
        else if (!std::strcmp(argv[i], "--seq")) seq = v;
        else if (!std::strcmp(argv[i], "--steps")) steps = v;
        else if (!std::strcmp(argv[i], "--layers")) layers = v;
        else if (!std::strcmp(argv[i], "--hidden")) hidden = v;
        else if (!std::strcmp(argv[i], "--heads")) heads = v;
        else if (!std::strcmp(argv[i], "--vocab")) vocab = v;
        else if (!std::strcmp(argv[i], "--r")) r = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    at::set_num_threads(static_cast<int>(threads));
    // at::set_num_threads does not reach OpenBLAS's own pool (see bench_forward.cpp).
    using SetBlasThreads = void (*)(int);
    if (auto f = reinterpret_cast<SetBlasThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        f(static_cast<int>(threads));

    const std::string source = LORASTUDIO_SOURCE_DIR;
    const std::string demo = source + "/resources/demo/model";
    const fs::path dir = fs::temp_directory_path() / ("lorastudio-bench-train-" + std::to_string(::getpid()));
    fs::create_directories(dir);

    // Data: each example is the demo corpus rotated by one sentence, longer than seq tokens.
    std::vector<std::string> sentences;
    {
        std::ifstream corpus(demo + "/corpus_sample.txt");
        for (std::string line; std::getline(corpus, line);) {
            std::stringstream ss(line);
            for (std::string s; std::getline(ss, s, '.');)
                if (s.find_first_not_of(' ') != std::string::npos) sentences.push_back(s.substr(s.find_first_not_of(' ')) + ".");
        }
        std::ofstream out(dir / "data.jsonl");
        const int64_t examples = batch * (steps + 2);
        for (int64_t e = 0; e < examples; ++e) {
            std::string text;
            for (std::size_t k = 0; k < sentences.size() * 2; ++k) text += sentences[(e + k) % sentences.size()] + " ";
            out << nlohmann::json{{"text", text}}.dump() << "\n";
        }
    }
    const Tokenizer tokenizer = Tokenizer::fromFolder(demo);
    ProjectConfig config = defaultProject();
    config.baseModel = demo;
    config.data.path = (dir / "data.jsonl").string();
    config.data.format = DataFormat::Text;
    config.data.maxLength = static_cast<int>(seq);
    config.data.validationFraction = 0;
    config.lora.r = static_cast<int>(r);
    config.lora.loraAlpha = 2.0 * r;
    config.lora.loraDropout = 0.05;
    config.training.maxSteps = static_cast<int>(steps + 2);  // 2 warm-up steps, not timed
    config.training.batchSize = static_cast<int>(batch);
    config.training.lr = 2e-4;
    config.training.maxGradNorm = 1.0;
    config.training.evalEvery = 0;
    config.training.saveEvery = 0;
    config.training.loggingEvery = 1000;
    config.training.device = "cpu";
    config.outputDir = (dir / "out").string();
    Dataset data = Dataset::load(resolvedDataSettings(config), tokenizer);
    if (data.train().stats().shortest() < seq) {
        std::fprintf(stderr, "examples are shorter than --seq %lld\n", static_cast<long long>(seq));
        return 1;
    }

    ModelSpec spec;
    spec.architecture = Architecture::Gpt2;
    spec.vocabSize = std::max<int64_t>(vocab, tokenizer.vocabSize());
    spec.hiddenSize = hidden;
    spec.numLayers = layers;
    spec.numHeads = spec.numKvHeads = heads;
    spec.headDim = hidden / heads;
    spec.intermediateSize = 4 * hidden;
    spec.maxPositions = std::max<int64_t>(1024, seq);
    spec.normEps = 1e-5;
    spec.activation = Activation::GeluNew;
    spec.tieWordEmbeddings = true;
    spec.qkvBias = spec.outputBias = spec.mlpBias = true;

    at::manual_seed(1234);
    TrainingSetup setup;
    setup.config = config;
    setup.model = createCausalLM(spec, at::TensorOptions().dtype(at::kFloat));
    initRandom(*setup.model, 1234);
    LoraAttachOptions lora;
    lora.dtype = at::kFloat;
    setup.trainable = std::make_shared<LoraTrainableSet>(LoraModel::attach(setup.model, config.lora, lora), demo);
    setup.train = data.train();
    setup.padId = paddingId(tokenizer);
    const int64_t loraParams = trainableParameterCount(*setup.trainable);

    Trainer trainer(std::move(setup));
    TrainControl control;
    Timings timings;
    trainer.run(control, timings);

    std::vector<double> wall, cpu;
    for (std::size_t i = 2; i < timings.steps.size(); ++i) {
        wall.push_back(static_cast<double>(timings.steps[i].tokens) / timings.steps[i].tokensPerSecond);
        cpu.push_back(timings.cpuAt[i] - timings.cpuAt[i - 1]);
    }
    const double w = median(wall), c = median(cpu);
    const double tokens = static_cast<double>(batch * seq);
    std::printf("C++ LibTorch %s  params %.1fM  LoRA r=%lld %.2fM  batch %lld x seq %lld  threads %lld  "
                "median step %.3f s wall (%.0f tokens/s), %.3f s CPU (%.0f tokens/CPU-s)  peak RSS %.0f MiB\n",
                TORCH_VERSION, parameterCount(spec) / 1e6, static_cast<long long>(r), loraParams / 1e6,
                static_cast<long long>(batch), static_cast<long long>(seq), static_cast<long long>(threads), w,
                tokens / w, c, tokens / c, peakRssBytes() / 1048576.0);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}

// bench_forward: forward throughput (tokens/s) of a random GPT-2-shaped model on the CPU.
// Default shape is GPT-2 small (12 layers, 768 hidden, 12 heads, vocab 50257: 124M parameters).
// Prints one line; bench/run_forward_bench.sh puts it beside the plain-PyTorch figure.
// Usage: bench_forward [--threads N] [--batch B] [--seq T] [--repeats R] [--layers L] [--vocab V]
//                      [--malloc-tuning 0|1]
#include "model/causal_lm.h"
#include "model/model_spec.h"

#include <ATen/Parallel.h>
#include <torch/version.h>
#include <c10/core/InferenceMode.h>

#include <dlfcn.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace lorastudio;

int main(int argc, char** argv) {
    int64_t threads = 1, batch = 1, seq = 256, repeats = 5, layers = 12, vocab = 50257, mallocTuning = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const int64_t v = std::atoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--threads")) threads = v;
        else if (!std::strcmp(argv[i], "--batch")) batch = v;
        else if (!std::strcmp(argv[i], "--seq")) seq = v;
        else if (!std::strcmp(argv[i], "--repeats")) repeats = v;
        else if (!std::strcmp(argv[i], "--layers")) layers = v;
        else if (!std::strcmp(argv[i], "--vocab")) vocab = v;
        else if (!std::strcmp(argv[i], "--malloc-tuning")) mallocTuning = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (mallocTuning) {
        // glibc returns the freed top of the heap (and serves blocks >= 128 KiB by mmap), so every
        // forward page-faults its activations in again: ~3.5x the minor faults of the Python run
        // and ~20% more CPU time here. Keep freed memory for reuse, as the Python process does in
        // effect (its many small objects pin the heap top).
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
    }
    at::set_num_threads(static_cast<int>(threads));
    // at::set_num_threads does not reach OpenBLAS's own pool, which otherwise takes every core and
    // keeps spinning between GEMMs, slowing the elementwise kernels on the calling thread.
    using SetBlasThreads = void (*)(int);
    if (auto f = reinterpret_cast<SetBlasThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        f(static_cast<int>(threads));

    ModelSpec spec;
    spec.architecture = Architecture::Gpt2;
    spec.vocabSize = vocab;
    spec.hiddenSize = 768;
    spec.numLayers = layers;
    spec.numHeads = spec.numKvHeads = 12;
    spec.headDim = 64;
    spec.intermediateSize = 3072;
    spec.maxPositions = 1024;
    spec.normEps = 1e-5;
    spec.activation = Activation::GeluNew;
    spec.tieWordEmbeddings = true;
    spec.qkvBias = spec.outputBias = spec.mlpBias = true;

    auto model = createCausalLM(spec, at::TensorOptions().dtype(at::kFloat));
    initRandom(*model, 1234);
    model->eval();
    auto ids = at::randint(0, vocab, {batch, seq}, at::kLong);

    c10::InferenceMode inference;
    model->forward(ids);  // warm-up: allocator, OpenBLAS threads
    // Wall time, and process CPU time (steadier when other jobs share the cores).
    std::vector<double> seconds, cpuSeconds;
    for (int64_t r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        auto logits = model->forward(ids).logits;
        const std::clock_t c1 = std::clock();
        const auto t1 = std::chrono::steady_clock::now();
        seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
        cpuSeconds.push_back(static_cast<double>(c1 - c0) / CLOCKS_PER_SEC);
    }
    std::sort(seconds.begin(), seconds.end());
    std::sort(cpuSeconds.begin(), cpuSeconds.end());
    const double median = seconds[seconds.size() / 2], cpu = cpuSeconds[cpuSeconds.size() / 2];
    std::printf("C++ LibTorch %-9s params %.1fM  batch %lld x seq %lld  threads %lld  median wall %.3f s  "
                "%6.0f tokens/s  (cpu %.3f s)%s\n",
                TORCH_VERSION, parameterCount(spec) / 1e6, static_cast<long long>(batch), static_cast<long long>(seq),
                static_cast<long long>(threads), median, batch * seq / median, cpu,
                mallocTuning ? "" : "  [glibc malloc defaults]");
    return 0;
}

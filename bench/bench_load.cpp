// bench_load: model load time and peak RSS against the checkpoint's file size.
// `bench_load --make DIR [--layers L]` writes a random GPT-2-shaped folder (124M parameters at
// the default 12 layers); `bench_load DIR` loads it with loadCausalLM and prints one line.
// bench/run_load_bench.sh runs it beside the same load in plain Python PyTorch.
#include "io/safetensors.h"
#include "lora/merged_export.h"
#include "model/causal_lm.h"
#include "model/loader.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

using namespace lorastudio;
namespace fs = std::filesystem;

static long statusKiB(const char* key) {  // VmHWM / VmRSS of this process, KiB
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
    return -1;
}

static void makeModel(const std::string& dir, int64_t layers) {
    ModelSpec spec;
    spec.architecture = Architecture::Gpt2;
    spec.vocabSize = 50257;
    spec.hiddenSize = 768;
    spec.numLayers = layers;
    spec.numHeads = spec.numKvHeads = 12;
    spec.headDim = 64;
    spec.intermediateSize = 3072;
    spec.maxPositions = 1024;
    spec.activation = Activation::GeluNew;
    spec.tieWordEmbeddings = true;
    spec.qkvBias = spec.outputBias = spec.mlpBias = true;
    auto model = createCausalLM(spec, at::TensorOptions().dtype(at::kFloat));
    initRandom(*model, 7);
    fs::create_directories(dir);
    writeSafetensors((fs::path(dir) / "model.safetensors").string(), hfStateDict(*model, at::kFloat), {{"format", "pt"}});
    std::ofstream(fs::path(dir) / "config.json")
        << "{\"architectures\":[\"GPT2LMHeadModel\"],\"model_type\":\"gpt2\",\"vocab_size\":50257,\"n_embd\":768,"
        << "\"n_layer\":" << layers << ",\"n_head\":12,\"n_positions\":1024,\"n_inner\":null,"
        << "\"activation_function\":\"gelu_new\",\"layer_norm_epsilon\":1e-5,\"torch_dtype\":\"float32\"}\n";
}

int main(int argc, char** argv) {
    if (argc >= 3 && !std::strcmp(argv[1], "--make")) {
        makeModel(argv[2], argc >= 5 ? std::atoll(argv[4]) : 12);
        std::printf("wrote %s\n", argv[2]);
        return 0;
    }
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_load DIR | bench_load --make DIR [--layers L]\n");
        return 2;
    }
    const std::string dir = argv[1];
    const double fileMiB = fs::file_size(fs::path(dir) / "model.safetensors") / 1048576.0;
    const long baseKiB = statusKiB("VmRSS:");
    const auto t0 = std::chrono::steady_clock::now();
    LoadedModel lm = loadCausalLM(dir, at::kFloat);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long peakKiB = statusKiB("VmHWM:");
    std::printf("C++ load:    file %.1f MiB, %.3f s (%.0f MiB/s), peak RSS %.1f MiB (%.1f MiB above the %.1f MiB before loading), %lld parameters\n",
                fileMiB, seconds, fileMiB / seconds, peakKiB / 1024.0, (peakKiB - baseKiB) / 1024.0, baseKiB / 1024.0,
                static_cast<long long>(parameterCount(lm.spec)));
    return 0;
}

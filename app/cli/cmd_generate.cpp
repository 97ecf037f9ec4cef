// `lorastudio-cli generate MODEL_DIR --prompt TEXT [...]`: streams generated text to stdout,
// greedy with --temperature 0, sampled otherwise; timing goes to stderr.
#include "cli_commands.h"
#include "model/generate.h"
#include "model/loader.h"
#include "tokenizer/tokenizer.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string modelDir;
    std::string prompt;
    int64_t maxNewTokens = 64;
    double temperature = 0.7;
    double topP = 0.9;
    int64_t topK = 0;
    uint64_t seed = 0;
    std::string dtype = "float32";
    bool noSpecial = false;
};

void run(const Options& o) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    const Tokenizer tok = Tokenizer::fromFolder(o.modelDir);
    LoadedModel lm = loadCausalLM(o.modelDir, parseComputeDtype(o.dtype));
    lm.model->eval();
    const auto t1 = Clock::now();

    const std::vector<int32_t> promptIds = tok.encode(o.prompt, !o.noSpecial);
    if (promptIds.empty()) throw std::runtime_error("the prompt encodes to no tokens (hint: give --prompt some text)");
    std::vector<int64_t> ids64(promptIds.begin(), promptIds.end());
    at::Tensor input = at::tensor(ids64, at::kLong).unsqueeze(0);

    GenerateOptions g;
    g.maxNewTokens = o.maxNewTokens;
    g.temperature = o.temperature;
    g.topP = o.topP;
    g.topK = o.topK;
    g.seed = o.seed;
    if (auto eos = tok.eosId(); eos && lm.spec.eosTokenIds.empty()) g.eosTokenIds = {*eos};

    // Stream: decode everything generated so far and print what is new, so multi-byte characters
    // split over tokens appear whole.
    std::vector<int32_t> generated;
    std::string printed;
    std::cout << o.prompt << std::flush;
    g.onToken = [&](int64_t, const at::Tensor& tokens) {
        generated.push_back(static_cast<int32_t>(tokens[0].item<int64_t>()));
        const std::string text = tok.decode(generated, true);
        if (text.size() > printed.size() && text.compare(0, printed.size(), printed) == 0 &&
            text.find("\xEF\xBF\xBD", printed.size()) == std::string::npos) {
            std::cout << text.substr(printed.size()) << std::flush;
            printed = text;
        }
        return true;
    };
    at::InferenceMode guard;
    generate(*lm.model, input, at::Tensor(), g);
    const std::string finalText = tok.decode(generated, true);
    if (finalText.size() > printed.size() && finalText.compare(0, printed.size(), printed) == 0)
        std::cout << finalText.substr(printed.size());
    std::cout << "\n" << std::flush;
    const auto t2 = Clock::now();
    const double loadS = std::chrono::duration<double>(t1 - t0).count();
    const double genS = std::chrono::duration<double>(t2 - t1).count();
    std::fprintf(stderr, "[%zu prompt + %zu new tokens; load %.2f s, generate %.2f s, %.1f tokens/s]\n",
                 promptIds.size(), generated.size(), loadS, genS, genS > 0 ? generated.size() / genS : 0.0);
}

} // namespace

void addGenerateCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("generate", "Generate text from a prompt");
    cmd->add_option("MODEL_DIR", opts->modelDir, "Hugging Face model folder")->required();
    cmd->add_option("--prompt", opts->prompt, "Prompt text")->required();
    cmd->add_option("--max-new-tokens", opts->maxNewTokens, "Tokens to generate")->capture_default_str()->check(CLI::Range(1, 1 << 20));
    cmd->add_option("--temperature", opts->temperature, "0 = greedy")->capture_default_str()->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--top-p", opts->topP, "Nucleus sampling mass")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--top-k", opts->topK, "Keep the k most likely tokens (0 = off)")->capture_default_str();
    cmd->add_option("--seed", opts->seed, "Sampling seed")->capture_default_str();
    cmd->add_option("--dtype", opts->dtype, "float32, bfloat16 or float16")->capture_default_str();
    cmd->add_flag("--no-special", opts->noSpecial, "Do not add special tokens (BOS) to the prompt");
    cmd->callback([opts] { run(*opts); });
}

} // namespace lorastudio::cli

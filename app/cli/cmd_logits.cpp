// `lorastudio-cli logits MODEL_DIR --ids IDS.json [--mask MASK.json] [--adapter DIR] --out FILE`:
// one forward pass over a batch, optionally through a PEFT adapter (unmerged); writes `logits`
// [B,T,V] as F32 (and hidden states on request), so outside tools can check the engine against
// transformers and PEFT.
#include "cli_commands.h"
#include "common/error.h"
#include "common/json_file.h"
#include "io/safetensors.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"

#include <ATen/ATen.h>

#include <iostream>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string modelDir;
    std::string idsPath;
    std::string maskPath;
    std::string outPath;
    std::string adapterDir;
    std::string dtype = "float32";
    bool hiddenStates = false;
};

// A JSON list of equal-length integer lists -> [B, T] int64.
at::Tensor readMatrix(const std::string& path) {
    const nlohmann::json j = readJsonFile(path);
    if (!j.is_array() || j.empty()) throw Error(path, "expected a non-empty list of id lists", "e.g. [[1, 2, 3], [4, 5, 6]]");
    std::vector<int64_t> flat;
    std::size_t width = 0;
    for (std::size_t row = 0; row < j.size(); ++row) {
        if (!j[row].is_array() || j[row].empty())
            throw Error(path, "row " + std::to_string(row) + " is not a non-empty list of integers");
        if (row == 0) width = j[row].size();
        if (j[row].size() != width)
            throw Error(path, "row " + std::to_string(row) + " has " + std::to_string(j[row].size()) +
                                  " entries, row 0 has " + std::to_string(width), "pad rows to equal length and pass --mask");
        for (const auto& v : j[row]) {
            if (!v.is_number_integer()) throw Error(path, "row " + std::to_string(row) + " holds a non-integer value " + v.dump());
            flat.push_back(v.get<int64_t>());
        }
    }
    return at::tensor(flat, at::kLong).view({static_cast<int64_t>(j.size()), static_cast<int64_t>(width)});
}

void run(const Options& o) {
    LoadedModel lm = loadCausalLM(o.modelDir, parseComputeDtype(o.dtype));
    lm.model->eval();
    std::shared_ptr<LoraModel> lora;
    if (!o.adapterDir.empty()) {
        for (const std::string& w : readAdapterConfig(o.adapterDir, lm.spec.architecture).warnings)
            std::cerr << "warning: " << w << "\n";
        lora = loadAdapter(lm.model, o.adapterDir);
    }
    const at::Tensor ids = readMatrix(o.idsPath);
    at::Tensor mask;
    if (!o.maskPath.empty()) {
        mask = readMatrix(o.maskPath);
        if (!mask.sizes().equals(ids.sizes()))
            throw Error(o.maskPath, "mask shape differs from the ids' shape", "one 0/1 entry per id");
    }
    const int64_t vocab = lm.spec.vocabSize;
    if (ids.min().item<int64_t>() < 0 || ids.max().item<int64_t>() >= vocab)
        throw Error(o.idsPath, "ids must lie in [0, " + std::to_string(vocab) + ")", "was this tokenized for another model?");
    at::InferenceMode guard;
    const CausalLMOutput out = lm.model->forward(ids, mask, {}, nullptr, o.hiddenStates);
    std::vector<std::pair<std::string, at::Tensor>> tensors{{"logits", out.logits.to(at::kFloat)}};
    for (std::size_t i = 0; i < out.hiddenStates.size(); ++i)
        tensors.emplace_back("hidden_states." + std::to_string(i), out.hiddenStates[i].to(at::kFloat));
    writeSafetensors(o.outPath, tensors, {{"format", "pt"}});
    std::cerr << "wrote " << o.outPath << ": logits " << out.logits.sizes() << "\n";
}

} // namespace

void addLogitsCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("logits", "Run one forward pass and save the logits as safetensors");
    cmd->add_option("MODEL_DIR", opts->modelDir, "Hugging Face model folder")->required();
    cmd->add_option("--ids", opts->idsPath, "JSON list of equal-length id lists")->required();
    cmd->add_option("--mask", opts->maskPath, "JSON attention mask of the same shape (1 = token, 0 = padding)");
    cmd->add_option("--out", opts->outPath, "Output .safetensors file")->required();
    cmd->add_option("--adapter", opts->adapterDir, "PEFT adapter folder to run the model through (unmerged)");
    cmd->add_option("--dtype", opts->dtype, "float32, bfloat16 or float16")->capture_default_str();
    cmd->add_flag("--hidden-states", opts->hiddenStates, "Also save hidden_states.0..L");
    cmd->callback([opts] { run(*opts); });
}

} // namespace lorastudio::cli

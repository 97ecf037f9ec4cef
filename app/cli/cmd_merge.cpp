// `lorastudio-cli merge MODEL_DIR ADAPTER --out DIR [--dtype D] [--overwrite]`: W0 + ΔW into a
// model folder transformers loads, written atomically, with the merge check's logit difference.
#include "cli_commands.h"
#include "cli_format.h"
#include "io/folder_safety.h"
#include "lora/lora_model.h"
#include "lora/merged_export.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"

#include <iostream>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string model;
    std::string adapter;
    std::string out;
    std::string dtype;
    bool overwrite = false;
};

void run(const Options& o) {
    for (const std::string& folder : {o.model, o.adapter})
        for (const std::string& w : folderSafetyWarnings(folder)) std::cerr << "warning: " << w << "\n";
    LoadedModel lm = loadCausalLM(o.model, at::kFloat);
    lm.model->eval();
    for (const std::string& w : readAdapterConfig(o.adapter, lm.spec.architecture).warnings) std::cerr << "warning: " << w << "\n";
    auto lora = loadAdapter(lm.model, o.adapter);
    MergedExportOptions options;
    options.overwrite = o.overwrite;
    if (!o.dtype.empty()) options.dtype = parseComputeDtype(o.dtype);
    const MergedExportResult r = exportMergedModel(*lora, o.model, o.out, options);
    // A QLoRA run kept its base quantized only while training: W0 comes from the checkpoint here.
    if (r.baseQuantization.empty())
        std::cout << "base weights read from " << o.model << " at full precision (never from a quantized copy)\n";
    else
        std::cout << "base weights read from " << o.model << ", which stores them quantized by bitsandbytes ("
                  << r.baseQuantization << "): merged = dequantized W0 + ΔW; config.json written without "
                  << "quantization_config\n";
    std::cout << "merged model written to " << r.folder << "\n"
              << "  files: ";
    for (std::size_t i = 0; i < r.files.size(); ++i) std::cout << (i ? ", " : "") << r.files[i];
    std::cout << "\n  weights: " << humanBytes(r.tensorBytes) << " in " << r.shards << " shard(s), dtype "
              << (r.dtype == at::kBFloat16 ? "bfloat16" : r.dtype == at::kHalf ? "float16" : "float32") << "\n"
              << "  merge check: max |logit(adapted) - logit(merged)| = " << r.maxAbsLogitDiff << "\n";
}

} // namespace

void addMergeCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("merge", "Merge an adapter into its base model and export a Hugging Face folder");
    cmd->add_option("MODEL_DIR", opts->model, "Base model folder")->required();
    cmd->add_option("ADAPTER", opts->adapter, "PEFT adapter folder")->required();
    cmd->add_option("--out", opts->out, "Output folder (must not exist unless --overwrite)")->required();
    cmd->add_option("--dtype", opts->dtype, "float32, bfloat16 or float16 (default: the base checkpoint's)");
    cmd->add_flag("--overwrite", opts->overwrite, "Replace an existing output folder");
    cmd->callback([opts] { run(*opts); });
}

} // namespace lorastudio::cli

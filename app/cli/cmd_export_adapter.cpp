// `lorastudio-cli export-adapter SOURCE --base MODEL_DIR --out DIR`: writes a PEFT adapter folder
// (adapter_config.json + adapter_model.safetensors with PEFT's key names) from a training
// checkpoint or an adapter folder. The adapter is loaded onto its base model first, so what is
// written is known to fit it; the folder is written atomically.
#include "cli_commands.h"
#include "common/error.h"
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "project/project_config.h"
#include "train/train_checkpoint.h"

#include <filesystem>
#include <iostream>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string source;
    std::string base;
    std::string out;
};

void run(const Options& o) {
    namespace fs = std::filesystem;
    std::string base = o.base;
    if (base.empty() && fs::exists(fs::path(o.source) / "trainer_state.json"))
        base = resolvedBaseModel(readCheckpointMeta(o.source).project);  // a training checkpoint knows its base
    if (base.empty())
        throw Error(o.source, "no base model given", "pass --base MODEL_DIR (a training checkpoint names its own)");
    if (fs::exists(o.out)) throw Error(o.out, "already exists", "choose a new folder");
    LoadedModel lm = loadCausalLM(base, at::kFloat);
    if (!fs::exists(fs::path(o.source) / "trainer_state.json"))  // a checkpoint's adapter is ours
        for (const std::string& w : readAdapterConfig(o.source, lm.spec.architecture).warnings) std::cerr << "warning: " << w << "\n";
    auto lora = loadAdapter(lm.model, o.source);
    AdapterSaveOptions save;
    save.baseModelNameOrPath = base;
    saveAdapter(*lora, o.out, save);
    std::cout << "PEFT adapter written to " << o.out << " (" << lora->trainableParametersLine() << ")\n";
}

} // namespace

void addExportAdapterCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("export-adapter", "Write a PEFT adapter folder from a checkpoint or adapter");
    cmd->add_option("SOURCE", opts->source, "Checkpoint folder (output/checkpoints/step-N) or adapter folder")->required();
    cmd->add_option("--base", opts->base, "Base model folder (default: the checkpoint's project base_model)");
    cmd->add_option("--out", opts->out, "New output folder")->required();
    cmd->callback([opts] { run(*opts); });
}

} // namespace lorastudio::cli

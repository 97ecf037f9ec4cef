// PEFT adapter folders: adapter_config.json + adapter_model.safetensors exactly as PEFT 0.8.2's
// save_pretrained writes them (sorted keys, indent 2; tensor keys "base_model.model.<module>.
// lora_A.weight", no adapter name), so PEFT loads our exports and we load PEFT's.
#pragma once
#include "lora/lora_model.h"
#include "model/causal_lm.h"
#include "config/lora_settings.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace lorastudio {

struct AdapterSaveOptions {
    std::string baseModelNameOrPath;   // written as base_model_name_or_path
    bool overwrite = true;             // replace an existing folder (checkpoints are rewritten)
};

// adapter_config.json as PEFT 0.8.2 writes it: only keys that 0.8.2 and every later PEFT accept.
// target_modules: the list as given, the regex string, all-linear expanded to the sorted name
// endings (as PEFT does), or, when exclude_modules is set, the sorted full names it selected.
nlohmann::json adapterConfigJson(const LoraModel& lora, const AdapterSaveOptions& options = {});
// The file text: json.dumps(config, indent=2, sort_keys=True), no trailing newline.
std::string adapterConfigText(const nlohmann::json& config);

// Writes folder/adapter_config.json and folder/adapter_model.safetensors (metadata format: pt)
// through a staging folder renamed into place; checks free disk space first.
void saveAdapter(const LoraModel& lora, const std::string& folder, const AdapterSaveOptions& options = {});

struct AdapterConfig {
    LoraSettings settings;
    std::string baseModelNameOrPath;
    bool fanInFanOut = false;
    std::string path;                  // the adapter_config.json read
    // Keys LoRA Studio does not read, or newer PEFT options it does not apply that are set (e.g.
    // "layer_replication"), each as "FILE: unknown key 'k', ignored" / "...: 'k' is set, ...".
    std::vector<std::string> warnings;
};

// Reads adapter_config.json (folder or file). Error naming the file and key for a non-LoRA
// peft_type, unknown bias / init values, wrong types; unknown keys are warnings. use_dora: true
// selects DoRA. A null target_modules gets PEFT's
// default for `architecture` (q_proj/v_proj; GPT-2: c_attn).
AdapterConfig readAdapterConfig(const std::string& folderOrFile, Architecture architecture);

// Attaches the adapter in `folder` to `model` (LoRA params in `options.dtype` or the base dtype)
// and loads its tensors. Errors: a tensor whose module the base model lacks ("LoRA tensor 'k'
// does not exist in base model (hint: maybe wrong base model?)"), a module the config does not
// target, a misshapen tensor, a targeted module without its A or B.
std::shared_ptr<LoraModel> loadAdapter(std::shared_ptr<CausalLM> model, const std::string& folder,
                                       LoraAttachOptions options = {});
// Loads the tensors of an adapter_model.safetensors (or a folder holding one) into an attached
// LoraModel with the same targets (e.g. resuming training). Same checks as loadAdapter.
void loadAdapterWeights(LoraModel& lora, const std::string& folderOrFile);

} // namespace lorastudio

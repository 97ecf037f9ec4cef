// Reads a PEFT adapter folder into the per-module inputs of the ΔW analysis: A, B and the scaling
// of every adapted module (rank_pattern / alpha_pattern / rsLoRA applied as PEFT does), and, when
// the base model is given, ||W0||_F of each adapted weight read from its checkpoint (and, for a
// DoRA adapter, B scaled by its magnitude over ||W0 + s·B·A||, so that the analysed update is the
// direction update as DoRA applies it).
#pragma once
#include "analysis/adapter_analysis.h"

#include <string>
#include <vector>

namespace lorastudio {

// The adapter a path stands for: the folder itself when it holds adapter_config.json; for a run's
// output folder, the newest of <run>/adapter and <run>/checkpoints/step-N (by the time its
// adapter_model.safetensors was written), so a run still going gives its latest weights. Error
// naming the path when it is neither.
std::string latestAdapterFolder(const std::string& runOrAdapter);

// adapterFolder: adapter_config.json + adapter_model.safetensors. baseModelFolder may be empty.
std::vector<ModuleInput> adapterModuleInputs(const std::string& adapterFolder,
                                             const std::string& baseModelFolder = {});

} // namespace lorastudio

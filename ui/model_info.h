// ModelInfo: what the studio shows about a base model folder, read from config.json and the
// safetensors headers alone (no weights loaded): the config summary, checkpoint size and dtypes,
// and every Linear module by its Hugging Face name (built on the meta device, as the CLI does).
#pragma once
#include "lora/target_matching.h"
#include "model/model_spec.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lorastudio::ui {

struct ModelInfo {
    std::string path;                          // the model folder
    ModelSpec spec;
    int64_t parameters = 0;                    // distinct values, tied counted once
    uint64_t checkpointBytes = 0;              // sum of the tensors' bytes in all shards
    int checkpointFiles = 0;
    std::map<std::string, int64_t> dtypeCounts; // "F32" -> number of tensors
    std::vector<LinearModuleShape> linears;    // registration order, output head included
    std::vector<std::string> warnings;         // folderSafetyWarnings: auto_map, pickles, outside links

    std::vector<std::string> linearNames() const;
    // "F32" or "BF16 x290, F32 x1": the checkpoint's dtypes.
    std::string dtypeSummary() const;
};

// Reads `dir` (config.json + model.safetensors or shards). Throws lorastudio::Error naming the
// file (missing config, unknown architecture, truncated safetensors, ...).
ModelInfo inspectModel(const std::string& dir);

} // namespace lorastudio::ui

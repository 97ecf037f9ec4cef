// Training checkpoints: outputDir/checkpoints/step-N/, written into a temporary sibling folder and
// renamed into place, so a crash never leaves half a checkpoint. A checkpoint holds everything a
// resumed run needs to continue exactly where the original would have:
//   adapter_model.safetensors + adapter_config.json   the LoRA weights (a loadable PEFT adapter)
//   optimizer.safetensors   "<param>.exp_avg", "<param>.exp_avg_sq", "<param>.step" per parameter
//   rng.safetensors         "cpu" (and "cuda:N") generator states, uint8
//   trainer_state.json      step, scheduler step, data position, counters, loss scale
//   project.yaml            the project as trained, paths made absolute
#pragma once
#include "data/data_order.h"
#include "project/project_config.h"
#include "train/adamw.h"
#include "train/trainable_set.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

struct TrainerState {
    int64_t step = 0;            // optimizer steps done
    int64_t totalSteps = 0;
    int64_t schedulerStep = 0;   // LambdaLR's step (== step unless fp16 loss scaling skipped updates)
    DataPosition data;           // where the training DataLoader continues
    double elapsedSeconds = 0;   // training time so far
    int64_t tokensSeen = 0;      // non-padding input tokens trained on
    double lastLoss = 0;
    int64_t seed = 0;
    double lossScale = 0;        // fp16 dynamic loss scale (0 when unused)
    int64_t scaleGoodSteps = 0;  // steps since the scale last changed
};

nlohmann::json trainerStateToJson(const TrainerState& s);
TrainerState trainerStateFromJson(const nlohmann::json& j, const std::string& where);

// "<checkpointsDir>/step-<step>".
std::string checkpointDirFor(const std::string& checkpointsDir, int64_t step);

// Writes a checkpoint for state.step into checkpointsDir (created if needed); replaces an existing
// folder of the same step. Returns the folder. `project` is snapshotted with absolute paths.
std::string writeTrainCheckpoint(const std::string& checkpointsDir, const TrainerState& state,
                                 const TrainableSet& trainable, const AdamW& optimizer,
                                 const std::vector<std::pair<std::string, at::Tensor>>& rng,
                                 const ProjectConfig& project);

// The small parts of a checkpoint folder: state, project snapshot, RNG states. Throws Error naming
// the folder and file for anything missing or malformed.
struct CheckpointMeta {
    std::string dir;
    TrainerState state;
    ProjectConfig project;
    std::vector<std::pair<std::string, at::Tensor>> rng;
};
CheckpointMeta readCheckpointMeta(const std::string& dir);
// Copies the adapter weights and the optimizer state of `dir` into trainable and optimizer.
void restoreCheckpointTensors(const std::string& dir, const TrainableSet& trainable, AdamW& optimizer);

// The step-N folders of checkpointsDir, by ascending step (a missing folder: none).
std::vector<std::pair<int64_t, std::string>> listCheckpoints(const std::string& checkpointsDir);
// Deletes all but the newest `keep` checkpoints (keep <= 0: none), and leftover temporary folders.
// Returns the deleted folders.
std::vector<std::string> pruneCheckpoints(const std::string& checkpointsDir, int keep);
// Deletes the checkpoints after `step` (an abandoned future when resuming from an older one).
std::vector<std::string> removeCheckpointsAfter(const std::string& checkpointsDir, int64_t step);

// A project with baseModel, data paths and outputDir made absolute (for the snapshot).
ProjectConfig withAbsolutePaths(const ProjectConfig& config);

} // namespace lorastudio

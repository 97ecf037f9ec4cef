// The trainer's front door: runTraining(project) loads the base model, tokenizer and data, attaches
// LoRA, trains and exports the adapter to outputDir/adapter; resumeTraining continues from a
// checkpoint folder. The CLI's `train` / `resume` and the GUI's worker thread call these.
#pragma once
#include "project/project_config.h"
#include "train/train_types.h"

#include <string>

namespace lorastudio {

// Throws lorastudio::Error for anything that prevents training from starting (bad paths, data,
// device, out of memory, ...). Divergence (NaN/inf) is not an exception: outcome Diverged.
// Seeding: the CPU (and CUDA) generators are seeded with training.seed before LoRA is initialised,
// so the same project and seed give the same loss curve bit for bit on one machine (CPU).
TrainResult runTraining(const ProjectConfig& config, TrainControl& control, TrainObserver& observer,
                        const TrainerOptions& options = {});

// Continues the run saved in checkpointDir (outputDir/checkpoints/step-N) with the project snapshot
// stored there. The output folder is the checkpoint's grandparent when it sits in a "checkpoints"
// folder, else the snapshot's outputDir. On the CPU the continued loss curve is identical to an
// uninterrupted run's. metrics.jsonl keeps its lines up to step N; later checkpoints are removed.
TrainResult resumeTraining(const std::string& checkpointDir, TrainControl& control, TrainObserver& observer,
                           const TrainerOptions& options = {});
// Same with another project (e.g. more max_steps); it must describe the same model, LoRA shapes and
// training data, else Error. The output folder is still the checkpoint's own run folder (as above),
// so resuming an earlier run kept in runs/<name> never writes into the newest run.
TrainResult resumeTraining(const std::string& checkpointDir, const ProjectConfig& config, TrainControl& control,
                           TrainObserver& observer, const TrainerOptions& options = {});

} // namespace lorastudio

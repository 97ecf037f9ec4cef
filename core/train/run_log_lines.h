// The sentences of a training run's log, one function each: the trainer and the session write
// them, the CLI prints them, a background run's log file keeps them, and the studio says each again
// in its own language (ui/run_log_text.h), so they are built in this one place, where a test can
// make every form. The memory lines are in run_memory.h, the rank warning in lora/target_matching.h.
#pragma once
#include "train/train_types.h"

#include <cstdint>
#include <string>

namespace lorastudio {

// What a run is about to do, as its first line after loading says it.
struct TrainingPlan {
    int64_t totalSteps = 0;
    int64_t stepsPerEpoch = 0;
    int batchSize = 0;
    int accumulation = 1;
    int64_t warmupSteps = 0;
    int64_t trainableParameters = 0;
    std::string device;        // "cpu", "cuda:0"
    int cpuThreads = 0;        // compute threads on a CPU; 0 on a GPU
    std::string precision;     // fp32, bf16, fp16
    int64_t packedRowTokens = 0; // data.packing: the rows' length; 0 = not packed
    int worldSize = 1;         // data-parallel ranks
    int64_t globalBatch = 0;   // examples per optimizer step over all ranks
};

// "Training 12 steps (29 per epoch, batch 8 x accumulation 1, warmup 5), 45056 trainable parameters
// on cpu (2 threads), precision fp32[, packed rows of 512 tokens][, 2 data-parallel ranks (global batch 16)]"
std::string trainingPlanLine(const TrainingPlan& plan);

std::string loadingDataLine();                                      // "Loading tokenizer and data"
std::string loadingModelLine(const std::string& folder);            // "Loading base model <folder>"
std::string malformedLinesLine(int64_t count);                      // "N malformed line(s) skipped"
std::string noteLine(const std::string& note);                      // "Note: <note>"
// "QLoRA: N frozen linear weights kept quantized (nf4; merge and export read the original checkpoint)";
// storedAs non-empty (a bitsandbytes folder, StoredQuantization::describe()): "(bitsandbytes <storedAs> as
// the base folder stores them; merge and export use their dequantized values)".
std::string qloraLine(int kept, const std::string& quantization, const std::string& storedAs);
std::string gradientCheckpointingLine();
std::string totalStepsChangedLine(int64_t from, int64_t to);
std::string rngNotRestoredLine(const std::string& what);            // a warning
std::string removedCheckpointLine(const std::string& dir, int64_t step); // a warning
std::string resumingLine(int64_t step, int64_t totalSteps);
std::string earlierRunKeptLine(const std::string& outputDir, const std::string& keptIn);
std::string noEstimateLine(const std::string& error);               // a warning
std::string pausedLine(int64_t step);
std::string resumedLine(int64_t step);
std::string stoppedLine(int64_t step, int64_t totalSteps);
std::string finishedLine(int64_t step, double lastLoss);
std::string stepLine(const StepMetrics& m);
std::string evalLine(const EvalMetrics& e);
std::string checkpointLine(const std::string& dir);
std::string emptyBatchLine(int64_t step);                           // a warning
std::string gradientSyncLine(int buckets, int64_t bytes, int startedDuringBackward, bool nccl);
std::string lossScaleLine(int64_t step, double before, double after); // a warning
std::string analysisSkippedLine(int64_t step, const std::string& error); // a warning

// What the CLI prints when a run ends: "completed after 12/12 steps: Training finished: ...", then
// "last checkpoint: <dir>" and "adapter (PEFT): <dir>" where there are ones.
std::string outcomeLine(const TrainResult& result);
std::string lastCheckpointLine(const std::string& dir);
std::string adapterLine(const std::string& dir);

} // namespace lorastudio

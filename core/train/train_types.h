// The trainer's value types: what it reports (StepMetrics, EvalMetrics, LogLine, checkpoints,
// analysis snapshots), how the caller steers it (TrainControl's atomic flags) and what it returns.
// No torch and no Qt here, so the GUI and the CLI can include it freely.
#pragma once
#include "analysis/analysis_report.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace lorastudio {

class Collective;

// DPO (training.objective dpo): means over the preference pairs of a step or of the validation
// split. pairs 0: not a DPO run.
struct PreferenceMetrics {
    int64_t pairs = 0;
    double loss = 0;             // mean DPO loss over the pairs
    double rewardChosen = 0;     // beta (log pi - log ref) of the chosen answers
    double rewardRejected = 0;   // the same for the rejected answers
    double accuracy = 0;         // share of pairs whose chosen reward is above the rejected one
    double margin() const { return rewardChosen - rewardRejected; }
};

// One optimizer step (all of its accumulated micro-batches).
struct StepMetrics {
    int64_t step = 0;            // optimizer steps done, 1-based for the step just taken
    int64_t totalSteps = 0;
    double epoch = 0;            // fractional: step / stepsPerEpoch
    double loss = 0;             // mean over the step's micro-batches of each micro-batch's mean token loss
    double lr = 0;               // the learning rate this step used
    double gradNorm = 0;         // global L2 norm of the gradients before clipping
    int64_t tokens = 0;          // non-padding input tokens of the step
    int64_t trainedTokens = 0;   // tokens whose label counts in the loss
    int64_t paddedTokens = 0;    // batch rows x row length: what the model computed over
    double tokensPerSecond = 0;  // tokens / wall time of the step
    double elapsedSeconds = 0;   // training time so far (paused time excluded; continues across resume)
    double etaSeconds = 0;       // remaining steps x mean step time of this session
    int64_t peakRssBytes = 0;    // process peak resident set (getrusage)
    int64_t devicePeakBytes = 0; // CUDA caching allocator: peak bytes in tensors; 0 on CPU
    int64_t deviceReservedPeakBytes = 0; // CUDA caching allocator: peak bytes held from the driver; 0 on CPU
    PreferenceMetrics preference;        // DPO runs: loss is then the DPO loss
};

// Mean next-token loss over all counted validation tokens (token-weighted, not a mean of batches);
// for DPO the mean DPO loss over the validation pairs.
struct EvalMetrics {
    int64_t step = 0;
    double loss = 0;
    double perplexity = 0;       // exp(loss)
    int64_t tokens = 0;          // validation tokens that counted
    // DPO runs: loss is the mean DPO loss over the validation pairs (perplexity then NaN).
    PreferenceMetrics preference;
};

enum class LogLevel { Info, Warning, Error };
// What a line is about. A line that repeats a structured event (an EvalMetrics, a CheckpointInfo,
// the TrainResult) says so, so that a front end showing that event its own way can skip the line.
// Pause: the trainer is held at a step boundary ("Paused at step N") or goes on ("Resumed ...").
enum class LogTopic { General, Evaluation, Checkpoint, Outcome, Pause, Resume };
struct LogLine {
    LogLevel level = LogLevel::Info;
    std::string text;
    LogTopic topic = LogTopic::General;
};

struct CheckpointInfo {
    int64_t step = 0;
    std::string path;            // outputDir/checkpoints/step-N
};

// Spectra of every LoRA update s*B*A at one step (core/analysis).
struct AnalysisSnapshot {
    int64_t step = 0;
    AdapterReport report;
};

// Owned by the caller (e.g. the GUI thread); read by the trainer at step boundaries only.
// stop: write a checkpoint, export the adapter and return. pause: wait until cleared (or stop).
struct TrainControl {
    std::atomic<bool> stop{false};
    std::atomic<bool> pause{false};
};

// Callbacks, called on the training thread. Default: ignore.
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void onStep(const StepMetrics&) {}
    virtual void onEval(const EvalMetrics&) {}
    virtual void onLog(const LogLine&) {}
    virtual void onCheckpoint(const CheckpointInfo&) {}
    virtual void onAnalysis(const AnalysisSnapshot&) {}
};

// How a front end steers a run beyond project.yaml. The optional ones override a project key
// (the CLI's --keep-checkpoints / --analysis-every); unset, the project's value applies.
struct TrainerOptions {
    std::optional<int> keepCheckpoints; // newest K step-N folders kept, 0 = all; training.save_total_limit
    std::optional<int> analysisEvery;   // steps between analysis snapshots, 0 = never; training.analysis_every
    std::optional<int> threads;         // CPU compute threads, 0 = auto; training.threads
    // This process's place in a data-parallel job (null: alone). See Trainer and core/dist.
    std::shared_ptr<Collective> collective;
    int localWorldSize = 1;             // ranks of the job on this machine (they share its cores)
    int localRank = 0;                  // this rank's place on its machine: GPU cuda:localRank
    bool exportAdapter = true;          // write outputDir/adapter when training completes or is stopped
    // A front end that trains inside its own process (the studio): its resident size before its
    // first run, which the memory estimate counts instead of a bare process's.
    std::optional<int64_t> processBaselineBytes;
};

enum class TrainOutcome {
    Completed,   // reached the total number of steps
    Stopped,     // TrainControl::stop: checkpoint written, adapter exported
    Diverged,    // NaN/inf loss or gradient norm: nothing saved for the poisoned step
};

struct TrainResult {
    TrainOutcome outcome = TrainOutcome::Completed;
    int64_t step = 0;            // optimizer steps done when training ended
    int64_t totalSteps = 0;
    std::string message;         // one line for the user
    std::string lastCheckpoint;  // newest good checkpoint folder ("" if none)
    std::string adapterDir;      // exported adapter folder ("" if not exported)
    double lastLoss = 0;         // loss of the last good step (0 if none)
};

const char* outcomeName(TrainOutcome outcome); // "completed", "stopped", "diverged"

} // namespace lorastudio

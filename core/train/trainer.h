// Trainer: the LoRA training loop over a prepared model and dataset. AdamW on the trainable
// parameters only, lr schedule with warmup, gradient accumulation, clipping, periodic eval,
// checkpoints and analysis, metrics to callbacks and metrics.jsonl, stop/pause at step boundaries,
// and a hard stop on NaN/inf. train_session.h builds one from a project and runs it.
//
// Gradient accumulation follows transformers' Trainer: each micro-batch's loss is the mean over its
// own counted tokens, divided by gradient_accumulation before backward (also on an epoch's short
// last step), so gradients are the mean of micro-batch means, not a token-weighted mean over the
// whole step. The reported step loss is the mean of the micro-batch losses.
#pragma once
#include "common/error.h"
#include "data/batcher.h"
#include "data/example_set.h"
#include "dist/collective.h"
#include "dist/gradient_sync.h"
#include "model/causal_lm.h"
#include "project/project_config.h"
#include "train/adamw.h"
#include "train/metrics_log.h"
#include "train/run_memory.h"
#include "train/train_checkpoint.h"
#include "train/train_device.h"
#include "train/train_types.h"
#include "train/trainable_set.h"

#include <c10/core/Device.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace lorastudio {

struct TrainingSetup {
    ProjectConfig config;                     // validated; relative paths resolve against projectDir
    std::shared_ptr<CausalLM> model;          // on `device`, base frozen, LoRA attached
    std::shared_ptr<TrainableSet> trainable;  // the parameters AdamW updates
    ExampleSet train;
    ExampleSet validation;                    // may be empty: no eval
    int32_t padId = 0;
    c10::Device device = c10::Device(c10::kCPU);
    PrecisionPlan precision;
    // Data parallel (null: this process is the whole job). Each rank runs a Trainer over its share
    // of every global batch; gradients, token counts, losses, evaluation sums and stop/pause are
    // reduced over the job; only rank 0 writes checkpoints, metrics.jsonl and the adapter.
    std::shared_ptr<Collective> collective;
};

class Trainer {
public:
    explicit Trainer(TrainingSetup setup, TrainerOptions options = {});

    int64_t totalSteps() const { return m_state.totalSteps; }
    int64_t stepsPerEpoch() const { return m_stepsPerEpoch; }
    int64_t warmupSteps() const { return m_warmupSteps; }
    const TrainerState& state() const { return m_state; }
    AdamW& optimizer() { return m_optimizer; }

    // Continue from a checkpoint of the same setup: weights, optimizer, RNG, data position,
    // counters. Throws Error when it does not fit (other LoRA shapes, other data size).
    void restore(const CheckpointMeta& meta);

    // Trains until totalSteps, TrainControl::stop or a NaN/inf. Evaluates every evalEvery steps and
    // after the last one; checkpoints every saveEvery steps, after the last one and on stop. A fresh run clears
    // outputDir/checkpoints and metrics.jsonl; a restored one drops what came after its step.
    // LibTorch errors come out as lorastudio::Error (out of memory with a hint).
    TrainResult run(TrainControl& control, TrainObserver& observer);

    // Mean next-token loss over every counted validation token, dropout off, no grad; for DPO the
    // mean DPO loss and rewards over the validation pairs (trainer_eval.cpp).
    EvalMetrics evaluate();

private:
    struct StepResult {
        bool diverged = false;
        std::string message;
        double loss = 0, gradNorm = 0, lr = 0;
        int64_t tokens = 0, trainedTokens = 0, paddedTokens = 0;
        PreferenceMetrics preference;
    };
    // stop / pause as the whole job sees them: any rank's request counts for every rank.
    struct ControlFlags {
        bool stop = false, pause = false;
    };
    void sizeMemory(TrainObserver& observer);
    TrainResult runLoop(TrainControl& control, TrainObserver& observer);
    void startOutput(TrainObserver& observer, const std::string& metricsPath);
    ControlFlags controlFlags(const TrainControl& control);
    StepResult trainStep(TrainObserver& observer);
    void joinJob();
    bool leader() const { return !m_setup.collective || m_setup.collective->rank() == 0; }
    Collective* distributed() const {
        return m_setup.collective && m_setup.collective->worldSize() > 1 ? m_setup.collective.get() : nullptr;
    }
    std::string saveCheckpoint(TrainObserver& observer);
    std::string exportAdapter();
    void runAnalysis(TrainObserver& observer);
    void log(TrainObserver& observer, LogLevel level, const std::string& text, LogTopic topic = LogTopic::General);

    TrainingSetup m_setup;
    TrainerOptions m_options;
    std::optional<RunMemory> m_memory;  // this run's estimate, when it could be made
    AdamW m_optimizer;
    DataLoader m_loader;
    TrainerState m_state;
    int64_t m_stepsPerEpoch = 1;
    int64_t m_warmupSteps = 0;
    bool m_restored = false;
    std::vector<std::pair<std::string, at::Tensor>> m_restoredRng;
    MetricsLog m_metrics;
    std::string m_outputDir;
    std::string m_checkpointsDir;
    int64_t m_lastSavedStep = -1;
    bool m_warnedEmptyBatch = false;
    std::map<std::string, double> m_baseNorms;  // ||W0||_F per LoRA module, for the analysis
    // Data parallel: the bucketed all-reduce of the LoRA gradients, overlapped with backward.
    std::unique_ptr<GradientSync> m_gradSync;
    bool m_loggedGradSync = false;
};

// The loader's batching from the project's data settings (packing, group_by_length, max_length).
BatchingOptions batchingOptions(const DataSettings& data);
// A rank's share of the data in a data-parallel job (the whole data without a collective).
DataShard shardOf(const std::shared_ptr<Collective>& collective);

// A LibTorch error as lorastudio::Error: the message without the C++ backtrace, and for out of
// memory a hint (smaller batch_size / max_length, gradient checkpointing, bf16).
Error torchErrorToError(const std::string& where, const std::exception& e);
// Whether e is LibTorch's (CPU or CUDA) or the C++ runtime's out-of-memory error.
bool isOutOfMemory(const std::exception& e);

} // namespace lorastudio

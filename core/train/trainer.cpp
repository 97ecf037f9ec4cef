// The LoRA training loop. See trainer.h.
#include "train/trainer.h"

#include "analysis/adapter_analysis.h"
#include "analysis/lora_spectrum.h"
#include "common/error.h"
#include "common/os_process.h"
#include "dist/gradient_sync.h"
#include "runtime/compute_threads.h"
#include "train/chunked_loss.h"
#include "train/preference_loss.h"
#include "train/loss_scaler.h"
#include "train/run_archive.h"
#include "train/run_log_lines.h"
#include "train/run_memory.h"
#include "train/lr_schedule.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <c10/util/Exception.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

AdamWOptions adamOptions(const TrainingSettings& t) {
    AdamWOptions o;
    o.beta1 = t.adamBetas[0];
    o.beta2 = t.adamBetas[1];
    o.eps = t.adamEps;
    o.weightDecay = t.weightDecay;
    return o;
}

} // namespace

BatchingOptions batchingOptions(const DataSettings& d) {
    BatchingOptions b;
    b.packing = d.packing;
    b.groupByLength = d.groupByLength;
    b.rowLength = d.maxLength;
    return b;
}

DataShard shardOf(const std::shared_ptr<Collective>& c) {
    return c ? DataShard{c->rank(), c->worldSize()} : DataShard{};
}

namespace {

// LibTorch's message without its C++ backtrace.
std::string messageOf(const std::exception& e) {
    if (auto* c10e = dynamic_cast<const c10::Error*>(&e)) return c10e->what_without_backtrace();
    return e.what();
}
} // namespace

bool isOutOfMemory(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return true;
    const std::string what = messageOf(e);
    // CUDA: c10::OutOfMemoryError (2.x) / c10::CUDAOutOfMemoryError (1.13), "CUDA out of memory.
    // Tried to allocate ..."; CPU: "DefaultCPUAllocator: can't allocate memory: you tried to ...".
    return what.find("out of memory") != std::string::npos || what.find("can't allocate memory") != std::string::npos;
}

Error torchErrorToError(const std::string& where, const std::exception& e) {
    const std::string what = messageOf(e);
    const auto nl = what.find('\n');
    const std::string first = nl == std::string::npos ? what : what.substr(0, nl);
    if (isOutOfMemory(e))
        return Error(where, "out of memory: " + first,
                     "reduce training.batch_size or data.max_length (raise gradient_accumulation to keep the "
                     "effective batch), enable training.gradient_checkpointing, or use precision bf16");
    return Error(where, first);
}

Trainer::Trainer(TrainingSetup setup, TrainerOptions options)
    : m_setup(std::move(setup)), m_options(options),
      m_optimizer(m_setup.trainable->parameters(), adamOptions(m_setup.config.training)),
      m_loader(m_setup.train, m_setup.config.training.batchSize, m_setup.config.data.shuffle,
               m_setup.config.data.shuffleSeed, m_setup.padId, batchingOptions(m_setup.config.data),
               shardOf(m_setup.collective)) {
    if (m_setup.train.empty()) throw Error("data", "the training split holds no example");
    const auto& t = m_setup.config.training;
    if (t.loraplusLrRatio > 0) m_optimizer.setLearningRateScales(loraPlusScales(m_optimizer.parameters(), t.loraplusLrRatio));
    m_stepsPerEpoch = lorastudio::stepsPerEpoch(m_loader.batchesPerEpoch(), t.gradientAccumulation);
    m_state.totalSteps = totalTrainingSteps(t, m_loader.batchesPerEpoch());
    m_warmupSteps = warmupStepsFor(t, m_state.totalSteps);
    m_state.seed = t.seed;
    m_state.data = m_loader.position();
    if (m_setup.precision.lossScaling) m_state.lossScale = LossScaleRule::kInitialScale;
    m_outputDir = resolvedOutputDir(m_setup.config);
    m_checkpointsDir = (fs::path(m_outputDir) / "checkpoints").string();
    // The front end's overrides, else the project's training.save_total_limit / analysis_every.
    if (!m_options.keepCheckpoints) m_options.keepCheckpoints = t.saveTotalLimit;
    if (!m_options.analysisEvery) m_options.analysisEvery = t.analysisEvery;
}

void Trainer::restore(const CheckpointMeta& meta) {
    restoreCheckpointTensors(meta.dir, *m_setup.trainable, m_optimizer);
    m_loader.seek(meta.state.data);
    const int64_t total = m_state.totalSteps;
    m_state = meta.state;
    m_state.totalSteps = total;  // recomputed from the (possibly changed) project
    if (!m_setup.precision.lossScaling) m_state.lossScale = 0;
    else if (m_state.lossScale <= 0) m_state.lossScale = LossScaleRule::kInitialScale;
    m_restoredRng = meta.rng;
    m_restored = true;
    m_lastSavedStep = m_state.step;
}

void Trainer::log(TrainObserver& observer, LogLevel level, const std::string& text, LogTopic topic) {
    observer.onLog({level, text, topic});
}

TrainResult Trainer::run(TrainControl& control, TrainObserver& observer) {
    try {
        return runLoop(control, observer);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {  // c10::Error, std::bad_alloc, LibTorch's std::runtime_errors
        if (!isOutOfMemory(e)) throw torchErrorToError("training", e);
        // The step's tensors are gone with the stack; give the cached blocks back to the driver so
        // the studio (and anything else on the GPU) can use them, and say what is kept.
        releaseCachedDeviceMemory(m_setup.device);
        const auto all = listCheckpoints(m_checkpointsDir);
        const std::string kept = all.empty() ? "No checkpoint was written yet."
                                             : "The last checkpoint, " + all.back().second + ", is kept: resume from it.";
        const Error oom = torchErrorToError("training at step " + std::to_string(m_state.step + 1), e);
        throw Error(std::string(oom.what()) + " " + kept);
    }
}

void Trainer::startOutput(TrainObserver& observer, const std::string& metricsPath) {
    if (m_restored) {
        for (const auto& skipped : setRngStates(m_restoredRng, "checkpoint rng.safetensors"))
            log(observer, LogLevel::Warning, rngNotRestoredLine(skipped));
        if (leader()) {
            m_metrics.continueAfter(metricsPath, m_state.step);
            for (const auto& dir : removeCheckpointsAfter(m_checkpointsDir, m_state.step))
                log(observer, LogLevel::Warning, removedCheckpointLine(dir, m_state.step));
        }
        log(observer, LogLevel::Info, resumingLine(m_state.step, m_state.totalSteps));
    } else if (leader()) {
        // An earlier run in this folder is kept, never overwritten: it moves to runs/<name>.
        const std::string kept = archiveRun(m_outputDir);
        if (!kept.empty())
            log(observer, LogLevel::Info, earlierRunKeptLine(m_outputDir, kept));
        m_metrics.startFresh(metricsPath);
    }
}

void Trainer::joinJob() {
    Collective* dist = distributed();
    if (!dist) return;
    // Every rank starts from rank 0's LoRA weights (the same seed gives the same init anyway; this
    // makes it so whatever the platform's generators do).
    std::vector<at::Tensor> weights;
    for (const auto& p : m_optimizer.parameters()) weights.push_back(p.tensor.detach());
    {
        at::NoGradGuard noGrad;
        dist->broadcast(weights, 0);
    }
    // Dropout: rank 0 keeps the run's own generator (and saves it in checkpoints); the other ranks
    // draw from their own streams, so their masks differ from rank 0's.
    if (dist->rank() > 0)
        at::manual_seed(mixSeed(mixSeed(static_cast<uint64_t>(m_state.seed), static_cast<uint64_t>(dist->rank())),
                                static_cast<uint64_t>(m_state.step)));
    const double mib = m_setup.config.training.distributedBucketMb;
    std::vector<at::Tensor> params;
    for (const auto& p : m_optimizer.parameters()) params.push_back(p.tensor);
    m_gradSync = std::make_unique<GradientSync>(*dist, std::move(params), static_cast<int64_t>(mib * 1024.0 * 1024.0));
}

Trainer::ControlFlags Trainer::controlFlags(const TrainControl& control) {
    ControlFlags f{control.stop.load(), control.pause.load()};
    if (Collective* dist = distributed()) {
        const auto any = dist->sum({f.stop ? 1.0 : 0.0, f.pause ? 1.0 : 0.0}, "step-boundary sync");
        f.stop = any[0] > 0;
        f.pause = any[1] > 0;
    }
    return f;
}

// The estimate for this run, logged before its first step (and the run refused when a limit
// cannot hold it); its measured peak is logged beside it at the end.
void Trainer::sizeMemory(TrainObserver& observer) {
    const int64_t longest = std::max(m_setup.train.stats().longestTruncated(), m_setup.validation.stats().longestTruncated());
    try {
        m_memory = estimateRunMemory(m_setup.model->spec(), m_setup.config, m_setup.device.is_cuda(),
                                     distributed() ? distributed()->worldSize() : 1, longest, m_options.processBaselineBytes);
    } catch (const Error& e) {
        log(observer, LogLevel::Warning, noEstimateLine(e.what()));
        return;
    }
    log(observer, LogLevel::Info, estimateLine(m_memory->estimate));
    const std::string warning = checkMemoryLimit(m_setup.model->spec(), m_setup.config, *m_memory);
    if (!warning.empty()) log(observer, LogLevel::Warning, warning);
}

TrainResult Trainer::runLoop(TrainControl& control, TrainObserver& observer) {
    const auto& t = m_setup.config.training;
    sizeMemory(observer);
    std::error_code ec;
    fs::create_directories(m_outputDir, ec);
    if (ec)
        throw Error(m_outputDir, "cannot create the output folder: " + ec.message(),
                    "set output_dir to a writable folder (the CLI: --output DIR)");
    const std::string metricsPath = (fs::path(m_outputDir) / "metrics.jsonl").string();
    startOutput(observer, metricsPath);
    joinJob();
    TrainingPlan plan;
    plan.totalSteps = m_state.totalSteps;
    plan.stepsPerEpoch = m_stepsPerEpoch;
    plan.batchSize = t.batchSize;
    plan.accumulation = t.gradientAccumulation;
    plan.warmupSteps = m_warmupSteps;
    plan.trainableParameters = trainableParameterCount(*m_setup.trainable);
    plan.device = m_setup.device.str();
    plan.cpuThreads = m_setup.device.is_cpu() ? computeThreadsInUse() : 0;
    plan.precision = enumName(t.precision);
    plan.packedRowTokens = m_setup.config.data.packing ? m_setup.config.data.maxLength : 0;
    if (distributed()) {
        plan.worldSize = distributed()->worldSize();
        plan.globalBatch = m_loader.globalBatchSize() * std::max(1, t.gradientAccumulation);
    }
    log(observer, LogLevel::Info, trainingPlanLine(plan));

    m_setup.model->train();
    TrainResult result;
    result.totalSteps = m_state.totalSteps;
    const auto sessionStart = Clock::now();
    double pausedSeconds = 0;
    int64_t sessionSteps = 0;

    auto finish = [&](TrainOutcome outcome, const std::string& message) {
        result.outcome = outcome;
        result.step = m_state.step;
        result.message = message;
        result.lastLoss = m_state.lastLoss;
        auto all = listCheckpoints(m_checkpointsDir);
        result.lastCheckpoint = all.empty() ? std::string() : all.back().second;
        if (m_memory) {
            const int64_t measured = m_setup.device.is_cuda() ? deviceMemoryPeaks(m_setup.device).reserved : peakRssBytes();
            const std::string line = peakLine(m_memory->estimate, measured);
            if (!line.empty()) log(observer, LogLevel::Info, line);
        }
        log(observer, outcome == TrainOutcome::Diverged ? LogLevel::Error : LogLevel::Info, message, LogTopic::Outcome);
        return result;
    };

    while (m_state.step < m_state.totalSteps) {
        // Step boundary: pause and stop take effect here (in a data-parallel job on every rank at
        // the same step: the flags are reduced, and a paused job keeps asking 5 times a second).
        ControlFlags flags = controlFlags(control);
        if (flags.pause && !flags.stop) {
            log(observer, LogLevel::Info, pausedLine(m_state.step), LogTopic::Pause);
            const auto p0 = Clock::now();
            const auto poll = std::chrono::milliseconds(distributed() ? 200 : 20);
            while (flags.pause && !flags.stop) {
                std::this_thread::sleep_for(poll);
                flags = controlFlags(control);
            }
            pausedSeconds += secondsSince(p0);
            if (!flags.stop) log(observer, LogLevel::Info, resumedLine(m_state.step), LogTopic::Resume);
        }
        if (flags.stop) {
            // Nothing trained yet (stopped before the first step): nothing worth saving.
            if (m_lastSavedStep != m_state.step && m_state.step > 0) saveCheckpoint(observer);
            if (m_options.exportAdapter && m_state.step > 0 && leader()) result.adapterDir = exportAdapter();
            return finish(TrainOutcome::Stopped, stoppedLine(m_state.step, m_state.totalSteps));
        }

        const auto s0 = Clock::now();
        StepResult sr = trainStep(observer);
        synchronizeDevice(m_setup.device);  // CUDA runs asynchronously: time the work, not its queueing
        const double stepSeconds = secondsSince(s0);
        // Nothing to undo: the poisoned update was never applied, and no checkpoint is written.
        if (sr.diverged) return finish(TrainOutcome::Diverged, sr.message);
        ++sessionSteps;
        m_state.elapsedSeconds += stepSeconds;

        StepMetrics m;
        m.step = m_state.step;
        m.totalSteps = m_state.totalSteps;
        m.epoch = static_cast<double>(m_state.step) / static_cast<double>(m_stepsPerEpoch);
        m.loss = sr.loss;
        m.lr = sr.lr;
        m.gradNorm = sr.gradNorm;
        m.tokens = sr.tokens;
        m.trainedTokens = sr.trainedTokens;
        m.paddedTokens = sr.paddedTokens;
        m.tokensPerSecond = stepSeconds > 0 ? static_cast<double>(sr.tokens) / stepSeconds : 0;
        m.elapsedSeconds = m_state.elapsedSeconds;
        const double perStep = (secondsSince(sessionStart) - pausedSeconds) / static_cast<double>(sessionSteps);
        m.etaSeconds = perStep * static_cast<double>(m_state.totalSteps - m_state.step);
        m.peakRssBytes = peakRssBytes();
        const DeviceMemoryPeaks device = deviceMemoryPeaks(m_setup.device);
        m.devicePeakBytes = device.allocated;
        m.deviceReservedPeakBytes = device.reserved;
        m.preference = sr.preference;
        observer.onStep(m);
        if (leader()) m_metrics.append(toJson(m));
        if (t.loggingEvery > 0 && (m_state.step % t.loggingEvery == 0 || m_state.step == 1))
            log(observer, LogLevel::Info, stepLine(m));

        const auto b0 = Clock::now();
        const bool last = m_state.step == m_state.totalSteps;
        if (!m_setup.validation.empty() && t.evalEvery > 0 && (m_state.step % t.evalEvery == 0 || last)) {
            EvalMetrics e = evaluate();
            observer.onEval(e);
            if (leader()) m_metrics.append(toJson(e));
            log(observer, LogLevel::Info, evalLine(e), LogTopic::Evaluation);
        }
        if (*m_options.analysisEvery > 0 && (m_state.step % *m_options.analysisEvery == 0) && leader()) runAnalysis(observer);
        if ((t.saveEvery > 0 && m_state.step % t.saveEvery == 0) || last) saveCheckpoint(observer);
        m_state.elapsedSeconds += secondsSince(b0);
    }
    if (m_lastSavedStep != m_state.step) saveCheckpoint(observer);
    if (m_options.exportAdapter && leader()) result.adapterDir = exportAdapter();
    return finish(TrainOutcome::Completed, finishedLine(m_state.step, m_state.lastLoss));
}

Trainer::StepResult Trainer::trainStep(TrainObserver& observer) {
    const auto& t = m_setup.config.training;
    const int accum = std::max(1, t.gradientAccumulation);
    const int64_t step = m_state.step + 1;  // the step being taken, 1-based
    // Batches never span epochs: the last step of an epoch takes what is left (transformers does the same).
    const DataPosition pos = m_loader.position();
    const int64_t size = m_loader.unitsPerEpoch();
    const int64_t global = m_loader.globalBatchSize();
    const int64_t leftInEpoch = (size - pos.index + global - 1) / global;
    const int64_t micro = std::min<int64_t>(accum, std::max<int64_t>(1, leftInEpoch));
    Collective* dist = distributed();

    StepResult r;
    m_optimizer.zeroGrad();
    const bool scaling = m_setup.precision.lossScaling;
    auto diverged = [&](const std::string& what) {
        r.diverged = true;
        r.message = "Training stopped at step " + std::to_string(step) + ": " + what +
                    ". Nothing was saved for this step; the last good checkpoint is kept "
                    "(hint: lower training.lr, keep max_grad_norm > 0, or use fp32)";
        m_optimizer.zeroGrad();
        return r;
    };
    double lossSum = 0;
    int counted = 0;
    PreferenceSums preference;  // DPO: over the step's pairs
    for (int64_t i = 0; i < micro; ++i) {
        // The step's last backward pass all-reduces its gradients as they complete (DDP's no_sync
        // for the earlier micro-batches: they accumulate locally).
        if (m_gradSync && i == micro - 1) m_gradSync->arm();
        Batch batch = m_loader.next();
        int64_t tokens = 0, padded = 0, trained = 0, pairs = batch.pairs, chosen = 0;
        if (!batch.empty()) {
            tokens = batch.attentionMask.ne(0).sum().item<int64_t>();
            padded = batch.inputIds.numel();
            const int64_t T = batch.labels.size(1);
            trained = T < 2 ? 0 : batch.labels.narrow(1, 1, T - 1).ne(-100).sum().item<int64_t>();
        }
        // The micro-batch of the whole job: in a data-parallel job, the union of the ranks' parts.
        // ORPO's next-token term counts the chosen rows' tokens after the first.
        if (pairs > 0) chosen = batch.attentionMask.narrow(0, 0, pairs).narrow(1, 1, batch.labels.size(1) - 1).ne(0).sum().item<int64_t>();
        int64_t jobTrained = trained;
        PreferenceNorm jobNorm;  // a job's micro-batch: each rank's loss is its share of the job's
        if (dist) {
            const auto sums = dist->sum({double(tokens), double(padded), double(trained), double(pairs), double(chosen)},
                                        "token count");
            tokens = static_cast<int64_t>(sums[0]);
            padded = static_cast<int64_t>(sums[1]);
            jobTrained = static_cast<int64_t>(sums[2]);
            jobNorm = PreferenceNorm{static_cast<int64_t>(sums[3]), static_cast<int64_t>(sums[4])};
        }
        r.tokens += tokens;
        r.paddedTokens += padded;
        if (jobTrained == 0) {
            if (!m_warnedEmptyBatch)
                log(observer, LogLevel::Warning, emptyBatchLine(step));
            m_warnedEmptyBatch = true;
            continue;
        }
        r.trainedTokens += jobTrained;
        ++counted;
        if (trained == 0) continue;  // this rank's part of the micro-batch is empty: its gradient share is 0
        const auto ids = toTrainingDevice(batch.inputIds, m_setup.device);
        const auto mask = toTrainingDevice(batch.attentionMask, m_setup.device);
        const auto labels = toTrainingDevice(batch.labels, m_setup.device);
        const auto positions = toTrainingDevice(batch.positionIds, m_setup.device);
        at::Tensor loss;
        {
            AutocastGuard autocast(m_setup.precision.autocast, m_setup.precision.autocastDtype);
            if (pairs > 0) {  // DPO, ORPO: the loss over the micro-batch's pairs (a job's: its share)
                const PreferenceResult d = preferenceLoss(*m_setup.model, *m_setup.trainable, ids, mask, positions, labels,
                                                          pairs, preferenceOptions(t), jobNorm);
                loss = d.loss;
                preference.add(d);
            } else {
                auto hidden = m_setup.model->forwardHidden(ids, mask, positions);              // [B, T, C]
                loss = chunkedNextTokenLoss(hidden, m_setup.model->outputHead(), labels, 0,  // fp32 scalar
                                            m_setup.model->spec().finalLogitSoftcap);
            }
        }
        const double value = loss.item<double>();
        // One process stops before a poisoned backward; a job learns of it from the reduced loss.
        if (!dist && !std::isfinite(value))
            return diverged(std::string("the loss is ") + (std::isnan(value) ? "NaN" : "infinite") + " (micro-batch " +
                            std::to_string(i + 1) + " of " + std::to_string(micro) + ")");
        // The job's loss is the mean over all its counted tokens: this rank's mean weighs by its
        // share of them (1 alone), and the ranks' gradients are then summed.
        // (Preference pairs: the loss is already this rank's share of the job's.)
        const double share = !dist || pairs > 0 ? 1.0 : double(trained) / double(jobTrained);
        const double factor = share / static_cast<double>(accum);
        at::Tensor scaled = factor != 1.0 ? loss * factor : loss;
        if (scaling) scaled = scaled * m_state.lossScale;
        scaled.backward();
        lossSum += value * share;
    }
    if (dist && counted > 0) {
        m_gradSync->finish();  // each rank's gradients, scaled by its token share, summed
        const auto sums = dist->sum({lossSum, double(preference.pairs), preference.loss, preference.rewardChosen,
                                     preference.rewardRejected, preference.correct, preference.nll, preference.chosenTokens},
                                    "loss sum");
        lossSum = sums[0];
        preference = PreferenceSums{static_cast<int64_t>(sums[1]), sums[2], sums[3], sums[4], sums[5], sums[6], sums[7]};
        if (!m_loggedGradSync) {
            const auto st = m_gradSync->stats();
            log(observer, LogLevel::Info, gradientSyncLine(st.buckets, st.bytes, st.startedDuringBackward, dist->reducesOnDevice()));
            m_loggedGradSync = true;
        }
        if (!std::isfinite(lossSum))
            return diverged(std::string("the loss is ") + (std::isnan(lossSum) ? "NaN" : "infinite") + " on at least one rank");
    }
    const auto& params = m_optimizer.parameters();
    if (scaling && counted > 0) {
        at::NoGradGuard noGrad;
        for (const auto& p : params)
            if (p.tensor.grad().defined()) p.tensor.mutable_grad().mul_(1.0 / m_state.lossScale);
    }
    r.loss = counted > 0 ? lossSum / counted : 0.0;
    r.preference = preference.mean();
    r.gradNorm = clipGradNorm(params, t.maxGradNorm);
    r.lr = t.lr * lrMultiplier(t.schedule, m_state.schedulerStep, m_warmupSteps, m_state.totalSteps);
    bool apply = counted > 0;
    if (scaling && apply) {
        const double before = m_state.lossScale;
        apply = updateLossScale(m_state.lossScale, m_state.scaleGoodSteps, std::isfinite(r.gradNorm));
        if (!apply)
            log(observer, LogLevel::Warning, lossScaleLine(step, before, m_state.lossScale));
    } else if (!std::isfinite(r.gradNorm)) {
        return diverged(std::string("the gradient norm is ") + (std::isnan(r.gradNorm) ? "NaN" : "infinite") + " (loss " +
                        fmt("%.4f", r.loss) + ")");
    }
    if (apply) {
        m_optimizer.step(r.lr);
        ++m_state.schedulerStep;
    }
    m_optimizer.zeroGrad();
    m_state.step = step;
    m_state.tokensSeen += r.tokens;
    m_state.lastLoss = r.loss;
    m_state.data = m_loader.position();
    return r;
}

std::string Trainer::saveCheckpoint(TrainObserver& observer) {
    if (!leader()) {  // rank 0 writes the job's checkpoints; the others hold the same state
        m_lastSavedStep = m_state.step;
        return {};
    }
    const std::string dir = writeTrainCheckpoint(m_checkpointsDir, m_state, *m_setup.trainable, m_optimizer,
                                                 rngStates(m_setup.device), m_setup.config);
    m_lastSavedStep = m_state.step;
    CheckpointInfo info{m_state.step, dir};
    observer.onCheckpoint(info);
    m_metrics.append(toJson(info));
    for (const auto& removed : pruneCheckpoints(m_checkpointsDir, *m_options.keepCheckpoints))
        (void)removed;
    log(observer, LogLevel::Info, checkpointLine(dir), LogTopic::Checkpoint);
    return dir;
}

std::string Trainer::exportAdapter() {
    const fs::path final = fs::path(m_outputDir) / "adapter";
    const fs::path temp = fs::path(m_outputDir) / (".tmp-adapter-" + std::to_string(processId()));
    std::error_code ec;
    // A run killed while it exported left its own temporary folder (another process id): one run
    // writes into an output folder at a time, so every such folder is stale.
    for (const auto& entry : fs::directory_iterator(m_outputDir, ec))
        if (entry.path().filename().string().rfind(".tmp-adapter-", 0) == 0) fs::remove_all(entry.path(), ec);
    fs::remove_all(temp, ec);
    fs::create_directories(temp, ec);
    if (ec) throw Error(temp.string(), "cannot create a folder for the adapter: " + ec.message());
    try {
        m_setup.trainable->saveAdapter(temp.string());
        const fs::path old = fs::path(m_outputDir) / ".old-adapter";
        fs::remove_all(old, ec);
        if (fs::exists(final)) fs::rename(final, old);
        fs::rename(temp, final);
        fs::remove_all(old, ec);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(temp, ec);
        throw Error(final.string(), std::string("cannot write the adapter: ") + e.what());
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }
    return final.string();
}

void Trainer::runAnalysis(TrainObserver& observer) {
    std::vector<ModuleInput> inputs;
    for (const auto& m : m_setup.trainable->loraModules()) {
        ModuleInput in;
        in.name = m.name;
        in.A = m.A.detach();
        in.B = m.B.detach();
        in.scaling = m.scaling;
        if (m.baseWeight.defined()) {
            // ||W0||_F once per module: the base is frozen (PiSSA's residual included).
            auto it = m_baseNorms.find(m.name);
            if (it == m_baseNorms.end()) it = m_baseNorms.emplace(m.name, frobeniusNorm(m.baseWeight.detach())).first;
            in.baseNorm = it->second;
        }
        inputs.push_back(std::move(in));
    }
    try {
        AnalysisSnapshot snap{m_state.step, analyzeAdapter(inputs)};
        observer.onAnalysis(snap);
        m_metrics.append(toJson(snap));
    } catch (const Error& e) {
        log(observer, LogLevel::Warning, analysisSkippedLine(m_state.step, e.what()));
    }
}

const char* outcomeName(TrainOutcome outcome) {
    switch (outcome) {
    case TrainOutcome::Completed: return "completed";
    case TrainOutcome::Stopped: return "stopped";
    case TrainOutcome::Diverged: return "diverged";
    }
    return "";
}

} // namespace lorastudio

// `--detached`: the CLI side of a background run (see core/train/background_run.h). A TrainObserver
// that forwards to the progress printer and keeps background.json in the run folder current, and a
// thread that reads background-control a few times a second and sets the trainer's pause / stop
// flags (honoured at the next step boundary, as the studio's own buttons are).
#pragma once
#include "train/background_run.h"
#include "train/train_types.h"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace lorastudio::cli {

class DetachedRun : public TrainObserver {
public:
    DetachedRun(std::string runDir, TrainControl& control, TrainObserver& inner);
    ~DetachedRun() override;  // stops the control thread

    void onStep(const StepMetrics& m) override;
    void onEval(const EvalMetrics& m) override { m_inner.onEval(m); }
    void onLog(const LogLine& line) override;  // "paused" once the trainer is held, not while a step is in flight
    void onCheckpoint(const CheckpointInfo& c) override;
    void onAnalysis(const AnalysisSnapshot& a) override { m_inner.onAnalysis(a); }
    // The run's end (or its failure) as the last status.
    void finish(const TrainResult& result);
    void fail(const std::string& message);

private:
    void watchControl();
    void write(const std::string& state);  // the status with the latest step, under the lock

    std::string m_runDir;
    TrainControl& m_control;
    TrainObserver& m_inner;
    std::mutex m_mutex;
    BackgroundStatus m_status;
    std::atomic<bool> m_done{false};
    std::thread m_watcher;
};

} // namespace lorastudio::cli

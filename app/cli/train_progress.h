// The CLI's view of a training run: a TrainObserver that prints the trainer's log lines (steps,
// evals, checkpoints) and, on a terminal, keeps a progress bar with ETA below them, and Ctrl-C handling that asks the
// trainer to stop at the next step boundary (a second Ctrl-C ends the process at once).
#pragma once
#include "train/train_types.h"

namespace lorastudio::cli {

class TrainProgress : public TrainObserver {
public:
    explicit TrainProgress(bool interactive);
    void onStep(const StepMetrics& m) override;
    void onLog(const LogLine& line) override;
    void finish(const TrainResult& r);

private:
    void clearBar();
    bool m_interactive;
    bool m_barShown = false;
};

// Installs a SIGINT handler that sets control.stop; restores the default on the second signal.
void stopOnInterrupt(TrainControl& control);

} // namespace lorastudio::cli

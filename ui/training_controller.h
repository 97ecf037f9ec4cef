// TrainingController: the one bridge between core's trainer and the GUI. It runs runTraining /
// resumeTraining on a QThread and re-posts every callback (steps, evals, log lines, checkpoints,
// analysis snapshots, the result) to the GUI thread with QMetaObject::invokeMethod(...,
// Qt::QueuedConnection), so receivers never see the worker thread. Stop and pause are core's
// atomic TrainControl flags, honoured at the next step boundary. Panels (Training, Rank, ...)
// connect to its signals; they never touch core's trainer themselves.
// A run can also live in a background `lorastudio-cli --detached` process: handOver() moves the
// in-process run there (stop with a checkpoint, then `resume --detached` in the same run folder),
// attach() follows such a run (BackgroundRunWatcher) and reports it through the same signals, with
// pause and stop going to the process's control file.
#pragma once
#include "project/project_config.h"
#include "train/train_types.h"

#include "train_metatypes.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

class QThread;
class QTimer;

namespace lorastudio {
struct BackgroundStatus;
}

namespace lorastudio::ui {

class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    // A running session is asked to stop (checkpoint + adapter, as core's stop does) and waited for.
    ~TrainingController() override;

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle; }
    // Where the current (or last) run writes: effectiveOutputDir() of its project.
    QString outputDir() const { return m_outputDir; }

    // Starts training `config` (projectName names the fallback output folder when the project's own
    // is read-only; see output_location.h). `options` left unset keep the project's
    // training.save_total_limit and training.analysis_every. False with `error` set when a run is active or the
    // project does not validate; anything failing later arrives as failed().
    bool start(const ProjectConfig& config, const QString& projectName, QString* error,
               const TrainerOptions& options = {});
    // Continues from a checkpoint folder (outputDir/checkpoints/step-N) with `config`.
    bool resume(const QString& checkpointDir, const ProjectConfig& config, QString* error,
                const TrainerOptions& options = {});
    void pause();
    void unpause();
    void stop();

    // Follows the background run in runDir when one is alive there (true), else false with `error`.
    bool attach(const QString& runDir, QString* error);
    bool isAttached() const { return m_watcher != nullptr; }
    qint64 attachedPid() const { return m_attachedPid; }
    // Stops the in-process run at its next step boundary (a checkpoint is written), waits for it,
    // and continues it in a detached `cliPath resume CHECKPOINT --detached --plain` process
    // writing the same run folder (its output in background.log there). False with `error` when
    // there is no run, no checkpoint to continue from, or the process cannot start.
    bool handOver(const QString& cliPath, QString* error);
    // The CLI beside this program (or $LORASTUDIO_CLI).
    static QString backgroundCliPath();
    // A data-parallel job of `ranks` processes on this machine: `cliPath train projectFile
    // --nproc-per-node ranks --detached --plain --output outputDir` (its output in
    // outputDir/background.log), then attach() once rank 0 reports (attachedToRun), as for any
    // background run: curves, pause and stop. False with `error` when it cannot start; a job that
    // ends before rank 0 reports arrives as failed().
    bool startLocalJob(const QString& cliPath, const QString& projectFile, const QString& outputDir, int ranks,
                       QString* error);

    // This process's resident size when its first run started (0 before): the studio's own memory,
    // which the training-memory estimate counts in place of a bare process's.
    int64_t processBaselineBytes() const { return m_processBaselineBytes; }

Q_SIGNALS:
    void stateChanged(lorastudio::ui::TrainingController::State state);
    void stepCompleted(const lorastudio::StepMetrics& metrics);
    void evaluated(const lorastudio::EvalMetrics& metrics);
    void logged(const lorastudio::LogLine& line);
    void checkpointSaved(const lorastudio::CheckpointInfo& checkpoint);
    void analysed(const lorastudio::AnalysisSnapshot& snapshot);
    // The run ended: completed, stopped or diverged (see TrainResult::outcome).
    void finished(const lorastudio::TrainResult& result);
    // The run could not start or was ended by an error (message names file/key and a hint).
    void failed(const QString& message);
    // Now following a background run (its process id); the curves start again from its metrics.
    void attachedToRun(const QString& runDir, qint64 pid);

private:
    class Observer;
    // Runs `run` on a worker thread with `options` plus the studio's process baseline.
    bool launch(std::function<TrainResult(TrainControl&, TrainObserver&, const TrainerOptions&)> run,
                TrainerOptions options, QString* error);
    void setState(State state);
    void endSession(); // joins the finished worker thread
    void onBackgroundStatus(const BackgroundStatus& status);
    void onBackgroundEnded(const BackgroundStatus& status, bool ok);

    State m_state = State::Idle;
    QString m_outputDir;
    QThread* m_thread = nullptr;
    std::unique_ptr<TrainControl> m_control;
    std::unique_ptr<Observer> m_observer;
    int64_t m_processBaselineBytes = 0;
    class BackgroundRunWatcher* m_watcher = nullptr;
    qint64 m_attachedPid = 0;
    QTimer* m_jobStart = nullptr;  // startLocalJob: waiting for rank 0's first status
};

} // namespace lorastudio::ui

// TrainingController: core's trainer on a worker QThread, its callbacks re-posted to the GUI thread.
#include "estimate/device_memory.h"
#include "error_text.h"
#include "training_controller.h"

#include "runtime/process_setup.h"

#include "background_run_watcher.h"
#include "common/error.h"
#include "output_location.h"
#include "train/background_run.h"
#include "train/train_session.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include "common/os_process.h"

namespace lorastudio::ui {

// Runs on the worker thread: every callback becomes a queued call on the controller's (GUI) thread.
// The controller outlives the thread (its destructor joins it), and calls still queued when the
// controller is deleted are dropped by Qt with it.
class TrainingController::Observer : public TrainObserver {
public:
    explicit Observer(TrainingController* controller) : m_controller(controller) {}
    void onStep(const StepMetrics& m) override { post([m](TrainingController* c) { Q_EMIT c->stepCompleted(m); }); }
    void onEval(const EvalMetrics& m) override { post([m](TrainingController* c) { Q_EMIT c->evaluated(m); }); }
    void onLog(const LogLine& l) override { post([l](TrainingController* c) { Q_EMIT c->logged(l); }); }
    void onCheckpoint(const CheckpointInfo& i) override {
        post([i](TrainingController* c) { Q_EMIT c->checkpointSaved(i); });
    }
    void onAnalysis(const AnalysisSnapshot& s) override {
        post([s](TrainingController* c) { Q_EMIT c->analysed(s); });
    }
    template <typename Fn> void post(Fn fn) {
        TrainingController* c = m_controller;
        QMetaObject::invokeMethod(c, [c, fn] { fn(c); }, Qt::QueuedConnection);
    }

private:
    TrainingController* m_controller;
};

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<StepMetrics>();
    qRegisterMetaType<EvalMetrics>();
    qRegisterMetaType<LogLine>();
    qRegisterMetaType<CheckpointInfo>();
    qRegisterMetaType<AnalysisSnapshot>();
    qRegisterMetaType<TrainResult>();
}

TrainingController::~TrainingController() {
    if (m_thread) {
        m_control->pause = false;
        m_control->stop = true;
        m_thread->wait();
        delete m_thread;
    }
}

bool TrainingController::start(const ProjectConfig& config, const QString& projectName, QString* error,
                               const TrainerOptions& options) {
    if (isActive()) {
        if (error) *error = tr("A training run is already active.");
        return false;
    }
    try {
        validateProject(config);
    } catch (const std::exception& e) {
        if (error) *error = errorText(e);
        return false;
    }
    const OutputLocation output = effectiveOutputDir(config, projectName);
    if (backgroundRunAlive(output.path.toStdString())) {
        if (error) *error = tr("A background run is still training in %1 (hint: open its project to follow, pause or stop it)")
                                .arg(QDir::toNativeSeparators(output.path));
        return false;
    }
    ProjectConfig run = config;
    run.outputDir = output.path.toStdString();
    m_outputDir = output.path;
    const bool launched = launch(
        [run](TrainControl& control, TrainObserver& observer, const TrainerOptions& options) {
            return runTraining(run, control, observer, options);
        },
        options, error);
    if (launched && output.redirected)
        Q_EMIT logged({LogLevel::Warning, tr("The project's folder is read-only: output goes to %1")
                                              .arg(QDir::toNativeSeparators(output.path))
                                              .toStdString()});
    return launched;
}

bool TrainingController::resume(const QString& checkpointDir, const ProjectConfig& config, QString* error,
                                const TrainerOptions& options) {
    if (isActive()) {
        if (error) *error = tr("A training run is already active.");
        return false;
    }
    // core puts the output beside the checkpoints folder: outputDir/checkpoints/step-N.
    m_outputDir = QDir::cleanPath(checkpointDir + QStringLiteral("/../.."));
    if (backgroundRunAlive(m_outputDir.toStdString())) {
        if (error) *error = tr("A background run is still training in %1").arg(QDir::toNativeSeparators(m_outputDir));
        return false;
    }
    const std::string dir = checkpointDir.toStdString();
    return launch(
        [dir, config](TrainControl& control, TrainObserver& observer, const TrainerOptions& options) {
            return resumeTraining(dir, config, control, observer, options);
        },
        options, error);
}

bool TrainingController::launch(std::function<TrainResult(TrainControl&, TrainObserver&, const TrainerOptions&)> run,
                                TrainerOptions options, QString* error) {
    // Sampled once: a later run starts on top of what glibc kept of the earlier one's heap, which
    // that run reuses, so the first figure stays the right baseline. Freed memory the allocator
    // still holds (mimalloc purges after a delay) is handed back first: the run would reuse it
    // without growing, and the baseline would count it twice (a flaky 15% in test_training_panel).
    if (m_processBaselineBytes == 0) {
        releaseFreedHeapMemory();
        m_processBaselineBytes = currentRssBytes();
    }
    options.processBaselineBytes = m_processBaselineBytes;  // the run's memory estimate counts the studio
    m_control = std::make_unique<TrainControl>();
    m_observer = std::make_unique<Observer>(this);
    TrainControl* control = m_control.get();
    Observer* observer = m_observer.get();
    m_thread = QThread::create([run = std::move(run), options, control, observer] {
        try {
            const TrainResult result = run(*control, *observer, options);
            observer->post([result](TrainingController* c) {
                c->endSession();
                Q_EMIT c->finished(result);
            });
        } catch (const std::exception& e) { // lorastudio::Error; core converts LibTorch's own errors
            const QString message = errorText(e);
            observer->post([message](TrainingController* c) {
                c->endSession();
                Q_EMIT c->failed(message);
            });
        }
    });
    if (!m_thread) {
        if (error) *error = tr("Cannot start a training thread.");
        return false;
    }
    m_thread->setObjectName(QStringLiteral("training"));
    setState(State::Running);
    m_thread->start();
    return true;
}

void TrainingController::pause() {
    if (m_state != State::Running) return;
    if (m_watcher) requestBackground(m_outputDir.toStdString(), BackgroundRequest::Pause);
    else m_control->pause = true;
    setState(State::Paused);
}

void TrainingController::unpause() {
    if (m_state != State::Paused) return;
    if (m_watcher) requestBackground(m_outputDir.toStdString(), BackgroundRequest::Run);
    else m_control->pause = false;
    setState(State::Running);
}

void TrainingController::stop() {
    if (m_state != State::Running && m_state != State::Paused) return;
    if (m_watcher) {
        requestBackground(m_outputDir.toStdString(), BackgroundRequest::Stop);
    } else {
        m_control->stop = true;
        m_control->pause = false;
    }
    setState(State::Stopping);
}

QString TrainingController::backgroundCliPath() {
    const QString fromEnvironment = qEnvironmentVariable("LORASTUDIO_CLI");
    if (!fromEnvironment.isEmpty()) return fromEnvironment;
#ifdef _WIN32
    return QCoreApplication::applicationDirPath() + QStringLiteral("/lorastudio-cli.exe");
#else
    return QCoreApplication::applicationDirPath() + QStringLiteral("/lorastudio-cli");
#endif
}

bool TrainingController::attach(const QString& runDir, QString* error) {
    if (isActive()) {
        if (error) *error = tr("A training run is already active.");
        return false;
    }
    const auto status = readBackgroundStatus(runDir.toStdString());
    if (!status || !status->alive()) {
        if (error) *error = tr("No background run is training in %1").arg(QDir::toNativeSeparators(runDir));
        return false;
    }
    m_outputDir = runDir;
    m_attachedPid = status->pid;
    m_watcher = new BackgroundRunWatcher(runDir, this);
    connect(m_watcher, &BackgroundRunWatcher::stepCompleted, this, &TrainingController::stepCompleted);
    connect(m_watcher, &BackgroundRunWatcher::evaluated, this, &TrainingController::evaluated);
    connect(m_watcher, &BackgroundRunWatcher::checkpointSaved, this, &TrainingController::checkpointSaved);
    connect(m_watcher, &BackgroundRunWatcher::logged, this, &TrainingController::logged);
    connect(m_watcher, &BackgroundRunWatcher::statusChanged, this, &TrainingController::onBackgroundStatus);
    connect(m_watcher, &BackgroundRunWatcher::ended, this, &TrainingController::onBackgroundEnded);
    Q_EMIT attachedToRun(runDir, m_attachedPid);
    onBackgroundStatus(*status);
    m_watcher->poll();  // the curves so far, at once
    return true;
}

void TrainingController::onBackgroundStatus(const BackgroundStatus& status) {
    if (!m_watcher) return;
    if (status.state == "paused" || status.state == "pausing") setState(State::Paused);
    else if (status.state == "stopping") setState(State::Stopping);
    else if (!status.ended()) setState(State::Running);
}

void TrainingController::onBackgroundEnded(const BackgroundStatus& status, bool ok) {
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_attachedPid = 0;
    setState(State::Idle);
    if (!ok) {
        Q_EMIT failed(tr("The background run (process %1) ended without finishing its status (hint: see background.log in %2; "
                         "its newest checkpoint can be resumed)")
                          .arg(status.pid)
                          .arg(QDir::toNativeSeparators(m_outputDir)));
        return;
    }
    if (status.state == "failed") {
        Q_EMIT failed(errorText(status.message));
        return;
    }
    TrainResult result;
    result.outcome = status.state == "completed" ? TrainOutcome::Completed
                     : status.state == "stopped" ? TrainOutcome::Stopped
                                                 : TrainOutcome::Diverged;
    result.step = status.step;
    result.totalSteps = status.totalSteps;
    result.message = status.message;
    result.lastCheckpoint = status.checkpoint;
    Q_EMIT finished(result);
}

bool TrainingController::handOver(const QString& cliPath, QString* error) {
    if (!m_thread || m_watcher) {
        if (error) *error = tr("No training run in this window to continue in the background.");
        return false;
    }
    if (!QFileInfo(cliPath).isExecutable()) {
        if (error) *error = tr("Cannot find the command-line trainer at %1 (hint: it is installed beside the studio, or set LORASTUDIO_CLI)")
                                .arg(QDir::toNativeSeparators(cliPath));
        return false;
    }
    // Stop at the next step boundary with a checkpoint, and wait for it (the window stays live).
    TrainResult result;
    bool ended = false;
    QString failure;
    QEventLoop wait;
    const auto done = connect(this, &TrainingController::finished, &wait, [&](const TrainResult& r) {
        result = r;
        ended = true;
        wait.quit();
    });
    const auto failedConnection = connect(this, &TrainingController::failed, &wait, [&](const QString& message) {
        failure = message;
        wait.quit();
    });
    m_control->pause = false;
    m_control->stop = true;
    setState(State::Stopping);
    wait.exec();
    disconnect(done);
    disconnect(failedConnection);
    if (!ended) {
        if (error) *error = failure;
        return false;
    }
    if (result.outcome == TrainOutcome::Completed) return true;  // it finished meanwhile: nothing to continue
    if (result.lastCheckpoint.empty()) {
        if (error) *error = tr("The run stopped before its first checkpoint: there is nothing to continue in the background.");
        return false;
    }
    const QString runDir = QString::fromStdString(runFolderOfCheckpoint(result.lastCheckpoint));
    QProcess process;
    process.setProgram(cliPath);
    process.setArguments({QStringLiteral("resume"), QString::fromStdString(result.lastCheckpoint), QStringLiteral("--detached"),
                          QStringLiteral("--plain")});
    process.setWorkingDirectory(runDir);
    process.setStandardOutputFile(runDir + QStringLiteral("/background.log"), QIODevice::Append);
    process.setStandardErrorFile(runDir + QStringLiteral("/background.log"), QIODevice::Append);
    qint64 pid = 0;
    if (!process.startDetached(&pid)) {
        if (error) *error = tr("Cannot start %1: %2").arg(QDir::toNativeSeparators(cliPath), process.errorString());
        return false;
    }
    m_attachedPid = pid;
    return true;
}

bool TrainingController::startLocalJob(const QString& cliPath, const QString& projectFile, const QString& outputDir,
                                       int ranks, QString* error) {
    if (isActive() || m_jobStart) {
        if (error) *error = tr("A training run is already active.");
        return false;
    }
    if (!QFileInfo(cliPath).isExecutable()) {
        if (error) *error = tr("Cannot find the command-line trainer at %1 (hint: it is installed beside the studio, or set LORASTUDIO_CLI)")
                                .arg(QDir::toNativeSeparators(cliPath));
        return false;
    }
    if (backgroundRunAlive(outputDir.toStdString())) {
        if (error) *error = tr("A background run is still training in %1").arg(QDir::toNativeSeparators(outputDir));
        return false;
    }
    QDir().mkpath(outputDir);
    const QString log = outputDir + QStringLiteral("/background.log");
    QProcess process;
    process.setProgram(cliPath);
    process.setArguments({QStringLiteral("train"), projectFile, QStringLiteral("--nproc-per-node"), QString::number(ranks),
                          QStringLiteral("--detached"), QStringLiteral("--plain"), QStringLiteral("--output"), outputDir});
    process.setWorkingDirectory(outputDir);
    process.setStandardOutputFile(log, QIODevice::Append);
    process.setStandardErrorFile(log, QIODevice::Append);
    qint64 launcher = 0;
    if (!process.startDetached(&launcher)) {
        if (error) *error = tr("Cannot start %1: %2").arg(QDir::toNativeSeparators(cliPath), process.errorString());
        return false;
    }
    m_outputDir = outputDir;
    setState(State::Running);  // loading: Start stays blocked until the job reports or fails
    // Rank 0 writes background.json once the ranks have met and the model is loading; follow it
    // from then on. A launcher gone before that failed: its log says why.
    m_jobStart = new QTimer(this);
    auto* since = new QElapsedTimer;
    since->start();
    connect(m_jobStart, &QTimer::timeout, this, [this, launcher, log, since, outputDir] {
        const auto status = readBackgroundStatus(outputDir.toStdString());
        const bool reported = status && status->alive();
        const bool gone = !processAlive(launcher) || since->elapsed() > 120000;
        if (!reported && !gone) return;
        m_jobStart->deleteLater();
        m_jobStart = nullptr;
        delete since;
        setState(State::Idle);
        QString error;
        if (reported && attach(outputDir, &error)) return;
        QFile file(log);
        QString tail;
        if (file.open(QIODevice::ReadOnly)) tail = QString::fromUtf8(file.readAll()).trimmed().section(QLatin1Char('\n'), -3);
        Q_EMIT failed(tr("The data-parallel job did not start: %1").arg(tail.isEmpty() ? error : tail));
    });
    m_jobStart->start(200);
    return true;
}

void TrainingController::setState(State state) {
    if (state == m_state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void TrainingController::endSession() {
    if (m_thread) {
        m_thread->wait(); // the worker has returned from its last statement or is about to
        delete m_thread;
        m_thread = nullptr;
    }
    m_observer.reset();
    m_control.reset();
    setState(State::Idle);
}

} // namespace lorastudio::ui

// TrainingController: core's trainer on a worker QThread, its callbacks re-posted to the GUI thread.
#include "estimate/device_memory.h"
#include "training_controller.h"

#include "common/error.h"
#include "output_location.h"
#include "train/train_session.h"

#include <QDir>
#include <QThread>

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
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    const OutputLocation output = effectiveOutputDir(config, projectName);
    ProjectConfig run = config;
    run.outputDir = output.path.toStdString();
    m_outputDir = output.path;
    const bool launched = launch(
        [run, options](TrainControl& control, TrainObserver& observer) {
            return runTraining(run, control, observer, options);
        },
        error);
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
    const std::string dir = checkpointDir.toStdString();
    return launch(
        [dir, config, options](TrainControl& control, TrainObserver& observer) {
            return resumeTraining(dir, config, control, observer, options);
        },
        error);
}

bool TrainingController::launch(std::function<TrainResult(TrainControl&, TrainObserver&)> run, QString* error) {
    // Sampled once: a later run starts on top of what glibc kept of the earlier one's heap, which
    // that run reuses, so the first figure stays the right baseline.
    if (m_processBaselineBytes == 0) m_processBaselineBytes = currentRssBytes();
    m_control = std::make_unique<TrainControl>();
    m_observer = std::make_unique<Observer>(this);
    TrainControl* control = m_control.get();
    Observer* observer = m_observer.get();
    m_thread = QThread::create([run = std::move(run), control, observer] {
        try {
            const TrainResult result = run(*control, *observer);
            observer->post([result](TrainingController* c) {
                c->endSession();
                Q_EMIT c->finished(result);
            });
        } catch (const std::exception& e) { // lorastudio::Error; core converts LibTorch's own errors
            const QString message = QString::fromStdString(e.what());
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
    m_control->pause = true;
    setState(State::Paused);
}

void TrainingController::unpause() {
    if (m_state != State::Paused) return;
    m_control->pause = false;
    setState(State::Running);
}

void TrainingController::stop() {
    if (m_state != State::Running && m_state != State::Paused) return;
    m_control->stop = true;
    m_control->pause = false;
    setState(State::Stopping);
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

// BackgroundRunWatcher: follows a background run (a `lorastudio-cli ... --detached` process, see
// core/train/background_run.h) from the GUI thread. Twice a second it reads what was appended to
// the run's metrics.jsonl (steps, evaluations, checkpoints) and background.log (the CLI's lines),
// and background.json (state, step); it reports them as the TrainingController's own signals would,
// and the end once the status says so or the process is gone.
#pragma once
#include "train_metatypes.h"

#include <QObject>
#include <QString>

class QTimer;

namespace lorastudio::ui {

class BackgroundRunWatcher : public QObject {
    Q_OBJECT
public:
    explicit BackgroundRunWatcher(const QString& runDir, QObject* parent = nullptr);

    QString runDir() const { return m_runDir; }
    // Reads what is new now (the timer does so by itself).
    void poll();

Q_SIGNALS:
    void stepCompleted(const lorastudio::StepMetrics& metrics);
    void evaluated(const lorastudio::EvalMetrics& metrics);
    void checkpointSaved(const lorastudio::CheckpointInfo& checkpoint);
    void logged(const lorastudio::LogLine& line);
    void statusChanged(const lorastudio::BackgroundStatus& status);
    // The run ended (the status says how) or its process is gone without saying (ok = false).
    void ended(const lorastudio::BackgroundStatus& status, bool ok);

private:
    void readMetrics();
    void readLog();

    QString m_runDir;
    QTimer* m_timer;
    qint64 m_metricsOffset = 0;
    qint64 m_logOffset = 0;
    QString m_lastState;
    bool m_ended = false;
};

} // namespace lorastudio::ui

// BackgroundRunWatcher (see the header): incremental reads of a run folder's files.
#include "background_run_watcher.h"

#include "train/metrics_log.h"

#include <QFile>
#include <QTimer>

namespace lorastudio::ui {

namespace {
// The complete lines of `path` after `offset`, which moves past them (a line still being written
// waits for the next read). A file that shrank was rewritten: it is read again from the start.
QList<QByteArray> newLines(const QString& path, qint64& offset) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    if (file.size() < offset) offset = 0;
    file.seek(offset);
    const QByteArray bytes = file.readAll();
    const int end = bytes.lastIndexOf('\n');
    if (end < 0) return {};
    offset += end + 1;
    return bytes.left(end).split('\n');
}
} // namespace

BackgroundRunWatcher::BackgroundRunWatcher(const QString& runDir, QObject* parent)
    : QObject(parent), m_runDir(runDir), m_timer(new QTimer(this)) {
    qRegisterMetaType<BackgroundStatus>();
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &BackgroundRunWatcher::poll);
    m_timer->start();
}

void BackgroundRunWatcher::readMetrics() {
    for (const QByteArray& line : newLines(m_runDir + QStringLiteral("/metrics.jsonl"), m_metricsOffset)) {
        const MetricsRecord r = readMetricsLine(line.toStdString());
        if (r.kind == MetricsRecord::Kind::Step) Q_EMIT stepCompleted(r.step);
        else if (r.kind == MetricsRecord::Kind::Eval) Q_EMIT evaluated(r.eval);
        else if (r.kind == MetricsRecord::Kind::Checkpoint) Q_EMIT checkpointSaved(r.checkpoint);
    }
}

void BackgroundRunWatcher::readLog() {
    for (const QByteArray& raw : newLines(m_runDir + QStringLiteral("/background.log"), m_logOffset)) {
        // The CLI tags warnings and errors ("warning: ...", "error: ..."); the rest is information. An
        // error ends the run: background.json's status says it again, as the run's outcome.
        QByteArray line = raw.trimmed();
        if (line.isEmpty()) continue;
        LogLine log{LogLevel::Info, {}, LogTopic::General};
        if (line.startsWith("warning: ")) {
            log.level = LogLevel::Warning;
            line.remove(0, 9);
        } else if (line.startsWith("error: ")) {
            log = {LogLevel::Error, {}, LogTopic::Outcome};
            line.remove(0, 7);
        }
        log.text = line.toStdString();
        Q_EMIT logged(log);
    }
}

void BackgroundRunWatcher::poll() {
    if (m_ended) return;
    readMetrics();
    readLog();
    const auto status = readBackgroundStatus(m_runDir.toStdString());
    if (!status) return;
    if (QString::fromStdString(status->state) != m_lastState) {
        m_lastState = QString::fromStdString(status->state);
        Q_EMIT statusChanged(*status);
    }
    const bool gone = !status->ended() && !status->alive();
    if (status->ended() || gone) {
        m_ended = true;
        m_timer->stop();
        readMetrics();  // the last lines, written before the status
        readLog();
        Q_EMIT ended(*status, !gone);
    }
}

} // namespace lorastudio::ui

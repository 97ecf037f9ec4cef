// Training panel: the runs of the output folder (see training_panel.h): the Earlier runs menu
// (overlay, resume, delete), a run's checkpoints and its metrics.jsonl drawn as the live curves or
// as the dashed overlay.
#include "train/metrics_log.h"
#include "error_text.h"
#include "train/run_archive.h"

#include "training_panel.h"

#include "chart_view.h"
#include "qcustomplot_include.h"
#include "training_controller.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>

namespace lorastudio::ui {

void TrainingPanel::fillRunsMenu(QMenu* runsMenu) {
    runsMenu->clear();
    const QStringList runs = earlierRuns();
    if (runs.isEmpty()) runsMenu->addAction(tr("No earlier run in this output folder"))->setEnabled(false);
    for (const QString& name : runs)
        runsMenu->addAction(name, this, [this, name] {
            QString error;
            if (!loadOverlay(runFolder(name) + QStringLiteral("/metrics.jsonl"), &error))
                showError(error);
        });
    runsMenu->addSeparator();
    runsMenu->addAction(tr("Other metrics.jsonl…"), this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Overlay an earlier run"), outputDir(),
                                                          tr("Metrics (metrics.jsonl *.jsonl)"));
        if (file.isEmpty()) return;
        QString error;
        if (!loadOverlay(file, &error)) showError(error);
    });
    if (runs.isEmpty()) return;
    QMenu* resume = runsMenu->addMenu(tr("Resume an earlier run"));
    resume->setEnabled(!(m_context.training && m_context.training->isActive()));
    for (const QString& name : runs) {
        QAction* action = resume->addAction(name, this, [this, name] { resumeTraining(name); });
        action->setEnabled(!latestCheckpoint(runFolder(name)).isEmpty());
    }
    QMenu* remove = runsMenu->addMenu(tr("Delete an earlier run"));
    for (const QString& name : runs)
        remove->addAction(name, this, [this, name] {
            const auto answer = QMessageBox::question(
                this, tr("Delete run"),
                tr("Delete the run %1 with its checkpoints, adapter and metrics? This cannot be undone.").arg(name),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes) return;
            QString error;
            if (!deleteEarlierRun(name, &error)) showError(error);
        });
}

QStringList TrainingPanel::earlierRuns() const {
    QStringList names;
    for (const RunFolder& r : listRuns(outputDir().toStdString()))
        if (!r.name.empty()) names << QString::fromStdString(r.name);
    return names;
}

bool TrainingPanel::deleteEarlierRun(const QString& name, QString* error) {
    try {
        deleteRun(outputDir().toStdString(), name.toStdString());
    } catch (const std::exception& e) {
        if (error) *error = errorText(e);
        return false;
    }
    m_log->appendPlainText(tr("Deleted the earlier run %1").arg(name));
    return true;
}

QString TrainingPanel::runFolder(const QString& runName) const {
    return runName.isEmpty() ? outputDir() : outputDir() + QStringLiteral("/runs/") + runName;
}

QString TrainingPanel::latestCheckpoint(const QString& folder) const {
    QDir dir((folder.isEmpty() ? outputDir() : folder) + QStringLiteral("/checkpoints"));
    long long best = -1;
    QString bestPath;
    for (const QString& name : dir.entryList({QStringLiteral("step-*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const long long step = name.mid(5).toLongLong(&ok);
        if (ok && step > best) { best = step; bestPath = dir.absoluteFilePath(name); }
    }
    return bestPath;
}

void TrainingPanel::showHistory(const QString& folder) {
    clearRun();
    QFile file(folder + QStringLiteral("/metrics.jsonl"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return;
    while (!file.atEnd()) {
        const MetricsRecord r = readMetricsLine(file.readLine().toStdString());
        if (r.kind == MetricsRecord::Kind::Step) onStep(r.step);
        else if (r.kind == MetricsRecord::Kind::Eval) onEval(r.eval);
    }
    flush();
}

bool TrainingPanel::loadOverlay(const QString& metricsFile, QString* error) {
    QFile file(metricsFile);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = tr("Cannot read %1: %2").arg(metricsFile, file.errorString());
        return false;
    }
    m_overlayTrain->data()->clear();
    m_overlayVal->data()->clear();
    int lineNumber = 0, points = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty()) continue;
        const auto j = nlohmann::json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            if (file.atEnd()) break; // a run that crashed mid-write leaves a torn last line
            *error = tr("%1:%2: not a JSON object (hint: pick a run's metrics.jsonl)").arg(metricsFile).arg(lineNumber);
            return false;
        }
        const std::string type = j.value("type", std::string());
        if (!j.contains("step") || !j.contains("loss") || !j["loss"].is_number()) continue;
        const double step = j["step"].get<double>(), loss = j["loss"].get<double>();
        if (type == "step") { m_overlayTrain->addData(step, loss); ++points; }
        else if (type == "eval") { m_overlayVal->addData(step, loss); ++points; }
    }
    if (points == 0) {
        *error = tr("%1 holds no step or eval lines").arg(metricsFile);
        return false;
    }
    m_overlayTrain->setName(tr("earlier: train (%1)").arg(QFileInfo(metricsFile).dir().dirName()));
    m_overlayTrain->addToLegend();
    if (!m_overlayVal->data()->isEmpty()) m_overlayVal->addToLegend();
    ChartView::of(m_lossPlot)->resetView();
    return true;
}

} // namespace lorastudio::ui

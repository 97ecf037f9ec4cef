// Training panel: the controls, the live charts and the log of one training run (see the header).
// Points arrive once per step from TrainingController and are only queued; a 80 ms timer moves
// them into the graphs and replots, so a fast run never replots once per step.
#include "estimate/memory_estimate.h"
#include "error_text.h"
#include "train/train_types.h"

#include "training_panel.h"
#include "data_summary.h"

#include "chart_view.h"

#include "model_context.h"
#include "note_label.h"
#include "output_location.h"
#include "project_document.h"
#include "run_log_text.h"
#include "qcustomplot_include.h"
#include "training_controller.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>

#include "distributed_dialog.h"
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace lorastudio::ui {

namespace {

constexpr double kEmaAlpha = 0.1; // smoothing of the train loss: ema = a*loss + (1-a)*ema

QString formatDuration(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) return QStringLiteral("–");
    const int s = static_cast<int>(seconds + 0.5);
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QCPGraph* addGraph(QCustomPlot* plot, const QString& name, int color, Qt::PenStyle style = Qt::SolidLine, double width = 1.5) {
    QCPGraph* g = plot->addGraph();
    g->setName(name);
    QPen pen(plotColor(color), width);
    pen.setStyle(style);
    g->setPen(pen);
    return g;
}

} // namespace

TrainingPanel::TrainingPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);

    auto* buttons = new QHBoxLayout;
    m_start = new QPushButton(tr("Start"));
    m_start->setObjectName(QStringLiteral("trainStart"));
    m_start->setToolTip(tr("Start a fresh run of the open project"));
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setObjectName(QStringLiteral("trainPause"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setObjectName(QStringLiteral("trainStop"));
    m_stop->setToolTip(tr("Stop at the next step: a checkpoint and the adapter are written"));
    m_resume = new QPushButton(tr("Resume"));
    m_resume->setObjectName(QStringLiteral("trainResume"));
    m_resume->setToolTip(tr("Continue from the newest checkpoint in the output folder"));
    m_overlay = new QPushButton(tr("Earlier runs"));
    m_overlay->setToolTip(tr("Earlier runs of this output folder (each Start keeps the one before in runs/): "
                             "draw one behind the live curves, or delete one"));
    m_several = new QPushButton(tr("Several GPUs…"));
    m_several->setObjectName(QStringLiteral("trainSeveral"));
    m_several->setToolTip(tr("Run on several GPUs or machines: launch scripts (torchrun, Slurm), or several ranks here"));
    m_export = new QPushButton(tr("Export…"));
    m_export->setObjectName(QStringLiteral("trainExport"));
    m_export->setToolTip(tr("Write the trained adapter as a PEFT adapter or as a merged model"));
    m_logScale = new QCheckBox(tr("Log scale"));
    m_logScale->setObjectName(QStringLiteral("trainLogScale"));
    for (QWidget* w : {static_cast<QWidget*>(m_start), static_cast<QWidget*>(m_pause), static_cast<QWidget*>(m_stop),
                       static_cast<QWidget*>(m_resume), static_cast<QWidget*>(m_overlay), static_cast<QWidget*>(m_several),
                       static_cast<QWidget*>(m_export)})
        buttons->addWidget(w);
    buttons->addStretch();
    buttons->addWidget(m_logScale);
    layout->addLayout(buttons);
    m_startReason = makeNoteLabel(QStringLiteral("trainStartReason"));
    layout->addWidget(m_startReason);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("trainProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("Not started"));
    layout->addWidget(m_progress);

    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("trainBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #f8d7da; color: #721c24; border: 1px solid #f5c6cb;"
                                           " padding: 6px; border-radius: 3px; }"));
    m_banner->hide();
    layout->addWidget(m_banner);

    auto* splitter = new QSplitter(Qt::Vertical);
    auto* charts = new QWidget;
    auto* grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    m_lossPlot = makePlot(tr("Loss"), tr("loss"));
    m_lossRaw = addGraph(m_lossPlot, tr("train"), 0, Qt::SolidLine, 1.0);
    m_lossRaw->setPen(QPen(plotColor(0).lighter(140), 1.0));
    m_lossEma = addGraph(m_lossPlot, tr("train (EMA)"), 0, Qt::SolidLine, 2.0);
    m_valLoss = addGraph(m_lossPlot, tr("validation"), 1, Qt::SolidLine, 2.0);
    m_valLoss->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    m_overlayTrain = addGraph(m_lossPlot, tr("earlier: train"), 7, Qt::DashLine, 1.2);
    m_overlayVal = addGraph(m_lossPlot, tr("earlier: validation"), 5, Qt::DashLine, 1.2);
    m_overlayTrain->removeFromLegend();
    m_overlayVal->removeFromLegend();
    m_lossPlot->legend->setVisible(true);
    ChartView::placeLegendAbove(m_lossPlot);  // never over the newest steps
    auto* lrPlot = makePlot(tr("Learning rate"), tr("lr"));
    m_lr = addGraph(lrPlot, tr("lr"), 2);
    auto* gradPlot = makePlot(tr("Gradient norm"), tr("‖g‖ (unclipped)"));
    m_gradNorm = addGraph(gradPlot, tr("grad norm"), 3);
    auto* tokPlot = makePlot(tr("Throughput"), tr("tokens/s"));
    m_tokens = addGraph(tokPlot, tr("tokens/s"), 4);
    m_tokensPlot = tokPlot;
    m_rewardPlot = makePlot(tr("Reward margin"), tr("chosen − rejected"));
    m_margin = addGraph(m_rewardPlot, tr("train"), 0);
    m_valMargin = addGraph(m_rewardPlot, tr("validation"), 1, Qt::SolidLine, 2.0);
    m_valMargin->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    m_rewardPlot->legend->setVisible(true);
    ChartView::placeLegendAbove(m_rewardPlot);
    m_memoryPlot = makePlot(tr("Memory"), tr("MiB"), /*zeroBasedY=*/true);
    m_memory = addGraph(m_memoryPlot, tr("measured peak"), 5);
    m_estimate = addGraph(m_memoryPlot, tr("estimate"), 6, Qt::DashLine);
    m_reserved = addGraph(m_memoryPlot, tr("reserved peak (CUDA)"), 3, Qt::DotLine);
    m_reserved->removeFromLegend();  // listed once a CUDA run reports it
    m_memoryPlot->legend->setVisible(true);
    ChartView::placeLegendAbove(m_memoryPlot);
    grid->addWidget(m_lossPlot, 0, 0, 1, 2);
    grid->addWidget(lrPlot, 0, 2);
    grid->addWidget(gradPlot, 1, 0);
    grid->addWidget(tokPlot, 1, 1);
    grid->addWidget(m_rewardPlot, 1, 1);  // one of the two shows: showRewardPlot
    m_rewardPlot->hide();
    grid->addWidget(m_memoryPlot, 1, 2);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);
    splitter->addWidget(charts);

    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("trainLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setPlaceholderText(tr("The trainer's log appears here."));
    splitter->addWidget(m_log);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    m_replot = new QTimer(this);
    m_replot->setInterval(80);
    connect(m_replot, &QTimer::timeout, this, &TrainingPanel::flush);
    m_replot->start();

    connect(m_start, &QPushButton::clicked, this, [this] { startTraining(); });
    connect(m_resume, &QPushButton::clicked, this, [this] { resumeTraining(); });
    connect(m_stop, &QPushButton::clicked, this, [this] { if (m_context.training) m_context.training->stop(); });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (!m_context.training) return;
        if (m_context.training->state() == TrainingController::State::Paused) m_context.training->unpause();
        else m_context.training->pause();
    });
    // Earlier runs (output_dir/runs/<name>, kept by every fresh Start): overlay, resume or delete
    // one (training_panel_runs.cpp). The menu is rebuilt each time it opens.
    auto* runsMenu = new QMenu(m_overlay);
    m_overlay->setMenu(runsMenu);
    connect(runsMenu, &QMenu::aboutToShow, this, [this, runsMenu] { fillRunsMenu(runsMenu); });
    connect(m_export, &QPushButton::clicked, this, &TrainingPanel::exportRequested);
    connect(m_several, &QPushButton::clicked, this, [this] {
        DistributedDialog dialog(m_context, this);
        dialog.exec();
    });
    connect(m_logScale, &QCheckBox::toggled, this, &TrainingPanel::setLogScale);

    if (TrainingController* t = m_context.training) {
        connect(t, &TrainingController::stepCompleted, this, &TrainingPanel::onStep);
        connect(t, &TrainingController::evaluated, this, &TrainingPanel::onEval);
        connect(t, &TrainingController::logged, this, &TrainingPanel::onLog);
        connect(t, &TrainingController::finished, this, &TrainingPanel::onFinished);
        connect(t, &TrainingController::failed, this, &TrainingPanel::showError);
        connect(t, &TrainingController::checkpointSaved, this, [this](const CheckpointInfo& c) {
            m_log->appendPlainText(tr("Checkpoint at step %1: %2").arg(c.step).arg(QString::fromStdString(c.path)));
        });
        connect(t, &TrainingController::stateChanged, this, &TrainingPanel::updateButtons);
        connect(t, &TrainingController::attachedToRun, this, [this](const QString& runDir, qint64 pid) {
            clearRun();
            m_log->appendPlainText(tr("Following the background run (process %1) in %2: Pause and Stop act on it.")
                                       .arg(pid)
                                       .arg(QDir::toNativeSeparators(runDir)));
            showLoading();
        });
    }
    if (m_context.model) connect(m_context.model, &ModelContext::modelChanged, this, &TrainingPanel::updateEstimate);
    if (m_context.data) connect(m_context.data, &DataSummary::changed, this, &TrainingPanel::updateEstimate);
    if (m_context.document) {
        connect(m_context.document, &ProjectDocument::replaced, this, [this] { updateEstimate(); updateButtons(); });
        connect(m_context.document, &ProjectDocument::changed, this, [this] { updateEstimate(); updateButtons(); });
    }
    updateEstimate();
    updateButtons();
}

QCustomPlot* TrainingPanel::makePlot(const QString& title, const QString& yLabel, bool zeroBasedY) {
    auto* plot = new QCustomPlot;
    plot->setMinimumSize(220, 150);
    stylePlot(plot, palette());
    plot->plotLayout()->insertRow(0);
    auto* caption = new QCPTextElement(plot, title, QFont(font().family(), font().pointSize(), QFont::Bold));
    caption->setTextColor(palette().color(QPalette::WindowText));
    plot->plotLayout()->addElement(0, 0, caption);
    plot->xAxis->setLabel(tr("step"));
    plot->yAxis->setLabel(yLabel);
    ChartView::install(plot, zeroBasedY);  // wheel scrolls the page, Ctrl+wheel zooms, double click fits
    plot->legend->setVisible(false);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    plot->legend->setFont(small);
    m_plots.push_back(plot);
    return plot;
}

QString TrainingPanel::projectName() const {
    return m_context.document ? QFileInfo(m_context.document->filePath()).completeBaseName() : QString();
}

QString TrainingPanel::outputDir() const {
    if (!m_context.document) return {};
    return effectiveOutputDir(m_context.document->config(), projectName()).path;
}

QString TrainingPanel::bannerText() const { return m_banner->isHidden() ? QString() : m_banner->text(); }

bool TrainingPanel::startTraining() {
    if (!m_context.training || !m_context.document) return false;
    // Checkpoints kept and the Rank panel's spectra snapshots follow the project's
    // training.save_total_limit and training.analysis_every (TrainerOptions left unset).
    QString error;
    if (!m_context.training->start(m_context.document->config(), projectName(), &error)) {
        showError(error);  // the earlier run's curves stay: nothing new has started
        return false;
    }
    clearRun();
    m_shownRun = outputDir();
    m_log->appendPlainText(tr("Training started; output: %1").arg(m_context.training->outputDir()));
    showLoading();
    updateEstimate(); // now with this process's baseline
    return true;
}

bool TrainingPanel::resumeTraining(const QString& runName) {
    if (!m_context.training || !m_context.document) return false;
    const QString folder = runFolder(runName);
    const QString checkpoint = latestCheckpoint(folder);
    if (checkpoint.isEmpty()) {
        showError(tr("No checkpoint to resume from in %1 (hint: a run writes one every save_every steps and when it is stopped)")
                      .arg(QDir::toNativeSeparators(folder + QStringLiteral("/checkpoints"))));
        return false;
    }
    m_banner->hide();
    if (!runName.isEmpty() || m_lossRaw->dataCount() == 0 || m_shownRun != folder) showHistory(folder);
    QString error;
    if (!m_context.training->resume(checkpoint, m_context.document->config(), &error)) {
        showError(error);
        return false;
    }
    m_shownRun = folder;
    m_log->appendPlainText(tr("Resumed from %1").arg(checkpoint));
    showLoading();
    updateEstimate(); // now with this process's baseline
    return true;
}

void TrainingPanel::clearRun() {
    m_banner->hide();
    m_pendingSteps.clear();
    m_pendingEvals.clear();
    m_haveEma = false;
    m_lastStep = 0;
    for (QCPGraph* g : {m_lossRaw, m_lossEma, m_valLoss, m_lr, m_gradNorm, m_tokens, m_memory, m_reserved, m_margin, m_valMargin})
        g->data()->clear();
    showRewardPlot(m_context.document && isPreferenceObjective(m_context.document->config().training.objective));
    m_memory->setName(tr("measured peak"));
    m_reserved->removeFromLegend();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    for (QCustomPlot* plot : m_plots) ChartView::of(plot)->resetView();  // a new run: the user's zoom goes
    updateEstimate();
}

void TrainingPanel::onStep(const StepMetrics& m) {
    // A resumed run continues the curve: drop the points past its first step.
    if (m.step <= m_lastStep) {
        for (QCPGraph* g : {m_lossRaw, m_lossEma, m_lr, m_gradNorm, m_tokens, m_memory, m_reserved, m_margin})
            g->data()->removeAfter(static_cast<double>(m.step) - 0.5);
        m_valLoss->data()->removeAfter(static_cast<double>(m.step) - 0.5);
        m_valMargin->data()->removeAfter(static_cast<double>(m.step) - 0.5);
    }
    m_lastStep = static_cast<double>(m.step);
    const bool finite = std::isfinite(m.loss);
    if (finite) {
        m_ema = m_haveEma ? kEmaAlpha * m.loss + (1 - kEmaAlpha) * m_ema : m.loss;
        m_haveEma = true;
    }
    // CUDA: the caching allocator's peaks (in tensors, and held from the driver), which is what the
    // estimate predicts for the device; CPU: the process's peak resident set.
    const double mib = 1024.0 * 1024.0;
    const double memory = static_cast<double>(m.devicePeakBytes > 0 ? m.devicePeakBytes : m.peakRssBytes) / mib;
    const double reserved = static_cast<double>(m.deviceReservedPeakBytes) / mib;
    if (reserved > 0 && m_memory->name() != tr("allocated peak (CUDA)")) {
        m_memory->setName(tr("allocated peak (CUDA)"));
        m_reserved->addToLegend();
    }
    const bool dpo = m.preference.pairs > 0;
    if (dpo != m_rewardPlot->isVisibleTo(this)) showRewardPlot(dpo);
    m_pendingSteps.push_back({static_cast<double>(m.step), m.loss, m_ema, m.lr, m.gradNorm, m.tokensPerSecond, memory,
                              reserved, dpo ? m.preference.margin() : std::nan("")});
    m_progress->setRange(0, static_cast<int>(m.totalSteps));
    m_progress->setValue(static_cast<int>(m.step));
    // A step that was in flight when Pause was pressed still arrives: paused runs show no ETA.
    if (m_context.training && m_context.training->state() == TrainingController::State::Paused)
        m_progress->setFormat(tr("Paused at step %1").arg(m.step));
    else
        m_progress->setFormat(tr("Step %1 / %2 · epoch %3 · elapsed %4 · ETA %5")
                                  .arg(m.step).arg(m.totalSteps).arg(m.epoch, 0, 'f', 2)
                                  .arg(formatDuration(m.elapsedSeconds), formatDuration(m.etaSeconds)));
}

void TrainingPanel::onEval(const EvalMetrics& m) {
    const bool dpo = m.preference.pairs > 0;
    m_pendingEvals.push_back({static_cast<double>(m.step), m.loss, dpo ? m.preference.margin() : std::nan("")});
    if (dpo)
        m_log->appendPlainText(tr("Validation at step %1: loss %2, reward accuracy %3, margin %4")
                                   .arg(m.step)
                                   .arg(m.loss, 0, 'f', 4)
                                   .arg(m.preference.accuracy, 0, 'f', 2)
                                   .arg(m.preference.margin(), 0, 'f', 4));
    else
        m_log->appendPlainText(tr("Validation at step %1: loss %2, perplexity %3").arg(m.step).arg(m.loss, 0, 'f', 4).arg(m.perplexity, 0, 'f', 2));
}

void TrainingPanel::onLog(const LogLine& line) {
    // Evaluations, checkpoints and the outcome arrive as their own signals and are logged there,
    // in the user's language; the trainer's English line for the same event would repeat them.
    if (line.topic != LogTopic::General && line.topic != LogTopic::Pause && line.topic != LogTopic::Resume) return;
    switch (line.level) {
    case LogLevel::Info: m_log->appendPlainText(runLogText(line.text)); break;
    case LogLevel::Warning: m_log->appendPlainText(tr("Warning: %1").arg(runWarningText(line.text))); break;
    case LogLevel::Error: showError(errorText(line.text)); break; // showError logs it once
    }
}

void TrainingPanel::onFinished(const TrainResult& result) {
    flush();
    if (result.outcome == TrainOutcome::Diverged) {
        showError(errorText(result.message)); // logs it once
        return;
    }
    m_log->appendPlainText(runLogText(result.message));
    m_progress->setRange(0, static_cast<int>(std::max<int64_t>(1, result.totalSteps)));
    m_progress->setValue(static_cast<int>(result.step));
    m_progress->setFormat(tr("%1 at step %2 / %3").arg(result.outcome == TrainOutcome::Completed ? tr("Completed") : tr("Stopped"))
                                   .arg(result.step).arg(result.totalSteps));
    updateButtons();
}

QString TrainingPanel::logText() const { return m_log->toPlainText(); }

QString TrainingPanel::startBlockedReason() const { return m_startReason->text(); }

QString TrainingPanel::progressText() const { return m_progress->format(); }

void TrainingPanel::showLoading() {
    // Until the first step arrives (loading the model, tokenizing, attaching LoRA): a busy bar.
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("Loading the model and data…"));
}

void TrainingPanel::showError(const QString& message) {
    if (m_progress->maximum() == 0) {  // still "Loading…": the run ended before its first step
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->setFormat(tr("Failed before the first step"));
    }
    m_banner->setText(message);
    m_banner->show();
    m_log->appendPlainText(tr("Error: %1").arg(message));
    updateButtons();
}

void TrainingPanel::flush() {
    if (m_pendingSteps.empty() && m_pendingEvals.empty()) return;
    for (const Point& p : m_pendingSteps) {
        if (std::isfinite(p.loss)) {
            m_lossRaw->addData(p.step, p.loss);
            m_lossEma->addData(p.step, p.ema);
        }
        m_lr->addData(p.step, p.lr);
        if (std::isfinite(p.grad)) m_gradNorm->addData(p.step, p.grad);
        m_tokens->addData(p.step, p.tokens);
        if (p.memory > 0) m_memory->addData(p.step, p.memory);
        if (p.reserved > 0) m_reserved->addData(p.step, p.reserved);
        if (std::isfinite(p.margin)) m_margin->addData(p.step, p.margin);
    }
    for (const EvalPoint& e : m_pendingEvals) {
        if (std::isfinite(e.loss)) m_valLoss->addData(e.step, e.loss);
        if (std::isfinite(e.margin)) m_valMargin->addData(e.step, e.margin);
    }
    m_pendingSteps.clear();
    m_pendingEvals.clear();
    if (m_estimateBytes > 0) {
        const double mib = m_estimateBytes / (1024.0 * 1024.0);
        const double right = std::max(1.0, m_lastStep);
        m_estimate->data()->clear();
        m_estimate->addData(0, mib);
        m_estimate->addData(right, mib);
    }
    for (QCustomPlot* plot : m_plots) {
        ChartView::of(plot)->fit();  // unless the user zoomed or panned it
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void TrainingPanel::showRewardPlot(bool dpo) {
    m_rewardPlot->setVisible(dpo);
    m_tokensPlot->setVisible(!dpo);
}

void TrainingPanel::updateEstimate() {
    m_estimateBytes = 0;
    m_estimate->data()->clear();
    if (!m_context.model || !m_context.model->hasModel() || !m_context.document) return;
    try {
        // The run trains in this process: once it has started, the estimate counts the studio's
        // own memory (Qt, plots, data) instead of a bare LibTorch process's, as the measured peak does.
        MemoryOptions options = sizedForData(m_context.data);
        if (m_context.training && m_context.training->processBaselineBytes() > 0)
            options.processBaselineBytes = m_context.training->processBaselineBytes();
        m_estimateBytes = static_cast<double>(estimateMemory(m_context.model->info().spec, m_context.document->config(), options).total);
    } catch (const std::exception&) {
        m_estimateBytes = 0; // the LoRA panel already says why the settings do not work
    }
    if (m_estimateBytes > 0) {
        const double mib = m_estimateBytes / (1024.0 * 1024.0);
        m_estimate->addData(0, mib);
        m_estimate->addData(std::max(1.0, m_lastStep), mib);
        ChartView::of(m_memoryPlot)->fit();
        m_memoryPlot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void TrainingPanel::setLogScale(bool on) {
    for (QCustomPlot* plot : {m_lossPlot, m_plots[2]}) { // loss and grad norm span decades
        if (on) {
            plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
            plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        } else {
            plot->yAxis->setScaleType(QCPAxis::stLinear);
            plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        }
        ChartView::of(plot)->resetView();
    }
}

void TrainingPanel::updateButtons() {
    const TrainingController* t = m_context.training;
    const auto state = t ? t->state() : TrainingController::State::Idle;
    const bool idle = state == TrainingController::State::Idle;
    const bool hasProject = m_context.document && !m_context.document->config().baseModel.empty();
    // Start is offered only for a project that can start, and says why not otherwise.
    QString reason;
    if (!hasProject) {
        reason = tr("choose a base model first");
    } else {
        try {
            validateProject(m_context.document->config());
        } catch (const std::exception& e) {
            reason = errorText(e);
        }
    }
    m_start->setEnabled(t && idle && reason.isEmpty());
    m_resume->setEnabled(t && idle && reason.isEmpty());
    m_startReason->setText(reason.isEmpty() ? QString() : tr("Cannot start: %1").arg(reason));
    m_startReason->setVisible(!reason.isEmpty() && idle);
    m_pause->setEnabled(state == TrainingController::State::Running || state == TrainingController::State::Paused);
    m_pause->setText(state == TrainingController::State::Paused ? tr("Continue") : tr("Pause"));
    m_stop->setEnabled(state == TrainingController::State::Running || state == TrainingController::State::Paused);
    if (state == TrainingController::State::Paused) m_progress->setFormat(tr("Paused at step %1").arg(m_progress->value()));
}

} // namespace lorastudio::ui

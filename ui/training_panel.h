// Training panel: Start / Pause / Stop / Resume for the open project, a progress bar with ETA, live
// charts (loss raw + EMA + validation, learning rate, grad norm, tokens/s, memory against the
// estimate) batched on a replot timer, an earlier run's metrics.jsonl as overlay, errors, the log.
#pragma once
#include "panel_registry.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QCPGraph;
class QCustomPlot;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;

namespace lorastudio {
struct StepMetrics;
struct EvalMetrics;
struct LogLine;
struct TrainResult;
}

namespace lorastudio::ui {


class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(const PanelContext& context, QWidget* parent = nullptr);

    // Starts a fresh run / resumes from the newest checkpoint of the output folder. False with a
    // message shown in the banner when it cannot.
    bool startTraining();
    // runName "" continues the newest run; an earlier run's name (outputDir/runs/<name>) continues
    // that one in its own folder. Its curves so far are drawn first when the chart does not have them.
    bool resumeTraining(const QString& runName = {});
    // Reads an earlier run's metrics.jsonl and draws it dashed behind the live curves.
    bool loadOverlay(const QString& metricsFile, QString* error);
    // The folder of the newest outputDir/checkpoints/step-N ("" when there is none).
    QString latestCheckpoint(const QString& runFolder = {}) const;
    // The folder of a run by name ("" = the newest, at the top of the output folder).
    QString runFolder(const QString& runName) const;
    // The earlier runs kept in outputDir/runs (newest first), and deleting one (the menu asks first).
    QStringList earlierRuns() const;
    bool deleteEarlierRun(const QString& name, QString* error);
    QString outputDir() const;

    // For tests: the live train-loss graph and the charts.
    QCPGraph* lossGraph() const { return m_lossRaw; }
    const std::vector<QCustomPlot*>& plots() const { return m_plots; }
    QString bannerText() const;
    QString startBlockedReason() const;  // "" when Start is possible
    QString progressText() const;
    QString logText() const;
    double estimateBytes() const { return m_estimateBytes; } // the memory chart's estimate line
    QPushButton* exportButton() const { return m_export; }

Q_SIGNALS:
    // "Export…" was clicked: the window shows the Export page.
    void exportRequested();

private:
    void onStep(const StepMetrics& m);
    void onEval(const EvalMetrics& m);
    void onLog(const LogLine& line);
    void onFinished(const TrainResult& result);
    void showError(const QString& message);
    void showLoading();
    void flush();                       // moves the batched points into the graphs and replots
    void clearRun();
    void showHistory(const QString& runFolder);
    void fillRunsMenu(QMenu* menu);  // the Earlier runs menu, rebuilt as it opens  // the run's metrics.jsonl as the live curves
    void updateButtons();
    void updateEstimate();
    void setLogScale(bool on);
    QCustomPlot* makePlot(const QString& title, const QString& yLabel, bool zeroBasedY = false);
    QString projectName() const;

    PanelContext m_context;
    QPushButton* m_start;
    QLabel* m_startReason;
    QPushButton* m_pause;
    QPushButton* m_stop;
    QPushButton* m_resume;
    QPushButton* m_overlay;
    QPushButton* m_export;
    QPushButton* m_several;   // "Several GPUs…": DistributedDialog
    QCheckBox* m_logScale;
    QProgressBar* m_progress;
    QLabel* m_banner;
    QPlainTextEdit* m_log;
    QTimer* m_replot;

    std::vector<QCustomPlot*> m_plots;
    QCustomPlot* m_lossPlot = nullptr;
    QCustomPlot* m_memoryPlot = nullptr;
    QCPGraph* m_lossRaw = nullptr;
    QCPGraph* m_lossEma = nullptr;
    QCPGraph* m_valLoss = nullptr;
    QCPGraph* m_overlayTrain = nullptr;
    QCPGraph* m_overlayVal = nullptr;
    QCPGraph* m_lr = nullptr;
    QCPGraph* m_gradNorm = nullptr;
    QCPGraph* m_tokens = nullptr;
    QCPGraph* m_memory = nullptr;
    QCPGraph* m_reserved = nullptr;  // CUDA: the caching allocator's reserved peak
    QCPGraph* m_estimate = nullptr;
    // DPO and ORPO runs: the reward margin (chosen - rejected) in the throughput chart's place.
    QCustomPlot* m_tokensPlot = nullptr;
    QCustomPlot* m_rewardPlot = nullptr;
    QCPGraph* m_margin = nullptr;
    QCPGraph* m_valMargin = nullptr;
    double m_estimateBytes = 0;

    struct Point { double step, loss, ema, lr, grad, tokens, memory, reserved, margin; };
    std::vector<Point> m_pendingSteps;
    struct EvalPoint { double step, loss, margin; };
    std::vector<EvalPoint> m_pendingEvals;
    void showRewardPlot(bool dpo);
    double m_ema = 0;
    bool m_haveEma = false;
    double m_lastStep = 0;
    QString m_shownRun;  // the run folder whose curves the charts show
};

} // namespace lorastudio::ui

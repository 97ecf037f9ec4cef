// Rank panel: what the LoRA update ΔW = s·B·A learned, from the trainer's analysis snapshots or an
// adapter folder: the selected module's singular values (log scale) and energy-at-k, a layer ×
// module heatmap of effective rank, the advice, and beside the heatmap three tabs: suggested ranks
// (written into the project in one click), where learning happened, and a φ subspace-similarity
// grid between two adapters.
#pragma once
#include "panel_registry.h"

#include <QFutureWatcher>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <memory>

class QComboBox;
class QCPColorMap;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTabWidget;

namespace lorastudio {
struct AdapterReport;
struct AdapterComparison;
struct AnalysisSnapshot;
}

namespace lorastudio::ui {

class LearningSummaryView;
class RankSuggestionView;

class RankPanel : public QWidget {
    Q_OBJECT
public:
    explicit RankPanel(const PanelContext& context, QWidget* parent = nullptr);
    ~RankPanel() override;

    // Analyses a PEFT adapter folder (with the project's base model for relative norms when it
    // fits) on a worker thread; analysisFinished reports the outcome, an error naming the folder.
    // A newer request replaces one still running (its result is dropped).
    void openAdapter(const QString& folder);
    // φ grids between two adapter (or checkpoint) folders, on a worker thread likewise.
    void compareFolders(const QString& first, const QString& second);
    void showSnapshot(const AnalysisSnapshot& snapshot);
    bool isBusy() const;

    int moduleCount() const;
    QCustomPlot* spectrumPlot() const { return m_spectrum; }
    QString adviceText() const;
    QString phiCaption() const;
    QString sourceText() const;
    // A click on the heatmap at a widget pixel: the cell's module becomes the shown one (false
    // when the pixel is on no module's cell).
    bool selectHeatmapCellAt(const QPoint& pixel);
    QCustomPlot* heatmap() const { return m_heatmap; }
    QString currentModule() const;  // what the spectra show (a live run's step, an adapter, a comparison)
    RankSuggestionView* suggestions() const { return m_suggestions; }
    LearningSummaryView* learning() const { return m_learning; }
    QTabWidget* tabs() const { return m_tabs; }

    // A background result, shared between the worker and the GUI thread.
    struct Job;

Q_SIGNALS:
    // After openAdapter / compareFolders: ok, or false with the message also shown in the panel.
    void analysisFinished(bool ok, const QString& message);

private:
    void finishOpen();
    void finishCompare();
    void updateBusy();
    void showReport(const QString& source);
    void showModule(int index);
    void showPhi();

    PanelContext m_context;
    QLabel* m_source;
    QComboBox* m_module;
    QComboBox* m_basis;
    QStringList m_compared; // the two folders of the current φ grid
    QPushButton* m_open;
    QPushButton* m_compare;
    QLabel* m_advice;
    QLabel* m_moduleAdvice;
    QCustomPlot* m_spectrum;
    QCustomPlot* m_energy;
    QCustomPlot* m_heatmap;
    double m_heatmapView[4] = {0, 1, 0, 1};  // its fitted x and y ranges (a double click returns to them)
    QCPColorMap* m_heatmapMap = nullptr;
    QCustomPlot* m_phiPlot;
    QCPColorMap* m_phiMap = nullptr;
    QLabel* m_phiCaption;
    QTabWidget* m_tabs;           // beside the heatmap: suggested ranks, where learning happened, φ
    RankSuggestionView* m_suggestions;
    LearningSummaryView* m_learning;
    std::unique_ptr<AdapterReport> m_report;
    std::unique_ptr<AdapterComparison> m_comparison;
    QString m_lastCheckpoint; // the newest checkpoint of the current run (compared with the next)
    int64_t m_liveStep = -1;  // step of the live snapshot shown; -1 when showing something else
    void runEnded(const QString& how);
    QString startFolder() const;
    QFutureWatcher<std::shared_ptr<Job>> m_openJob;
    QFutureWatcher<std::shared_ptr<Job>> m_compareJob;
};

} // namespace lorastudio::ui

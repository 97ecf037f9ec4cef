// Rank panel: what the LoRA update ΔW = s·B·A learned, from the trainer's analysis snapshots or an
// adapter folder: the selected module's singular values (log scale) and energy-at-k, a layer ×
// module heatmap of effective rank, a φ subspace-similarity grid between two adapters, the advice.
#pragma once
#include "panel_registry.h"

#include <QStringList>
#include <QWidget>

#include <memory>

class QComboBox;
class QCPColorMap;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace lorastudio {
struct AdapterReport;
struct AdapterComparison;
struct AnalysisSnapshot;
}

namespace lorastudio::ui {

class RankPanel : public QWidget {
    Q_OBJECT
public:
    explicit RankPanel(const PanelContext& context, QWidget* parent = nullptr);
    ~RankPanel() override;

    // Analyses a PEFT adapter folder (with the project's base model for relative norms when it
    // fits). False with `error` naming the folder when it cannot be read.
    bool openAdapter(const QString& folder, QString* error);
    // φ grids between two adapter (or checkpoint) folders.
    bool compareFolders(const QString& first, const QString& second, QString* error);
    void showSnapshot(const AnalysisSnapshot& snapshot);

    int moduleCount() const;
    QCustomPlot* spectrumPlot() const { return m_spectrum; }
    QString adviceText() const;

private:
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
    QCPColorMap* m_heatmapMap = nullptr;
    QCustomPlot* m_phiPlot;
    QCPColorMap* m_phiMap = nullptr;
    QLabel* m_phiCaption;
    std::unique_ptr<AdapterReport> m_report;
    std::unique_ptr<AdapterComparison> m_comparison;
    QString m_lastCheckpoint; // the newest checkpoint of the current run (compared with the next)
};

} // namespace lorastudio::ui

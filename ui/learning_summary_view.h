// The Inspect page's "where learning happened": the update split by layer and by module kind, as
// shares of the summed ‖ΔW‖_F² and of the summed effective rank, with the median amplification
// factor ‖ΔW‖_F / ‖Uᵀ W0 V‖_F of each group when the base model is known (core/analysis/
// learning_summary.h). It complements the heatmap, which shows one module per cell.
#pragma once
#include <QWidget>

class QBoxLayout;
class QLabel;
class QTableWidget;

namespace lorastudio {
struct AdapterReport;
}

namespace lorastudio::ui {

class LearningSummaryView : public QWidget {
    Q_OBJECT
public:
    explicit LearningSummaryView(QWidget* parent = nullptr);

    void setReport(const AdapterReport* report);  // null clears
    QTableWidget* layerTable() const { return m_layers; }
    QTableWidget* kindTable() const { return m_kinds; }
    QString captionText() const;

protected:
    // Side by side where each table gets room for its five columns, else stacked (by kind first).
    void resizeEvent(QResizeEvent* event) override;

private:
    QBoxLayout* m_tables;
    QTableWidget* m_layers;
    QTableWidget* m_kinds;
    QLabel* m_caption;
};

} // namespace lorastudio::ui

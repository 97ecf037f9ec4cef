// MemoryBar: one horizontal stacked bar (QCustomPlot, QCPBars stacked) showing how a memory
// estimate splits into components, drawn against the device's capacity (a vertical line), with
// a legend below it. Colours come from a fixed palette chosen to read on light and dark backgrounds.
#pragma once
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QLabel;

namespace lorastudio::ui {

struct MemorySegment {
    QString label;   // translated, e.g. "Weights"
    double bytes = 0;
};

class MemoryBar : public QWidget {
    Q_OBJECT
public:
    explicit MemoryBar(QWidget* parent = nullptr);

    // capacityBytes <= 0: no capacity line. An empty list clears the bar.
    void setSegments(const QVector<MemorySegment>& segments, double capacityBytes, const QString& capacityLabel);
    QCustomPlot* plot() const { return m_plot; }

protected:
    void changeEvent(QEvent* event) override; // follows palette changes (light <-> dark)

private:
    void applyPalette();

    QCustomPlot* m_plot = nullptr;
    QLabel* m_legend = nullptr;
    QVector<MemorySegment> m_segments;
    double m_capacity = 0;
    QString m_capacityLabel;
};

} // namespace lorastudio::ui

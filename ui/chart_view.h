// How the studio's charts answer the mouse, and how they fit their data:
//  - the wheel scrolls the page the chart sits in; Ctrl+wheel zooms the chart (dragging pans it);
//  - once the user zoomed or panned, new points no longer reset the view; a double click fits the
//    data again;
//  - a single point gets a readable range around it (not QCustomPlot's -1..3 of the old range);
//  - a chart's legend can sit in a row above the plot, so it never covers the newest data.
#pragma once
#include "qcustomplot_include.h"

#include <QObject>

#include <functional>

namespace lorastudio::ui {

class ChartView : public QObject {
    Q_OBJECT
public:
    // Installs the behaviour on plot (the view is the plot's child). `refit` redraws the chart's
    // own view after a double click; by default fitToData(plot, zeroBasedY).
    static ChartView* install(QCustomPlot* plot, bool zeroBasedY = false, std::function<void()> refit = {});
    // The view installed on plot, or nullptr.
    static ChartView* of(QCustomPlot* plot);

    // Fits the axes to the visible graphs unless the user holds a view. Does not replot.
    void fit();
    // Forgets the user's view and redraws the chart's own (double click).
    void resetView();
    bool userHoldsView() const { return m_userView; }
    // What a double click redraws (a chart with its own fixed ranges, e.g. the Rank panel's).
    void setRefit(std::function<void()> refit) { m_refit = std::move(refit); }

    // Both axes to the data with a margin; degenerate ranges (one point, a flat line) widened
    // sensibly; zeroBasedY keeps 0 as the lower bound of a linear y axis.
    static void fitToData(QCustomPlot* plot, bool zeroBasedY);
    // Moves plot's legend from inside the axis rect to a row above it, entries side by side.
    static void placeLegendAbove(QCustomPlot* plot);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    ChartView(QCustomPlot* plot, bool zeroBasedY, std::function<void()> refit);
    QCustomPlot* m_plot;
    bool m_zeroBasedY;
    std::function<void()> m_refit;
    bool m_userView = false;
    bool m_pressed = false;
};

} // namespace lorastudio::ui

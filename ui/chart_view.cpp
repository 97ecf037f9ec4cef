// Chart interaction and fitting. See chart_view.h.
#include "chart_view.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace lorastudio::ui {

ChartView::ChartView(QCustomPlot* plot, bool zeroBasedY, std::function<void()> refit)
    : QObject(plot), m_plot(plot), m_zeroBasedY(zeroBasedY), m_refit(std::move(refit)) {
    setObjectName(QStringLiteral("chartView"));
}

ChartView* ChartView::install(QCustomPlot* plot, bool zeroBasedY, std::function<void()> refit) {
    auto* view = new ChartView(plot, zeroBasedY, std::move(refit));
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->installEventFilter(view);
    return view;
}

ChartView* ChartView::of(QCustomPlot* plot) { return plot ? plot->findChild<ChartView*>(QStringLiteral("chartView"), Qt::FindDirectChildrenOnly) : nullptr; }

void ChartView::fit() {
    if (!m_userView) fitToData(m_plot, m_zeroBasedY);
}

void ChartView::resetView() {
    m_userView = false;
    if (m_refit) m_refit();
    else fitToData(m_plot, m_zeroBasedY);
    m_plot->replot();
}

bool ChartView::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::Wheel: {
        auto* wheel = static_cast<QWheelEvent*>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            m_userView = true;
            return false;  // QCustomPlot zooms
        }
        // Not ours: the page scrolls, as if the chart were not there. Qt does not pass a sent
        // (non-spontaneous) wheel event up to parents, so it goes to the enclosing scroll area.
        for (QWidget* w = m_plot->parentWidget(); w; w = w->parentWidget()) {
            auto* area = qobject_cast<QAbstractScrollArea*>(w);
            if (!area) continue;
            QWidget* viewport = area->viewport();
            QWheelEvent copy(viewport->mapFromGlobal(wheel->globalPosition()), wheel->globalPosition(), wheel->pixelDelta(),
                             wheel->angleDelta(), wheel->buttons(), wheel->modifiers(), wheel->phase(), wheel->inverted());
            QApplication::sendEvent(viewport, &copy);
            break;
        }
        return true;
    }
    case QEvent::MouseButtonPress:
        m_pressed = static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton;
        return false;
    case QEvent::MouseMove:
        if (m_pressed && (static_cast<QMouseEvent*>(event)->buttons() & Qt::LeftButton)) m_userView = true;
        return false;
    case QEvent::MouseButtonRelease:
        m_pressed = false;
        return false;
    case QEvent::MouseButtonDblClick:
        resetView();
        return true;
    default:
        return QObject::eventFilter(watched, event);
    }
}

namespace {

// A range that has no width (one point, a flat line) made readable around its value.
QCPRange widened(const QCPRange& r, bool logScale, double minWidth) {
    if (r.size() > 0) return r;
    const double c = r.lower;
    if (logScale) return c > 0 ? QCPRange(c / 1.5, c * 1.5) : QCPRange(0.1, 10);
    const double half = c != 0 ? std::max(std::abs(c) * 0.1, minWidth / 2) : std::max(1.0, minWidth / 2);
    return QCPRange(c - half, c + half);
}

} // namespace

void ChartView::fitToData(QCustomPlot* plot, bool zeroBasedY) {
    // The data's own extent (QCustomPlot's rescaleAxes keeps the old width around a single point).
    const bool logY = plot->yAxis->scaleType() == QCPAxis::stLogarithmic;
    bool haveKey = false, haveValue = false;
    QCPRange key, value;
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph* g = plot->graph(i);
        if (!g->visible() || g->data()->isEmpty()) continue;
        bool found = false;
        const QCPRange k = g->getKeyRange(found);
        if (found) { key = haveKey ? QCPRange(std::min(key.lower, k.lower), std::max(key.upper, k.upper)) : k; haveKey = true; }
        const QCPRange v = g->getValueRange(found, logY ? QCP::sdPositive : QCP::sdBoth);
        if (found) { value = haveValue ? QCPRange(std::min(value.lower, v.lower), std::max(value.upper, v.upper)) : v; haveValue = true; }
    }
    if (!haveKey || !haveValue) return;
    // x: steps. One point at step s reads s-1..s+1, never below step 0 when the data is not.
    QCPRange x = widened(key, false, 2.0);
    if (x.lower < 0 && key.lower >= 0) x = QCPRange(0, x.size());
    plot->xAxis->setRange(x);
    QCPRange y = widened(value, logY, 0);
    if (logY) {
        y = QCPRange(y.lower / 1.15, y.upper * 1.15);
    } else {
        const double margin = 0.05 * y.size();
        y = QCPRange(y.lower - margin, y.upper + margin);
        if (zeroBasedY || (value.lower >= 0 && y.lower < 0)) y.lower = 0;
    }
    plot->yAxis->setRange(y);
}

void ChartView::placeLegendAbove(QCustomPlot* plot) {
    QCPLayoutGrid* layout = plot->plotLayout();
    // The axis rect's row: the legend goes in a new row just above it.
    int row = 0;
    for (int r = 0; r < layout->rowCount(); ++r)
        if (layout->element(r, 0) == plot->axisRect()) row = r;
    plot->axisRect()->insetLayout()->take(plot->legend);
    layout->insertRow(row);
    layout->addElement(row, 0, plot->legend);
    layout->setRowStretchFactor(row, 0.001);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setWrap(3);
    plot->legend->setMargins(QMargins(4, 1, 4, 1));
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
}

} // namespace lorastudio::ui

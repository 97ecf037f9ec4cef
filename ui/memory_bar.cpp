// MemoryBar and the shared plot styling (qcustomplot_include.h).
#include "memory_bar.h"

#include "qcustomplot_include.h"
#include "ui_format.h"

#include <QEvent>
#include <QVBoxLayout>

namespace lorastudio::ui {

QColor plotColor(int index) {
    static const QRgb colors[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                  0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    return QColor(colors[index % 10]);
}

void stylePlot(QCustomPlot* plot, const QPalette& palette) {
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(120);
    plot->setBackground(base);
    for (QCPAxis* axis : plot->axisRect()->axes()) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    }
    plot->legend->setBrush(base);
    plot->legend->setTextColor(text);
    plot->legend->setBorderPen(QPen(grid));
}

MemoryBar::MemoryBar(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("memoryPlot"));
    m_plot->setMinimumHeight(150);
    m_plot->yAxis->setVisible(false);
    m_plot->xAxis->setLabel(tr("GiB"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(4);
    // Legend below the bar, in its own layout row.
    auto* legendRect = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendRect);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    legendRect->addElement(0, 0, m_plot->legend);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    layout->addWidget(m_plot);
    applyPalette();
}

void MemoryBar::setSegments(const QVector<MemorySegment>& segments, double capacityBytes, const QString& capacityLabel) {
    m_segments = segments;
    m_capacity = capacityBytes;
    m_capacityLabel = capacityLabel;
    m_plot->clearPlottables();
    m_plot->clearItems();
    constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
    QCPBars* below = nullptr;
    double total = 0;
    for (int i = 0; i < segments.size(); ++i) {
        auto* bars = new QCPBars(m_plot->yAxis, m_plot->xAxis); // horizontal: key axis is y
        bars->setName(QStringLiteral("%1  %2").arg(segments[i].label, formatBytes(segments[i].bytes)));
        bars->setWidth(0.6);
        bars->setPen(Qt::NoPen);
        bars->setBrush(plotColor(i));
        bars->addData(1.0, segments[i].bytes / kGiB);
        if (below) bars->moveAbove(below);
        below = bars;
        total += segments[i].bytes;
    }
    double upper = total / kGiB;
    if (capacityBytes > 0) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->point1->setCoords(capacityBytes / kGiB, 0);
        line->point2->setCoords(capacityBytes / kGiB, 2);
        line->setPen(QPen(palette().color(QPalette::Text), 2, Qt::DashLine));
        auto* label = new QCPItemText(m_plot);
        label->position->setCoords(capacityBytes / kGiB, 1.55);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
        label->setPadding(QMargins(0, 0, 6, 0));
        label->setText(capacityLabel);
        label->setColor(palette().color(QPalette::Text));
        upper = std::max(upper, capacityBytes / kGiB);
    }
    m_plot->yAxis->setRange(0.3, 1.8);
    m_plot->xAxis->setRange(0, upper > 0 ? upper * 1.08 : 1.0);
    m_plot->replot();
}

void MemoryBar::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPalette();
        setSegments(m_segments, m_capacity, m_capacityLabel);
    }
}

void MemoryBar::applyPalette() {
    stylePlot(m_plot, palette());
}

} // namespace lorastudio::ui

// MemoryBar and the shared plot styling (qcustomplot_include.h).
#include "memory_bar.h"

#include "qcustomplot_include.h"
#include "ui_format.h"

#include <QEvent>
#include <QLabel>
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
    m_plot->setMinimumHeight(110);
    m_plot->setMaximumHeight(140);
    m_plot->yAxis->setVisible(false);
    m_plot->xAxis->setLabel(tr("GiB"));
    layout->addWidget(m_plot);
    // The legend is a wrapping label rather than QCustomPlot's legend, which clips long entries.
    m_legend = new QLabel;
    m_legend->setObjectName(QStringLiteral("memoryLegend"));
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    layout->addWidget(m_legend);
    applyPalette();
}

void MemoryBar::setSegments(const QVector<MemorySegment>& segments, double capacityBytes, const QString& capacityLabel) {
    m_segments = segments;
    m_capacity = capacityBytes;
    m_capacityLabel = capacityLabel;
    m_plot->clearPlottables();
    m_plot->clearItems();
    double total = 0;
    for (const MemorySegment& s : segments) total += s.bytes;
    // A capacity far above the need would squash the bar to a sliver: then the axis ends near the
    // need and the capacity is written at the right edge instead of drawn.
    const bool capacityOnScale = capacityBytes > 0 && capacityBytes <= 4 * total;
    const double upperBytes = std::max(total, capacityOnScale ? capacityBytes : 0.0) * 1.1;
    constexpr double kMiB = 1024.0 * 1024.0;
    const double unit = upperBytes >= 2048 * kMiB ? 1024 * kMiB : kMiB;
    m_plot->xAxis->setLabel(unit > kMiB ? tr("GiB") : tr("MiB"));
    QCPBars* below = nullptr;
    QStringList legend;
    for (int i = 0; i < segments.size(); ++i) {
        legend.append(QStringLiteral("<td><span style=\"color:%1\">■</span>&nbsp;%2&nbsp;%3&nbsp;&nbsp;</td>")
                          .arg(plotColor(i).name(), segments[i].label.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")),
                               formatBytes(segments[i].bytes).replace(QLatin1Char(' '), QStringLiteral("&nbsp;"))));
        auto* bars = new QCPBars(m_plot->yAxis, m_plot->xAxis); // horizontal: key axis is y
        bars->setName(QStringLiteral("%1  %2").arg(segments[i].label, formatBytes(segments[i].bytes)));
        bars->setWidth(0.6);
        bars->setPen(Qt::NoPen);
        bars->setBrush(plotColor(i));
        bars->addData(1.0, segments[i].bytes / unit);
        if (below) bars->moveAbove(below);
        below = bars;
    }
    const QColor text = palette().color(QPalette::Text);
    if (capacityBytes > 0) {
        auto* label = new QCPItemText(m_plot);
        label->setColor(text);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
        label->setPadding(QMargins(0, 0, 6, 0));
        if (capacityOnScale) {
            auto* line = new QCPItemStraightLine(m_plot);
            line->point1->setCoords(capacityBytes / unit, 0);
            line->point2->setCoords(capacityBytes / unit, 2);
            line->setPen(QPen(text, 2, Qt::DashLine));
            label->position->setCoords(capacityBytes / unit, 1.55);
            label->setText(capacityLabel);
            // Write it on the side of the line that has room.
            if (capacityBytes < 0.5 * upperBytes) {
                label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
                label->setPadding(QMargins(6, 0, 0, 0));
            }
        } else {
            label->position->setType(QCPItemPosition::ptAxisRectRatio);
            label->position->setCoords(1.0, 0.12);
            label->setText(tr("%1 (off the scale) →").arg(capacityLabel));
        }
    }
    // Two entries a row, in a table so that no entry breaks inside (CJK text wraps anywhere).
    QString rows;
    for (int i = 0; i < legend.size(); i += 2) rows += QStringLiteral("<tr>") + legend.mid(i, 2).join(QString()) + QStringLiteral("</tr>");
    m_legend->setText(QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">%1</table>").arg(rows));
    m_legend->setVisible(!legend.isEmpty());
    m_plot->yAxis->setRange(0.3, 1.8);
    m_plot->xAxis->setRange(0, upperBytes > 0 ? upperBytes / unit : 1.0);
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

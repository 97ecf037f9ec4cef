// Where learning happened (see the header): two tables filled from summarizeLearning; each share
// is drawn as a bar behind its number so the largest group stands out at a glance.
#include "analysis/analysis_report.h"
#include "analysis/learning_summary.h"

#include "learning_summary_view.h"

#include <QBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLinearGradient>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace lorastudio::ui {

namespace {

enum Column { GroupColumn, ModulesColumn, NormColumn, RankColumn, AmplificationColumn, ColumnCount };

QTableWidgetItem* cell(const QString& text, bool number) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// A share in [0, 1] as "12.3%" over a bar of that length.
QTableWidgetItem* shareCell(double share) {
    auto* item = cell(QStringLiteral("%1%").arg(100.0 * share, 0, 'f', 1), true);
    QLinearGradient bar(0, 0, 1, 0);
    bar.setCoordinateMode(QGradient::ObjectMode);
    const QColor fill(0x5e, 0xc9, 0x62, 110);
    const double x = std::clamp(share, 0.0, 1.0);
    bar.setColorAt(0, fill);
    bar.setColorAt(x, fill);
    bar.setColorAt(std::min(1.0, x + 1e-6), Qt::transparent);
    bar.setColorAt(1, Qt::transparent);
    item->setBackground(QBrush(bar));
    return item;
}

QTableWidget* makeTable(const QString& objectName, const QString& groupTitle) {
    auto* table = new QTableWidget(0, ColumnCount);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels({groupTitle, LearningSummaryView::tr("Modules"), LearningSummaryView::tr("‖ΔW‖²_F"),
                                      LearningSummaryView::tr("Eff. rank"), LearningSummaryView::tr("Amplification")});
    table->horizontalHeaderItem(NormColumn)->setToolTip(LearningSummaryView::tr("Share of the summed squared Frobenius norm of the updates"));
    table->horizontalHeaderItem(RankColumn)->setToolTip(LearningSummaryView::tr("Share of the summed effective rank"));
    table->horizontalHeaderItem(AmplificationColumn)
        ->setToolTip(LearningSummaryView::tr("Median of ‖ΔW‖_F / ‖Uᵀ W0 V‖_F over the group (LoRA paper §7.3): how much "
                                             "the update amplifies directions the base weight barely uses. Needs the base model."));
    table->verticalHeader()->hide();
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->horizontalHeader()->setSectionResizeMode(GroupColumn, QHeaderView::Stretch);
    for (int c = ModulesColumn; c < ColumnCount; ++c) table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    const int rowHeight = table->fontMetrics().height() + 6;
    table->verticalHeader()->setDefaultSectionSize(rowHeight);
    // Stacked in a short panel: take the room there is (header and two rows at least), never grow it.
    table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    table->setMinimumHeight(3 * rowHeight + 2 * table->frameWidth());
    return table;
}

void fill(QTableWidget* table, const std::vector<LearningShare>& rows, bool layers) {
    table->setRowCount(static_cast<int>(rows.size()));
    for (int row = 0; row < table->rowCount(); ++row) {
        const LearningShare& s = rows[static_cast<std::size_t>(row)];
        const QString group = layers && s.layer < 0 ? LearningSummaryView::tr("no layer") : QString::fromStdString(s.group);
        table->setItem(row, GroupColumn, cell(group, false));
        table->setItem(row, ModulesColumn, cell(QString::number(s.modules), true));
        table->setItem(row, NormColumn, shareCell(s.normShare));
        table->setItem(row, RankColumn, shareCell(s.rankShare));
        table->setItem(row, AmplificationColumn,
                       cell(s.amplification ? QString::number(*s.amplification, 'f', 2) : QStringLiteral("–"), true));
    }
}

} // namespace

LearningSummaryView::LearningSummaryView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tables = new QBoxLayout(QBoxLayout::TopToBottom);
    m_layers = makeTable(QStringLiteral("learningByLayer"), tr("Layer"));
    m_kinds = makeTable(QStringLiteral("learningByKind"), tr("Module kind"));
    m_tables->addWidget(m_kinds, 1);
    m_tables->addWidget(m_layers, 1);
    layout->addLayout(m_tables, 1);
    m_caption = new QLabel;
    m_caption->setWordWrap(true);
    layout->addWidget(m_caption);
    setReport(nullptr);
}

QString LearningSummaryView::captionText() const { return m_caption->text(); }

void LearningSummaryView::resizeEvent(QResizeEvent* event) {
    // Five columns need about 60 average characters of width per table.
    const int sideBySide = 2 * 60 * fontMetrics().averageCharWidth();
    m_tables->setDirection(width() >= sideBySide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
    QWidget::resizeEvent(event);
}

void LearningSummaryView::setReport(const AdapterReport* report) {
    if (!report || report->modules.empty()) {
        fill(m_layers, {}, true);
        fill(m_kinds, {}, false);
        m_caption->setText(tr("Train, or open an adapter, to see where the update is."));
        return;
    }
    const LearningSummary s = summarizeLearning(*report);
    fill(m_layers, s.byLayer, true);
    fill(m_kinds, s.byKind, false);
    const bool amplified = std::any_of(report->modules.begin(), report->modules.end(),
                                       [](const ModuleReport& m) { return m.amplification.has_value(); });
    m_caption->setText(amplified ? tr("Shares of Σ‖ΔW‖²_F and of Σ effective rank; amplification: median ‖ΔW‖_F / ‖Uᵀ W0 V‖_F.")
                                 : tr("Shares of Σ‖ΔW‖²_F and of Σ effective rank. Amplification needs the base weights: "
                                      "open the adapter with the project's base model."));
}

} // namespace lorastudio::ui

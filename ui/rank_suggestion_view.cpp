// Rank suggestion table (see the header). Core decides (suggestRanks, applyRankSuggestion); this
// widget shows the numbers and hands the new lora settings to the document.
#include "analysis/analysis_report.h"
#include "analysis/rank_suggestion.h"
#include "error_text.h"
#include "lora/target_matching.h"

#include "rank_suggestion_view.h"

#include "model_context.h"
#include "note_label.h"
#include "project_document.h"
#include "ui_format.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lorastudio::ui {

namespace {

enum Column { ModuleColumn, RankColumn, SuggestedColumn, EnergyColumn, SavedColumn, ColumnCount };

QTableWidgetItem* cell(const QString& text, bool number) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// The modules the project adapts, from the inspected base model; empty when that is unknown (the
// suggestion's own modules are then the ones checked).
std::vector<std::string> projectTargets(const PanelContext& context) {
    if (!context.model || !context.model->hasModel()) return {};
    try {
        std::vector<std::string> names;
        for (const LoraTarget& t : planLoraTargets(context.model->info().linears, context.document->config().lora))
            names.push_back(t.name);
        return names;
    } catch (const std::exception&) {
        return {};  // the project's targets match nothing yet: the Adapter page says so
    }
}

} // namespace

RankSuggestionView::RankSuggestionView(const PanelContext& context, QWidget* parent)
    : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Keep")));
    m_share = new QComboBox;
    m_share->setObjectName(QStringLiteral("rankShare"));
    for (double share : {0.90, 0.95, 0.99}) m_share->addItem(tr("%1% of each update's energy").arg(share * 100, 0, 'f', 0), share);
    m_share->setCurrentIndex(1);
    m_share->setToolTip(tr("Per module: the fewest directions k whose σᵢ² sum to this share of Σσᵢ², rounded up to a "
                           "power of two, within [1, r] (docs/insight.md)"));
    top->addWidget(m_share);
    top->addStretch(1);
    m_apply = new QPushButton(tr("Write to project"));
    m_apply->setObjectName(QStringLiteral("rankApply"));
    m_apply->setToolTip(tr("Sets lora.rank_pattern of the open project to these ranks (one step of Edit ▸ Undo)"));
    top->addWidget(m_apply);
    layout->addLayout(top);

    m_table = new QTableWidget(0, ColumnCount);
    m_table->setObjectName(QStringLiteral("rankSuggestionTable"));
    m_table->setHorizontalHeaderLabels({tr("Module"), tr("r"), tr("Suggested r"), tr("Energy kept"), tr("Parameters saved")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(ModuleColumn, QHeaderView::Stretch);
    for (int c = RankColumn; c < ColumnCount; ++c) m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    layout->addWidget(m_table, 1);
    m_totals = new QLabel;
    m_totals->setObjectName(QStringLiteral("rankSuggestionTotals"));
    m_totals->setWordWrap(true);
    layout->addWidget(m_totals);
    m_note = makeNoteLabel(QStringLiteral("rankSuggestionNote"));
    layout->addWidget(m_note);

    connect(m_share, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { refresh(); });
    connect(m_apply, &QPushButton::clicked, this, [this] { applyToProject(); });
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int) { Q_EMIT moduleActivated(row); });
    refresh();
}

RankSuggestionView::~RankSuggestionView() = default;

void RankSuggestionView::setReport(const AdapterReport* report) {
    m_report = report ? std::make_unique<AdapterReport>(*report) : nullptr;
    m_note->hide();
    refresh();
}

void RankSuggestionView::setShare(double share) {
    const int i = m_share->findData(share);
    if (i >= 0) m_share->setCurrentIndex(i);
}

double RankSuggestionView::share() const { return m_share->currentData().toDouble(); }
QString RankSuggestionView::noteText() const { return m_note->isHidden() ? QString() : m_note->text(); }

void RankSuggestionView::refresh() {
    m_table->setRowCount(0);
    m_suggestion.reset();
    if (!m_report || m_report->modules.empty()) {
        m_totals->setText(tr("Train, or open an adapter, to see which ranks would do."));
        m_apply->setEnabled(false);
        return;
    }
    m_suggestion = std::make_unique<RankSuggestion>(suggestRanks(*m_report, share()));
    const RankSuggestion& s = *m_suggestion;
    m_table->setRowCount(static_cast<int>(s.modules.size()));
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const ModuleRankSuggestion& m = s.modules[static_cast<std::size_t>(row)];
        m_table->setItem(row, ModuleColumn, cell(QString::fromStdString(m.name), false));
        m_table->setItem(row, RankColumn, cell(QString::number(m.rank), true));
        auto* suggested = cell(QString::number(m.suggested), true);
        if (m.suggested < m.rank) {
            QFont bold = suggested->font();
            bold.setBold(true);
            suggested->setFont(bold);
        }
        m_table->setItem(row, SuggestedColumn, suggested);
        m_table->setItem(row, EnergyColumn, cell(m.zero ? tr("zero update") : QStringLiteral("%1%").arg(100.0 * m.energyKept, 0, 'f', 1), true));
        m_table->setItem(row, SavedColumn, cell(formatInteger(m.parametersSaved), true));
        m_table->item(row, ModuleColumn)->setToolTip(
            m.zero ? tr("The update is zero: nothing to measure, r kept")
                   : tr("k = %1 directions keep the share; ‖ΔW − ΔW_k‖_F / ‖ΔW‖_F = %2 at the suggested rank")
                         .arg(m.directions).arg(m.relativeError, 0, 'g', 3));
    }
    const double fewer = s.parametersBefore > 0 ? 100.0 * (1.0 - double(s.parametersAfter) / double(s.parametersBefore)) : 0.0;
    QString totals = tr("LoRA parameters %1 → %2 (%3% fewer).")
                         .arg(formatInteger(s.parametersBefore), formatInteger(s.parametersAfter)).arg(fewer, 0, 'f', 1);
    if (s.zeroModules > 0) totals += QLatin1Char(' ') + tr("%n zero update(s) keep their r.", nullptr, s.zeroModules);
    m_totals->setText(totals);
    m_apply->setEnabled(m_context.document && s.zeroModules < static_cast<int>(s.modules.size()));
}

bool RankSuggestionView::applyToProject() {
    if (!m_suggestion || !m_context.document) return false;
    LoraSettings after;
    try {
        after = applyRankSuggestion(m_context.document->config().lora, *m_suggestion, projectTargets(m_context));
    } catch (const std::exception& e) {
        m_note->setText(tr("Not written: %1").arg(errorText(e)));
        m_note->setStyleSheet(QStringLiteral("QLabel { color: #a15c00; }"));
        m_note->show();
        return false;
    }
    m_context.document->edit(ProjectDocument::Part::Lora, [after](ProjectConfig& c) {
        c.lora.rankPattern = after.rankPattern;
        c.lora.alphaPattern = after.alphaPattern;
    });
    m_note->setText(tr("Wrote %n rank_pattern key(s) into the project (r = %1); Edit ▸ Undo takes them back.", nullptr,
                       static_cast<int>(after.rankPattern.size()))
                        .arg(after.r));
    m_note->setStyleSheet(QString());  // news, not a warning
    m_note->show();
    return true;
}

} // namespace lorastudio::ui

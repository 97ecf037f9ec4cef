// LoraAdvancedEditor: parsing and checking the advanced LoRA keys as the user types them, and
// writing each one through ProjectDocument::edit only when it is valid.
#include "lora_advanced.h"

#include "module_selection.h"
#include "pattern_table.h"
#include "project_document.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QSignalBlocker>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace lorastudio::ui {

namespace {

QString numberText(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

QStringList splitNames(const QString& text) {
    return text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
}

QString namesText(const std::vector<std::string>& names) {
    QStringList out;
    for (const auto& n : names) out.append(QString::fromStdString(n));
    return out.join(QStringLiteral(", "));
}

// The pattern of row `row` (1-based in messages) checked as PEFT uses it: a regex, not empty, once.
bool checkPattern(const QString& key, int row, const QString& pattern, std::set<QString>& seen, QString* error) {
    if (pattern.isEmpty()) {
        *error = LoraAdvancedEditor::tr("%1, row %2: enter a module pattern, e.g. q_proj").arg(key).arg(row);
        return false;
    }
    const QRegularExpression re(pattern);
    if (!re.isValid()) {
        *error = LoraAdvancedEditor::tr("%1, row %2: '%3' is not a valid regular expression: %4 at position %5")
                     .arg(key).arg(row).arg(pattern, re.errorString()).arg(re.patternErrorOffset());
        return false;
    }
    if (!seen.insert(pattern).second) {
        *error = LoraAdvancedEditor::tr("%1, row %2: the pattern '%3' is already listed above").arg(key).arg(row).arg(pattern);
        return false;
    }
    return true;
}

// A pattern table's rows as (pattern, value) pairs in order, or nothing with the first bad row's
// message in `error`: the pattern checked by checkPattern, the value by `parse` (badValue takes
// the key, the 1-based row and the text, as %1 %2 %3).
template <typename T, typename Parse>
std::optional<std::vector<std::pair<std::string, T>>> parsePatternRows(const QString& key, const PatternTable::Rows& rows,
                                                                       Parse parse, const QString& badValue, QString* error) {
    std::vector<std::pair<std::string, T>> parsed;
    std::set<QString> seen;
    for (int i = 0; i < rows.size(); ++i) {
        if (!checkPattern(key, i + 1, rows[i].first, seen, error)) return std::nullopt;
        const std::optional<T> value = parse(rows[i].second);
        if (!value) {
            *error = badValue.arg(key).arg(i + 1).arg(rows[i].second);
            return std::nullopt;
        }
        parsed.emplace_back(rows[i].first.toStdString(), *value);
    }
    return parsed;
}

} // namespace

LoraAdvancedEditor::LoraAdvancedEditor(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_errors(FieldCount) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto* excludeRow = new QHBoxLayout;
    m_exclude = new QLineEdit;
    m_exclude->setObjectName(QStringLiteral("excludeModules"));
    m_exclude->setPlaceholderText(tr("none"));
    m_exclude->setToolTip(tr("lora.exclude_modules: modules left out even when the targets match them. Names "
                             "separated by commas (a name matches itself and any module ending in .name), or "
                             "one regex that must match the whole module name."));
    m_excludeRegex = new QCheckBox(tr("Regex"));
    m_excludeRegex->setObjectName(QStringLiteral("excludeModulesRegex"));
    m_excludeRegex->setToolTip(tr("Read the field as one regular expression instead of a list of names."));
    excludeRow->addWidget(m_exclude, 1);
    excludeRow->addWidget(m_excludeRegex);
    form->addRow(tr("Exclude modules:"), excludeRow);

    m_modulesToSave = new QLineEdit;
    m_modulesToSave->setObjectName(QStringLiteral("modulesToSave"));
    m_modulesToSave->setPlaceholderText(tr("none, e.g. lm_head"));
    m_modulesToSave->setToolTip(tr("lora.modules_to_save: modules trained in full and saved with the adapter, "
                                   "e.g. lm_head when new tokens were added. Costs far more memory than LoRA."));
    form->addRow(tr("Train in full:"), m_modulesToSave);

    m_rank = new PatternTable(tr("Rank"), QStringLiteral("16"));
    m_rank->setObjectName(QStringLiteral("rankPattern"));
    m_rank->setToolTip(tr("lora.rank_pattern: a different rank for modules whose name ends in a match of the "
                          "pattern (PEFT: (.*\\.)?(pattern)$). The first matching row wins."));
    form->addRow(tr("Rank per module:"), m_rank);

    m_alpha = new PatternTable(tr("Alpha"), QStringLiteral("32"));
    m_alpha->setObjectName(QStringLiteral("alphaPattern"));
    m_alpha->setToolTip(tr("lora.alpha_pattern: a different lora_alpha for modules matching the pattern, the "
                           "same way as the rank pattern."));
    form->addRow(tr("Alpha per module:"), m_alpha);

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("loraAdvancedError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    form->addRow(m_error);

    connect(m_exclude, &QLineEdit::editingFinished, this, &LoraAdvancedEditor::excludeEdited);
    connect(m_excludeRegex, &QCheckBox::toggled, this, &LoraAdvancedEditor::excludeEdited);
    connect(m_modulesToSave, &QLineEdit::editingFinished, this, &LoraAdvancedEditor::modulesToSaveEdited);
    connect(m_rank, &PatternTable::edited, this, &LoraAdvancedEditor::rankEdited);
    connect(m_alpha, &PatternTable::edited, this, &LoraAdvancedEditor::alphaEdited);
    connect(document, &ProjectDocument::replaced, this, [this] { refresh(true); });
    connect(document, &ProjectDocument::changed, this, [this](ProjectDocument::Part part) {
        if (int(part) & int(ProjectDocument::Part::Lora)) refresh(false);
    });
    refresh(true);
}

void LoraAdvancedEditor::refresh(bool force) {
    const LoraSettings& l = m_document->config().lora;
    if (force || l.excludeModules != m_shownExclude) {
        const QSignalBlocker block(m_excludeRegex);
        m_excludeRegex->setChecked(l.excludeModules.kind == ModuleSelection::Kind::Regex);
        m_exclude->setText(selectionText(l.excludeModules));
        m_shownExclude = l.excludeModules;
        setError(Exclude, QString());
    }
    if (force || l.modulesToSave != m_shownModulesToSave) {
        m_modulesToSave->setText(namesText(l.modulesToSave));
        m_shownModulesToSave = l.modulesToSave;
        setError(ModulesToSave, QString());
    }
    if (force || l.rankPattern != m_shownRank) {
        PatternTable::Rows rows;
        for (const auto& [p, r] : l.rankPattern) rows.append({QString::fromStdString(p), QString::number(r)});
        m_rank->setRows(rows);
        m_shownRank = l.rankPattern;
        setError(RankPattern, QString());
    }
    if (force || l.alphaPattern != m_shownAlpha) {
        PatternTable::Rows rows;
        for (const auto& [p, a] : l.alphaPattern) rows.append({QString::fromStdString(p), numberText(a)});
        m_alpha->setRows(rows);
        m_shownAlpha = l.alphaPattern;
        setError(AlphaPattern, QString());
    }
}

void LoraAdvancedEditor::excludeEdited() {
    const QString text = m_exclude->text().trimmed();
    ModuleSelection selection = ModuleSelection::list({});
    QString error;
    if (!text.isEmpty() && !parseSelectionText(text, m_excludeRegex->isChecked(), selection, &error)) {
        setError(Exclude, tr("lora.exclude_modules: %1").arg(error));
        return;
    }
    if (selection.kind == ModuleSelection::Kind::AllLinear) {
        setError(Exclude, tr("lora.exclude_modules: all-linear only applies to the target modules"));
        return;
    }
    setError(Exclude, QString());
    m_shownExclude = selection;
    m_document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.excludeModules = selection; });
}

void LoraAdvancedEditor::modulesToSaveEdited() {
    std::vector<std::string> names;
    for (const QString& n : splitNames(m_modulesToSave->text()))
        if (std::find(names.begin(), names.end(), n.toStdString()) == names.end()) names.push_back(n.toStdString());
    setError(ModulesToSave, QString());
    m_shownModulesToSave = names;
    m_document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.modulesToSave = names; });
}

void LoraAdvancedEditor::rankEdited() {
    QString error;
    const auto parsed = parsePatternRows<int>(
        QStringLiteral("lora.rank_pattern"), m_rank->rows(),
        [](const QString& text) -> std::optional<int> {
            bool ok = false;
            const int r = text.toInt(&ok);
            return ok && r >= 1 ? std::optional<int>(r) : std::nullopt;
        },
        tr("%1, row %2: the rank must be a whole number >= 1, got '%3'"), &error);
    if (!parsed) return setError(RankPattern, error);
    setError(RankPattern, QString());
    m_shownRank = *parsed;
    m_document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.rankPattern = *parsed; });
}

void LoraAdvancedEditor::alphaEdited() {
    QString error;
    const auto parsed = parsePatternRows<double>(
        QStringLiteral("lora.alpha_pattern"), m_alpha->rows(),
        [](const QString& text) -> std::optional<double> {
            bool ok = false;
            double a = QLocale::c().toDouble(text, &ok);
            if (!ok) a = QLocale().toDouble(text, &ok);
            return ok && std::isfinite(a) && a > 0 ? std::optional<double>(a) : std::nullopt;
        },
        tr("%1, row %2: alpha must be a number > 0, got '%3'"), &error);
    if (!parsed) return setError(AlphaPattern, error);
    setError(AlphaPattern, QString());
    m_shownAlpha = *parsed;
    m_document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.alphaPattern = *parsed; });
}

void LoraAdvancedEditor::setError(Field field, const QString& message) {
    m_errors[field] = message;
    QStringList shown;
    for (const QString& e : m_errors)
        if (!e.isEmpty()) shown.append(QStringLiteral("⚠ ") + e);
    m_error->setText(shown.join(QLatin1Char('\n')));
    m_error->setVisible(!shown.isEmpty());
}

} // namespace lorastudio::ui

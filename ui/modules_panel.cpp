// Modules panel: tree, presets, pattern and layers_to_transform, all matched by core's PEFT matcher.
#include "modules_panel.h"

#include "error_text.h"
#include "lora/target_matching.h"
#include "model_context.h"
#include "module_selection.h"
#include "project_document.h"
#include "ui_format.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <functional>
#include <map>
#include <set>

namespace lorastudio::ui {

namespace {

enum Column { ColName, ColShape, ColParams };

// "transformer.h.0.attn.c_attn" -> layer 0, groups {"attn"}, leaf "c_attn"; "lm_head" -> layer -1.
struct TreePlace {
    int layer = -1;
    QStringList groups;
    QString leaf;
};

TreePlace placeOf(const std::string& name) {
    TreePlace place;
    place.layer = layerIndexOf(name);
    QString rest = QString::fromStdString(name);
    if (place.layer >= 0) {
        const QString marker = QStringLiteral(".%1.").arg(place.layer);
        const int at = rest.lastIndexOf(marker);
        if (at >= 0) rest = rest.mid(at + marker.size());
    }
    QStringList parts = rest.split(QLatin1Char('.'));
    place.leaf = parts.takeLast();
    place.groups = place.layer >= 0 ? parts : QStringList();
    if (place.layer < 0) place.leaf = QString::fromStdString(name);
    return place;
}

QString groupLabel(const QString& group) {
    if (group.contains(QLatin1String("attn"), Qt::CaseInsensitive) || group.contains(QLatin1String("attention")))
        return ModulesPanel::tr("%1 (attention)").arg(group);
    if (group.contains(QLatin1String("mlp"), Qt::CaseInsensitive) || group.contains(QLatin1String("feed_forward")))
        return ModulesPanel::tr("%1 (MLP)").arg(group);
    return group;
}

} // namespace

ModulesPanel::ModulesPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);

    auto* presets = new QHBoxLayout;
    const QString presetNames[] = {tr("Attention q, v"), tr("All attention"), tr("All linear")};
    for (int i = 0; i < 3; ++i) {
        auto* button = new QPushButton(presetNames[i]);
        button->setToolTip(tr("Preset: write this selection into the target modules"));
        button->setObjectName(QStringLiteral("preset%1").arg(i));
        connect(button, &QPushButton::clicked, this, [this, i] { applyPreset(i); });
        presets->addWidget(button);
    }
    auto* clear = new QPushButton(tr("Clear"));
    connect(clear, &QPushButton::clicked, this, [this] {
        m_context.document->edit(ProjectDocument::Part::Lora,
                                 [](ProjectConfig& c) { c.lora.targetModules = ModuleSelection::list({}); });
    });
    presets->addWidget(clear);
    presets->addStretch(1);
    layout->addLayout(presets);

    auto* form = new QFormLayout;
    auto* patternRow = new QHBoxLayout;
    m_patternMode = new QComboBox;
    m_patternMode->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_patternMode->setMinimumContentsLength(8);
    m_patternMode->addItem(tr("Names"));
    m_patternMode->addItem(tr("Regex"));
    m_patternMode->setToolTip(tr("Names: a module is targeted when its name equals an entry or ends with "
                                 "\".entry\". Regex: the expression must match the whole module name. "
                                 "\"all-linear\" targets every linear layer except the output head."));
    m_patternEdit = new QLineEdit;
    m_patternEdit->setObjectName(QStringLiteral("targetPattern"));
    m_patternEdit->setPlaceholderText(tr("e.g. q_proj, v_proj   or   .*\\.(q|v)_proj"));
    m_patternEdit->setClearButtonEnabled(true);
    patternRow->addWidget(m_patternMode);
    patternRow->addWidget(m_patternEdit, 1);
    form->addRow(tr("Target modules:"), patternRow);
    m_layersEdit = new QLineEdit;
    m_layersEdit->setObjectName(QStringLiteral("layersToTransform"));
    m_layersEdit->setPlaceholderText(tr("all layers (e.g. 0-3, 8)"));
    m_layersEdit->setToolTip(tr("layers_to_transform: only these layers get LoRA. Applies to name endings, "
                                "not to regexes or names written out in full (as in PEFT)."));
    form->addRow(tr("Layers:"), m_layersEdit);
    layout->addLayout(form);

    m_patternError = new QLabel;
    m_patternError->setWordWrap(true);
    m_patternError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_patternError->setVisible(false);
    layout->addWidget(m_patternError);

    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("modulesTree"));
    m_tree->setHeaderLabels({tr("Module"), tr("Shape (in → out)"), tr("LoRA parameters")});
    m_tree->header()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setUniformRowHeights(true);
    layout->addWidget(m_tree, 1);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("modulesStatus"));
    layout->addWidget(m_status);

    connect(m_patternEdit, &QLineEdit::textEdited, this, &ModulesPanel::patternEdited);
    connect(m_patternMode, qOverload<int>(&QComboBox::activated), this, [this](int) { patternEdited(); });
    connect(m_layersEdit, &QLineEdit::textEdited, this, &ModulesPanel::layersEdited);
    connect(m_tree, &QTreeWidget::itemChanged, this, &ModulesPanel::itemChanged);
    connect(context.model, &ModelContext::modelChanged, this, &ModulesPanel::rebuildTree);
    connect(context.document, &ProjectDocument::replaced, this, &ModulesPanel::refresh);
    connect(context.document, &ProjectDocument::changed, this, [this](ProjectDocument::Part part) {
        if (int(part) & int(ProjectDocument::Part::Lora)) refresh();
    });
    rebuildTree();
}

std::vector<std::string> ModulesPanel::checkedModules() const {
    std::vector<std::string> out;
    if (!m_context.model->hasModel()) return out;
    for (const auto& name : m_context.model->info().linearNames()) {
        const auto* leaf = m_leaves.value(QString::fromStdString(name));
        if (leaf && leaf->checkState(ColName) == Qt::Checked) out.push_back(name);
    }
    return out;
}

void ModulesPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_tree) refresh();
}

void ModulesPanel::rebuildTree() {
    m_updating = true;
    m_tree->clear();
    m_leaves.clear();
    if (m_context.model->hasModel()) {
        std::map<int, QTreeWidgetItem*> layers;
        std::map<std::pair<int, QString>, QTreeWidgetItem*> groups;
        auto makeParent = [](QTreeWidgetItem* item, const QString& label) {
            item->setText(ColName, label);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
            item->setCheckState(ColName, Qt::Unchecked);
        };
        for (const LinearModuleShape& m : m_context.model->info().linears) {
            const TreePlace place = placeOf(m.name);
            QTreeWidgetItem* parent = nullptr;
            if (place.layer >= 0) {
                auto& layerItem = layers[place.layer];
                if (!layerItem) {
                    layerItem = new QTreeWidgetItem(m_tree);
                    makeParent(layerItem, tr("Layer %1").arg(place.layer));
                }
                parent = layerItem;
                QString path;
                for (const QString& g : place.groups) {
                    path += g + QLatin1Char('.');
                    auto& groupItem = groups[{place.layer, path}];
                    if (!groupItem) {
                        groupItem = new QTreeWidgetItem(parent);
                        makeParent(groupItem, groupLabel(g));
                    }
                    parent = groupItem;
                }
            }
            auto* leaf = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
            leaf->setText(ColName, place.leaf);
            leaf->setToolTip(ColName, QString::fromStdString(m.name));
            leaf->setText(ColShape, QStringLiteral("%1 → %2%3")
                                        .arg(m.inFeatures)
                                        .arg(m.outFeatures)
                                        .arg(m.tied ? tr(" (tied)") : QString()));
            leaf->setTextAlignment(ColParams, Qt::AlignRight | Qt::AlignVCenter);
            leaf->setFlags(leaf->flags() | Qt::ItemIsUserCheckable);
            leaf->setCheckState(ColName, Qt::Unchecked);
            m_leaves.insert(QString::fromStdString(m.name), leaf);
        }
        if (m_tree->topLevelItemCount() > 0) m_tree->topLevelItem(0)->setExpanded(true);
        if (auto* first = m_tree->topLevelItem(0); first && first->childCount() > 0) first->child(0)->setExpanded(true);
    }
    m_updating = false;
    m_tree->setEnabled(m_context.model->hasModel());
    refresh();
    m_tree->resizeColumnToContents(ColShape);
    m_tree->resizeColumnToContents(ColParams);
}

void ModulesPanel::refresh() {
    const LoraSettings& lora = m_context.document->config().lora;

    // The pattern field follows the project unless the user is typing an equivalent text.
    ModuleSelection typed;
    const bool typingSame = m_patternEdit->hasFocus() &&
                            parseSelectionText(m_patternEdit->text(), m_patternMode->currentIndex() == 1, typed, nullptr) &&
                            typed == lora.targetModules;
    if (!typingSame) {
        m_patternMode->setCurrentIndex(lora.targetModules.kind == ModuleSelection::Kind::Regex ? 1 : 0);
        m_patternEdit->setText(selectionText(lora.targetModules));
    }
    std::vector<int> shownLayers;
    if (!m_layersEdit->hasFocus() || !parseLayerList(m_layersEdit->text(), shownLayers, nullptr) ||
        shownLayers != lora.layersToTransform)
        m_layersEdit->setText(layerListText(lora.layersToTransform));

    if (!m_context.model->hasModel()) {
        m_patternError->setVisible(false);
        m_status->setText(tr("Choose a base model on the Model page to see its modules."));
        return;
    }

    QString error;
    const auto& info = m_context.model->info();
    const std::vector<std::string> matched = matchedModules(info.linearNames(), lora, &error);
    std::map<std::string, int64_t> counts;
    int64_t total = 0;
    if (!matched.empty()) {
        try {
            for (const LoraTarget& t : planLoraTargets(info.linears, lora)) {
                counts[t.name] = t.parameterCount();
                total += t.parameterCount();
            }
        } catch (const std::exception& e) {
            error = errorText(e);
        }
    }
    m_patternError->setVisible(!error.isEmpty());
    m_patternError->setText(QStringLiteral("⚠ ") + error);

    m_updating = true;
    const std::set<std::string> matchedSet(matched.begin(), matched.end());
    QColor highlight = palette().color(QPalette::Highlight);
    highlight.setAlpha(60);
    std::map<QTreeWidgetItem*, int64_t> parentSums;
    for (auto it = m_leaves.constBegin(); it != m_leaves.constEnd(); ++it) {
        QTreeWidgetItem* leaf = it.value();
        const std::string name = it.key().toStdString();
        const bool on = matchedSet.count(name) > 0;
        leaf->setCheckState(ColName, on ? Qt::Checked : Qt::Unchecked);
        QFont font = leaf->font(ColName);
        font.setBold(on);
        for (int c = ColName; c <= ColParams; ++c) {
            leaf->setFont(c, font);
            leaf->setBackground(c, on ? QBrush(highlight) : QBrush());
        }
        const auto count = counts.find(name);
        leaf->setText(ColParams, count != counts.end() ? formatInteger(count->second) : QString());
        if (count != counts.end())
            for (QTreeWidgetItem* p = leaf->parent(); p; p = p->parent()) parentSums[p] += count->second;
    }
    std::function<void(QTreeWidgetItem*)> setSums = [&](QTreeWidgetItem* item) {
        for (int i = 0; i < item->childCount(); ++i) setSums(item->child(i));
        if (item->childCount() > 0) {
            const auto sum = parentSums.find(item);
            item->setText(ColParams, sum != parentSums.end() ? formatInteger(sum->second) : QString());
            item->setTextAlignment(ColParams, Qt::AlignRight | Qt::AlignVCenter);
        }
    };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) setSums(m_tree->topLevelItem(i));
    m_updating = false;
    // A layer's or group's box derives its state from its children, and the view is told only of
    // the children's change: repaint now, or the parent's box stays stale until it is scrolled.
    m_tree->viewport()->update();

    m_status->setText(tr("%1 of %2 modules selected · %3 LoRA parameters")
                          .arg(matched.size())
                          .arg(info.linears.size())
                          .arg(formatInteger(total)));
}

void ModulesPanel::patternEdited() {
    ModuleSelection selection;
    QString error;
    if (!parseSelectionText(m_patternEdit->text(), m_patternMode->currentIndex() == 1, selection, &error)) {
        m_patternError->setText(QStringLiteral("⚠ ") + error);
        m_patternError->setVisible(true);
        return;
    }
    m_context.document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.targetModules = selection; });
    refresh(); // also when the project did not change (e.g. the error of a half-typed regex is gone)
}

void ModulesPanel::layersEdited() {
    std::vector<int> layers;
    QString error;
    if (!parseLayerList(m_layersEdit->text(), layers, &error)) {
        m_patternError->setText(QStringLiteral("⚠ ") + error);
        m_patternError->setVisible(true);
        return;
    }
    m_context.document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.layersToTransform = layers; });
    refresh();
}

void ModulesPanel::applyPreset(int preset) {
    const ModelSpec spec = m_context.model->hasModel() ? m_context.model->info().spec : ModelSpec{};
    const ModuleSelection selection = presetSelection(static_cast<ModulePreset>(preset), spec);
    m_context.document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.targetModules = selection; });
}

void ModulesPanel::itemChanged(QTreeWidgetItem* item, int column) {
    if (m_updating || column != ColName || m_writePending) return;
    // A click on a layer checks all its children, one itemChanged each: write once afterwards.
    m_writePending = true;
    QTimer::singleShot(0, this, &ModulesPanel::writeChecked);
}

void ModulesPanel::writeChecked() {
    m_writePending = false;
    if (!m_context.model->hasModel()) return;
    const std::vector<std::string> checked = checkedModules();
    const std::set<std::string> checkedSet(checked.begin(), checked.end());
    const ModuleSelection selection =
        selectionForChecked(m_context.model->info().linearNames(), checkedSet, m_context.document->config().lora);
    m_context.document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) { c.lora.targetModules = selection; });
    refresh();
}

} // namespace lorastudio::ui

// Modules panel: the base model's Linear modules as a tree (layer -> attention / MLP -> module)
// with checkboxes, presets, a PEFT-semantics pattern field whose matches light up live, the LoRA
// parameter count per module for the current r, and layers_to_transform. Every edit writes
// project.lora (target_modules, layers_to_transform).
#pragma once
#include "panel_registry.h"

#include <QHash>
#include <QWidget>

#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace lorastudio::ui {

class ModulesPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModulesPanel(const PanelContext& context, QWidget* parent = nullptr);

    // For tests: the tree, the pattern field and its mode (0 = names, 1 = regex), the status line.
    QTreeWidget* tree() const { return m_tree; }
    QLineEdit* patternEdit() const { return m_patternEdit; }
    QComboBox* patternMode() const { return m_patternMode; }
    QLabel* statusLabel() const { return m_status; }
    // Names of the modules shown as selected (checked), in model order.
    std::vector<std::string> checkedModules() const;

protected:
    void changeEvent(QEvent* event) override; // palette change: re-highlight with the new colours

private:
    void rebuildTree();
    void refresh();            // pattern text, checks, highlights and counts from the project
    void patternEdited();
    void layersEdited();
    void applyPreset(int preset);
    void itemChanged(QTreeWidgetItem* item, int column);
    void writeChecked();

    PanelContext m_context;
    QComboBox* m_patternMode = nullptr;
    QLineEdit* m_patternEdit = nullptr;
    QLineEdit* m_layersEdit = nullptr;
    QLabel* m_patternError = nullptr;
    QLabel* m_status = nullptr;
    QTreeWidget* m_tree = nullptr;
    QHash<QString, QTreeWidgetItem*> m_leaves; // full module name -> leaf item
    bool m_updating = false;
    bool m_writePending = false;
};

} // namespace lorastudio::ui

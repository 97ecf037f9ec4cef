// LoRA panel: r, alpha, dropout, rsLoRA, bias and init of project.lora, the advanced keys in a
// collapsible section, the device the run is sized for, and what those settings cost: the exact
// trainable-parameter count (PEFT's line) and the memory estimate against the device's memory.
#pragma once
#include "panel_registry.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace lorastudio::ui {

class EstimateView;
class LoraAdvancedEditor;

class LoraPanel : public QWidget {
    Q_OBJECT
public:
    explicit LoraPanel(const PanelContext& context, QWidget* parent = nullptr);

    QSpinBox* rankBox() const { return m_rank; }
    QLabel* scalingLabel() const { return m_scaling; }
    QLabel* rankWarningLabel() const { return m_rankWarning; }
    QLabel* deviceMemoryLabel() const { return m_deviceMemory; }
    EstimateView* estimateView() const { return m_estimate; }
    // The collapsible "Advanced" section: its header button (checked = expanded) and the editor.
    QToolButton* advancedToggle() const { return m_advancedToggle; }
    LoraAdvancedEditor* advancedEditor() const { return m_advanced; }

private:
    void refresh();           // controls from the project
    void writeControls();     // project from the controls
    void updateDerived();     // scaling and device memory (the estimate view updates itself)
    void updateQuantizationSaving();
    void updateQuantizeAllBox();  // from the project, or fixed on where bitsandbytes stored every linear layer

    PanelContext m_context;
    QSpinBox* m_rank = nullptr;
    QDoubleSpinBox* m_alpha = nullptr;
    QDoubleSpinBox* m_dropout = nullptr;
    QCheckBox* m_rslora = nullptr;
    QCheckBox* m_dora = nullptr;
    QComboBox* m_quant = nullptr;
    QCheckBox* m_quantAll = nullptr;
    QLabel* m_quantSaving = nullptr;
    QComboBox* m_bias = nullptr;
    QComboBox* m_init = nullptr;
    QSpinBox* m_pissaIter = nullptr;
    QComboBox* m_device = nullptr;
    QLabel* m_scaling = nullptr;
    QLabel* m_rankWarning = nullptr;
    QLabel* m_deviceMemory = nullptr;
    EstimateView* m_estimate = nullptr;
    QToolButton* m_advancedToggle = nullptr;
    LoraAdvancedEditor* m_advanced = nullptr;
    bool m_updating = false;
};

} // namespace lorastudio::ui

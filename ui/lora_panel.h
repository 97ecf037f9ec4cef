// LoRA panel: r, alpha, dropout, rsLoRA, bias and init of project.lora, the device the run is
// sized for, and what those settings cost: the exact trainable-parameter count (PEFT's line) and
// the memory estimate as a stacked bar against the device's memory, with advice when it won't fit.
#pragma once
#include "panel_registry.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QSpinBox;

namespace lorastudio::ui {

class EstimateView;

class LoraPanel : public QWidget {
    Q_OBJECT
public:
    explicit LoraPanel(const PanelContext& context, QWidget* parent = nullptr);

    QSpinBox* rankBox() const { return m_rank; }
    QLabel* scalingLabel() const { return m_scaling; }
    QLabel* deviceMemoryLabel() const { return m_deviceMemory; }
    EstimateView* estimateView() const { return m_estimate; }

private:
    void refresh();           // controls from the project
    void writeControls();     // project from the controls
    void updateDerived();     // scaling and device memory (the estimate view updates itself)

    PanelContext m_context;
    QSpinBox* m_rank = nullptr;
    QDoubleSpinBox* m_alpha = nullptr;
    QDoubleSpinBox* m_dropout = nullptr;
    QCheckBox* m_rslora = nullptr;
    QComboBox* m_bias = nullptr;
    QComboBox* m_init = nullptr;
    QSpinBox* m_pissaIter = nullptr;
    QComboBox* m_device = nullptr;
    QLabel* m_scaling = nullptr;
    QLabel* m_deviceMemory = nullptr;
    EstimateView* m_estimate = nullptr;
    bool m_updating = false;
};

} // namespace lorastudio::ui

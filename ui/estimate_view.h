// EstimateView: what the current LoRA settings cost, all from core/estimate: the exact trainable
// parameters (PEFT's print_trainable_parameters line and its %), and the peak memory as a stacked
// bar against the device's memory, with the fit advisor's changes (each applicable with one click)
// when the run will not fit. Recomputed whenever the project or the base model changes.
#pragma once
#include "panel_registry.h"

#include <QWidget>

#include <string>

class QLabel;

namespace lorastudio::ui {

class MemoryBar;

// MemoryEstimate::peakPhase ("layer backward", ...) in the studio's language.
QString peakPhaseText(const std::string& phase);

class EstimateView : public QWidget {
    Q_OBJECT
public:
    explicit EstimateView(const PanelContext& context, QWidget* parent = nullptr);

    QLabel* trainableLabel() const { return m_trainable; }
    QLabel* peftLineLabel() const { return m_peftLine; }
    QLabel* memoryLabel() const { return m_memory; }
    QLabel* adviceLabel() const { return m_advice; }
    QLabel* sizedForLabel() const { return m_sizedFor; }
    MemoryBar* memoryBar() const { return m_bar; }

    // Recomputes now (the view also does so by itself on every change).
    void update();

private:
    void applySuggestion(const QString& link);

    PanelContext m_context;
    QLabel* m_trainable = nullptr;
    QLabel* m_peftLine = nullptr;
    QLabel* m_memory = nullptr;
    QLabel* m_sizedFor = nullptr;
    QLabel* m_advice = nullptr;
    MemoryBar* m_bar = nullptr;
};

} // namespace lorastudio::ui

// StudioHeader: the strip above every page. It shows what the project will cost and where the run
// is, so no page has to be open to see it: the exact trainable-parameter count, the peak-memory
// estimate against the device's memory with fits / does not fit, and the run's state (no run,
// loading, step n of N, paused, stopping, completed, stopped, failed). Figures come from
// core/estimate (the same calls as the Adapter page's cost box) and the one TrainingController.
#pragma once
#include "panel_registry.h"

#include <QWidget>

namespace lorastudio {
struct StepMetrics;
struct TrainResult;
} // namespace lorastudio

class QLabel;

namespace lorastudio::ui {

class StudioHeader : public QWidget {
    Q_OBJECT
public:
    explicit StudioHeader(const PanelContext& context, QWidget* parent = nullptr);

    QLabel* projectLabel() const { return m_project; }
    QLabel* trainableLabel() const { return m_trainable; }
    QLabel* memoryLabel() const { return m_memory; }
    QLabel* runLabel() const { return m_run; }
    bool fits() const { return m_fits; }

    void updateCost();

Q_SIGNALS:
    // A header figure was clicked: "page.adapter" for the cost, "page.train" for the run.
    void pageRequested(const QString& pageId);

private:
    void onStep(const StepMetrics& m);
    void onFinished(const TrainResult& result);
    void updateRunState();

    PanelContext m_context;
    QLabel* m_project = nullptr;
    QLabel* m_trainable = nullptr;
    QLabel* m_memory = nullptr;
    QLabel* m_run = nullptr;
    bool m_fits = false;
    bool m_sawStep = false;        // the current run has reported a step (else it is still loading)
    long long m_step = 0, m_totalSteps = 0;
    QString m_ended;               // how the last run ended ("" while one runs or before any)
};

} // namespace lorastudio::ui

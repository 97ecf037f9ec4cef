// Run settings panel: every key of project.training (the device excepted: the LoRA panel sizes the
// estimate for it) and output_dir, grouped as Optimisation / Schedule / Precision & memory / Checkpoints & logging,
// and Objective (SFT, DPO with its beta, loss and label smoothing, or ORPO with its lambda), with tooltips naming the key. Each control writes only its own key through ProjectDocument::edit.
#pragma once
#include "panel_registry.h"
#include "project/project_config.h"

#include <QWidget>

#include <functional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lorastudio::ui {

class RunSettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunSettingsPanel(const PanelContext& context, QWidget* parent = nullptr);

    // For tests: a few controls and the derived lines.
    QSpinBox* batchSizeBox() const { return m_batchSize; }
    QSpinBox* gradientAccumulationBox() const { return m_accumulation; }
    QSpinBox* maxStepsBox() const { return m_maxSteps; }
    QLineEdit* lrEdit() const { return m_lr; }
    QLineEdit* outputDirEdit() const { return m_outputDir; }
    QLabel* effectiveBatchLabel() const { return m_effectiveBatch; }
    QLabel* lengthLabel() const { return m_length; }
    QLabel* errorLabel() const { return m_error; }
    QComboBox* objectiveBox() const { return m_objective; }
    QLabel* objectiveNoteLabel() const { return m_objectiveNote; }

private:
    using Apply = std::function<void(TrainingSettings&)>;
    using Refresher = std::function<void(const TrainingSettings&)>;

    // Controls bound to one key each: built, connected and refreshed the same way.
    QSpinBox* addInt(QFormLayout* form, const QString& label, const char* key, int min, int max,
                     int TrainingSettings::*field, const QString& tip);
    QDoubleSpinBox* addDouble(QFormLayout* form, const QString& label, const char* key, double min, double max,
                              int decimals, double TrainingSettings::*field, const QString& tip);
    // A free-form number (lr 2e-4, eps 1e-8): written when editing ends and `valid` accepts it.
    QLineEdit* addNumber(QFormLayout* form, const QString& label, const char* key,
                         std::function<double(const TrainingSettings&)> get, std::function<void(TrainingSettings&, double)> set,
                         std::function<bool(double)> valid, const QString& rule, const QString& tip);
    // A choice among an enum's values (item data: the value as int).
    using Choices = std::vector<std::pair<QString, int>>;
    QComboBox* addChoice(QFormLayout* form, const QString& label, const char* key, const Choices& choices,
                         std::function<int(const TrainingSettings&)> get, std::function<void(TrainingSettings&, int)> set,
                         const QString& tip);
    void addObjective(QFormLayout* form);
    void edit(const Apply& apply);
    void refresh();       // every control from the project, without writing back
    void updateDerived(); // effective batch, which of epochs / max_steps and of the warmups wins
    void showError(const QString& message);

    PanelContext m_context;
    std::vector<Refresher> m_refreshers;
    QSpinBox* m_batchSize = nullptr;
    QSpinBox* m_accumulation = nullptr;
    QSpinBox* m_maxSteps = nullptr;
    QLineEdit* m_lr = nullptr;
    QLineEdit* m_outputDir = nullptr;
    QComboBox* m_schedule = nullptr;
    QComboBox* m_precision = nullptr;
    QComboBox* m_objective = nullptr;
    QLabel* m_objectiveNote = nullptr;
    std::vector<QWidget*> m_dpoControls;   // enabled for objective dpo only
    std::vector<QWidget*> m_orpoControls;  // enabled for objective orpo only
    QCheckBox* m_checkpointing = nullptr;
    QLabel* m_effectiveBatch = nullptr;
    QLabel* m_length = nullptr;
    QLabel* m_warmup = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_runNote = nullptr;
    bool m_updating = false;
};

} // namespace lorastudio::ui

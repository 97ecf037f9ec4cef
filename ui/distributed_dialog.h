// DistributedDialog: Train -> "Several GPUs / machines…". Plans a data-parallel job of the open
// project (ranks per machine, machines, the rendezvous address), shows the global batch and the
// memory each rank needs, previews and writes the torchrun script and the Slurm batch file beside
// the project (core/dist/launch_scripts.h), and starts a job on this machine whose curves the Train
// page follows like any background run (TrainingController::startLocalJob).
#pragma once
#include "panel_registry.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace lorastudio {
struct LaunchPlan;
}

namespace lorastudio::ui {

class DistributedDialog : public QDialog {
    Q_OBJECT
public:
    explicit DistributedDialog(const PanelContext& context, QWidget* parent = nullptr);

    // For tests.
    QSpinBox* ranksBox() const { return m_ranks; }
    QSpinBox* machinesBox() const { return m_machines; }
    QString summaryText() const;
    QString torchrunPreview() const;
    QString sbatchPreview() const;
    QString statusText() const;
    // Writes both scripts beside the (saved) project; false with the reason shown when it cannot.
    bool writeScripts();
    // Starts ranksBox() ranks here (one machine only) and closes; false with the reason shown.
    bool startHere();

private:
    void refresh();
    LaunchPlan plan() const;
    bool projectSaved();

    PanelContext m_context;
    QSpinBox* m_ranks = nullptr;
    QSpinBox* m_machines = nullptr;
    QLineEdit* m_address = nullptr;
    QSpinBox* m_port = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_status = nullptr;
    QTabWidget* m_tabs = nullptr;
    QPlainTextEdit* m_torchrun = nullptr;
    QPlainTextEdit* m_sbatch = nullptr;
    QPushButton* m_write = nullptr;
    QPushButton* m_start = nullptr;
};

} // namespace lorastudio::ui

// Export page: writes the trained adapter either as a PEFT adapter folder or as a merged
// Hugging Face model (W + s·B·A folded in, in a chosen dtype), on a worker thread with a busy bar,
// the current stage and, for a merged model, the merge check's max |logit| difference. Core writes
// through a temporary folder and a rename, so a failed export leaves nothing half-written.
#pragma once
#include "panel_registry.h"

#include <QWidget>

#include <thread>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace lorastudio::ui {

class ExportPanel : public QWidget {
    Q_OBJECT
public:
    // baseModel: the project's base model folder; adapterFolder: the adapter to export (e.g.
    // outputDir/adapter); defaultTarget: suggested destination folder.
    ExportPanel(const QString& baseModel, const QString& adapterFolder, const QString& defaultTarget,
                QWidget* parent = nullptr);
    // The studio's Export page: follows the project (base model, the run's adapter and a suggested
    // folder beside it) whenever the project or the run changes and no export is running.
    explicit ExportPanel(const PanelContext& context, QWidget* parent = nullptr);
    ~ExportPanel() override; // waits for a running export

    // Sets the three folders (ignored while an export runs).
    void setSources(const QString& baseModel, const QString& adapterFolder, const QString& defaultTarget);
    QString adapterFolder() const;
    QString targetFolder() const;
    QPushButton* exportButton() const { return m_export; }

    enum class Kind { Adapter, Merged };
    void setKind(Kind kind);
    void setTarget(const QString& folder);
    // Starts the export (as the Export button does). False when one is running or input is missing.
    bool startExport();
    bool isRunning() const { return m_running; }
    QString resultText() const;

Q_SIGNALS:
    // The export ended: ok, the folder written (or the error message), and for a merged model the
    // max |logit| difference between adapted and merged model (-1 for an adapter export).
    void exportFinished(bool ok, const QString& folderOrError, double maxLogitDiff);

private:
    void setStage(const QString& stage);
    void onFinished(bool ok, const QString& folderOrError, double maxLogitDiff);

    void followProject();

    PanelContext m_context;
    QString m_baseModel;
    QLabel* m_baseLabel;
    QLineEdit* m_adapter;
    QRadioButton* m_adapterKind;
    QRadioButton* m_mergedKind;
    QComboBox* m_dtype;
    QLineEdit* m_target;
    QProgressBar* m_busy;
    QLabel* m_stage;
    QLabel* m_result;
    QPushButton* m_export;
    std::thread m_worker;
    bool m_running = false;
};

} // namespace lorastudio::ui

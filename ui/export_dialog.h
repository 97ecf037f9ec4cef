// Merge & export dialog: writes the trained adapter either as a PEFT adapter folder or as a merged
// Hugging Face model (W + s·B·A folded in, in a chosen dtype), on a worker thread with a busy bar,
// the current stage and, for a merged model, the merge check's max |logit| difference. Core writes
// through a temporary folder and a rename, so a failed export leaves nothing half-written.
#pragma once
#include <QDialog>

#include <thread>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace lorastudio::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // baseModel: the project's base model folder; adapterFolder: the adapter to export (e.g.
    // outputDir/adapter); defaultTarget: suggested destination folder.
    ExportDialog(const QString& baseModel, const QString& adapterFolder, const QString& defaultTarget,
                 QWidget* parent = nullptr);
    ~ExportDialog() override; // waits for a running export

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

    QString m_baseModel;
    QLineEdit* m_adapter;
    QRadioButton* m_adapterKind;
    QRadioButton* m_mergedKind;
    QComboBox* m_dtype;
    QLineEdit* m_target;
    QProgressBar* m_busy;
    QLabel* m_stage;
    QLabel* m_result;
    QPushButton* m_export;
    QDialogButtonBox* m_buttons;
    std::thread m_worker;
    bool m_running = false;
};

} // namespace lorastudio::ui

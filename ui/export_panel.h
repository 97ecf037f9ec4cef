// Export page: writes the trained adapter as a PEFT adapter folder, a resized PEFT adapter (each
// module's rank cut by the SVD of its update, checked on a probe text), a merged Hugging Face model
// (W + s·B·A folded in, in a chosen dtype), a merged GGUF model or a GGUF LoRA adapter for
// llama.cpp / Ollama / LM Studio (in a chosen GGUF type, optionally with an Ollama Modelfile), on a
// worker thread with a busy bar, the current stage and the result (the merge check's max |logit|
// difference; a GGUF's size and time). It also says what the base model folder holds that LoRA
// Studio never runs (core's folderSafetyWarnings, as the Model page and the CLI's merge do). Core
// writes through a temporary name and a rename, so a failed export leaves nothing half-written.
#pragma once
#include "panel_registry.h"

#include <QWidget>

#include <thread>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;

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

    enum class Kind { Adapter, Merged, GgufMerged, GgufAdapter, Resized };
    static bool isGguf(Kind k) { return k == Kind::GgufMerged || k == Kind::GgufAdapter; }
    void setKind(Kind kind);
    Kind kind() const;
    // GGUF kinds: "f32", "f16", "bf16" or "q8_0"; and whether a Modelfile is written beside it.
    void setGgufType(const QString& type);
    void setOllama(bool on);
    // Resized kind: keep this share of each update's energy (0.5-1), or cut every module to at most
    // this rank (the last one set applies).
    void setResizeShare(double share);
    void setResizeRank(int rank);
    void setTarget(const QString& folder);
    // Starts the export (as the Export button does). False when one is running or input is missing.
    bool startExport();
    bool isRunning() const { return m_running; }
    QString resultText() const;

Q_SIGNALS:
    // The export ended: ok, the folder written (or the error message), and for a merged model the
    // max |logit| difference between adapted and merged model; for a resized adapter the one between
    // the original and the resized adapter on a probe text (-1 without a base model, and for an
    // adapter export).
    void exportFinished(bool ok, const QString& folderOrError, double maxLogitDiff);

protected:
    void showEvent(QShowEvent* event) override;  // lists the base model folder again

private:
    void setStage(const QString& stage);
    void onFinished(bool ok, const QString& folderOrError, double maxLogitDiff, const QString& summary, const QStringList& warnings);

    void followProject();
    void onKindChanged();
    QString defaultTargetFor(Kind kind) const;
    void refreshSafety();

    PanelContext m_context;
    QString m_baseModel;
    QLabel* m_baseLabel;
    QLabel* m_safety;  // the base model folder's warnings, hidden when there are none
    QLineEdit* m_adapter;
    QRadioButton* m_adapterKind;
    QRadioButton* m_mergedKind;
    QRadioButton* m_ggufKind;
    QRadioButton* m_ggufAdapterKind;
    QRadioButton* m_resizedKind;
    QComboBox* m_dtype;
    QComboBox* m_ggufType;
    QCheckBox* m_ollama;
    QFormLayout* m_form;
    QWidget* m_resizeRow;
    QComboBox* m_resizeBy;
    QDoubleSpinBox* m_resizeShare;
    QSpinBox* m_resizeRank;
    Kind m_runningKind = Kind::Adapter;
    QString m_defaultTarget;   // the folder the project suggests; GGUF kinds put a file in it
    QLineEdit* m_target;
    QProgressBar* m_busy;
    QLabel* m_stage;
    QLabel* m_result;
    QPushButton* m_export;
    std::thread m_worker;
    bool m_running = false;
};

} // namespace lorastudio::ui

// Data panel: pick the training data, see its detected format and template, the first examples
// rendered with the template (masked prompt text greyed, trained text normal, with a legend), a
// histogram of token lengths against max_length, and the malformed lines as file:line: message.
// Reading and tokenizing run off the GUI thread; newer settings cancel an older load.
#pragma once
#include "panel_registry.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QSpinBox;
class QDoubleSpinBox;
class QTabWidget;
class QTextBrowser;
class QTimer;

namespace lorastudio {
struct DataPreview;
}

namespace lorastudio::ui {

struct DataLoadResult;   // data_load.h
struct DataLoadProgress; // data_load.h

class DataPanel : public QWidget {
    Q_OBJECT
public:
    explicit DataPanel(const PanelContext& context, QWidget* parent = nullptr);
    ~DataPanel() override;

    QListWidget* badLinesList() const { return m_badLines; }
    QTextBrowser* previewView() const { return m_preview; }
    QLabel* summaryLabel() const { return m_summary; }
    QCustomPlot* histogram() const { return m_histogram; }
    QTabWidget* tabs() const { return m_tabs; }
    // Starts a load now instead of after the short delay that batches typing.
    void reloadNow();

Q_SIGNALS:
    // A load finished (successfully or not) and the views show its result.
    void loaded();

protected:
    void changeEvent(QEvent* event) override; // palette change: restyle the plot, re-render the preview

private:
    void browse();
    void refreshControls();
    void writeControls();
    void scheduleReload();
    void startLoad();
    void showResult();
    void render(); // the views from m_result
    void updateLegend();
    void showProgress();
    void showHistogram(const std::vector<int32_t>& lengths, int maxLength);
    QString templateText(const DataPreview& preview) const;

    PanelContext m_context;
    QLineEdit* m_pathEdit = nullptr;
    QComboBox* m_format = nullptr;
    QComboBox* m_template = nullptr;
    QLineEdit* m_systemPrompt = nullptr;
    QComboBox* m_completionOnly = nullptr;
    QSpinBox* m_maxLength = nullptr;
    QSpinBox* m_maxPromptLength = nullptr;
    QDoubleSpinBox* m_validation = nullptr;
    QLineEdit* m_validationFile = nullptr;
    QCheckBox* m_shuffle = nullptr;
    QSpinBox* m_shuffleSeed = nullptr;
    QCheckBox* m_streaming = nullptr;
    QCheckBox* m_packing = nullptr;
    QCheckBox* m_groupByLength = nullptr;
    QLabel* m_padding = nullptr;
    QLabel* m_summary = nullptr;
    QProgressBar* m_progress = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTextBrowser* m_preview = nullptr;
    QLabel* m_legend = nullptr;
    QCustomPlot* m_histogram = nullptr;
    QLabel* m_stats = nullptr;
    void showPadding();
    QListWidget* m_badLines = nullptr;
    QTimer* m_reloadTimer = nullptr;
    QFutureWatcher<std::shared_ptr<DataLoadResult>> m_watcher;
    std::shared_ptr<DataLoadProgress> m_job;        // the running load's progress and cancel flag
    QTimer* m_progressTimer = nullptr;
    std::shared_ptr<DataLoadResult> m_result;     // what the views show
    bool m_reloadPending = false;
    bool m_updating = false;
};

} // namespace lorastudio::ui

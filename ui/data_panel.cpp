// Data panel: controls bound to project.data, a background load through core/data (data_load.h:
// previewData, then Dataset::load for the statistics and every bad line), and the three views of
// its result.
#include "data_panel.h"
#include "checked_spin_box.h"

#include "data/packing.h"

#include "data/dataset.h"
#include "data_load.h"
#include "data_preview_html.h"
#include "data_summary.h"
#include "data_warning_text.h"
#include "model_context.h"
#include "project_document.h"
#include "qcustomplot_include.h"
#include "tokenizer/tokenizer.h"
#include "ui_format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <limits>

#include <algorithm>
#include <cmath>

namespace lorastudio::ui {

namespace {

constexpr int kPreviewExamples = 5;

enum Tab { TabPreview, TabLengths, TabProblems };

} // namespace

DataPanel::DataPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    auto* pathRow = new QHBoxLayout;
    m_pathEdit = new QLineEdit;
    m_pathEdit->setObjectName(QStringLiteral("dataPath"));
    m_pathEdit->setPlaceholderText(tr("A .jsonl, .json or .txt file"));
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(QStringLiteral("dataBrowse"));
    pathRow->addWidget(m_pathEdit, 1);
    pathRow->addWidget(browse);
    form->addRow(tr("Data file:"), pathRow);

    m_format = new QComboBox;

    m_format->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);

    m_format->setMinimumContentsLength(8);
    m_format->addItem(tr("auto-detect"), int(DataFormat::Auto));
    m_format->addItem(tr("text"), int(DataFormat::Text));
    m_format->addItem(tr("alpaca (instruction/input/output)"), int(DataFormat::Alpaca));
    m_format->addItem(tr("chat (messages)"), int(DataFormat::Chat));
    m_format->addItem(tr("ShareGPT (conversations)"), int(DataFormat::ShareGpt));
    m_format->addItem(tr("preference pairs (chosen/rejected, for DPO)"), int(DataFormat::Preference));
    m_template = new QComboBox;
    m_template->setObjectName(QStringLiteral("dataTemplate"));
    m_template->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_template->setMinimumContentsLength(8);
    m_template->addItem(tr("auto (the model's own when it has one)"), int(ChatTemplate::Auto));
    m_template->addItem(tr("the model's own (Jinja chat_template)"), int(ChatTemplate::Model));
    for (ChatTemplate t : {ChatTemplate::ChatML, ChatTemplate::Llama3, ChatTemplate::Mistral, ChatTemplate::Plain,
                           ChatTemplate::Alpaca})
        m_template->addItem(QString::fromStdString(enumName(t)), int(t));
    m_template->setToolTip(tr("data.template: how chat and instruction records become text. The model's own template "
                              "is the chat_template of its tokenizer_config.json, as transformers applies it; the "
                              "others are built in."));
    m_systemPrompt = new QLineEdit;
    m_systemPrompt->setObjectName(QStringLiteral("dataSystemPrompt"));
    m_systemPrompt->setPlaceholderText(tr("none"));
    m_systemPrompt->setToolTip(tr("data.system_prompt: a system message for the chat and Alpaca records that bring none"));
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Template:"), m_template);
    form->addRow(tr("System prompt:"), m_systemPrompt);

    auto* lengthRow = new QHBoxLayout;
    m_maxLength = new CheckedSpinBox;
    m_maxLength->setRange(8, 1 << 20);
    m_validation = new CheckedDoubleSpinBox;
    m_validation->setRange(0, 0.9);
    m_validation->setSingleStep(0.05);
    m_validation->setDecimals(3);
    m_completionOnly = new QComboBox;
    m_completionOnly->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_completionOnly->setMinimumContentsLength(8);
    m_completionOnly->addItem(tr("auto"));
    m_completionOnly->addItem(tr("answers only"));
    m_completionOnly->addItem(tr("whole text"));
    m_completionOnly->setToolTip(tr("completion_only_loss: learn only the answers (prompt masked) or the whole text. "
                                    "Auto: answers only for Alpaca and chat data."));
    lengthRow->addWidget(m_maxLength);
    lengthRow->addWidget(new QLabel(tr("Validation:")));
    lengthRow->addWidget(m_validation);
    lengthRow->addWidget(new QLabel(tr("Loss on:")));
    lengthRow->addWidget(m_completionOnly, 1);
    form->addRow(tr("Max length:"), lengthRow);
    m_maxPromptLength = new CheckedSpinBox;
    m_maxPromptLength->setObjectName(QStringLiteral("dataMaxPromptLength"));
    m_maxPromptLength->setRange(0, 1 << 20);
    m_maxPromptLength->setSpecialValueText(tr("cut at the end"));
    m_maxPromptLength->setPrefix(tr("cut the prompt to "));
    m_maxPromptLength->setSuffix(tr(" tokens first"));
    m_maxPromptLength->setToolTip(tr("data.max_prompt_length: an example longer than max length loses the start of its "
                                     "prompt first, down to this many tokens, so that its answer stays in (0: it loses "
                                     "its end)"));
    auto* promptRow = new QHBoxLayout;
    promptRow->addWidget(m_maxPromptLength);
    promptRow->addStretch(1);
    form->addRow(tr("Long examples:"), promptRow);

    auto* validationRow = new QHBoxLayout;
    m_validationFile = new QLineEdit;
    m_validationFile->setObjectName(QStringLiteral("dataValidationFile"));
    m_validationFile->setPlaceholderText(tr("none: hold out the fraction above"));
    m_validationFile->setToolTip(tr("data.validation as a path: a separate validation file (the fraction is then not used)"));
    auto* browseValidation = new QPushButton(tr("Browse…"));
    validationRow->addWidget(m_validationFile, 1);
    validationRow->addWidget(browseValidation);
    form->addRow(tr("Validation file:"), validationRow);

    auto* orderRow = new QHBoxLayout;
    m_shuffle = new QCheckBox(tr("Shuffle every epoch"));
    m_shuffle->setObjectName(QStringLiteral("dataShuffle"));
    m_shuffleSeed = new CheckedSpinBox;
    m_shuffleSeed->setObjectName(QStringLiteral("dataShuffleSeed"));
    m_shuffleSeed->setRange(0, std::numeric_limits<int>::max());
    m_shuffleSeed->setMaximumWidth(110);
    m_shuffleSeed->setToolTip(tr("data.shuffle_seed: the seed of the shuffle and of the validation split"));
    orderRow->addWidget(m_shuffle);
    orderRow->addWidget(new QLabel(tr("Seed:")));
    orderRow->addWidget(m_shuffleSeed);
    orderRow->addStretch(1);
    form->addRow(tr("Order:"), orderRow);
    m_streaming = new QCheckBox(tr("Stream from disk"));
    m_streaming->setObjectName(QStringLiteral("dataStreaming"));
    m_streaming->setToolTip(tr("data.streaming: read the file lazily instead of loading it into memory (for large data)"));
    form->addRow(QString(), m_streaming);
    auto* batchingRow = new QHBoxLayout;
    m_packing = new QCheckBox(tr("Pack examples into rows"));
    m_packing->setObjectName(QStringLiteral("dataPacking"));
    m_packing->setToolTip(tr("data.packing: several examples per row of max_length tokens; each attends only to "
                             "itself and restarts its positions, so its loss is the one it has alone"));
    m_groupByLength = new QCheckBox(tr("Group batches by length"));
    m_groupByLength->setObjectName(QStringLiteral("dataGroupByLength"));
    m_groupByLength->setToolTip(tr("data.group_by_length: unpacked batches of similar lengths, less padding"));
    batchingRow->addWidget(m_packing);
    batchingRow->addWidget(m_groupByLength);
    batchingRow->addStretch(1);
    form->addRow(tr("Batching:"), batchingRow);
    m_padding = new QLabel;
    m_padding->setObjectName(QStringLiteral("dataPadding"));
    m_padding->setWordWrap(true);
    form->addRow(tr("Padding:"), m_padding);
    layout->addLayout(form);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("dataSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    m_progress->setMaximumHeight(12);
    m_progress->setTextVisible(false);
    layout->addWidget(m_progress);

    m_tabs = new QTabWidget;
    // Preview with its legend.
    auto* previewPage = new QWidget;
    auto* previewLayout = new QVBoxLayout(previewPage);
    previewLayout->setContentsMargins(0, 4, 0, 0);
    m_legend = new QLabel;
    m_legend->setObjectName(QStringLiteral("previewLegend"));
    m_legend->setWordWrap(true);
    previewLayout->addWidget(m_legend);
    m_preview = new QTextBrowser;
    m_preview->setObjectName(QStringLiteral("dataPreview"));
    previewLayout->addWidget(m_preview, 1);
    m_tabs->addTab(previewPage, tr("Preview"));
    // Token-length histogram.
    auto* lengthsPage = new QWidget;
    auto* lengthsLayout = new QVBoxLayout(lengthsPage);
    lengthsLayout->setContentsMargins(0, 4, 0, 0);
    m_histogram = new QCustomPlot;
    m_histogram->setObjectName(QStringLiteral("lengthHistogram"));
    m_histogram->setMinimumHeight(180);
    m_histogram->xAxis->setLabel(tr("tokens per example"));
    m_histogram->yAxis->setLabel(tr("examples"));
    stylePlot(m_histogram, palette());
    lengthsLayout->addWidget(m_histogram, 1);
    m_stats = new QLabel;
    m_stats->setWordWrap(true);
    lengthsLayout->addWidget(m_stats);
    m_tabs->addTab(lengthsPage, tr("Token lengths"));
    // Bad lines and warnings.
    m_badLines = new QListWidget;
    m_badLines->setObjectName(QStringLiteral("badLines"));
    m_badLines->setWordWrap(true);
    m_tabs->addTab(m_badLines, tr("Problems"));
    layout->addWidget(m_tabs, 1);

    updateLegend();

    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(300);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);

    connect(browse, &QPushButton::clicked, this, &DataPanel::browse);
    connect(m_pathEdit, &QLineEdit::editingFinished, this, &DataPanel::writeControls);
    connect(m_format, qOverload<int>(&QComboBox::currentIndexChanged), this, &DataPanel::writeControls);
    connect(m_template, qOverload<int>(&QComboBox::currentIndexChanged), this, &DataPanel::writeControls);
    connect(m_systemPrompt, &QLineEdit::editingFinished, this, &DataPanel::writeControls);
    connect(m_completionOnly, qOverload<int>(&QComboBox::currentIndexChanged), this, &DataPanel::writeControls);
    connect(m_maxLength, qOverload<int>(&QSpinBox::valueChanged), this, &DataPanel::writeControls);
    connect(m_maxPromptLength, qOverload<int>(&QSpinBox::valueChanged), this, &DataPanel::writeControls);
    connect(m_validation, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &DataPanel::writeControls);
    connect(m_validationFile, &QLineEdit::editingFinished, this, &DataPanel::writeControls);
    connect(browseValidation, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a validation file"), QString(),
                                                          tr("Data files (*.jsonl *.json *.txt);;All files (*)"));
        if (path.isEmpty()) return;
        const std::string written = m_context.document->pathForProject(path);
        m_context.document->edit(ProjectDocument::Part::Data, [&](ProjectConfig& c) { c.data.validationPath = written; });
    });
    connect(m_shuffle, &QCheckBox::toggled, this, &DataPanel::writeControls);
    connect(m_shuffleSeed, qOverload<int>(&QSpinBox::valueChanged), this, &DataPanel::writeControls);
    connect(m_streaming, &QCheckBox::toggled, this, &DataPanel::writeControls);
    connect(m_packing, &QCheckBox::toggled, this, &DataPanel::writeControls);
    connect(m_groupByLength, &QCheckBox::toggled, this, &DataPanel::writeControls);
    connect(m_reloadTimer, &QTimer::timeout, this, &DataPanel::startLoad);
    connect(m_progressTimer, &QTimer::timeout, this, &DataPanel::showProgress);
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<DataLoadResult>>::finished, this, &DataPanel::showResult);
    connect(context.document, &ProjectDocument::replaced, this, [this] {
        refreshControls();
        scheduleReload();
    });
    connect(context.document, &ProjectDocument::changed, this, [this](ProjectDocument::Part part) {
        if (int(part) & int(ProjectDocument::Part::Data)) {
            refreshControls();
            scheduleReload();
        }
        if (int(part) & int(ProjectDocument::Part::Training)) {  // the batch size, the objective (packing)
            showPadding();
            refreshControls();
        }
    });
    connect(context.model, &ModelContext::modelChanged, this, &DataPanel::scheduleReload);
    refreshControls();
    scheduleReload();
}

DataPanel::~DataPanel() {
    if (m_job) m_job->cancel = true;
    m_watcher.waitForFinished();
}

void DataPanel::reloadNow() {
    m_reloadTimer->stop();
    startLoad();
}

void DataPanel::browse() {
    const QString current = m_context.document->resolvedDataPath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose training data"), current,
                                                      tr("Data files (*.jsonl *.json *.txt);;All files (*)"));
    if (path.isEmpty()) return;
    const std::string written = m_context.document->pathForProject(path);
    m_context.document->edit(ProjectDocument::Part::Data, [&](ProjectConfig& c) { c.data.path = written; });
}

void DataPanel::refreshControls() {
    const DataSettings& d = m_context.document->config().data;
    m_updating = true;
    if (m_pathEdit->text() != QString::fromStdString(d.path)) m_pathEdit->setText(QString::fromStdString(d.path));
    m_format->setCurrentIndex(m_format->findData(int(d.format)));
    m_template->setCurrentIndex(m_template->findData(int(d.chatTemplate)));
    if (m_systemPrompt->text() != QString::fromStdString(d.systemPrompt))
        m_systemPrompt->setText(QString::fromStdString(d.systemPrompt));
    m_completionOnly->setCurrentIndex(!d.completionOnlyLoss ? 0 : (*d.completionOnlyLoss ? 1 : 2));
    m_maxLength->setValue(d.maxLength);
    m_maxPromptLength->setValue(d.maxPromptLength);
    m_validation->setValue(d.validationFraction);
    m_validation->setEnabled(d.validationPath.empty());
    if (m_validationFile->text() != QString::fromStdString(d.validationPath))
        m_validationFile->setText(QString::fromStdString(d.validationPath));
    m_shuffle->setChecked(d.shuffle);
    m_shuffleSeed->setValue(d.shuffleSeed);
    m_shuffleSeed->setEnabled(d.shuffle || d.validationFraction > 0);
    m_streaming->setChecked(d.streaming);
    m_packing->setChecked(d.packing);
    // DPO and ORPO compare each pair's two rows: never packed (a packed project says why on Train).
    m_packing->setEnabled(d.packing || (d.format != DataFormat::Preference &&
                                        !isPreferenceObjective(m_context.document->config().training.objective)));
    m_groupByLength->setChecked(d.groupByLength);
    m_groupByLength->setEnabled(!d.packing);
    m_updating = false;
}

void DataPanel::writeControls() {
    if (m_updating) return;
    const std::string path = m_pathEdit->text().trimmed().toStdString();
    m_context.document->edit(ProjectDocument::Part::Data, [&](ProjectConfig& c) {
        c.data.path = path;
        c.data.format = static_cast<DataFormat>(m_format->currentData().toInt());
        c.data.chatTemplate = static_cast<ChatTemplate>(m_template->currentData().toInt());
        c.data.systemPrompt = m_systemPrompt->text().toStdString();
        const int loss = m_completionOnly->currentIndex();
        c.data.completionOnlyLoss = loss == 0 ? std::optional<bool>() : std::optional<bool>(loss == 1);
        c.data.maxLength = m_maxLength->value();
        c.data.maxPromptLength = m_maxPromptLength->value();
        c.data.validationFraction = m_validation->value();
        c.data.validationPath = m_validationFile->text().trimmed().toStdString();
        c.data.shuffle = m_shuffle->isChecked();
        c.data.shuffleSeed = m_shuffleSeed->value();
        c.data.streaming = m_streaming->isChecked();
        c.data.packing = m_packing->isChecked();
        c.data.groupByLength = m_groupByLength->isChecked();
    });
}

// The share of computed positions that are padding, as the loader would batch the training split:
// padded as it is, grouped by length, and packed; the chosen way in bold.
void DataPanel::showPadding() {
    const std::shared_ptr<DataLoadResult> result = m_result;
    if (!result || !result->haveStats || result->trainStats.tokenLengths.empty()) {
        m_padding->setText(tr("shown once the data is read"));
        return;
    }
    const auto& cfg = m_context.document->config();
    const int batch = std::max(1, cfg.training.batchSize);
    const std::vector<int32_t> lengths = result->trainStats.truncatedLengths();
    const double padded = unpackedPadding(lengths, batch, false).paddingShare();
    const double grouped = unpackedPadding(lengths, batch, true).paddingShare();
    const PaddingStats packedStats = packedPadding(lengths, batch, result->trainStats.maxLength);
    const auto share = [](double v, bool chosen) {
        const QString t = QStringLiteral("%1%").arg(100.0 * v, 0, 'f', 1);
        return chosen ? QStringLiteral("<b>%1</b>").arg(t) : t;
    };
    const bool pack = cfg.data.packing, group = !pack && cfg.data.groupByLength;
    if (result->preview.format == DataFormat::Preference) {  // two rows per pair, never packed
        m_padding->setText(tr("%1 padded batches · %2 grouped by length (batch %3 pairs; in bold: this project; pairs are "
                              "not packed)")
                               .arg(share(padded, !group), share(grouped, group))
                               .arg(batch));
        return;
    }
    m_padding->setText(tr("%1 padded batches · %2 grouped by length · %3 packed (batch %4; in bold: this project)")
                           .arg(share(padded, !pack && !group), share(grouped, group), share(packedStats.paddingShare(), pack))
                           .arg(batch));
}

void DataPanel::scheduleReload() { m_reloadTimer->start(); }

void DataPanel::startLoad() {
    if (m_context.data) m_context.data->setLongestExample(std::nullopt);  // until a read has finished
    if (m_watcher.isRunning()) {
        // Let the running load stop at its next progress report; start again when it has.
        if (m_job) m_job->cancel = true;
        m_reloadPending = true;
        return;
    }
    m_reloadPending = false;
    m_result.reset();
    const ProjectConfig config = m_context.document->config();
    m_preview->clear();
    m_badLines->clear();
    m_histogram->clearPlottables();
    m_histogram->clearItems();
    m_histogram->replot();
    m_stats->clear();
    m_tabs->setTabText(TabProblems, tr("Problems"));
    if (config.data.path.empty()) {
        m_summary->setText(tr("Choose a data file: JSON Lines with \"text\", \"instruction\"/\"output\", "
                              "\"messages\" or \"conversations\" (ShareGPT), or plain text with one example per line."));
        Q_EMIT loaded();
        return;
    }
    if (!m_context.model->hasModel()) {
        m_summary->setText(tr("Choose a base model first: the preview uses its tokenizer."));
        Q_EMIT loaded();
        return;
    }
    m_summary->setText(tr("Reading %1 …").arg(m_context.document->resolvedDataPath()));
    m_job = std::make_shared<DataLoadProgress>();
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_progressTimer->start();
    const QString model = m_context.model->folder();
    auto job = m_job;
    m_watcher.setFuture(QtConcurrent::run([config, model, job] { return loadData(config, model, job, kPreviewExamples); }));
}

void DataPanel::showProgress() {
    if (!m_job) return;
    const int64_t total = m_job->total;
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000.0 * double(m_job->done) / double(total)));
    }
}

void DataPanel::showResult() {
    m_progressTimer->stop();
    m_progress->setVisible(false);
    if (m_reloadPending) {
        startLoad();
        return;
    }
    m_result = m_watcher.result();
    if (m_context.data && m_result && m_result->error.isEmpty() && m_result->haveStats && !m_result->lengths.empty())
        m_context.data->setLongestExample(*std::max_element(m_result->lengths.begin(), m_result->lengths.end()));
    render();
    Q_EMIT loaded();
}

void DataPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_histogram) {
        stylePlot(m_histogram, palette());
        updateLegend();
        if (m_result) render();
        m_histogram->replot();
    }
}

void DataPanel::updateLegend() {
    m_legend->setText(tr("Legend: <span style=\"color:%1\">grey text is the prompt (masked, not trained)</span>, "
                         "<span style=\"background-color:%2\">highlighted text is trained (counts in the loss)</span>.")
                          .arg(maskedColor(palette()), trainedBackground(palette())));
}

// The template in use, in words: the model's own is named after the model's folder.
QString DataPanel::templateText(const DataPreview& p) const {
    if (p.format == DataFormat::Text) return tr("none (plain text)");
    if (p.chatTemplate == ChatTemplate::Model)
        return tr("the model's own (%1, Jinja)").arg(QFileInfo(m_context.model->folder()).fileName());
    return QString::fromStdString(enumName(p.chatTemplate));
}

void DataPanel::render() {
    const std::shared_ptr<DataLoadResult> result = m_result;
    m_preview->clear();
    m_badLines->clear();
    if (!result->error.isEmpty()) {
        m_summary->setText(QStringLiteral("⚠ ") + result->error);
        return;
    }
    const DataPreview& p = result->preview;
    QString summary = tr("Format: %1 · template: %2 · loss on: %3")
                          .arg(QString::fromStdString(enumName(p.format)), templateText(p),
                               p.completionOnlyLoss ? tr("answers only") : tr("whole text"));
    if (result->haveStats) {
        if (p.format == DataFormat::Preference)
            summary += tr(" · %n training pair(s)", nullptr, int(result->trainStats.examples));
        else
            summary += tr(" · %n training example(s)", nullptr, int(result->trainStats.examples));
        if (result->validationExamples > 0)
            summary += tr(", %n for validation", nullptr, int(result->validationExamples));
    } else if (!result->statsError.isEmpty()) {
        summary += QStringLiteral("\n⚠ ") + result->statsError;
    }
    m_summary->setText(summary);

    QString html;
    for (const PreviewExample& e : p.examples) html += exampleHtml(e, palette());
    m_preview->setHtml(html);

    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const BadLine& bad : result->badLines) {
        auto* item = new QListWidgetItem(warningIcon, QString::fromStdString(bad.message), m_badLines);
        item->setToolTip(QString::fromStdString(bad.path));
    }
    const QIcon infoIcon = style()->standardIcon(QStyle::SP_MessageBoxInformation);
    for (const std::string& w : result->warnings) new QListWidgetItem(infoIcon, dataWarningText(w), m_badLines);
    const int problems = int(result->badLines.size());
    m_tabs->setTabText(TabProblems, problems > 0 ? tr("Problems (%1)").arg(problems) : tr("Problems"));

    if (result->haveStats) {
        const DataStats& s = result->trainStats;
        showHistogram(result->lengths, s.maxLength);
        m_stats->setText(tr("Shortest %1, mean %2, longest %3 tokens · %4 cut to max_length %5 · "
                            "%6 of %7 tokens trained")
                             .arg(s.shortest())
                             .arg(s.meanLength(), 0, 'f', 1)
                             .arg(s.longest())
                             .arg(s.truncated)
                             .arg(s.maxLength)
                             .arg(formatInteger(s.trainedTokens), formatInteger(s.totalTokens)));
    }
    showPadding();
}

void DataPanel::showHistogram(const std::vector<int32_t>& lengths, int maxLength) {
    m_histogram->clearPlottables();
    m_histogram->clearItems();
    if (lengths.empty()) {
        m_histogram->replot();
        return;
    }
    const int32_t longest = *std::max_element(lengths.begin(), lengths.end());
    const double span = std::max<double>(longest, maxLength);
    // A "nice" bin width (1, 2, 5 x 10^k) giving at most ~40 bins.
    double width = 1;
    for (double scale = 1; width * 40 < span; scale *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (width * 40 < span) width = m * scale;
    QVector<double> keys, counts;
    const int bins = int(std::floor(longest / width)) + 1;
    counts.fill(0, bins);
    for (int b = 0; b < bins; ++b) keys.append(b * width + width / 2);
    for (int32_t len : lengths) counts[int(std::floor(len / width))] += 1;

    auto* bars = new QCPBars(m_histogram->xAxis, m_histogram->yAxis);
    bars->setWidth(width * 0.9);
    bars->setPen(Qt::NoPen);
    bars->setBrush(plotColor(0));
    bars->setData(keys, counts, true);
    auto* limit = new QCPItemStraightLine(m_histogram);
    limit->point1->setCoords(maxLength, 0);
    limit->point2->setCoords(maxLength, 1);
    limit->setPen(QPen(plotColor(2), 2, Qt::DashLine));
    auto* label = new QCPItemText(m_histogram);
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(maxLength, 0.05);
    label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    label->setPadding(QMargins(0, 0, 4, 0));
    label->setText(tr("max_length %1").arg(maxLength));
    label->setColor(palette().color(QPalette::Text));
    const double peak = *std::max_element(counts.begin(), counts.end());
    m_histogram->xAxis->setRange(0, span * 1.05 + width);
    m_histogram->yAxis->setRange(0, peak * 1.15 + 1);
    stylePlot(m_histogram, palette());
    m_histogram->replot();
}

} // namespace lorastudio::ui

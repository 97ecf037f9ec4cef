// Export page (see the header). The worker is a std::thread that loads the base model and
// the adapter, then calls core's saveAdapter, exportMergedModel or runGgufExport; it reports stages
// and the result back with QMetaObject::invokeMethod(..., Qt::QueuedConnection) and never touches a
// widget.
#include "analysis/adapter_probe.h"
#include "analysis/adapter_resize.h"
#include "data/chat_template.h"
#include "error_text.h"
#include "export/gguf_job.h"
#include "io/folder_safety.h"
#include "lora/merged_export.h"
#include "tokenizer/tokenizer.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"

#include "export_panel.h"
#include "gguf_warning_text.h"
#include "output_location.h"
#include "project_document.h"
#include "training_controller.h"
#include "ui_format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <functional>
#include <optional>

namespace lorastudio::ui {

ExportPanel::ExportPanel(const QString& baseModel, const QString& adapterFolder, const QString& defaultTarget,
                           QWidget* parent)
    : QWidget(parent), m_baseModel(baseModel) {
    auto* outer = new QVBoxLayout(this);
    auto* box = new QGroupBox(tr("Merge && export"));
    auto* layout = new QVBoxLayout(box);
    outer->addWidget(box);
    outer->addStretch(1);
    auto* note = new QLabel(tr("A merged model is written from the original base checkpoint with the update "
                               "W0 + (alpha/r)·B·A folded in, then checked against the adapted model. A GGUF LoRA "
                               "carries each module's own scale (rsLoRA, alpha and rank patterns), so llama.cpp "
                               "computes the same update."));
    note->setWordWrap(true);
    layout->addWidget(note);
    // Above the form, not in it: a QFormLayout row gives a wrapped label the height of its narrowest wrap.
    m_safety = new QLabel;
    m_safety->setObjectName(QStringLiteral("exportBaseModelWarnings"));
    m_safety->setWordWrap(true);
    m_safety->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_safety->hide();
    layout->addWidget(m_safety);
    auto* form = m_form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_adapter = new QLineEdit(adapterFolder);
    m_adapter->setObjectName(QStringLiteral("exportAdapter"));
    auto* pickAdapter = new QPushButton(tr("Browse…"));
    auto* adapterRow = new QHBoxLayout;
    adapterRow->addWidget(m_adapter, 1);
    adapterRow->addWidget(pickAdapter);
    form->addRow(tr("Adapter:"), adapterRow);
    m_baseLabel = new QLabel(QDir::toNativeSeparators(baseModel));
    m_baseLabel->setObjectName(QStringLiteral("exportBaseModel"));
    m_baseLabel->setWordWrap(true);
    m_baseLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Base model:"), m_baseLabel);

    m_adapterKind = new QRadioButton(tr("PEFT adapter (adapter_config.json + adapter_model.safetensors)"));
    m_mergedKind = new QRadioButton(tr("Merged model (base weights with the update folded in)"));
    m_ggufKind = new QRadioButton(tr("GGUF merged model for llama.cpp, Ollama and LM Studio"));
    m_ggufAdapterKind = new QRadioButton(tr("GGUF LoRA adapter (for a GGUF of the base model)"));
    m_resizedKind = new QRadioButton(tr("Resized PEFT adapter (each module's rank cut by the SVD of its update)"));
    m_resizedKind->setObjectName(QStringLiteral("exportKindResized"));
    m_adapterKind->setObjectName(QStringLiteral("exportKindAdapter"));
    m_mergedKind->setObjectName(QStringLiteral("exportKindMerged"));
    m_ggufKind->setObjectName(QStringLiteral("exportKindGguf"));
    m_ggufAdapterKind->setObjectName(QStringLiteral("exportKindGgufAdapter"));
    m_adapterKind->setChecked(true);
    auto* kinds = new QVBoxLayout;
    for (QRadioButton* b : {m_adapterKind, m_resizedKind, m_mergedKind, m_ggufKind, m_ggufAdapterKind}) {
        kinds->addWidget(b);
        connect(b, &QRadioButton::toggled, this, [this](bool on) { if (on) onKindChanged(); });
    }
    form->addRow(tr("Export as:"), kinds);

    m_dtype = new QComboBox;
    m_dtype->setObjectName(QStringLiteral("exportDtype"));
    m_dtype->addItem(tr("As the base checkpoint"), QString());
    m_dtype->addItem(QStringLiteral("float32"), QStringLiteral("float32"));
    m_dtype->addItem(QStringLiteral("bfloat16"), QStringLiteral("bfloat16"));
    m_dtype->addItem(QStringLiteral("float16"), QStringLiteral("float16"));
    m_ggufType = new QComboBox;
    m_ggufType->setObjectName(QStringLiteral("exportGgufType"));
    m_ggufType->addItem(tr("F16 (half precision)"), QStringLiteral("f16"));
    m_ggufType->addItem(tr("Q8_0 (8-bit blocks, about half of F16)"), QStringLiteral("q8_0"));
    m_ggufType->addItem(tr("Q4_K_M (4-bit mix, about 30% of F16; Ollama's usual)"), QStringLiteral("q4_k_m"));
    m_ggufType->addItem(tr("Q5_K_M (5-bit mix, about 36% of F16)"), QStringLiteral("q5_k_m"));
    m_ggufType->addItem(tr("Q4_0 (4-bit blocks, about 28% of F16)"), QStringLiteral("q4_0"));
    m_ggufType->addItem(tr("BF16 (brain float)"), QStringLiteral("bf16"));
    m_ggufType->addItem(tr("F32 (full precision)"), QStringLiteral("f32"));
    m_ollama = new QCheckBox(tr("Ollama Modelfile beside it"));
    m_ollama->setObjectName(QStringLiteral("exportOllama"));
    m_ollama->setToolTip(tr("Writes Modelfile (FROM, ADAPTER, the chat template the data was trained with, stop "
                            "strings); then: ollama create NAME -f Modelfile. An adapter's Modelfile also gets a GGUF of "
                            "the base model beside it."));
    auto* typeRow = new QHBoxLayout;
    typeRow->addWidget(m_dtype);
    typeRow->addWidget(m_ggufType);
    typeRow->addWidget(m_ollama);
    typeRow->addStretch(1);
    form->addRow(tr("Data type:"), typeRow);

    m_resizeBy = new QComboBox;
    m_resizeBy->setObjectName(QStringLiteral("exportResizeBy"));
    m_resizeBy->addItem(tr("Keep a share of each update's energy"));
    m_resizeBy->addItem(tr("Cut every module to at most rank"));
    m_resizeShare = new QDoubleSpinBox;
    m_resizeShare->setObjectName(QStringLiteral("exportResizeShare"));
    m_resizeShare->setRange(50, 100);
    m_resizeShare->setDecimals(1);
    m_resizeShare->setSuffix(QStringLiteral(" %"));
    m_resizeShare->setValue(95);
    m_resizeShare->setToolTip(tr("Per module the fewest directions whose σᵢ² keep this share of Σσᵢ², rounded up to a power "
                                 "of two (the Inspect page's suggestion)"));
    m_resizeRank = new QSpinBox;
    m_resizeRank->setObjectName(QStringLiteral("exportResizeRank"));
    m_resizeRank->setRange(1, 4096);
    m_resizeRank->setValue(8);
    m_resizeRow = new QWidget;
    auto* resizeRow = new QHBoxLayout(m_resizeRow);
    resizeRow->setContentsMargins(0, 0, 0, 0);
    resizeRow->addWidget(m_resizeBy);
    resizeRow->addWidget(m_resizeShare);
    resizeRow->addWidget(m_resizeRank);
    resizeRow->addStretch(1);
    form->addRow(tr("Resize:"), m_resizeRow);
    connect(m_resizeBy, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        m_resizeShare->setVisible(i == 0);
        m_resizeRank->setVisible(i == 1);
    });
    m_resizeRank->hide();

    m_target = new QLineEdit(defaultTarget);
    m_target->setObjectName(QStringLiteral("exportTarget"));
    auto* pickTarget = new QPushButton(tr("Browse…"));
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(pickTarget);
    form->addRow(tr("Save to:"), targetRow);
    layout->addLayout(form);

    m_busy = new QProgressBar;
    m_busy->setRange(0, 1);
    m_busy->setValue(0);
    m_busy->setTextVisible(false);
    layout->addWidget(m_busy);
    m_stage = new QLabel;
    layout->addWidget(m_stage);
    m_result = new QLabel;
    m_result->setObjectName(QStringLiteral("exportResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    m_export = new QPushButton(tr("Export"));
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setDefault(true);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_export);
    layout->addLayout(buttons);

    connect(pickAdapter, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Adapter folder"), m_adapter->text());
        if (!d.isEmpty()) m_adapter->setText(d);
    });
    connect(pickTarget, &QPushButton::clicked, this, [this] {
        const bool gguf = isGguf(kind());
        const QString d = QFileDialog::getSaveFileName(this, gguf ? tr("Export to GGUF file") : tr("Export to folder"), m_target->text(),
                                                       gguf ? tr("GGUF files (*.gguf)") : QString());
        if (!d.isEmpty()) m_target->setText(d);
    });
    connect(m_export, &QPushButton::clicked, this, [this] { startExport(); });
    connect(m_ggufType, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this] { onKindChanged(); });
    m_defaultTarget = defaultTarget;
    onKindChanged();
    refreshSafety();
}

ExportPanel::Kind ExportPanel::kind() const {
    if (m_mergedKind->isChecked()) return Kind::Merged;
    if (m_ggufKind->isChecked()) return Kind::GgufMerged;
    if (m_ggufAdapterKind->isChecked()) return Kind::GgufAdapter;
    if (m_resizedKind->isChecked()) return Kind::Resized;
    return Kind::Adapter;
}

QString ExportPanel::defaultTargetFor(Kind k) const {
    if (m_defaultTarget.isEmpty()) return QString();
    const QString type = m_ggufType->currentData().toString();
    if (k == Kind::GgufMerged) return m_defaultTarget + QStringLiteral("/model-%1.gguf").arg(type);
    if (k == Kind::GgufAdapter) return m_defaultTarget + QStringLiteral("/adapter-%1.gguf").arg(type);
    if (k == Kind::Resized) return m_defaultTarget + QStringLiteral("/adapter-resized");
    return m_defaultTarget;
}

void ExportPanel::onKindChanged() {
    const Kind k = kind();
    const bool gguf = isGguf(k);
    m_dtype->setVisible(!gguf);
    m_ggufType->setVisible(gguf);
    m_ollama->setVisible(gguf);
    m_dtype->setEnabled(k == Kind::Merged);
    m_form->setRowVisible(m_resizeRow, k == Kind::Resized);
    // A GGUF LoRA is small and llama.cpp takes it unquantized: the quantized types are for models
    // (the type box keeps its choice for the merged kind).
    if (auto* items = qobject_cast<QStandardItemModel*>(m_ggufType->model()))
        for (int i = 0; i < items->rowCount(); ++i) {
            const auto type = parseGgufFileType(m_ggufType->itemData(i).toString().toStdString());
            items->item(i)->setEnabled(k != Kind::GgufAdapter || (type && adapterTensorType(*type)));
        }
    const auto current = parseGgufFileType(m_ggufType->currentData().toString().toStdString());
    if (k == Kind::GgufAdapter && !(current && adapterTensorType(*current))) m_ggufType->setCurrentIndex(0);
    // The suggested destination follows the kind until the user types their own.
    // (Every suggestion is the suggested folder, a .gguf file or the resized adapter in it.)
    const QString typed = m_target->text();
    if (typed.isEmpty() || typed == m_defaultTarget || typed == defaultTargetFor(Kind::Resized) ||
        (typed.endsWith(QStringLiteral(".gguf")) && QFileInfo(typed).path() == m_defaultTarget))
        m_target->setText(defaultTargetFor(k));
}

void ExportPanel::setGgufType(const QString& type) {
    const int i = m_ggufType->findData(type.toLower());
    if (i >= 0) m_ggufType->setCurrentIndex(i);
}

void ExportPanel::setOllama(bool on) { m_ollama->setChecked(on); }

void ExportPanel::setResizeShare(double share) {
    m_resizeShare->setValue(100.0 * share);
    m_resizeBy->setCurrentIndex(0);
}

void ExportPanel::setResizeRank(int rank) {
    m_resizeRank->setValue(rank);
    m_resizeBy->setCurrentIndex(1);
}

ExportPanel::ExportPanel(const PanelContext& context, QWidget* parent)
    : ExportPanel(QString(), QString(), QString(), parent) {
    m_context = context;
    if (context.document) {
        connect(context.document, &ProjectDocument::replaced, this, &ExportPanel::followProject);
        connect(context.document, &ProjectDocument::changed, this, &ExportPanel::followProject);
        connect(context.document, &ProjectDocument::filePathChanged, this, &ExportPanel::followProject);
    }
    if (context.training) connect(context.training, &TrainingController::finished, this, &ExportPanel::followProject);
    followProject();
}

void ExportPanel::followProject() {
    if (!m_context.document) return;
    const QString projectName = QFileInfo(m_context.document->filePath()).completeBaseName();
    const QString out = effectiveOutputDir(m_context.document->config(), projectName).path;
    setSources(m_context.document->resolvedBaseModel(), out + QStringLiteral("/adapter"), out + QStringLiteral("/export"));
}

void ExportPanel::setSources(const QString& baseModel, const QString& adapterFolder, const QString& defaultTarget) {
    if (m_running) return;
    const bool newBase = baseModel != m_baseModel;
    m_baseModel = baseModel;
    if (newBase) refreshSafety();  // (not on every project edit: showEvent lists the folder again)
    m_baseLabel->setText(baseModel.isEmpty() ? tr("none: choose one on the Model page") : QDir::toNativeSeparators(baseModel));
    m_adapter->setText(adapterFolder);
    m_defaultTarget = defaultTarget;
    m_target->setText(defaultTargetFor(kind()));
}

void ExportPanel::refreshSafety() {
    // Every kind reads the base model (weights, tokenizer, config); auto_map code and pickles in it
    // are never run or opened, and merging is where a user may expect them to be: said, not hidden.
    QStringList lines;
    if (!m_baseModel.isEmpty())
        for (const std::string& w : folderSafetyWarnings(m_baseModel.toStdString()))
            lines << tr("Warning: %1").arg(QString::fromStdString(w));
    m_safety->setText(lines.join(QLatin1Char('\n')));
    m_safety->setVisible(!lines.isEmpty());
}

void ExportPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_running) refreshSafety();
}

QString ExportPanel::adapterFolder() const { return m_adapter->text(); }
QString ExportPanel::targetFolder() const { return m_target->text(); }

ExportPanel::~ExportPanel() {
    if (m_worker.joinable()) m_worker.join();
}

void ExportPanel::setKind(Kind kind) {
    QRadioButton* b = kind == Kind::Merged ? m_mergedKind : kind == Kind::GgufMerged ? m_ggufKind
                      : kind == Kind::GgufAdapter ? m_ggufAdapterKind : kind == Kind::Resized ? m_resizedKind : m_adapterKind;
    b->setChecked(true);
}
void ExportPanel::setTarget(const QString& folder) { m_target->setText(folder); }
QString ExportPanel::resultText() const { return m_result->text(); }

void ExportPanel::setStage(const QString& stage) { m_stage->setText(stage); }

namespace {

struct ExportRequest {
    ExportPanel::Kind kind = ExportPanel::Kind::Adapter;
    std::string base, adapter, out, dtype;
    GgufFileType ggufType = GgufFileType::F16;
    bool ollama = false;
    ResizeOptions resize;
    ChatTemplate chatTemplate = ChatTemplate::Auto;
    DataFormat format = DataFormat::Alpaca;
};

struct ExportOutcome {
    QString written;   // folder or file
    double diff = -1;  // merged model: the merge check
    QString summary;   // GGUF: size, time, Modelfile
    QStringList warnings;  // GGUF: types that fell back, the Modelfile's template, ...
};

QString ggufSummary(const GgufJobResult& r) {
    QString s = ExportPanel::tr("%1, %2 s").arg(formatBytes(double(r.file.bytes))).arg(r.file.seconds, 0, 'f', 2);
    if (r.base) s += ExportPanel::tr("; base model GGUF for Ollama: %1").arg(QDir::toNativeSeparators(QString::fromStdString(r.base->path)));
    if (!r.modelfile.empty())
        s += ExportPanel::tr("; Ollama (chat template %1): ollama create NAME -f %2")
                 .arg(QString::fromStdString(r.templateName()), QDir::toNativeSeparators(QString::fromStdString(r.modelfile)));
    return s;
}

// The resized kind: core's resize, then the probe-text check on the base model.
ExportOutcome runResize(const ExportRequest& q, const std::function<void(const QString&)>& stage) {
    ExportOutcome o;
    stage(ExportPanel::tr("Resizing the adapter…"));
    const ResizeResult r = resizeAdapter(q.adapter, q.out, q.resize);
    o.written = QString::fromStdString(r.folder);
    o.summary = ExportPanel::tr("LoRA parameters %1 → %2 (r = %3)")
                    .arg(formatInteger(r.parametersBefore), formatInteger(r.parametersAfter)).arg(r.maxRank);
    if (q.base.empty()) return o;
    stage(ExportPanel::tr("Comparing the original and the resized adapter on a probe text…"));
    const ProbeComparison p = compareOnProbe(q.base, q.adapter, q.out);
    o.diff = p.maxAbsLogitDiff;
    o.summary += ExportPanel::tr("; on a probe text of %1 tokens the logits differ by at most %2 (largest |logit| %3)")
                     .arg(p.tokens).arg(p.maxAbsLogitDiff, 0, 'g', 3).arg(p.maxAbsLogit, 0, 'g', 3);
    return o;
}

// Runs on the worker thread: everything but widgets.
ExportOutcome runExport(const ExportRequest& q, const std::function<void(const QString&)>& stage) {
    ExportOutcome o;
    using Kind = ExportPanel::Kind;
    if (q.kind == Kind::Resized) return runResize(q, stage);
    if (ExportPanel::isGguf(q.kind)) {
        stage(q.kind == Kind::GgufAdapter ? ExportPanel::tr("Writing the GGUF adapter…") : ExportPanel::tr("Merging and writing the GGUF model…"));
        GgufJob job;
        job.baseFolder = q.base;
        job.adapter = q.adapter;
        job.out = q.out;
        job.adapterOnly = q.kind == Kind::GgufAdapter;
        job.ollama = q.ollama;
        job.options.type = q.ggufType;
        if (q.ollama) {
            std::vector<std::string> ignored;  // the template the data was rendered with, as training did
            job.chatTemplate = resolveChatTemplate(q.chatTemplate, q.format, Tokenizer::fromFolder(q.base).chatTemplate(), ignored);
        }
        const GgufJobResult r = runGgufExport(job);
        o.written = QString::fromStdString(r.file.path);
        o.summary = ggufSummary(r);
        for (const auto& w : r.warnings) o.warnings << ggufWarningText(w);
        return o;
    }
    stage(ExportPanel::tr("Loading the base model…"));
    std::optional<at::ScalarType> dtype;
    if (!q.dtype.empty()) dtype = parseComputeDtype(q.dtype);
    LoadedModel loaded = loadCausalLM(q.base, at::kFloat);
    stage(ExportPanel::tr("Loading the adapter…"));
    LoraAttachOptions attach;
    const bool merged = q.kind == Kind::Merged;
    if (dtype && !merged) attach.dtype = dtype;
    auto lora = loadAdapter(loaded.model, q.adapter, attach);
    stage(merged ? ExportPanel::tr("Merging, writing and checking the merged model…") : ExportPanel::tr("Writing the adapter…"));
    if (merged) {
        MergedExportOptions options;
        options.dtype = dtype;
        const MergedExportResult r = exportMergedModel(*lora, q.base, q.out, options);
        o.diff = r.maxAbsLogitDiff;
        o.written = QString::fromStdString(r.folder);
    } else {
        AdapterSaveOptions options;
        options.baseModelNameOrPath = q.base;
        options.overwrite = false;
        saveAdapter(*lora, q.out, options);
        o.written = QString::fromStdString(q.out);
    }
    return o;
}

} // namespace

bool ExportPanel::startExport() {
    if (m_running) return false;
    const QString adapter = m_adapter->text().trimmed(), target = m_target->text().trimmed();
    if (!QFileInfo::exists(adapter + QStringLiteral("/adapter_config.json"))) {
        m_result->setText(tr("No adapter in %1 (hint: train first; a run writes outputDir/adapter when it ends)").arg(adapter));
        return false;
    }
    if (target.isEmpty()) {
        m_result->setText(tr("Choose where to export to."));
        return false;
    }
    if (QFileInfo::exists(target)) {
        m_result->setText(tr("%1 already exists (hint: choose a new name)").arg(target));
        return false;
    }
    ExportRequest q;
    q.kind = kind();
    if (isGguf(q.kind) && !target.endsWith(QStringLiteral(".gguf"), Qt::CaseInsensitive)) {
        m_result->setText(tr("A GGUF export is one file: give a name ending in .gguf"));
        return false;
    }
    if (m_worker.joinable()) m_worker.join();
    m_running = true;
    m_export->setEnabled(false);
    m_busy->setRange(0, 0); // busy: core gives no fraction
    m_result->clear();

    q.base = m_baseModel.toStdString();
    q.adapter = adapter.toStdString();
    q.out = target.toStdString();
    q.dtype = m_dtype->currentData().toString().toStdString();
    q.ggufType = parseGgufFileType(m_ggufType->currentData().toString().toStdString()).value_or(GgufFileType::F16);
    q.ollama = m_ollama->isChecked();
    if (m_resizeBy->currentIndex() == 0) q.resize.energy = m_resizeShare->value() / 100.0;
    else q.resize.rank = m_resizeRank->value();
    m_runningKind = q.kind;
    if (m_context.document) {
        q.chatTemplate = m_context.document->config().data.chatTemplate;
        q.format = isConversation(m_context.document->config().data.format) ? DataFormat::Chat : DataFormat::Alpaca;
    }
    QPointer<ExportPanel> self(this);
    auto stage = [self](const QString& text) {
        QMetaObject::invokeMethod(self, [self, text] { if (self) self->setStage(text); }, Qt::QueuedConnection);
    };
    m_worker = std::thread([=] {
        bool ok = false;
        ExportOutcome o;
        try {
            o = runExport(q, stage);
            ok = true;
        } catch (const std::exception& e) {
            o.written = errorText(e);
        }
        QMetaObject::invokeMethod(self, [self, ok, o] { if (self) self->onFinished(ok, o.written, o.diff, o.summary, o.warnings); },
                                  Qt::QueuedConnection);
    });
    return true;
}

void ExportPanel::onFinished(bool ok, const QString& folderOrError, double maxLogitDiff, const QString& summary,
                             const QStringList& warnings) {
    if (m_worker.joinable()) m_worker.join();
    m_running = false;
    m_busy->setRange(0, 1);
    m_busy->setValue(ok ? 1 : 0);
    m_export->setEnabled(true);
    m_stage->setText(ok ? tr("Done.") : tr("Failed."));
    if (!ok) m_result->setText(tr("Export failed: %1").arg(folderOrError));
    else if (m_runningKind == Kind::Resized)
        m_result->setText(tr("Resized adapter written to %1: %2.").arg(QDir::toNativeSeparators(folderOrError), summary));
    else if (maxLogitDiff >= 0)
        m_result->setText(tr("Merged model written to %1. Merge check: max |logit difference| = %2 (adapted vs merged).")
                              .arg(QDir::toNativeSeparators(folderOrError)).arg(maxLogitDiff, 0, 'g', 3));
    else if (!summary.isEmpty())
        m_result->setText(tr("GGUF written to %1 (%2).").arg(QDir::toNativeSeparators(folderOrError), summary));
    else m_result->setText(tr("Adapter written to %1.").arg(QDir::toNativeSeparators(folderOrError)));
    QString text = m_result->text();
    for (const QString& w : warnings) text += QLatin1Char('\n') + tr("Warning: %1").arg(w);  // one per line, after the result
    m_result->setText(text);
    Q_EMIT exportFinished(ok, folderOrError, maxLogitDiff);
}

} // namespace lorastudio::ui

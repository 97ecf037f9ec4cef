// Export page (see the header). The worker is a std::thread that loads the base model and
// the adapter, then calls core's saveAdapter or exportMergedModel; it reports stages and the result
// back with QMetaObject::invokeMethod(..., Qt::QueuedConnection) and never touches a widget.
#include "lora/merged_export.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"

#include "export_panel.h"
#include "output_location.h"
#include "project_document.h"
#include "training_controller.h"

#include <QComboBox>
#include <QGroupBox>
#include <QDir>
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
#include <QVBoxLayout>

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
                               "W0 + (alpha/r)·B·A folded in, then checked against the adapted model."));
    note->setWordWrap(true);
    layout->addWidget(note);
    auto* form = new QFormLayout;
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
    m_adapterKind->setChecked(true);
    auto* kinds = new QVBoxLayout;
    kinds->addWidget(m_adapterKind);
    kinds->addWidget(m_mergedKind);
    form->addRow(tr("Export as:"), kinds);

    m_dtype = new QComboBox;
    m_dtype->setObjectName(QStringLiteral("exportDtype"));
    m_dtype->addItem(tr("As the base checkpoint"), QString());
    m_dtype->addItem(QStringLiteral("float32"), QStringLiteral("float32"));
    m_dtype->addItem(QStringLiteral("bfloat16"), QStringLiteral("bfloat16"));
    m_dtype->addItem(QStringLiteral("float16"), QStringLiteral("float16"));
    form->addRow(tr("Data type:"), m_dtype);

    m_target = new QLineEdit(defaultTarget);
    m_target->setObjectName(QStringLiteral("exportTarget"));
    auto* pickTarget = new QPushButton(tr("Browse…"));
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(pickTarget);
    form->addRow(tr("Folder:"), targetRow);
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
        const QString d = QFileDialog::getSaveFileName(this, tr("Export to folder"), m_target->text());
        if (!d.isEmpty()) m_target->setText(d);
    });
    connect(m_export, &QPushButton::clicked, this, [this] { startExport(); });
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
    m_baseModel = baseModel;
    m_baseLabel->setText(baseModel.isEmpty() ? tr("none: choose one on the Model page") : QDir::toNativeSeparators(baseModel));
    m_adapter->setText(adapterFolder);
    m_target->setText(defaultTarget);
}

QString ExportPanel::adapterFolder() const { return m_adapter->text(); }
QString ExportPanel::targetFolder() const { return m_target->text(); }

ExportPanel::~ExportPanel() {
    if (m_worker.joinable()) m_worker.join();
}

void ExportPanel::setKind(Kind kind) { (kind == Kind::Merged ? m_mergedKind : m_adapterKind)->setChecked(true); }
void ExportPanel::setTarget(const QString& folder) { m_target->setText(folder); }
QString ExportPanel::resultText() const { return m_result->text(); }

void ExportPanel::setStage(const QString& stage) { m_stage->setText(stage); }

bool ExportPanel::startExport() {
    if (m_running) return false;
    const QString adapter = m_adapter->text().trimmed(), target = m_target->text().trimmed();
    if (!QFileInfo::exists(adapter + QStringLiteral("/adapter_config.json"))) {
        m_result->setText(tr("No adapter in %1 (hint: train first; a run writes outputDir/adapter when it ends)").arg(adapter));
        return false;
    }
    if (target.isEmpty()) {
        m_result->setText(tr("Choose the folder to export to."));
        return false;
    }
    if (QFileInfo::exists(target)) {
        m_result->setText(tr("%1 already exists (hint: choose a new folder name)").arg(target));
        return false;
    }
    if (m_worker.joinable()) m_worker.join();
    m_running = true;
    m_export->setEnabled(false);
    m_busy->setRange(0, 0); // busy: core gives no fraction
    m_result->clear();

    const bool merged = m_mergedKind->isChecked();
    const std::string dtypeName = m_dtype->currentData().toString().toStdString();
    const std::string base = m_baseModel.toStdString(), adapterPath = adapter.toStdString(), out = target.toStdString();
    QPointer<ExportPanel> self(this);
    auto stage = [self](const QString& text) {
        QMetaObject::invokeMethod(self, [self, text] { if (self) self->setStage(text); }, Qt::QueuedConnection);
    };
    const QString loadingBase = tr("Loading the base model…"), loadingAdapter = tr("Loading the adapter…");
    const QString writing = merged ? tr("Merging, writing and checking the merged model…") : tr("Writing the adapter…");
    m_worker = std::thread([=] {
        bool ok = false;
        QString message;
        double diff = -1;
        try {
            stage(loadingBase);
            std::optional<at::ScalarType> dtype;
            if (!dtypeName.empty()) dtype = parseComputeDtype(dtypeName);
            LoadedModel loaded = loadCausalLM(base, at::kFloat);
            stage(loadingAdapter);
            LoraAttachOptions attach;
            if (dtype && !merged) attach.dtype = dtype;
            auto lora = loadAdapter(loaded.model, adapterPath, attach);
            stage(writing);
            if (merged) {
                MergedExportOptions options;
                options.dtype = dtype;
                const MergedExportResult r = exportMergedModel(*lora, base, out, options);
                diff = r.maxAbsLogitDiff;
                message = QString::fromStdString(r.folder);
            } else {
                AdapterSaveOptions options;
                options.baseModelNameOrPath = base;
                options.overwrite = false;
                saveAdapter(*lora, out, options);
                message = QString::fromStdString(out);
            }
            ok = true;
        } catch (const std::exception& e) {
            message = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(self, [self, ok, message, diff] { if (self) self->onFinished(ok, message, diff); },
                                  Qt::QueuedConnection);
    });
    return true;
}

void ExportPanel::onFinished(bool ok, const QString& folderOrError, double maxLogitDiff) {
    if (m_worker.joinable()) m_worker.join();
    m_running = false;
    m_busy->setRange(0, 1);
    m_busy->setValue(ok ? 1 : 0);
    m_export->setEnabled(true);
    m_stage->setText(ok ? tr("Done.") : tr("Failed."));
    if (!ok) m_result->setText(tr("Export failed: %1").arg(folderOrError));
    else if (maxLogitDiff >= 0)
        m_result->setText(tr("Merged model written to %1. Merge check: max |logit difference| = %2 (adapted vs merged).")
                              .arg(QDir::toNativeSeparators(folderOrError)).arg(maxLogitDiff, 0, 'g', 3));
    else m_result->setText(tr("Adapter written to %1.").arg(QDir::toNativeSeparators(folderOrError)));
    Q_EMIT exportFinished(ok, folderOrError, maxLogitDiff);
}

} // namespace lorastudio::ui

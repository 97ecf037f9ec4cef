// Merge & export dialog (see the header). The worker is a std::thread that loads the base model and
// the adapter, then calls core's saveAdapter or exportMergedModel; it reports stages and the result
// back with QMetaObject::invokeMethod(..., Qt::QueuedConnection) and never touches a widget.
#include "lora/merged_export.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"

#include "export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
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

ExportDialog::ExportDialog(const QString& baseModel, const QString& adapterFolder, const QString& defaultTarget,
                           QWidget* parent)
    : QDialog(parent), m_baseModel(baseModel) {
    setWindowTitle(tr("Merge & export"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;

    m_adapter = new QLineEdit(adapterFolder);
    m_adapter->setObjectName(QStringLiteral("exportAdapter"));
    auto* pickAdapter = new QPushButton(tr("Browse…"));
    auto* adapterRow = new QHBoxLayout;
    adapterRow->addWidget(m_adapter, 1);
    adapterRow->addWidget(pickAdapter);
    form->addRow(tr("Adapter:"), adapterRow);
    form->addRow(tr("Base model:"), new QLabel(QDir::toNativeSeparators(baseModel)));

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

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_export = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("exportButton"));
    layout->addWidget(m_buttons);

    connect(pickAdapter, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Adapter folder"), m_adapter->text());
        if (!d.isEmpty()) m_adapter->setText(d);
    });
    connect(pickTarget, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getSaveFileName(this, tr("Export to folder"), m_target->text());
        if (!d.isEmpty()) m_target->setText(d);
    });
    connect(m_export, &QPushButton::clicked, this, [this] { startExport(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] { if (!m_running) reject(); });
    resize(640, sizeHint().height());
}

ExportDialog::~ExportDialog() {
    if (m_worker.joinable()) m_worker.join();
}

void ExportDialog::setKind(Kind kind) { (kind == Kind::Merged ? m_mergedKind : m_adapterKind)->setChecked(true); }
void ExportDialog::setTarget(const QString& folder) { m_target->setText(folder); }
QString ExportDialog::resultText() const { return m_result->text(); }

void ExportDialog::setStage(const QString& stage) { m_stage->setText(stage); }

bool ExportDialog::startExport() {
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
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(false);
    m_busy->setRange(0, 0); // busy: core gives no fraction
    m_result->clear();

    const bool merged = m_mergedKind->isChecked();
    const std::string dtypeName = m_dtype->currentData().toString().toStdString();
    const std::string base = m_baseModel.toStdString(), adapterPath = adapter.toStdString(), out = target.toStdString();
    QPointer<ExportDialog> self(this);
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

void ExportDialog::onFinished(bool ok, const QString& folderOrError, double maxLogitDiff) {
    if (m_worker.joinable()) m_worker.join();
    m_running = false;
    m_busy->setRange(0, 1);
    m_busy->setValue(ok ? 1 : 0);
    m_export->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(true);
    m_stage->setText(ok ? tr("Done.") : tr("Failed."));
    if (!ok) m_result->setText(tr("Export failed: %1").arg(folderOrError));
    else if (maxLogitDiff >= 0)
        m_result->setText(tr("Merged model written to %1. Merge check: max |logit difference| = %2 (adapted vs merged).")
                              .arg(QDir::toNativeSeparators(folderOrError)).arg(maxLogitDiff, 0, 'g', 3));
    else m_result->setText(tr("Adapter written to %1.").arg(QDir::toNativeSeparators(folderOrError)));
    Q_EMIT exportFinished(ok, folderOrError, maxLogitDiff);
}

} // namespace lorastudio::ui

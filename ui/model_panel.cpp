// Model panel: base model folder picker, Hugging Face cache list and the config summary.
#include "model_panel.h"

#include "model_context.h"
#include "open_warning_text.h"
#include "project_document.h"
#include "ui_format.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lorastudio::ui {

namespace {

enum SummaryRow { Architecture, Layers, Hidden, Heads, Intermediate, Vocab, Context, Dtype, Parameters, Checkpoint, RowCount };
enum CacheColumn { ColModel, ColArchitecture, ColParameters, ColSize, ColRevision };
constexpr int kPathRole = Qt::UserRole + 1;

} // namespace

ModelPanel::ModelPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(new QLabel(tr("Base model:")));
    m_pathEdit = new QLineEdit;
    m_pathEdit->setPlaceholderText(tr("A Hugging Face model folder (config.json + *.safetensors)"));
    m_pathEdit->setObjectName(QStringLiteral("modelPath"));
    pathRow->addWidget(m_pathEdit, 1);
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(QStringLiteral("modelBrowse"));
    pathRow->addWidget(browse);
    layout->addLayout(pathRow);

    // The folder's error (it cannot be used) or its warnings, behind the matching icon.
    auto* messageRow = new QHBoxLayout;
    m_messageIcon = new QLabel;
    m_messageIcon->setObjectName(QStringLiteral("modelMessageIcon"));
    m_messageIcon->setAlignment(Qt::AlignTop);
    m_messageIcon->setVisible(false);
    messageRow->addWidget(m_messageIcon);
    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName(QStringLiteral("modelMessage"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setVisible(false);
    messageRow->addWidget(m_errorLabel, 1);
    layout->addLayout(messageRow);

    auto* splitter = new QSplitter(Qt::Vertical);
    auto* summaryBox = new QGroupBox(tr("Summary"));
    auto* form = new QFormLayout(summaryBox);
    const QString names[RowCount] = {tr("Architecture"), tr("Layers"), tr("Hidden size"), tr("Attention heads"),
                                     tr("MLP size"), tr("Vocabulary"), tr("Context length"), tr("Data type"),
                                     tr("Parameters"), tr("Checkpoint")};
    for (int row = 0; row < RowCount; ++row) {
        auto* value = new QLabel;
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(names[row] + QLatin1Char(':'), value);
        m_values.append(value);
    }
    splitter->addWidget(summaryBox);

    auto* cacheBox = new QGroupBox(tr("Hugging Face cache"));
    auto* cacheLayout = new QVBoxLayout(cacheBox);
    m_cacheInfo = new QLabel;
    m_cacheInfo->setWordWrap(true);
    cacheLayout->addWidget(m_cacheInfo);
    m_cacheList = new QTreeWidget;
    m_cacheList->setObjectName(QStringLiteral("cacheList"));
    m_cacheList->setRootIsDecorated(false);
    m_cacheList->setAlternatingRowColors(true);
    m_cacheList->setHeaderLabels({tr("Model"), tr("Architecture"), tr("Parameters"), tr("Size"), tr("Revision")});
    m_cacheList->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_cacheList->header()->setStretchLastSection(true);
    cacheLayout->addWidget(m_cacheList, 1);
    auto* cacheButtons = new QHBoxLayout;
    auto* refresh = new QPushButton(tr("Rescan"));
    refresh->setObjectName(QStringLiteral("modelRescan"));
    m_useCached = new QPushButton(tr("Use selected model"));
    m_useCached->setEnabled(false);
    cacheButtons->addWidget(refresh);
    cacheButtons->addStretch(1);
    cacheButtons->addWidget(m_useCached);
    cacheLayout->addLayout(cacheButtons);
    splitter->addWidget(cacheBox);
    layout->addWidget(splitter, 1);

    connect(browse, &QPushButton::clicked, this, &ModelPanel::browse);
    connect(m_pathEdit, &QLineEdit::editingFinished, this, &ModelPanel::pathEdited);
    connect(refresh, &QPushButton::clicked, this, &ModelPanel::rescanCache);
    connect(m_useCached, &QPushButton::clicked, this, [this] { useCacheItem(m_cacheList->currentItem()); });
    connect(m_cacheList, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { useCacheItem(item); });
    connect(m_cacheList, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        m_useCached->setEnabled(item && item->data(ColModel, kPathRole).isValid());
    });
    connect(&m_scan, &QFutureWatcher<QVector<CachedModel>>::finished, this, &ModelPanel::showScan);
    connect(context.document, &ProjectDocument::replaced, this, &ModelPanel::refreshFromProject);
    connect(context.document, &ProjectDocument::changed, this, [this](ProjectDocument::Part part) {
        if (int(part) & int(ProjectDocument::Part::BaseModel)) refreshFromProject();
    });
    connect(context.model, &ModelContext::modelChanged, this, &ModelPanel::refreshSummary);

    refreshFromProject();
    refreshSummary();
    rescanCache();
}

void ModelPanel::rescanCache() {
    if (m_scan.isRunning()) return;
    const QStringList folders = hubCacheFolders();
    m_cacheInfo->setText(tr("Looking in %1 …").arg(folders.join(QStringLiteral(", "))));
    m_scan.setFuture(QtConcurrent::run([folders] { return scanHubCache(folders); }));
}

void ModelPanel::showScan() {
    const QVector<CachedModel> models = m_scan.result();
    m_cacheList->clear();
    for (const CachedModel& m : models) {
        auto* item = new QTreeWidgetItem(m_cacheList);
        item->setText(ColModel, m.repoId);
        item->setText(ColRevision, m.revision.left(10) + (m.isMain ? QStringLiteral(" (main)") : QString()));
        item->setToolTip(ColModel, m.path);
        if (m.error.isEmpty()) {
            item->setText(ColArchitecture, m.architecture);
            item->setText(ColParameters, formatParameterCount(m.parameters));
            item->setText(ColSize, formatBytes(double(m.checkpointBytes)));
            item->setData(ColModel, kPathRole, m.path);
        } else {
            item->setText(ColArchitecture, tr("not usable"));
            item->setToolTip(ColArchitecture, m.error);
            item->setDisabled(true);
        }
        item->setTextAlignment(ColParameters, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(ColSize, Qt::AlignRight | Qt::AlignVCenter);
    }
    const QStringList folders = hubCacheFolders();
    m_cacheInfo->setText(models.isEmpty()
                             ? tr("No models found in %1.").arg(folders.join(QStringLiteral(", ")))
                             : tr("%n model(s) in %1. Double-click one to use it.", nullptr, int(models.size()))
                                   .arg(folders.join(QStringLiteral(", "))));
    markCurrentInCache();
    Q_EMIT cacheScanned(int(models.size()));
}

void ModelPanel::browse() {
    const QString start = m_context.model->folder().isEmpty() ? QDir::homePath() : m_context.model->folder();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose a model folder"), start);
    if (!folder.isEmpty()) useFolder(folder);
}

void ModelPanel::useFolder(const QString& folder) {
    const std::string written = m_context.document->pathForProject(QFileInfo(folder).absoluteFilePath());
    m_context.document->edit(ProjectDocument::Part::BaseModel, [&](ProjectConfig& c) { c.baseModel = written; });
}

void ModelPanel::pathEdited() {
    const std::string written = m_pathEdit->text().trimmed().toStdString();
    m_context.document->edit(ProjectDocument::Part::BaseModel, [&](ProjectConfig& c) { c.baseModel = written; });
}

void ModelPanel::useCacheItem(QTreeWidgetItem* item) {
    if (item && item->data(ColModel, kPathRole).isValid()) useFolder(item->data(ColModel, kPathRole).toString());
}

void ModelPanel::refreshFromProject() {
    const QString text = QString::fromStdString(m_context.document->config().baseModel);
    if (m_pathEdit->text() != text) m_pathEdit->setText(text);
}

void ModelPanel::showMessage(const QString& text, QStyle::StandardPixmap icon) {
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_messageIcon->setPixmap(style()->standardIcon(icon, nullptr, this).pixmap(size, size));
    m_messageIcon->setVisible(!text.isEmpty());
    m_errorLabel->setText(text);
    m_errorLabel->setVisible(!text.isEmpty());
}

void ModelPanel::refreshSummary() {
    const ModelContext& model = *m_context.model;
    showMessage(model.error(), QStyle::SP_MessageBoxCritical);
    if (!model.hasModel()) {
        for (QLabel* v : m_values) v->setText(QStringLiteral("—"));
        markCurrentInCache();
        return;
    }
    const ModelInfo& info = model.info();
    if (!info.warnings.empty()) {
        // Never run or opened (auto_map code, pickles) or read from outside the folder: said, not hidden.
        QStringList lines;
        for (const std::string& w : info.warnings) lines << tr("Warning: %1").arg(folderWarningText(w));
        showMessage(lines.join(QLatin1Char('\n')), QStyle::SP_MessageBoxWarning);
    }
    const ModelSpec& s = info.spec;
    m_values[Architecture]->setText(QStringLiteral("%1 (%2)").arg(QString::fromLatin1(architectureName(s.architecture)),
                                                                  QString::fromStdString(s.modelType)));
    m_values[Layers]->setText(QString::number(s.numLayers));
    m_values[Hidden]->setText(QString::number(s.hiddenSize));
    m_values[Heads]->setText(s.numKvHeads == s.numHeads
                                 ? tr("%1 (head size %2)").arg(s.numHeads).arg(s.headDim)
                                 : tr("%1, key/value %2 (head size %3)").arg(s.numHeads).arg(s.numKvHeads).arg(s.headDim));
    m_values[Intermediate]->setText(QString::number(s.intermediateSize));
    m_values[Vocab]->setText(formatInteger(s.vocabSize));
    m_values[Context]->setText(formatInteger(s.maxPositions));
    QString dtype = tr("%1 in config, %2 in the checkpoint")
                        .arg(s.torchDtype.empty() ? tr("unset") : QString::fromStdString(s.torchDtype),
                             QString::fromStdString(info.dtypeSummary()));
    if (const StoredQuantization& q = s.storedQuantization; q.any()) {
        // A "-bnb-4bit" / "-8bit" folder: its linear weights are used as stored (QLoRA) or dequantized.
        const QString format = q.format == "int8" ? tr("8-bit") : QString::fromStdString(q.format);
        dtype += QLatin1Char('\n') + (q.doubleQuant ? tr("linear weights stored quantized by bitsandbytes (%1, double quantization)")
                                                    : tr("linear weights stored quantized by bitsandbytes (%1)"))
                                          .arg(format);
    }
    m_values[Dtype]->setText(dtype);
    QString parameters = formatInteger(info.parameters);
    if (info.parameters >= 1000000) parameters += QStringLiteral(" (%1)").arg(formatParameterCount(info.parameters));
    if (s.tieWordEmbeddings) parameters += tr(", tied embeddings counted once");
    m_values[Parameters]->setText(parameters);
    m_values[Checkpoint]->setText(tr("%n file(s), %1", nullptr, info.checkpointFiles)
                                      .arg(formatBytes(double(info.checkpointBytes))));
    markCurrentInCache();
}

void ModelPanel::markCurrentInCache() {
    const QString current = QDir::cleanPath(m_context.model->folder());
    for (int i = 0; i < m_cacheList->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_cacheList->topLevelItem(i);
        QFont font = item->font(ColModel);
        font.setBold(!current.isEmpty() && QDir::cleanPath(item->data(ColModel, kPathRole).toString()) == current);
        for (int c = ColModel; c <= ColRevision; ++c) item->setFont(c, font);
    }
}

} // namespace lorastudio::ui

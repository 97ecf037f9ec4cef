// See distributed_dialog.h.
#include "distributed_dialog.h"
#include "data_summary.h"
#include "error_text.h"

#include "dist/launch_scripts.h"
#include "estimate/memory_estimate.h"
#include "runtime/runtime_info.h"

#include "model_context.h"
#include "output_location.h"
#include "project_document.h"
#include "training_controller.h"
#include "ui_format.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace lorastudio::ui {

DistributedDialog::DistributedDialog(const PanelContext& context, QWidget* parent)
    : QDialog(parent), m_context(context) {
    setWindowTitle(tr("Run on several GPUs or machines"));
    setObjectName(QStringLiteral("distributedDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Data parallel: every rank holds the whole model and trains on its own share of each "
                                "batch; only the LoRA gradients travel between them. A model must fit one device."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    const RuntimeInfo runtime = runtimeInfo();
    m_ranks = new QSpinBox;
    m_ranks->setObjectName(QStringLiteral("distributedRanks"));
    m_ranks->setRange(1, 1024);
    m_ranks->setValue(runtime.cudaDevices > 1 ? runtime.cudaDevices : 2);
    m_ranks->setToolTip(tr("Processes per machine: one per GPU, or on the CPU a share of its cores each"));
    form->addRow(tr("Ranks per machine:"), m_ranks);
    m_machines = new QSpinBox;
    m_machines->setObjectName(QStringLiteral("distributedMachines"));
    m_machines->setRange(1, 4096);
    m_machines->setValue(1);
    form->addRow(tr("Machines:"), m_machines);
    m_address = new QLineEdit(QStringLiteral("127.0.0.1"));
    m_address->setObjectName(QStringLiteral("distributedAddress"));
    m_address->setToolTip(tr("torchrun: the machine of node rank 0, reachable from the others (Slurm finds it itself)"));
    form->addRow(tr("Address of machine 0:"), m_address);
    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setValue(29500);
    form->addRow(tr("Port:"), m_port);
    layout->addLayout(form);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("distributedSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_tabs = new QTabWidget;
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit** edit : {&m_torchrun, &m_sbatch}) {
        *edit = new QPlainTextEdit;
        (*edit)->setReadOnly(true);
        (*edit)->setFont(mono);
        (*edit)->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_tabs->addTab(m_torchrun, tr("torchrun script"));
    m_tabs->addTab(m_sbatch, tr("Slurm batch file"));
    layout->addWidget(m_tabs, 1);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("distributedStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_write = buttons->addButton(tr("Write Scripts"), QDialogButtonBox::ActionRole);
    m_write->setToolTip(tr("Write both beside the project file"));
    m_start = buttons->addButton(tr("Start Here"), QDialogButtonBox::ActionRole);
    m_start->setToolTip(tr("Start the ranks on this machine; the Train page follows the job like any background run"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_write, &QPushButton::clicked, this, [this] { writeScripts(); });
    connect(m_start, &QPushButton::clicked, this, [this] { startHere(); });
    layout->addWidget(buttons);

    for (QSpinBox* box : {m_ranks, m_machines, m_port}) connect(box, &QSpinBox::valueChanged, this, [this] { refresh(); });
    connect(m_address, &QLineEdit::textChanged, this, [this] { refresh(); });
    resize(760, 620);
    refresh();
}

LaunchPlan DistributedDialog::plan() const {
    LaunchPlan p;
    const QString file = m_context.document ? m_context.document->filePath() : QString();
    p.projectPath = file.isEmpty() ? std::string() : QFileInfo(file).absoluteFilePath().toStdString();
    p.cliPath = TrainingController::backgroundCliPath().toStdString();
    p.nodes = m_machines->value();
    p.ranksPerNode = m_ranks->value();
    p.masterAddr = m_address->text().trimmed().toStdString();
    p.masterPort = m_port->value();
    p.gpus = m_context.document && m_context.document->config().training.device.rfind("cuda", 0) == 0;
    return p;
}

void DistributedDialog::refresh() {
    const LaunchPlan p = plan();
    QString text;
    if (m_context.document) {
        const TrainingSettings& t = m_context.document->config().training;
        const qint64 global = qint64(t.batchSize) * t.gradientAccumulation * p.worldSize();
        text = tr("%1 ranks. Global batch: %2 (batch) × %3 (accumulation) × %1 (ranks) = %4 examples per optimizer step.")
                   .arg(p.worldSize())
                   .arg(t.batchSize)
                   .arg(t.gradientAccumulation)
                   .arg(global);
        if (m_context.model && m_context.model->hasModel()) {
            try {
                MemoryOptions options = sizedForData(m_context.data);
                options.worldSize = p.worldSize();
                const MemoryEstimate e = estimateMemory(m_context.model->info().spec, m_context.document->config(), options);
                text += QLatin1Char(' ') + tr("Each rank needs about %1 (%2).")
                                               .arg(formatBytes(double(e.total)))
                                               .arg(e.device == MemoryDevice::Cuda ? tr("GPU memory") : tr("RAM"));
            } catch (const std::exception&) {
                // the Adapter page already says why these settings do not work
            }
        }
    }
    m_summary->setText(text);
    try {
        m_torchrun->setPlainText(QString::fromStdString(torchrunScript(p)));
        m_sbatch->setPlainText(QString::fromStdString(sbatchScript(p)));
        m_write->setEnabled(true);
    } catch (const std::exception& e) {
        m_torchrun->setPlainText(errorText(e));
        m_sbatch->clear();
        m_write->setEnabled(false);
    }
    m_start->setEnabled(p.nodes == 1 && p.ranksPerNode > 1 && m_context.training && !m_context.training->isActive());
    m_start->setToolTip(p.nodes == 1 ? tr("Start the ranks on this machine; the Train page follows the job like any background run")
                                     : tr("Several machines: run the torchrun script on each, or submit the Slurm batch file"));
}

bool DistributedDialog::projectSaved() {
    if (!m_context.document || m_context.document->filePath().isEmpty()) {
        m_status->setText(tr("Save the project first: the scripts and the ranks read its file."));
        return false;
    }
    if (m_context.document->isModified()) {
        QString error;
        if (!m_context.document->save(m_context.document->filePath(), &error)) {
            m_status->setText(error);
            return false;
        }
    }
    return true;
}

bool DistributedDialog::writeScripts() {
    if (!projectSaved()) return false;
    try {
        const LaunchScriptPaths paths = writeLaunchScripts(plan());
        m_status->setText(tr("Written: %1 (on each machine: NODE_RANK=n bash %2) and %3 (sbatch %4).")
                              .arg(QDir::toNativeSeparators(QString::fromStdString(paths.torchrun)),
                                   QFileInfo(QString::fromStdString(paths.torchrun)).fileName(),
                                   QDir::toNativeSeparators(QString::fromStdString(paths.sbatch)),
                                   QFileInfo(QString::fromStdString(paths.sbatch)).fileName()));
        return true;
    } catch (const std::exception& e) {
        m_status->setText(errorText(e));
        return false;
    }
}

bool DistributedDialog::startHere() {
    if (!m_context.training || !projectSaved()) return false;
    const QString file = QFileInfo(m_context.document->filePath()).absoluteFilePath();
    const QString out = effectiveOutputDir(m_context.document->config(), QFileInfo(file).completeBaseName()).path;
    QString error;
    if (!m_context.training->startLocalJob(TrainingController::backgroundCliPath(), file, out, m_ranks->value(), &error)) {
        m_status->setText(error);
        return false;
    }
    accept();
    return true;
}

QString DistributedDialog::summaryText() const { return m_summary->text(); }
QString DistributedDialog::torchrunPreview() const { return m_torchrun->toPlainText(); }
QString DistributedDialog::sbatchPreview() const { return m_sbatch->toPlainText(); }
QString DistributedDialog::statusText() const { return m_status->text(); }

} // namespace lorastudio::ui

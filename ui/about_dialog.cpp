// AboutDialog: the versions come from lorastudio/version.h (CMake), qVersion()/QT_VERSION_STR and
// core's RuntimeInfo (LibTorch), so the dialog itself never includes a torch header.
#include "about_dialog.h"

#include "dist/backends.h"
#include "lorastudio/version.h"
#include "runtime/process_setup.h"
#include "runtime/runtime_info.h"
#include "runtime/cpu_features.h"
#include "run_log_text.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace lorastudio::ui {

QIcon applicationIcon() {
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/hicolor/%1x%1/apps/lorastudio.png").arg(size), QSize(size, size));
    return icon;
}

QString deviceDescription() {
    const RuntimeInfo info = runtimeInfo();
    QString text = AboutDialog::tr("CPU: %1 hardware threads, %2 physical cores (LibTorch uses %3)")
                       .arg(info.hardwareThreads)
                       .arg(info.physicalCores)
                       .arg(info.torchThreads);
    text += QLatin1Char('\n') + AboutDialog::tr("CPU bf16: %1").arg(bf16SupportText(cpuFeatures()));
    text += QLatin1Char('\n');
    if (!info.cudaAvailable) {
        text += AboutDialog::tr("CUDA: not available");
    } else {
        text += AboutDialog::tr("CUDA: %n device(s)", nullptr, info.cudaDevices);
        if (!info.cudaDeviceName.empty()) text += QStringLiteral(" (%1)").arg(QString::fromStdString(info.cudaDeviceName));
    }
    return text;
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About LoRA Studio"));
    const RuntimeInfo runtime = runtimeInfo();

    auto* icon = new QLabel;
    icon->setPixmap(applicationIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);
    auto* title = new QLabel(tr("<h2>LoRA Studio %1</h2>").arg(QStringLiteral(LORASTUDIO_VERSION)));
    auto* blurb = new QLabel(tr("A native studio for LoRA fine-tuning of language models: pick a base model and its "
                                "target modules, see the exact trainable parameters, prepare the data, train, and "
                                "export a PEFT adapter or a merged model."));
    blurb->setWordWrap(true);

    const QString qt = tr("%1 (built with %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR));
    const QString torch = QString::fromStdString(runtime.torchVersion);
    const QString devices = deviceDescription();
    auto* form = new QFormLayout;
    const auto addRow = [&](const QString& label, const QString& value, const char* name) {
        auto* field = new QLabel(value);
        field->setObjectName(QLatin1String(name));
        field->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, field);
        m_details += label + QLatin1Char(' ') + QString(value).replace(QLatin1Char('\n'), QStringLiteral("; ")) + QLatin1Char('\n');
    };
    addRow(tr("Version:"), QStringLiteral(LORASTUDIO_VERSION), "aboutVersion");
    addRow(tr("Qt:"), qt, "aboutQt");
    addRow(tr("LibTorch:"), torch, "aboutTorch");
    addRow(tr("Devices:"), devices, "aboutDevices");
    addRow(tr("Attention:"), QString::fromStdString(runtime.attention), "aboutAttention");
    addRow(tr("Allocator:"), QString::fromStdString(allocatorName()), "aboutAllocator");
    addRow(tr("BLAS:"), QString::fromStdString(blasKernelsName()), "aboutBlas");
    addRow(tr("Data parallel:"), QString::fromStdString(dataParallelBackends()), "aboutDataParallel");

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy the versions and devices, e.g. for a bug report"));
    connect(copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_details); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* text = new QVBoxLayout;
    text->addWidget(title);
    text->addWidget(blurb);
    text->addLayout(form);
    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addLayout(text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

} // namespace lorastudio::ui

// AboutDialog: Help -> About LoRA Studio. The app's version (CMake's project version), the Qt it
// runs on and was built with, the LibTorch it was built with, and the devices training can use.
#pragma once
#include <QDialog>
#include <QIcon>

class QLabel;

namespace lorastudio::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // The facts shown, as plain "Label: value" lines (copied to the clipboard for bug reports).
    QString detailsText() const { return m_details; }

private:
    QString m_details;
};

// The application icon from the embedded renders of resources/icons/lorastudio.svg (16..256 px).
QIcon applicationIcon();

// "CPU: 2 hardware threads (LibTorch uses 2)" and the CUDA line, translated.
QString deviceDescription();

} // namespace lorastudio::ui

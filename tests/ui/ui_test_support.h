// Shared set-up for the GUI tests: isolated settings and data folders (QStandardPaths test mode),
// fixed application names, and paths into the source tree (the demo project and model).
#pragma once
#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

namespace lorastudio::ui::test {

inline void isolateSettings() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LoRAStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("lorastudio-ui-tests"));
    QSettings().clear();
}

inline QString sourcePath(const QString& relative) {
    return QStringLiteral(LORASTUDIO_SOURCE_DIR "/") + relative;
}

inline QString demoProject() { return sourcePath(QStringLiteral("resources/demo/demo.yaml")); }
inline QString demoModel() { return sourcePath(QStringLiteral("resources/demo/model")); }

} // namespace lorastudio::ui::test

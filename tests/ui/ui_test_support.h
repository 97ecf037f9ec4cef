// Shared set-up for the GUI tests: isolated settings and data folders (QStandardPaths test mode),
// an application name per test program, and paths into the source tree (the demo project and model).
#pragma once
#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

namespace lorastudio::ui::test {

// Each test program gets its own settings and data folders: CTest runs two at once, and one that
// clears its settings must not clear another's saved layout in the middle of a test.
inline void isolateSettings() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LoRAStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("lorastudio-ui-tests-") +
                                         QFileInfo(QCoreApplication::applicationFilePath()).completeBaseName());
    QSettings().clear();
}

inline QString sourcePath(const QString& relative) {
    return QStringLiteral(LORASTUDIO_SOURCE_DIR "/") + relative;
}

inline QString demoProject() { return sourcePath(QStringLiteral("resources/demo/demo.yaml")); }
inline QString demoModel() { return sourcePath(QStringLiteral("resources/demo/model")); }

} // namespace lorastudio::ui::test

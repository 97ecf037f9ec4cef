// Shared set-up for the GUI tests: isolated settings and data folders (QStandardPaths test mode),
// an application name per test program, and paths into the source tree (the demo project and model).
#pragma once
#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QTest>
#include <QTranslator>

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

// The rows of a test that checks core's English words in the studio: column "qm", no translator,
// and the English translation.
inline void addEnglishRows() {
    QTest::addColumn<QString>("qm");
    QTest::newRow("no translator") << QString();
    QTest::newRow("lorastudio_en.qm") << QStringLiteral(":/i18n/lorastudio_en.qm");
}

// A translation (a resource such as ":/i18n/lorastudio_zh_CN.qm"; empty: none) installed for a scope.
class ScopedTranslator {
public:
    explicit ScopedTranslator(const QString& qm) {
        if (!qm.isEmpty() && m_translator.load(qm)) m_loaded = QCoreApplication::installTranslator(&m_translator);
        else m_loaded = qm.isEmpty();
    }
    ~ScopedTranslator() { QCoreApplication::removeTranslator(&m_translator); }
    ScopedTranslator(const ScopedTranslator&) = delete;
    ScopedTranslator& operator=(const ScopedTranslator&) = delete;
    bool loaded() const { return m_loaded; }

private:
    QTranslator m_translator;
    bool m_loaded = false;
};

} // namespace lorastudio::ui::test

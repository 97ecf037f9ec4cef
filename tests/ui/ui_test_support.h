// Shared set-up for the GUI tests: isolated settings and data folders (QStandardPaths test mode),
// an application name per test program, and paths into the source tree (the demo project and model).
#pragma once
#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QTest>
#include <QTranslator>

#include <string>

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

// A core sentence as the studio shows it in Chinese: some Han characters, no %N left (a "%" core
// wrote, as in "+9.1%", may stay), and every piece of core's text that `kept` matches (numbers,
// names, paths) still there. Fails the test.
inline void verifyChineseKeeps(const QString& shown, const std::string& core, const QString& kept) {
    QVERIFY2(shown.contains(QRegularExpression(QStringLiteral("[\\x{4e00}-\\x{9fff}]"))), qPrintable(shown));
    QVERIFY2(!shown.contains(QRegularExpression(QStringLiteral("%\\d"))), qPrintable(shown));
    auto pieces = QRegularExpression(kept).globalMatch(QString::fromStdString(core));
    while (pieces.hasNext()) {
        const QString k = pieces.next().captured();
        QVERIFY2(shown.contains(k), qPrintable(shown + QStringLiteral(" lacks ") + k));
    }
}

} // namespace lorastudio::ui::test

// The studio shows the catalogue's messages (docs/errors.md) as the CLI does, and stays up: a few
// cases' bad inputs, made by their own tests/errors/cases/<id>/setup.sh, opened in a MainWindow. The
// expected message and hint are read from docs/errors.md, so the GUI, the CLI and the doc agree.
#include "main_window.h"
#include "model_context.h"
#include "project_document.h"
#include "error_catalogue.h"
#include "ui_test_support.h"

#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QStatusBar>
#include <QStyle>
#include <QTemporaryDir>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

using test::CatalogueCase;
using test::catalogueCase;

// Whether `text` holds the pieces of `pattern` (split at '…', which stands for any text) in order.
bool holds(const QString& text, const QString& pattern) {
    int at = 0;
    for (const QString& piece : pattern.split(QChar(0x2026))) {
        const int found = text.indexOf(piece, at);
        if (found < 0) return false;
        at = found + int(piece.size());
    }
    return true;
}

// Runs the case's setup.sh in `dir` (the CLI is not needed by these cases).
bool prepare(const QString& id, const QString& dir) {
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SRC"), test::sourcePath(QString()));
    env.insert(QStringLiteral("FIX"), test::sourcePath(QStringLiteral("../shared/fixtures")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("bash"), {test::sourcePath(QStringLiteral("tests/errors/cases/%1/setup.sh").arg(id))});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestErrorDisplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    // A project file that cannot be opened: the status bar shows the catalogue's message and hint,
    // the open project is kept, the window stays.
    void badProjectFiles_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("yaml-syntax") << QStringLiteral("yaml-syntax");
        QTest::newRow("yaml-r-range") << QStringLiteral("yaml-r-range");
        QTest::newRow("yaml-top-level-list") << QStringLiteral("yaml-top-level-list");
    }
    void badProjectFiles() {
        QFETCH(QString, id);
        const CatalogueCase expected = catalogueCase(id);
        QVERIFY2(!expected.message.isEmpty(), qPrintable(id + QStringLiteral(" is not in docs/errors.md")));
        QTemporaryDir tmp;
        QVERIFY(prepare(id, tmp.path()));
        MainWindow window;
        window.show();
        QVERIFY(window.openFile(test::demoProject(), true));
        QVERIFY(!window.openFile(tmp.filePath(QStringLiteral("project.yaml")), true));
        const QString shown = window.statusBar()->currentMessage();
        QVERIFY2(holds(shown, expected.message), qPrintable(shown));
        if (expected.hint != QLatin1String("none"))
            QVERIFY2(holds(shown, QStringLiteral("hint: ") + expected.hint), qPrintable(shown));
        QVERIFY(window.isVisible());
        QCOMPARE(window.document()->filePath(), QFileInfo(test::demoProject()).absoluteFilePath());
    }

    // A base model folder that cannot be read (or one that warns): the Model page's message label
    // shows the catalogue's text; the studio goes on with the rest of the project.
    void badModelFolders_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("usable");
        QTest::newRow("st-truncated-header") << QStringLiteral("st-truncated-header") << false;
        QTest::newRow("cfg-unknown-architecture") << QStringLiteral("cfg-unknown-architecture") << false;
        QTest::newRow("sec-auto-map") << QStringLiteral("sec-auto-map") << true;
    }
    void badModelFolders() {
        QFETCH(QString, id);
        QFETCH(bool, usable);
        const CatalogueCase expected = catalogueCase(id);
        QVERIFY2(!expected.message.isEmpty(), qPrintable(id + QStringLiteral(" is not in docs/errors.md")));
        QTemporaryDir tmp;
        QVERIFY(prepare(id, tmp.path()));
        MainWindow window;
        window.show();
        QVERIFY(window.openFile(test::demoProject(), true));
        const std::string folder = tmp.filePath(QStringLiteral("model")).toStdString();
        window.document()->edit(ProjectDocument::Part::BaseModel, [&](ProjectConfig& c) { c.baseModel = folder; });
        QCOMPARE(window.modelContext()->hasModel(), usable);
        auto* label = window.findChild<QLabel*>(QStringLiteral("modelMessage"));
        QVERIFY(label);
        const QString shown = label->text();
        QVERIFY2(holds(shown, expected.message), qPrintable(shown));
        if (expected.hint != QLatin1String("none"))
            QVERIFY2(holds(shown, QStringLiteral("hint: ") + expected.hint), qPrintable(shown));
        if (!usable) QVERIFY2(holds(window.modelContext()->error(), expected.message), qPrintable(window.modelContext()->error()));
        // Behind the error icon when the folder cannot be used, the warning icon when it warns.
        auto* icon = window.findChild<QLabel*>(QStringLiteral("modelMessageIcon"));
        QVERIFY(icon && icon->isVisible());
        const int size = icon->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, icon);
        const QStyle::StandardPixmap kind = usable ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxCritical;
        QCOMPARE(icon->pixmap().toImage(), icon->style()->standardIcon(kind, nullptr, icon).pixmap(size, size).toImage());
        // Nothing of the folder ran (sec-auto-map's modeling file would create PWNED).
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("PWNED"))));
        QVERIFY(window.isVisible());
    }

    // The same on zh_CN: the status bar and the Model page say it in Chinese (ui/error_text.h), the
    // file:line:column, key, numbers and path of core's text kept.
    void chineseOnScreen() {
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(translator.loaded());
        QTemporaryDir project, model;
        QVERIFY(prepare(QStringLiteral("yaml-r-range"), project.path()));
        QVERIFY(prepare(QStringLiteral("st-truncated-header"), model.path()));
        MainWindow window;
        window.show();
        QVERIFY(window.openFile(test::demoProject(), true));
        QVERIFY(!window.openFile(project.filePath(QStringLiteral("project.yaml")), true));
        const QString status = window.statusBar()->currentMessage();
        for (const QString& kept : {QStringLiteral("project.yaml:4:11"), QStringLiteral("lora.r"), QStringLiteral("0")})
            QVERIFY2(status.contains(kept), qPrintable(status));
        QVERIFY2(status.contains(QRegularExpression(QStringLiteral("[\\x{4e00}-\\x{9fff}]"))), qPrintable(status));
        QVERIFY2(!status.contains(QLatin1String("must be")), qPrintable(status));

        const std::string folder = model.filePath(QStringLiteral("model")).toStdString();
        window.document()->edit(ProjectDocument::Part::BaseModel, [&](ProjectConfig& c) { c.baseModel = folder; });
        auto* label = window.findChild<QLabel*>(QStringLiteral("modelMessage"));
        QVERIFY(label);
        const QString shown = label->text();
        for (const QString& kept : {QStringLiteral("model.safetensors"), QStringLiteral("5024"), QStringLiteral("100")})
            QVERIFY2(shown.contains(kept), qPrintable(shown));
        QVERIFY2(shown.contains(QRegularExpression(QStringLiteral("[\\x{4e00}-\\x{9fff}]"))), qPrintable(shown));
        QVERIFY2(!shown.contains(QLatin1String("runs past")), qPrintable(shown));
    }
};

QTEST_MAIN(TestErrorDisplay)
#include "test_error_display.moc"

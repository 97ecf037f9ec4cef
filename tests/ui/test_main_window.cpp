// MainWindow through its actions: open the demo, edit, Save As, New, Open the saved file and get
// the same project back; the dirty marker; the unsaved-changes question; relative paths rebased;
// autosave files and their recovery.
#include "autosave.h"
#include "lora_panel.h"
#include "main_window.h"
#include "model_context.h"
#include "output_location.h"
#include "project/project_file.h"
#include "project_document.h"
#include "ui_test_support.h"

#include <QDir>
#include <QFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>

#ifndef _WIN32
#include <unistd.h>
#endif
#include <QSpinBox>
#include <QUndoStack>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A misspelled key is offered its correction; unknown keys and the user's comments survive a
    // save; a comment that cannot be kept is named before saving, and Cancel writes nothing.
    void savingKeepsWhatTheUserWrote() {
        QTemporaryDir tmp;
        QVERIFY(QFile::link(test::sourcePath(QStringLiteral("resources/demo/model")), tmp.filePath(QStringLiteral("model"))));
        QVERIFY(QFile::link(test::sourcePath(QStringLiteral("resources/demo/instructions.jsonl")),
                            tmp.filePath(QStringLiteral("instructions.jsonl"))));
        QFile demo(test::demoProject());
        QVERIFY(demo.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(demo.readAll());
        text.replace(QStringLiteral("  schedule: cosine"), QStringLiteral("  # how the lr falls\n  lr_sheduler: linear\n  my_tool_setting: 7"));
        text += QStringLiteral("wandb:\n  project: sweep\n# the end\n");
        const QString path = tmp.filePath(QStringLiteral("mine.yaml"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text.toUtf8());
        }
        MainWindow window;
        QVERIFY(window.openFile(path, true));
        QCOMPARE(window.document()->corrections(), QStringList{QStringLiteral("training.lr_sheduler → training.schedule")});
        QCOMPARE(window.document()->config().training.schedule, LrSchedule::Cosine);  // the default: the key was not read
        QString error;
        QCOMPARE(window.document()->applyCorrections(&error), 1);
        QCOMPARE(window.document()->config().training.schedule, LrSchedule::Linear);
        QVERIFY(window.document()->isModified());
        QStringList asked;
        window.setLoseCommentsPrompt([&](const QStringList& lost) { asked = lost; return true; });
        window.saveAction()->trigger();
        QVERIFY(asked.isEmpty());  // every comment has its place
        QVERIFY(!window.document()->isModified());
        QCOMPARE(window.document()->keptKeys(), (QStringList{QStringLiteral("training.my_tool_setting"), QStringLiteral("wandb")}));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QString written = QString::fromUtf8(saved.readAll());
        saved.close();
        QVERIFY(written.contains(QStringLiteral("  # how the lr falls\n  schedule: linear")));
        QVERIFY(written.contains(QStringLiteral("  my_tool_setting: 7")));
        QVERIFY(written.contains(QStringLiteral("wandb:\n  project: sweep")));
        QVERIFY(written.endsWith(QStringLiteral("# the end\n")));
        QVERIFY(!written.contains(QStringLiteral("lr_sheduler")));

        // A comment inside a kept unknown block has no place: asked first; Cancel leaves the file.
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QString(written).replace(QStringLiteral("  project: sweep"), QStringLiteral("  project: sweep  # team space")).toUtf8());
        }
        QVERIFY(window.openFile(path, true));
        window.document()->edit(ProjectDocument::Part::Lora, [](ProjectConfig& c) { c.lora.r = 4; });
        const QByteArray before = [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        window.setLoseCommentsPrompt([&](const QStringList& lost) { asked = lost; return false; });
        window.saveAction()->trigger();
        QCOMPARE(asked, QStringList{QStringLiteral("# team space")});
        QVERIFY(window.document()->isModified());
        QCOMPARE([&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }(), before);
        window.setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
    }

    void saveAsHasCtrlShiftS() {
        // Without a platform theme (Xvfb, a bare X session) Qt binds nothing to SaveAs by itself.
        qInfo("the platform binds %d key(s) to SaveAs", int(QKeySequence::keyBindings(QKeySequence::SaveAs).size()));
        MainWindow window;
        QVERIFY(window.saveAsAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)));
    }

    void initTestCase() { test::isolateSettings(); }

    // Edit > Undo / Redo step through project edits; the panels follow; quick edits of one field
    // are one step; opening another project starts a new history.
    void undoAndRedoProjectEdits() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        QVERIFY(window.undoAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Z)));
        QVERIFY(window.redoAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
        QVERIFY(!window.undoAction()->isEnabled());
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        lora->rankBox()->setValue(1);   // typing "16": 1, then 16, within a moment: one step
        lora->rankBox()->setValue(16);
        QCOMPARE(window.document()->config().lora.r, 16);
        QCOMPARE(window.document()->undoStack()->count(), 1);
        QTest::qWait(1300);             // a later edit of the same part is a step of its own
        window.document()->edit(ProjectDocument::Part::Lora, [](ProjectConfig& c) { c.lora.loraAlpha = 64; });
        window.document()->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) { c.training.lr = 5e-4; });
        QCOMPARE(window.document()->undoStack()->count(), 3);
        QVERIFY(window.undoAction()->text().contains(QStringLiteral("run settings")));

        window.undoAction()->trigger();
        QCOMPARE(window.document()->config().training.lr, 1e-3);
        window.undoAction()->trigger();
        QCOMPARE(window.document()->config().lora.loraAlpha, 16.0);
        QCOMPARE(window.document()->config().lora.r, 16);
        window.undoAction()->trigger();
        QCOMPARE(window.document()->config().lora.r, 8);
        QCOMPARE(lora->rankBox()->value(), 8);   // the panel shows the undone value
        QVERIFY(!window.document()->isModified()); // back to the file as saved
        QVERIFY(!window.undoAction()->isEnabled());

        window.redoAction()->trigger();
        QCOMPARE(window.document()->config().lora.r, 16);
        QCOMPARE(lora->rankBox()->value(), 16);
        QVERIFY(window.document()->isModified());

        window.setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
        QVERIFY(window.openFile(test::demoProject(), true));
        QCOMPARE(window.document()->undoStack()->count(), 0);
    }

    void saveAndLoadBackThroughActions() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        MainWindow window;
        window.setOpenPathChooser([](const QString&, const QString&, const QString&) { return test::demoProject(); });
        window.openAction()->trigger();
        QCOMPARE(window.document()->filePath(), QFileInfo(test::demoProject()).absoluteFilePath());
        QVERIFY(window.modelContext()->hasModel());
        QVERIFY(!window.isWindowModified());

        // Edit through the LoRA panel: the window shows the dirty marker.
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        QVERIFY(lora);
        lora->rankBox()->setValue(24);
        QCOMPARE(window.document()->config().lora.r, 24);
        QVERIFY(window.isWindowModified());
        QVERIFY(window.windowTitle().contains(QLatin1String("[*]")));

        const QString saved = tmp.filePath(QStringLiteral("sub/copy.yaml"));
        QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("sub"))));
        window.setSavePathChooser([&](const QString&, const QString&, const QString&) { return saved; });
        window.saveAsAction()->trigger();
        QVERIFY(QFile::exists(saved));
        QVERIFY(!window.isWindowModified());
        const ProjectConfig before = window.document()->config();
        // The relative base_model and data paths now lead from the new folder to the same files.
        QCOMPARE(QDir::cleanPath(window.document()->resolvedBaseModel()), QDir::cleanPath(test::demoModel()));
        QVERIFY(QFileInfo::exists(window.document()->resolvedDataPath()));

        window.newAction()->trigger();
        QVERIFY(window.document()->config().baseModel.empty());
        QVERIFY(window.document()->filePath().isEmpty());

        window.setOpenPathChooser([&](const QString&, const QString&, const QString&) { return saved; });
        window.openAction()->trigger();
        QCOMPARE(window.document()->filePath(), QFileInfo(saved).absoluteFilePath());
        QVERIFY(window.document()->config() == before);
        QCOMPARE(window.document()->config().lora.r, 24);
        QCOMPARE(lora->rankBox()->value(), 24);
        QVERIFY(window.modelContext()->hasModel());
        QVERIFY(!window.isWindowModified());
    }

    void editingBackToTheSavedValueClearsTheMarker() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        const int r = lora->rankBox()->value();
        lora->rankBox()->setValue(r + 1);
        QVERIFY(window.isWindowModified());
        lora->rankBox()->setValue(r);
        QVERIFY(!window.isWindowModified());
    }

    void closingWithUnsavedChangesAsks() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        int asked = 0;
        window.setUnsavedChangesPrompt([&] {
            ++asked;
            return QMessageBox::Cancel;
        });
        window.show();
        QVERIFY(window.close()); // unmodified: closes without asking
        QCOMPARE(asked, 0);
        window.show();
        window.document()->edit(ProjectDocument::Part::Lora, [](ProjectConfig& c) { c.lora.r = 3; });
        QVERIFY(!window.close()); // Cancel keeps it open
        QCOMPARE(asked, 1);
        QVERIFY(window.isVisible());
        window.setUnsavedChangesPrompt([&] {
            ++asked;
            return QMessageBox::Discard;
        });
        QVERIFY(window.close());
        QCOMPARE(asked, 2);
    }

    void openErrorsLeaveTheProjectAlone() {
        QTemporaryDir tmp;
        const QString broken = tmp.filePath(QStringLiteral("broken.yaml"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("version: 1\nbase_model: model\nlora:\n  r: -4\n");
        f.close();
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        const ProjectConfig before = window.document()->config();
        QVERIFY(!window.openFile(broken, true));
        QVERIFY(window.document()->config() == before);
        QCOMPARE(window.document()->filePath(), QFileInfo(test::demoProject()).absoluteFilePath());
    }

    // output_dir resolves against the project folder while that can be written; otherwise the
    // run goes to AppDataLocation/runs/<project>/<output_dir>.
    void outputGoesSomewhereWritable() {
        QTemporaryDir tmp;
        ProjectConfig c = defaultProject();
        c.projectDir = tmp.path().toStdString();
        c.outputDir = "runs/a";
        OutputLocation here = effectiveOutputDir(c, QStringLiteral("demo"));
        QVERIFY(!here.redirected);
        QCOMPARE(here.path, QDir(tmp.path()).filePath(QStringLiteral("runs/a")));

        const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        c.projectDir = "/dev/null/project"; // under a file: nothing can be created there
        OutputLocation moved = effectiveOutputDir(c, QStringLiteral("demo"));
        QVERIFY(moved.redirected);
        QCOMPARE(moved.path, appData + QStringLiteral("/runs/demo/runs/a"));
        c.projectDir = "/dev/null/a/b/c";
        c.outputDir = "../../escape"; // -> /dev/null/a/escape: redirected, and never out of the fallback folder
        QCOMPARE(effectiveOutputDir(c, QString()).path, appData + QStringLiteral("/runs/untitled/escape"));

#ifndef _WIN32 // POSIX folder permissions
        if (geteuid() != 0) { // root may write into read-only folders
            QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner);
            c.projectDir = tmp.path().toStdString();
            c.outputDir = "output";
            QVERIFY(effectiveOutputDir(c, QStringLiteral("demo")).redirected);
            QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
#endif
    }

    void autosaveIsRecoverableAfterACrash() {
        QDir(Autosave::folder()).removeRecursively();
        ProjectConfig edited;
        {
            MainWindow window;
            QVERIFY(window.openFile(test::demoProject(), true));
            window.document()->edit(ProjectDocument::Part::Lora, [](ProjectConfig& c) { c.lora.r = 5; });
            edited = window.document()->config();
            window.autosave()->saveNow();
            QVERIFY(QFile::exists(window.autosave()->filePath()));
            // Its own session holds the lock: not offered while it runs.
            QVERIFY(Autosave::recoverable().isEmpty());
            // A "crashed" session: the same content under a name nobody holds a lock for.
            QVERIFY(QFile::copy(window.autosave()->filePath(), Autosave::folder() + QStringLiteral("/crashed.yaml")));
        }
        const auto found = Autosave::recoverable();
        QCOMPARE(found.size(), 1); // the clean exit removed its own file
        QCOMPARE(found.first().originalPath, QFileInfo(test::demoProject()).absoluteFilePath());
        ProjectConfig recovered;
        QString error;
        QVERIFY2(Autosave::read(found.first(), recovered, &error), qPrintable(error));
        QCOMPARE(recovered.lora.r, 5);
        QVERIFY(recovered == edited);

        MainWindow window;
        window.document()->restore(recovered, found.first().originalPath);
        QVERIFY(window.isWindowModified());
        QCOMPARE(window.document()->filePath(), found.first().originalPath);
        QVERIFY(window.modelContext()->hasModel()); // relative base_model resolves against the original folder
        Autosave::remove(found.first());
        QVERIFY(Autosave::recoverable().isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

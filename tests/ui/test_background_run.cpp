// Runs survive the window: closing the studio during a run hands it to a detached lorastudio-cli
// process writing the same run folder; a new window opening the project follows it live (curves
// from metrics.jsonl, the header's state), pauses and stops it through the control file, and sees
// its end. The CLI is the real one from this build (LORASTUDIO_CLI).
#include "main_window.h"
#include "project_document.h"
#include "studio_header.h"
#include "train/background_run.h"
#include "training_controller.h"
#include "training_panel.h"
#include "ui_test_support.h"

#include "common/os_process.h"

#include <QLabel>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include "qcustomplot_include.h"

using namespace lorastudio;
using namespace lorastudio::ui;

class TestBackgroundRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings();
        qputenv("LORASTUDIO_CLI", LORASTUDIO_CLI_PATH);
    }

    void runGoesOnAfterTheWindowAndIsFollowedAgain() {
        QTemporaryDir tmp;
        const QString project = tmp.filePath(QStringLiteral("long.yaml"));
        const QString out = tmp.filePath(QStringLiteral("output"));
        int64_t handedOverAt = 0;
        // Whatever happens below, no trainer is left running after the test.
        const auto stopLeftover = qScopeGuard([out] {
#ifndef _WIN32
            if (const auto s = readBackgroundStatus(out.toStdString()); s && processAlive(s->pid)) ::kill(pid_t(s->pid), SIGKILL);
#endif
        });
        {
            MainWindow window;
            QVERIFY(window.openFile(test::demoProject(), true));
            window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
                c.baseModel = window.document()->resolvedBaseModel().toStdString();
                c.data.path = resolvedDataPath(c);
                c.outputDir = out.toStdString();
                c.training.maxSteps = 100000;  // far longer than the test: it is stopped below
                c.training.saveEvery = 1000;
            });
            QString error;
            QVERIFY2(window.document()->save(project, &error), qPrintable(error));
            auto* panel = window.panel<TrainingPanel>(QStringLiteral("panel.training"));
            QSignalSpy steps(window.training(), &TrainingController::stepCompleted);
            QVERIFY(panel->startTraining());
            QTRY_VERIFY_WITH_TIMEOUT(steps.count() >= 3, 60000);
            window.setRunningPrompt([] { return MainWindow::RunningChoice::KeepInBackground; });
            QVERIFY(window.close());  // stops with a checkpoint, then resume --detached
            handedOverAt = steps.last().first().value<StepMetrics>().step;
            QVERIFY(window.training()->attachedPid() > 0);
        }
        // The window is gone; the process trains on in the same folder.
        QTRY_VERIFY_WITH_TIMEOUT(backgroundRunAlive(out.toStdString()), 20000);
        const auto status = readBackgroundStatus(out.toStdString());
        QVERIFY(status && processAlive(status->pid));
        QTRY_VERIFY_WITH_TIMEOUT(readBackgroundStatus(out.toStdString())->step > handedOverAt + 2, 60000);

        MainWindow reopened;
        QSignalSpy steps(reopened.training(), &TrainingController::stepCompleted);
        QVERIFY(reopened.openFile(project, true));
        QVERIFY(reopened.training()->isAttached());
        QCOMPARE(reopened.currentPage(), QStringLiteral("page.train"));
        QCOMPARE(reopened.training()->attachedPid(), status->pid);
        // Every step so far, from the first (the in-window part) to past the hand-over.
        QVERIFY(steps.count() > handedOverAt);
        QCOMPARE(steps.first().first().value<StepMetrics>().step, 1);
        auto* panel = reopened.panel<TrainingPanel>(QStringLiteral("panel.training"));
        QTRY_VERIFY(panel->lossGraph()->dataCount() > handedOverAt);
        QVERIFY(!panel->startBlockedReason().isEmpty() || !reopened.findChild<QPushButton*>(QStringLiteral("trainStart"))->isEnabled());
        // Live: new steps keep arriving, the header says so.
        const int seen = steps.count();
        QTRY_VERIFY_WITH_TIMEOUT(steps.count() > seen + 1, 30000);
        QTRY_VERIFY(reopened.header()->runLabel()->text().contains(QStringLiteral("Training · step")));

        // Pause holds the steps (through the control file), Continue resumes them.
        reopened.training()->pause();
        // "pausing" while the step in flight lands, "paused" once the trainer is held at the boundary.
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(readBackgroundStatus(out.toStdString())->state), QStringLiteral("paused"), 30000);
        const int64_t pausedAt = readBackgroundStatus(out.toStdString())->step;
        QTest::qWait(2000);
        QCOMPARE(readBackgroundStatus(out.toStdString())->step, pausedAt);
        QVERIFY(reopened.header()->runLabel()->text().contains(QStringLiteral("Paused")));
        reopened.training()->unpause();
        QTRY_VERIFY_WITH_TIMEOUT(readBackgroundStatus(out.toStdString())->step > pausedAt, 20000);

        // Stop: the process writes its checkpoint and adapter, ends, and the window sees the end.
        QSignalSpy finished(reopened.training(), &TrainingController::finished);
        reopened.training()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        const auto result = finished.first().first().value<TrainResult>();
        QCOMPARE(result.outcome, TrainOutcome::Stopped);
        QVERIFY(result.step > pausedAt);
        QVERIFY(QFileInfo::exists(QString::fromStdString(result.lastCheckpoint)));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/adapter/adapter_model.safetensors")));
        QVERIFY(!reopened.training()->isAttached());
        QVERIFY(!reopened.training()->isActive());
        QTRY_VERIFY(!processAlive(status->pid));
        QVERIFY(reopened.header()->runLabel()->text().contains(QStringLiteral("Stopped at step")));
    }

    void openingWithNoLiveRunDoesNotAttach() {
        QTemporaryDir tmp;
        // A stale status: a process that no longer exists.
        BackgroundStatus stale;
        stale.pid = 999999999;
        stale.state = "running";
        writeBackgroundStatus(tmp.path().toStdString(), stale);
        QVERIFY(!backgroundRunAlive(tmp.path().toStdString()));
        TrainingController controller;
        QString error;
        QVERIFY(!controller.attach(tmp.path(), &error));
        QVERIFY(error.contains(QStringLiteral("No background run")));
        QVERIFY(!controller.isActive());
    }
};

QTEST_MAIN(TestBackgroundRun)
#include "test_background_run.moc"

// Train -> "Several GPUs…": the dialog shows the global batch and the memory per rank, previews the
// torchrun script and the Slurm batch file and writes them beside the project, and starts 2 ranks
// on this machine (the real CLI of this build) whose curves the Train page follows to the end.
#include "distributed_dialog.h"
#include "main_window.h"
#include "project_document.h"
#include "training_controller.h"
#include "ui_test_support.h"

#include "common/os_process.h"
#include "dist/launch_scripts.h"
#include "train/background_run.h"

#include <QFile>
#include <QScopeGuard>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TestDistributedDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings();
        qputenv("LORASTUDIO_CLI", LORASTUDIO_CLI_PATH);
    }

    void plansWritesAndStartsALocalJob() {
        QTemporaryDir tmp;
        const QString project = tmp.filePath(QStringLiteral("dp.yaml"));
        const QString out = tmp.filePath(QStringLiteral("output"));
        const auto stopLeftover = qScopeGuard([out] {
#ifndef _WIN32
            if (const auto s = readBackgroundStatus(out.toStdString()); s && processAlive(s->pid)) ::kill(pid_t(s->pid), SIGKILL);
#endif
        });
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
            c.baseModel = window.document()->resolvedBaseModel().toStdString();
            c.data.path = resolvedDataPath(c);
            c.outputDir = out.toStdString();
            c.training.maxSteps = 6;
            c.training.batchSize = 4;
            c.training.gradientAccumulation = 2;
            c.training.evalEvery = 3;
        });
        QString error;
        QVERIFY2(window.document()->save(project, &error), qPrintable(error));

        PanelContext context{window.document(), nullptr, &window, window.training()};
        DistributedDialog dialog(context, &window);
        dialog.ranksBox()->setValue(3);
        dialog.machinesBox()->setValue(2);
        // 4 (batch) x 2 (accumulation) x 6 ranks.
        QVERIFY2(dialog.summaryText().contains(QStringLiteral("= 48")), qPrintable(dialog.summaryText()));
        QVERIFY(dialog.torchrunPreview().contains(QStringLiteral("--nnodes 2 --nproc_per_node 3")));
        QVERIFY(dialog.sbatchPreview().contains(QStringLiteral("#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=3\n")));
        QVERIFY2(dialog.writeScripts(), qPrintable(dialog.statusText()));
        const LaunchScriptPaths paths = launchScriptPaths(project.toStdString());
        QCOMPARE(readAll(QString::fromStdString(paths.torchrun)), dialog.torchrunPreview());
        QCOMPARE(readAll(QString::fromStdString(paths.sbatch)), dialog.sbatchPreview());
        QVERIFY(QFileInfo(QString::fromStdString(paths.torchrun)).isExecutable());

        // Two ranks here: the Train page follows the job to its end like any background run.
        dialog.machinesBox()->setValue(1);
        dialog.ranksBox()->setValue(2);
        QSignalSpy attached(window.training(), &TrainingController::attachedToRun);
        QSignalSpy steps(window.training(), &TrainingController::stepCompleted);
        QSignalSpy finished(window.training(), &TrainingController::finished);
        QSignalSpy failed(window.training(), &TrainingController::failed);
        QVERIFY2(dialog.startHere(), qPrintable(dialog.statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(attached.count() == 1 || failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() > 0, 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(finished.first().first().value<TrainResult>().outcome, TrainOutcome::Completed);
        QCOMPARE(steps.last().first().value<StepMetrics>().step, 6);
        const QString log = readAll(out + QStringLiteral("/background.log"));
        QVERIFY2(log.contains(QStringLiteral("2 data-parallel ranks (global batch 16)")), qPrintable(log));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/adapter/adapter_model.safetensors")));
    }
};

QTEST_MAIN(TestDistributedDialog)
#include "test_distributed_dialog.moc"

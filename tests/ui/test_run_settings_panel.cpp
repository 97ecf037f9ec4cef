// The Run settings panel: its controls write project.training (and only the key edited), the memory
// estimate follows, values survive save -> load, bad numbers are refused with the key named, and
// changes made elsewhere reach the controls without being written back.
#include "estimate_view.h"
#include "lora_panel.h"
#include "main_window.h"
#include "project_document.h"
#include "run_settings_panel.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabBar>
#include <QTemporaryDir>
#include <QSplitter>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

void typeNumber(QLineEdit* edit, const QString& text) {
    edit->setText(text);
    Q_EMIT edit->editingFinished();
}

} // namespace

class TestRunSettingsPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void batchSizeChangesProjectAndEstimate() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* panel = window.panel<RunSettingsPanel>(QStringLiteral("panel.run_settings"));
        EstimateView* estimate = window.panel<LoraPanel>(QStringLiteral("panel.lora"))->estimateView();
        QVERIFY(panel && estimate);
        QCOMPARE(panel->batchSizeBox()->value(), 8); // demo.yaml
        const QString memoryBefore = estimate->memoryLabel()->text();
        QVERIFY(memoryBefore.contains(QLatin1String("RAM")));
        const ProjectConfig before = window.document()->config();

        panel->batchSizeBox()->setValue(32);
        QCOMPARE(window.document()->config().training.batchSize, 32);
        QVERIFY(window.isWindowModified());
        QVERIFY2(estimate->memoryLabel()->text() != memoryBefore, qPrintable(estimate->memoryLabel()->text()));
        // Only the edited key changed.
        ProjectConfig expected = before;
        expected.training.batchSize = 32;
        QVERIFY(window.document()->config() == expected);

        panel->gradientAccumulationBox()->setValue(4);
        QVERIFY2(panel->effectiveBatchLabel()->text().contains(QStringLiteral("32 × 4 = 128")),
                 qPrintable(panel->effectiveBatchLabel()->text()));

        // Precision and gradient checkpointing move the estimate too.
        const QString memoryFp32 = estimate->memoryLabel()->text();
        auto* precision = panel->findChild<QComboBox*>(QStringLiteral("precision"));
        QVERIFY(precision);
        precision->setCurrentIndex(precision->findData(int(Precision::Bf16)));
        QCOMPARE(int(window.document()->config().training.precision), int(Precision::Bf16));
        QVERIFY(estimate->memoryLabel()->text() != memoryFp32);
        const QString memoryBf16 = estimate->memoryLabel()->text();
        panel->findChild<QCheckBox*>(QStringLiteral("gradient_checkpointing"))->setChecked(true);
        QVERIFY(window.document()->config().training.gradientCheckpointing);
        QVERIFY(estimate->memoryLabel()->text() != memoryBf16);
    }

    // The objective: DPO's controls are live only for DPO, the note says when the data does not fit
    // it, and DPO doubles the rows the estimate sizes (each pair's chosen and rejected sequences).
    void objectiveSwitchesDpoControls() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* panel = window.panel<RunSettingsPanel>(QStringLiteral("panel.run_settings"));
        EstimateView* estimate = window.panel<LoraPanel>(QStringLiteral("panel.lora"))->estimateView();
        auto* beta = panel->findChild<QLineEdit*>(QStringLiteral("dpo_beta"));
        QVERIFY(beta && !beta->isEnabled());
        QVERIFY(panel->objectiveNoteLabel()->text().contains(QLatin1String("next-token loss")));
        const QString memorySft = estimate->memoryLabel()->text();

        panel->objectiveBox()->setCurrentIndex(panel->objectiveBox()->findData(int(Objective::Dpo)));
        QCOMPARE(int(window.document()->config().training.objective), int(Objective::Dpo));
        QVERIFY(beta->isEnabled());
        QVERIFY2(estimate->memoryLabel()->text() != memorySft, qPrintable(estimate->memoryLabel()->text()));
        typeNumber(beta, QStringLiteral("0.25"));
        QCOMPARE(window.document()->config().training.dpoBeta, 0.25);
        // The demo's data format is auto: nothing to warn about until it says otherwise.
        QVERIFY(!panel->objectiveNoteLabel()->text().startsWith(QStringLiteral("⚠")));
        window.document()->edit(ProjectDocument::Part::Data, [](ProjectConfig& c) { c.data.format = DataFormat::Alpaca; });
        QVERIFY2(panel->objectiveNoteLabel()->text().startsWith(QStringLiteral("⚠ DPO trains on preference pairs")),
                 qPrintable(panel->objectiveNoteLabel()->text()));
    }

    void lrSurvivesSaveAndLoad() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("run.yaml"));
        {
            MainWindow window;
            QVERIFY(window.openFile(test::demoProject(), true));
            auto* panel = window.panel<RunSettingsPanel>(QStringLiteral("panel.run_settings"));
            QCOMPARE(panel->lrEdit()->text(), QStringLiteral("0.001")); // demo: 1e-3
            typeNumber(panel->lrEdit(), QStringLiteral("3.5e-4"));
            QCOMPARE(window.document()->config().training.lr, 3.5e-4);
            auto* limit = panel->findChild<QSpinBox*>(QStringLiteral("save_total_limit"));
            QVERIFY(limit);
            limit->setValue(7);
            panel->outputDirEdit()->setText(QStringLiteral("runs/elsewhere"));
            Q_EMIT panel->outputDirEdit()->editingFinished();
            QCOMPARE(window.document()->config().outputDir, std::string("runs/elsewhere"));
            QString error;
            QVERIFY2(window.document()->save(path, &error), qPrintable(error));
        }
        MainWindow reopened;
        QVERIFY(reopened.openFile(path, true));
        QCOMPARE(reopened.document()->config().training.lr, 3.5e-4);
        QCOMPARE(reopened.document()->config().training.saveTotalLimit, 7);
        auto* panel = reopened.panel<RunSettingsPanel>(QStringLiteral("panel.run_settings"));
        QCOMPARE(panel->lrEdit()->text(), QStringLiteral("0.00035"));
        QCOMPARE(panel->findChild<QSpinBox*>(QStringLiteral("save_total_limit"))->value(), 7);
        QCOMPARE(panel->outputDirEdit()->text(), QStringLiteral("runs/elsewhere"));
        QVERIFY(!reopened.isWindowModified()); // loading wrote nothing back
    }

    void badNumbersAreRefusedWithTheKey() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* panel = window.panel<RunSettingsPanel>(QStringLiteral("panel.run_settings"));
        QVERIFY(panel->errorLabel()->isHidden());
        typeNumber(panel->lrEdit(), QStringLiteral("-1"));
        QCOMPARE(window.document()->config().training.lr, 1e-3);
        QVERIFY(!panel->errorLabel()->isHidden());
        QVERIFY2(panel->errorLabel()->text().contains(QLatin1String("training.lr")), qPrintable(panel->errorLabel()->text()));
        auto* beta2 = panel->findChildren<QLineEdit*>(QStringLiteral("adam_betas")).value(1);
        QVERIFY(beta2);
        typeNumber(beta2, QStringLiteral("fast"));
        QCOMPARE(window.document()->config().training.adamBetas[1], 0.999);
        QVERIFY(panel->errorLabel()->text().contains(QLatin1String("training.adam_betas")));
        typeNumber(beta2, QStringLiteral("0.95")); // a good value clears the message
        QCOMPARE(window.document()->config().training.adamBetas[1], 0.95);
        QVERIFY(panel->errorLabel()->isHidden());
    }

    // On the Train page, beside the charts the settings shape (not on the Adapter page).
    void sitsBesideTheTrainingCharts() {
        MainWindow window;
        QCOMPARE(window.pageOfPanel(QStringLiteral("panel.run_settings")), QStringLiteral("page.train"));
        QCOMPARE(window.pageOfPanel(QStringLiteral("panel.training")), QStringLiteral("page.train"));
        QSplitter* splitter = window.pageSplitter(QStringLiteral("page.train"));
        QVERIFY(splitter);
        QCOMPARE(splitter->count(), 2);
        QVERIFY(splitter->widget(0)->isAncestorOf(window.panelWidget(QStringLiteral("panel.run_settings"))));
        QVERIFY(splitter->widget(1)->isAncestorOf(window.panelWidget(QStringLiteral("panel.training"))));
    }

    // Edits from elsewhere (a fit suggestion, opening a file) reach the controls and write nothing back.
    void projectChangesReachTheControls() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* panel = window.panel<RunSettingsPanel>(QStringLiteral("panel.run_settings"));
        QVERIFY(panel->lengthLabel()->text().contains(QLatin1String("60"))); // max_steps 60 wins
        QSignalSpy changes(window.document(), &ProjectDocument::changed);
        window.document()->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) {
            c.training.batchSize = 3;
            c.training.maxSteps = 0;
            c.training.epochs = 2;
            c.training.lr = 1e-5;
        });
        QCOMPARE(changes.count(), 1); // the refresh did not edit the project again
        QCOMPARE(panel->batchSizeBox()->value(), 3);
        QCOMPARE(panel->maxStepsBox()->value(), 0);
        QCOMPARE(panel->lrEdit()->text(), QStringLiteral("1e-05"));
        QVERIFY2(panel->lengthLabel()->text().contains(QLatin1String("2 epochs")), qPrintable(panel->lengthLabel()->text()));
        QVERIFY(window.openFile(test::demoProject(), true));
        QCOMPARE(panel->batchSizeBox()->value(), 8);
        QVERIFY(!window.isWindowModified());
    }
};

QTEST_MAIN(TestRunSettingsPanel)
#include "test_run_settings_panel.moc"

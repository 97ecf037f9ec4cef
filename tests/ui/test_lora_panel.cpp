// The LoRA panel: controls write project.lora and the derived labels follow (scaling from core's
// loraScaling, the modules panel's counts for the new r).
#include "estimate_view.h"
#include "lora_panel.h"
#include "main_window.h"
#include "modules_panel.h"
#include "project_document.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QLabel>
#include <QSpinBox>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

class TestLoraPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void labelsFollowTheRank() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        auto* modules = window.panel<ModulesPanel>(QStringLiteral("panel.modules"));
        QVERIFY(lora && modules);
        QCOMPARE(lora->scalingLabel()->text(), QStringLiteral("alpha / r = 2")); // demo: alpha 16, r 8
        const QString before = modules->statusLabel()->text();
        QVERIFY(before.contains(QLocale().toString(45056))); // 4 x 8 x (128+384 + 128+128 + 512+128)

        lora->rankBox()->setValue(16);
        QCOMPARE(window.document()->config().lora.r, 16);
        QCOMPARE(lora->scalingLabel()->text(), QStringLiteral("alpha / r = 1"));
        QVERIFY2(modules->statusLabel()->text().contains(QLocale().toString(2 * 45056)),
                 qPrintable(modules->statusLabel()->text()));

        lora->findChild<QCheckBox*>()->setChecked(true); // rsLoRA: alpha / sqrt(r) = 16 / 4
        QVERIFY(window.document()->config().lora.useRslora);
        QCOMPARE(lora->scalingLabel()->text(), QStringLiteral("alpha / √r = 4"));
    }

    // The trainable count is core's exact PEFT figure and follows r at once; the memory estimate too.
    void estimateFollowsTheRank() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        EstimateView* estimate = lora->estimateView();
        QVERIFY(estimate);
        // Demo: c_attn + both c_proj in 4 layers at r = 8 -> 45,056; all = 888,832 base + LoRA.
        QCOMPARE(estimate->peftLineLabel()->text(),
                 QStringLiteral("trainable params: 45,056 || all params: 933,888 || trainable%: 4.824561403508772"));
        QVERIFY(estimate->trainableLabel()->text().contains(QLocale().toString(45056)));
        const QString memoryBefore = estimate->memoryLabel()->text();
        QVERIFY(memoryBefore.contains(QLatin1String("RAM")));

        lora->rankBox()->setValue(16);
        QCOMPARE(estimate->peftLineLabel()->text(),
                 QStringLiteral("trainable params: 90,112 || all params: 978,944 || trainable%: 9.205020920502092"));
        QVERIFY(estimate->trainableLabel()->text().contains(QLocale().toString(90112)));
        QVERIFY(estimate->memoryLabel()->text() != memoryBefore);

        // Targets that match nothing: no numbers, core's message instead.
        window.document()->edit(ProjectDocument::Part::Lora,
                                [](ProjectConfig& c) { c.lora.targetModules = ModuleSelection::list({"q_proj"}); });
        QVERIFY(estimate->peftLineLabel()->text().contains(QLatin1String("matched no linear module")));
        QVERIFY(!estimate->trainableLabel()->text().contains(QLatin1String("45")));
    }

    // A run far bigger than any RAM: the advisor's changes are listed, and applying one edits the project.
    void adviceWhenItDoesNotFit() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        EstimateView* estimate = window.panel<LoraPanel>(QStringLiteral("panel.lora"))->estimateView();
        QVERIFY(!estimate->adviceLabel()->isVisibleTo(estimate));
        window.document()->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) {
            c.training.batchSize = 1 << 20; // ~10^6 sequences per step
        });
        QVERIFY(estimate->adviceLabel()->isVisibleTo(estimate));
        QVERIFY(estimate->memoryLabel()->text().contains(QLatin1String("does not fit")));
        const QString advice = estimate->adviceLabel()->text();
        QVERIFY2(advice.contains(QLatin1String("gradient checkpointing")), qPrintable(advice));
        QVERIFY(advice.contains(QLatin1String("apply:0")));
        const ProjectConfig before = window.document()->config();
        QMetaObject::invokeMethod(estimate->adviceLabel(), "linkActivated", Q_ARG(QString, QStringLiteral("apply:0")));
        QVERIFY(!(window.document()->config() == before));
        QVERIFY(window.isWindowModified());
    }

    void projectChangesReachTheControls() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        window.document()->edit(ProjectDocument::Part::Lora, [](ProjectConfig& c) { c.lora.r = 42; });
        QCOMPARE(lora->rankBox()->value(), 42);
        QVERIFY(lora->deviceMemoryLabel()->text().contains(QLatin1String("RAM")));
    }
};

QTEST_MAIN(TestLoraPanel)
#include "test_lora_panel.moc"

// The LoRA panel: controls write project.lora and the derived labels follow (scaling from core's
// loraScaling, the modules panel's counts for the new r).
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

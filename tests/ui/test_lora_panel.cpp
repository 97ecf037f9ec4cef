// The LoRA panel: controls write project.lora and the derived labels follow (scaling from core's
// loraScaling, the modules panel's counts for the new r); the Advanced section's keys and checks.
#include "data/dataset.h"
#include "estimate/memory_estimate.h"
#include "tokenizer/tokenizer.h"

#include "checked_spin_box.h"
#include "data_panel.h"
#include "model_context.h"
#include "model_info.h"
#include "studio_header.h"
#include "ui_format.h"
#include "estimate_view.h"
#include "lora_advanced.h"
#include "lora_panel.h"
#include "main_window.h"
#include "modules_panel.h"
#include "pattern_table.h"
#include "project_document.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QToolButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

class TestLoraPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    // r typed past its range or as 0 is reported at the field and in the status bar; the project keeps its r.
    void outOfRangeRankIsReportedNotClamped() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        window.showPage(QStringLiteral("page.adapter"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* rank = qobject_cast<CheckedSpinBox*>(window.panel<LoraPanel>(QStringLiteral("panel.lora"))->rankBox());
        QVERIFY(rank);
        QSignalSpy reported(rank, &CheckedSpinBox::outOfRange);
        rank->setFocus();
        rank->selectAll();
        QTest::keyClicks(rank, QStringLiteral("100000"));
        QCOMPARE(rank->text(), QStringLiteral("100000"));  // every digit taken, none dropped
        QTest::keyClick(rank, Qt::Key_Return);
        QCOMPARE(reported.count(), 1);
        QVERIFY2(rank->lastRejection().contains(QStringLiteral("100000 is above the largest value here, 4,096: kept 8")) ||
                     rank->lastRejection().contains(QStringLiteral("100000 is above the largest value here, 4096: kept 8")),
                 qPrintable(rank->lastRejection()));
        QCOMPARE(window.document()->config().lora.r, 8);
        QCOMPARE(rank->value(), 8);
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("100000")));
        rank->selectAll();
        QTest::keyClicks(rank, QStringLiteral("0"));
        QTest::keyClick(rank, Qt::Key_Return);
        QCOMPARE(reported.count(), 2);
        QVERIFY(rank->lastRejection().contains(QStringLiteral("0 is below the smallest value here, 1: kept 8")));
        QCOMPARE(window.document()->config().lora.r, 8);
        // The same for a decimal field: dropout must stay below 1.
        auto* dropout = window.findChild<CheckedDoubleSpinBox*>(QStringLiteral("loraDropout"));
        QVERIFY(dropout);
        dropout->setFocus();
        dropout->selectAll();
        QTest::keyClicks(dropout, QStringLiteral("1.5"));
        QTest::keyClick(dropout, Qt::Key_Return);
        QVERIFY2(dropout->lastRejection().startsWith(QStringLiteral("1.5 is above the largest value here, 0.99: kept 0.05")),
                 qPrintable(dropout->lastRejection()));
        QCOMPARE(window.document()->config().lora.loraDropout, 0.05);
        window.setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
    }

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

    // r above min(in, out) of a targeted module is said, naming the module; a fitting r says nothing.
    void rankAboveTheModulesIsAWarning() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        QVERIFY(lora);
        QVERIFY(lora->rankWarningLabel()->isHidden());  // demo: r 8 on 128-wide modules
        lora->rankBox()->setValue(200);  // c_attn 128 -> 384 and c_proj 128 -> 128: min 128 for both
        const QString text = lora->rankWarningLabel()->text();
        QVERIFY(!lora->rankWarningLabel()->isHidden());
        QVERIFY2(text.contains(QStringLiteral("r = 200 exceeds min(in, out) = 128 of transformer.h.0.attn.c_attn")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("more modules")), qPrintable(text));
        lora->rankBox()->setValue(128);  // equal to min(in, out): fine
        QVERIFY(lora->rankWarningLabel()->isHidden());
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

    // DoRA and the QLoRA choice write the project; the count grows by one magnitude per output and
    // the saving line follows the quantization (computed by core's estimate).
    void doraAndQuantizationWriteTheProject() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        auto* dora = lora->findChild<QCheckBox*>(QStringLiteral("loraDora"));
        auto* quant = lora->findChild<QComboBox*>(QStringLiteral("loraQuantization"));
        auto* all = lora->findChild<QCheckBox*>(QStringLiteral("loraQuantizeAll"));
        auto* saving = lora->findChild<QLabel*>(QStringLiteral("loraQuantSaving"));
        QVERIFY(dora && quant && all && saving);
        QVERIFY(!all->isEnabled());
        QVERIFY(saving->text().startsWith(QLatin1String("nf4 would keep")));

        QVERIFY(!window.document()->config().lora.useDora);
        dora->setChecked(true);
        QVERIFY(window.document()->config().lora.useDora);
        // 45,056 LoRA values plus the magnitudes of 4 layers: c_attn (384 outputs), attn.c_proj and
        // mlp.c_proj (128 each).
        const int64_t expected = 45056 + 4 * (384 + 128 + 128);
        QVERIFY2(lora->estimateView()->trainableLabel()->text().contains(QLocale().toString(qlonglong(expected))),
                 qPrintable(lora->estimateView()->trainableLabel()->text()));

        const QString dense = saving->text();
        quant->setCurrentIndex(quant->findData(int(BaseQuantization::Int8)));
        QCOMPARE(window.document()->config().lora.quantization, BaseQuantization::Int8);
        QVERIFY(all->isEnabled());
        QVERIFY(saving->text().startsWith(QLatin1String("Base weights")));
        const QString int8 = saving->text();
        all->setChecked(true);
        QVERIFY(window.document()->config().lora.quantizeAllLinear);
        QVERIFY(saving->text() != int8);  // more layers, more saved
        quant->setCurrentIndex(quant->findData(int(BaseQuantization::None)));
        QVERIFY(!window.document()->config().lora.quantizeAllLinear);
        QCOMPARE(saving->text(), dense);
    }

    // Once the Data page has read the data, the estimate is sized for its longest example (a batch
    // is padded to it) instead of max_length: the header, the Cost box and the label say so.
    void estimateSizedForTheData() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        EstimateView* estimate = window.panel<LoraPanel>(QStringLiteral("panel.lora"))->estimateView();
        auto* data = window.panel<DataPanel>(QStringLiteral("panel.data"));
        QVERIFY(estimate && data);
        QSignalSpy loaded(data, &DataPanel::loaded);
        const ProjectConfig config = window.document()->config();
        const ModelSpec spec = window.modelContext()->info().spec;
        const QString worst = formatBytes(double(estimateMemory(spec, config).total));
        QVERIFY(loaded.isEmpty());
        QVERIFY2(estimate->sizedForLabel()->text().contains(QLatin1String("until the Data page has read the data")),
                 qPrintable(estimate->sizedForLabel()->text()));
        QVERIFY(estimate->memoryLabel()->text().contains(worst));
        QVERIFY(window.header()->memoryLabel()->text().contains(worst));

        QVERIFY(loaded.wait(60000));
        // What core's Dataset says of the same data and tokenizer, independently of the panel.
        ProjectConfig resolved = config;
        resolved.data.path = window.document()->resolvedDataPath().toStdString();
        const int32_t longest = Dataset::load(resolved.data, Tokenizer::fromFolder(test::demoModel().toStdString())).longestExample();
        QVERIFY(longest > 1 && longest < config.data.maxLength);
        MemoryOptions options;
        options.longestExample = longest;
        const QString sized = formatBytes(double(estimateMemory(spec, config, options).total));
        QVERIFY(sized != worst);
        QVERIFY2(estimate->memoryLabel()->text().contains(sized), qPrintable(estimate->memoryLabel()->text() + " vs " + sized));
        QVERIFY2(estimate->sizedForLabel()->text().contains(
                     QStringLiteral("× %1 tokens (the data's longest example; max_length %2)").arg(longest).arg(config.data.maxLength)),
                 qPrintable(estimate->sizedForLabel()->text()));
        QVERIFY2(window.header()->memoryLabel()->text().contains(sized), qPrintable(window.header()->memoryLabel()->text()));
        // Past any RAM: halving max_length (256 -> 128) would cut the data's longest examples, and says so.
        window.document()->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) { c.training.batchSize = 1 << 20; });
        QVERIFY2(estimate->adviceLabel()->text().contains(QStringLiteral("max length 256 → 128 tokens, cutting the examples longer than that")),
                 qPrintable(estimate->adviceLabel()->text()));
        window.document()->edit(ProjectDocument::Part::Training, [&](ProjectConfig& c) { c.training.batchSize = config.training.batchSize; });

        // max_length below the longest example: every batch may be max_length long again.
        loaded.clear();
        window.document()->edit(ProjectDocument::Part::Data, [&](ProjectConfig& c) { c.data.maxLength = longest - 1; });
        QVERIFY(loaded.wait(60000));
        QVERIFY2(estimate->sizedForLabel()->text().contains(
                     QStringLiteral("× %1 tokens (max_length, which the data's longest example reaches)").arg(longest - 1)),
                 qPrintable(estimate->sizedForLabel()->text()));
        // DPO and ORPO size two rows per pair, and say so.
        const int batch = config.training.batchSize;
        QVERIFY2(estimate->sizedForLabel()->text().startsWith(QStringLiteral("Sized for cpu: batch %1 × ").arg(batch)),
                 qPrintable(estimate->sizedForLabel()->text()));
        window.document()->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) { c.training.objective = Objective::Dpo; });
        QVERIFY2(estimate->sizedForLabel()->text().startsWith(
                     QStringLiteral("Sized for cpu: batch %1 pairs (%2 rows) × ").arg(batch).arg(2 * batch)),
                 qPrintable(estimate->sizedForLabel()->text()));
    }

    // A base folder bitsandbytes stored quantized (every linear layer but the head): with QLoRA each
    // of them stays quantized, so "all linear layers" shows ticked and cannot be changed; the
    // project's key is left alone. A dense model gives the box back.
    void bitsandbytesFolderTicksAllLinear() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        auto* quant = lora->findChild<QComboBox*>(QStringLiteral("loraQuantization"));
        auto* all = lora->findChild<QCheckBox*>(QStringLiteral("loraQuantizeAll"));
        QVERIFY(quant && all);
        window.document()->edit(ProjectDocument::Part::BaseModel, [](ProjectConfig& c) {
            c.baseModel = test::sourcePath(QStringLiteral("tests/fixtures/bnb/llama-nf4")).toStdString();
            c.lora.targetModules = ModuleSelection::list({"q_proj", "v_proj"});
        });
        QTRY_VERIFY(window.modelContext()->hasModel() && window.modelContext()->info().spec.storedQuantization.any());
        QVERIFY(!all->isEnabled());
        QVERIFY(!all->isChecked());
        quant->setCurrentIndex(quant->findData(int(BaseQuantization::Nf4)));
        QCOMPARE(window.document()->config().lora.quantization, BaseQuantization::Nf4);
        QVERIFY(all->isChecked());
        QVERIFY(!all->isEnabled());
        QVERIFY2(all->toolTip().contains(QLatin1String("bitsandbytes")), qPrintable(all->toolTip()));
        QVERIFY(!window.document()->config().lora.quantizeAllLinear);

        window.document()->edit(ProjectDocument::Part::BaseModel,
                                [](ProjectConfig& c) { c.baseModel = test::demoModel().toStdString(); });
        window.document()->edit(ProjectDocument::Part::Lora,
                                [](ProjectConfig& c) { c.lora.targetModules = ModuleSelection::list({"c_attn"}); });
        QTRY_VERIFY(window.modelContext()->hasModel() && !window.modelContext()->info().spec.storedQuantization.any());
        QVERIFY(all->isEnabled());
        QVERIFY(!all->isChecked());
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

    // A rank_pattern row changes the trainable count at once; a bad regex or rank is refused.
    void rankPatternRowChangesTheCount() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        auto* lora = window.panel<LoraPanel>(QStringLiteral("panel.lora"));
        LoraAdvancedEditor* advanced = lora->advancedEditor();
        EstimateView* estimate = lora->estimateView();
        QVERIFY(advanced && estimate);
        QVERIFY(!advanced->isVisibleTo(lora)); // collapsed until asked for
        lora->advancedToggle()->setChecked(true);
        QVERIFY(advanced->isVisibleTo(lora));
        QVERIFY(estimate->trainableLabel()->text().contains(QLocale().toString(45056)));

        // c_attn (128 -> 384) at r = 32 in 4 layers: 45,056 - 4*8*512 + 4*32*512 = 94,208.
        advanced->rankTable()->addRow(QStringLiteral("c_attn"), QStringLiteral("32"));
        const auto expected = std::vector<std::pair<std::string, int>>{{"c_attn", 32}};
        QVERIFY(window.document()->config().lora.rankPattern == expected);
        QVERIFY2(estimate->trainableLabel()->text().contains(QLocale().toString(94208)),
                 qPrintable(estimate->trainableLabel()->text()));
        QVERIFY(lora->advancedToggle()->text().contains(QLatin1String("1")));
        QVERIFY(advanced->errorLabel()->isHidden());

        // A broken regex in a new row: named, and the project keeps the valid pattern.
        advanced->rankTable()->addRow(QStringLiteral("c_(proj"), QStringLiteral("4"));
        QVERIFY(window.document()->config().lora.rankPattern == expected);
        QVERIFY(!advanced->errorLabel()->isHidden());
        QVERIFY2(advanced->errorLabel()->text().contains(QLatin1String("lora.rank_pattern, row 2")),
                 qPrintable(advanced->errorLabel()->text()));
        // Fixing the pattern but giving rank 0: still refused, with the value.
        QTableWidget* table = advanced->rankTable()->table();
        table->item(1, 1)->setText(QStringLiteral("0"));
        table->item(1, 0)->setText(QStringLiteral("c_proj"));
        QVERIFY(window.document()->config().lora.rankPattern == expected);
        QVERIFY(advanced->errorLabel()->text().contains(QLatin1String("'0'")));
        table->item(1, 1)->setText(QStringLiteral("4"));
        QCOMPARE(int(window.document()->config().lora.rankPattern.size()), 2);
        QVERIFY(advanced->errorLabel()->isHidden());
        // Both c_proj at r = 4: 94,208 - 4*8*(256+640) + 4*4*(256+640) = 79,872.
        QVERIFY2(estimate->trainableLabel()->text().contains(QLocale().toString(79872)),
                 qPrintable(estimate->trainableLabel()->text()));
    }

    void advancedKeysWriteTheProject() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        LoraAdvancedEditor* advanced = window.panel<LoraPanel>(QStringLiteral("panel.lora"))->advancedEditor();
        advanced->excludeEdit()->setText(QStringLiteral("h.0.attn.c_attn, h.1.attn.c_attn"));
        Q_EMIT advanced->excludeEdit()->editingFinished();
        QVERIFY(window.document()->config().lora.excludeModules ==
                ModuleSelection::list({"h.0.attn.c_attn", "h.1.attn.c_attn"}));
        advanced->excludeEdit()->setText(QStringLiteral("all-linear"));
        Q_EMIT advanced->excludeEdit()->editingFinished();
        QVERIFY(advanced->errorLabel()->text().contains(QLatin1String("lora.exclude_modules")));
        QCOMPARE(int(window.document()->config().lora.excludeModules.names.size()), 2);
        advanced->excludeRegexBox()->setChecked(true);
        advanced->excludeEdit()->setText(QStringLiteral(".*h\\.0\\..*"));
        Q_EMIT advanced->excludeEdit()->editingFinished();
        QVERIFY(window.document()->config().lora.excludeModules == ModuleSelection::fromRegex(".*h\\.0\\..*"));
        QVERIFY(advanced->errorLabel()->isHidden());

        advanced->modulesToSaveEdit()->setText(QStringLiteral("lm_head"));
        Q_EMIT advanced->modulesToSaveEdit()->editingFinished();
        QCOMPARE(window.document()->config().lora.modulesToSave, std::vector<std::string>{"lm_head"});

        advanced->alphaTable()->addRow(QStringLiteral("c_proj"), QStringLiteral("big"));
        QVERIFY(window.document()->config().lora.alphaPattern.empty());
        QVERIFY(advanced->errorLabel()->text().contains(QLatin1String("lora.alpha_pattern, row 1")));
        advanced->alphaTable()->table()->item(0, 1)->setText(QStringLiteral("2.5"));
        const auto alpha = std::vector<std::pair<std::string, double>>{{"c_proj", 2.5}};
        QVERIFY(window.document()->config().lora.alphaPattern == alpha);

        // Opening the file again shows its (empty) values.
        QVERIFY(window.openFile(test::demoProject(), true));
        QCOMPARE(advanced->excludeEdit()->text(), QString());
        QCOMPARE(advanced->alphaTable()->table()->rowCount(), 0);
        QVERIFY(!advanced->excludeRegexBox()->isChecked());
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

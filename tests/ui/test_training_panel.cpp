// Training, Rank, Merge & export and Playground on one short demo run (6 steps, output in a temp
// folder): the plots fill through the batching timer, the controller's signals arrive, resume without
// a checkpoint is a message (not a crash), an earlier metrics.jsonl overlays, the Rank panel reads
// the exported adapter, both export kinds write a folder, the Export page shows the base model folder's
// warnings, and the playground streams two texts.
#include "estimate/memory_estimate.h"
#include "io/gguf.h"
#include "runtime/process_setup.h"
#include "export_panel.h"
#include "model_context.h"
#include "playground_panel.h"
#include "project_document.h"
#include "qcustomplot_include.h"
#include "rank_panel.h"
#include "training_controller.h"
#include "training_panel.h"
#include "ui_test_support.h"

#include <QDir>
#include <QPushButton>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QCheckBox>
#include <QPlainTextEdit>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

class TestTrainingPanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    ProjectDocument* m_document = nullptr;
    ModelContext* m_model = nullptr;
    TrainingController* m_controller = nullptr;
    TrainingPanel* m_panel = nullptr;
    PanelContext context() const { return {m_document, m_model, nullptr, m_controller}; }

private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings();
        QVERIFY(m_tmp.isValid());
        m_document = new ProjectDocument(this);
        QString error;
        QVERIFY2(m_document->load(test::demoProject(), &error), qPrintable(error));
        const std::string out = (m_tmp.path() + QStringLiteral("/run")).toStdString();
        m_document->edit(ProjectDocument::Part::Training, [&](ProjectConfig& c) {
            c.outputDir = out;
            c.training.maxSteps = 6;
            c.training.evalEvery = 3;
            c.training.loggingEvery = 1;
            c.training.saveEvery = 0;
        });
        m_model = new ModelContext(m_document, this);
        m_controller = new TrainingController(this);
        m_panel = new TrainingPanel(context());
        m_panel->resize(1000, 700);
        m_panel->show();
    }
    void cleanupTestCase() { delete m_panel; }

    void startNeedsAValidProject() {
        auto* start = m_panel->findChild<QPushButton*>(QStringLiteral("trainStart"));
        QVERIFY(start);
        QVERIFY(start->isEnabled());
        QVERIFY(m_panel->startBlockedReason().isEmpty());
        const double lr = m_document->config().training.lr;
        m_document->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) { c.training.lr = 0; });
        QVERIFY(!start->isEnabled());
        QVERIFY2(m_panel->startBlockedReason().contains(QStringLiteral("training.lr")), qPrintable(m_panel->startBlockedReason()));
        m_document->edit(ProjectDocument::Part::Training, [&](ProjectConfig& c) { c.training.lr = lr; });
        QVERIFY(start->isEnabled());
        QVERIFY(m_panel->startBlockedReason().isEmpty());
    }

    void resumeWithoutCheckpointIsAMessage() {
        QVERIFY(m_panel->latestCheckpoint().isEmpty());
        QVERIFY(!m_panel->resumeTraining());
        QVERIFY(m_panel->bannerText().contains(QStringLiteral("checkpoint")));
        QCOMPARE(m_controller->state(), TrainingController::State::Idle);
    }

    void shortRunFillsThePlots() {
        QSignalSpy steps(m_controller, &TrainingController::stepCompleted);
        QSignalSpy evals(m_controller, &TrainingController::evaluated);
        QSignalSpy logs(m_controller, &TrainingController::logged);
        QSignalSpy finished(m_controller, &TrainingController::finished);
        QSignalSpy failed(m_controller, &TrainingController::failed);
        QVERIFY(m_panel->startTraining());
        QVERIFY(m_panel->bannerText().isEmpty()); // the earlier message is cleared
        QVERIFY2(m_panel->progressText().contains(QStringLiteral("Loading")), qPrintable(m_panel->progressText()));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, 90000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(steps.count(), 6);
        QVERIFY(evals.count() >= 2);
        QVERIFY(logs.count() > 0);
        QTRY_COMPARE(m_panel->lossGraph()->dataCount(), 6);
        // Every chart shown got points (the DPO reward chart stays hidden in an SFT run).
        for (QCustomPlot* plot : m_panel->plots())
            if (plot->isVisibleTo(m_panel)) QVERIFY(plot->graph(0)->dataCount() > 0);
        const auto result = finished.first().first().value<TrainResult>();
        QCOMPARE(result.outcome, TrainOutcome::Completed);
        QVERIFY(QFileInfo::exists(m_panel->outputDir() + QStringLiteral("/adapter/adapter_config.json")));
        // The chart's estimate counts this process's own memory (Qt, the test) once the run started,
        // so it meets the measured peak; a bare process's baseline would fall short of it.
        const double peak = double(steps.last().first().value<StepMetrics>().peakRssBytes);
        qInfo("memory: estimate %.1f MiB, measured peak %.1f MiB, baseline %.1f MiB", m_panel->estimateBytes() / 1048576.0,
              peak / 1048576.0, double(m_controller->processBaselineBytes()) / 1048576.0);
        QVERIFY(m_controller->processBaselineBytes() > 0);
        if (mimallocInUse()) {
            // Within 20%: the headless estimate meets a bare CLI run within 7% here (380 vs 354 MiB), and
            // this process adds its baseline, part of which the run reuses instead of growing (13-15%
            // over on this machine; 15.4% once under load, which failed CI at 15%).
            QVERIFY2(std::abs(m_panel->estimateBytes() - peak) < 0.20 * peak, "estimate and measured peak differ by more than 20%");
        } else {
            // glibc's malloc (a build without mimalloc 2.x, e.g. Debian 13's): the estimate models
            // the heap at the top of its measured growth (docs/memory-estimate.md), so it is an
            // upper bound here: never below the peak, and not wildly above it.
            QVERIFY2(m_panel->estimateBytes() >= 0.95 * peak, "glibc build: the estimate falls short of the measured peak");
            QVERIFY2(m_panel->estimateBytes() < 1.6 * peak, "glibc build: the estimate is more than 60% above the measured peak");
        }
        // Each event is logged once, in the panel's words: not again as the trainer's English line.
        const QString log = m_panel->logText();
        QCOMPARE(log.count(QStringLiteral("Validation at step 3:")), 1);
        QCOMPARE(log.count(QStringLiteral("Validation at step 6:")), 1);
        QCOMPARE(log.count(QStringLiteral("Checkpoint at step 6:")), 1);
        QCOMPARE(log.count(QStringLiteral("eval at step")), 0);
        QCOMPARE(log.count(QStringLiteral("Checkpoint written")), 0);
        QCOMPARE(log.count(QString::fromStdString(result.message)), 1);
    }

    void cudaPeaksGoIntoTheMemoryChart() {
        // A CUDA run reports the caching allocator's peaks: allocated and reserved are both drawn,
        // named as such, beside the estimate. (The CPU run above reported neither.)
        QCustomPlot* memory = nullptr;
        for (QCustomPlot* plot : m_panel->plots())
            for (int i = 0; i < plot->graphCount(); ++i)
                if (plot->graph(i)->name() == QStringLiteral("measured peak")) memory = plot;
        QVERIFY(memory);
        QCPGraph* reserved = nullptr;
        for (int i = 0; i < memory->graphCount(); ++i)
            if (memory->graph(i)->name() == QStringLiteral("reserved peak (CUDA)")) reserved = memory->graph(i);
        QVERIFY(reserved);
        QCOMPARE(reserved->dataCount(), 0);
        QVERIFY(!memory->legend->hasItemWithPlottable(reserved));
        StepMetrics m;
        m.step = 7;
        m.totalSteps = 8;
        m.peakRssBytes = int64_t(3) << 30;
        m.devicePeakBytes = int64_t(1) << 30;
        m.deviceReservedPeakBytes = int64_t(2) << 30;
        Q_EMIT m_controller->stepCompleted(m);
        QTRY_COMPARE(reserved->dataCount(), 1);
        QCOMPARE(reserved->data()->at(0)->value, 2048.0);  // MiB
        QVERIFY(memory->legend->hasItemWithPlottable(reserved));
        QCOMPARE(memory->graph(0)->name(), QStringLiteral("allocated peak (CUDA)"));
        QCOMPARE(memory->graph(0)->data()->at(memory->graph(0)->dataCount() - 1)->value, 1024.0);
    }

    void aSecondStartKeepsTheFirstRun() {
        QVERIFY(m_panel->earlierRuns().isEmpty());
        const QString firstMetrics = m_panel->outputDir() + QStringLiteral("/metrics.jsonl");
        QFile first(firstMetrics);
        QVERIFY(first.open(QIODevice::ReadOnly));
        const QByteArray firstBytes = first.readAll();
        first.close();
        QSignalSpy finished(m_controller, &TrainingController::finished);
        QSignalSpy failed(m_controller, &TrainingController::failed);
        QVERIFY(m_panel->startTraining());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, 90000);
        QVERIFY(failed.isEmpty());
        const QStringList runs = m_panel->earlierRuns();
        QCOMPARE(runs.size(), 1);
        const QString kept = m_panel->outputDir() + QStringLiteral("/runs/") + runs.first();
        QFile moved(kept + QStringLiteral("/metrics.jsonl"));
        QVERIFY(moved.open(QIODevice::ReadOnly));
        QCOMPARE(moved.readAll(), firstBytes);  // the first run's curves, untouched
        QVERIFY(QDir(kept + QStringLiteral("/checkpoints")).exists());
        QVERIFY(QFileInfo::exists(kept + QStringLiteral("/adapter/adapter_model.safetensors")));
        QVERIFY(m_panel->logText().contains(QStringLiteral("is kept in")));
        // It overlays under its own name.
        QString error;
        QVERIFY2(m_panel->loadOverlay(kept + QStringLiteral("/metrics.jsonl"), &error), qPrintable(error));
        auto* plot = m_panel->lossGraph()->parentPlot();
        bool named = false;
        for (int i = 0; i < plot->graphCount(); ++i) named = named || plot->graph(i)->name().contains(runs.first());
        QVERIFY(named);
        // Resuming the earlier run continues it in its own folder, its own curve drawn first; the
        // newest run's files are not touched.
        QFile newest(firstMetrics);
        QVERIFY(newest.open(QIODevice::ReadOnly));
        const QByteArray newestBytes = newest.readAll();
        newest.close();
        m_document->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) { c.training.maxSteps = 8; });
        finished.clear();
        QVERIFY(m_panel->resumeTraining(runs.first()));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, 90000);
        QVERIFY(failed.isEmpty());
        QCOMPARE(finished.first().first().value<TrainResult>().step, 8);
        QCOMPARE(m_panel->lossGraph()->dataCount(), 8);  // steps 1-6 of its history, then 7 and 8
        QVERIFY(QDir(kept + QStringLiteral("/checkpoints/step-8")).exists());
        QFile again(firstMetrics);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), newestBytes);
        m_document->edit(ProjectDocument::Part::Training, [](ProjectConfig& c) { c.training.maxSteps = 6; });
        // Deleting is explicit and only of an earlier run.
        QVERIFY(!m_panel->deleteEarlierRun(QStringLiteral(".."), &error));
        QVERIFY(m_panel->deleteEarlierRun(runs.first(), &error));
        QVERIFY(m_panel->earlierRuns().isEmpty());
        QVERIFY(!QFileInfo::exists(kept));
    }

    void overlayReadsMetricsJsonl() {
        QString error;
        QVERIFY2(m_panel->loadOverlay(m_panel->outputDir() + QStringLiteral("/metrics.jsonl"), &error), qPrintable(error));
        auto* plot = m_panel->lossGraph()->parentPlot();
        QCPGraph* overlay = nullptr;
        for (int i = 0; i < plot->graphCount(); ++i)
            if (plot->graph(i)->name().startsWith(QStringLiteral("earlier: train"))) overlay = plot->graph(i);
        QVERIFY(overlay);
        QCOMPARE(overlay->dataCount(), 6);

        QFile bad(m_tmp.path() + QStringLiteral("/bad.jsonl"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not json\n{\"type\": \"step\", \"step\": 1, \"loss\": 2}\n");
        bad.close();
        QVERIFY(!m_panel->loadOverlay(bad.fileName(), &error));
        QVERIFY(error.contains(QStringLiteral(":1:")));
    }

    void rankPanelReadsTheAdapter() {
        RankPanel rank(context());
        QSignalSpy done(&rank, &RankPanel::analysisFinished);
        const QString adapter = m_panel->outputDir() + QStringLiteral("/adapter");
        rank.openAdapter(adapter); // on a worker thread: the call returns at once
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QVERIFY(!rank.isBusy());
        QCOMPARE(rank.moduleCount(), 12); // c_attn, attn.c_proj and mlp.c_proj in the 4 layers of the demo model
        QVERIFY(rank.spectrumPlot()->graph(0)->dataCount() > 0);
        QVERIFY(!rank.adviceText().isEmpty());
        // A click on a heatmap cell (layer 2, second module kind) shows that module.
        rank.resize(1000, 700);
        rank.show();
        QVERIFY(QTest::qWaitForWindowExposed(&rank));
        rank.heatmap()->replot();
        const QPoint cell(int(rank.heatmap()->xAxis->coordToPixel(1)), int(rank.heatmap()->yAxis->coordToPixel(2)));
        QTest::mouseClick(rank.heatmap(), Qt::LeftButton, Qt::NoModifier, cell);
        QCOMPARE(rank.currentModule(), QStringLiteral("transformer.h.2.attn.c_proj"));
        const QPoint outside(int(rank.heatmap()->xAxis->coordToPixel(7)), int(rank.heatmap()->yAxis->coordToPixel(2)));
        QVERIFY(!rank.selectHeatmapCellAt(outside));  // no module kind there: the selection stays
        QCOMPARE(rank.currentModule(), QStringLiteral("transformer.h.2.attn.c_proj"));
        rank.hide();
        rank.compareFolders(adapter, adapter);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 30000);
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QVERIFY(rank.phiCaption().contains(QStringLiteral("φ(1,1) = 1.000"))); // an adapter against itself
        rank.openAdapter(m_tmp.path()); // no adapter there
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 3, 30000);
        QVERIFY(!done.last().at(0).toBool());
        QVERIFY(done.last().at(1).toString().contains(m_tmp.path()));
        QCOMPARE(rank.moduleCount(), 12); // the earlier report stays
    }

    void rankPanelSaysWhenTheRunEnded() {
        RankPanel rank(context());
        QSignalSpy finished(m_controller, &TrainingController::finished);
        QSignalSpy snapshots(m_controller, &TrainingController::analysed);
        QVERIFY(m_panel->startTraining());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 90000);
        QVERIFY(snapshots.count() > 0);  // the demo's analysis_every: 5
        const int64_t last = snapshots.last().first().value<AnalysisSnapshot>().step;
        // Not "Training, step 5" for ever: the run's end, and which step the spectra are from.
        QTRY_VERIFY(rank.sourceText().contains(QStringLiteral("Run completed at step 6")));
        QVERIFY2(rank.sourceText().contains(QStringLiteral("at step %1").arg(last)), qPrintable(rank.sourceText()));
    }

    void exportWritesFolders() {
        const QString out = m_panel->outputDir();
        for (const auto kind : {ExportPanel::Kind::Adapter, ExportPanel::Kind::Merged}) {
            ExportPanel dialog(m_document->resolvedBaseModel(), out + QStringLiteral("/adapter"), QString());
            const QString target = m_tmp.path() + (kind == ExportPanel::Kind::Merged ? QStringLiteral("/merged") : QStringLiteral("/exported"));
            dialog.setKind(kind);
            dialog.setTarget(target);
            QSignalSpy done(&dialog, &ExportPanel::exportFinished);
            QVERIFY(dialog.startExport());
            QVERIFY(!dialog.startExport()); // one at a time
            QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
            QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
            if (kind == ExportPanel::Kind::Adapter) {
                QVERIFY(QFileInfo::exists(target + QStringLiteral("/adapter_model.safetensors")));
                QCOMPARE(done.first().at(2).toDouble(), -1.0);
            } else {
                QVERIFY(QFileInfo::exists(target + QStringLiteral("/config.json")));
                const double diff = done.first().at(2).toDouble();
                QVERIFY2(diff >= 0 && diff < 1e-3, qPrintable(QString::number(diff)));
            }
            QVERIFY(!dialog.startExport()); // the folder exists now: refused with a message
            QVERIFY(dialog.resultText().contains(QStringLiteral("exists")));
        }
    }

    void exportWritesGgufWithModelfiles() {
        const QString out = m_panel->outputDir();
        for (const auto kind : {ExportPanel::Kind::GgufMerged, ExportPanel::Kind::GgufAdapter}) {
            const bool adapterOnly = kind == ExportPanel::Kind::GgufAdapter;
            const QString folder = m_tmp.path() + (adapterOnly ? QStringLiteral("/gguf-adapter") : QStringLiteral("/gguf-merged"));
            ExportPanel dialog(m_document->resolvedBaseModel(), out + QStringLiteral("/adapter"), folder);
            dialog.setKind(kind);
            if (adapterOnly) {
                // llama.cpp takes GGUF LoRAs unquantized: a 4-bit choice falls back to F16 for this kind.
                dialog.setGgufType(QStringLiteral("q4_k_m"));
                QCOMPARE(dialog.targetFolder(), folder + QStringLiteral("/adapter-f16.gguf"));
            }
            dialog.setGgufType(adapterOnly ? QStringLiteral("f32") : QStringLiteral("q4_k_m"));
            dialog.setOllama(true);
            // The suggested target follows the kind and type: a .gguf file in the suggested folder.
            QCOMPARE(dialog.targetFolder(), folder + (adapterOnly ? QStringLiteral("/adapter-f32.gguf") : QStringLiteral("/model-q4_k_m.gguf")));
            QSignalSpy done(&dialog, &ExportPanel::exportFinished);
            QVERIFY(dialog.startExport());
            QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
            QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
            QVERIFY2(dialog.resultText().contains(QStringLiteral("GGUF written to")), qPrintable(dialog.resultText()));
            QVERIFY(dialog.resultText().contains(QStringLiteral("ollama create")));
            const gguf::File f = gguf::read(dialog.targetFolder().toStdString());
            QCOMPARE(QString::fromStdString(f.stringValue("general.architecture")), QStringLiteral("gpt2"));
            QCOMPARE(f.stringValue("general.type") == "adapter", adapterOnly);
            if (!adapterOnly) {
                // The demo's 128-wide rows: K-quants for the MLP's down projections only; the page says why the rest is Q5_0.
                QCOMPARE(QString::fromLatin1(gguf::tensorTypeName(f.tensor("blk.3.ffn_down.weight")->type)), QStringLiteral("Q6_K"));
                QCOMPARE(QString::fromLatin1(gguf::tensorTypeName(f.tensor("blk.0.ffn_down.weight")->type)), QStringLiteral("Q4_K"));
                QVERIFY2(dialog.resultText().contains(QStringLiteral("written as Q5_0, not Q4_K")), qPrintable(dialog.resultText()));
            }
            QFile file(folder + QStringLiteral("/Modelfile"));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString modelfile = QString::fromUtf8(file.readAll());
            QVERIFY(modelfile.contains(adapterOnly ? QStringLiteral("ADAPTER ./adapter-f32.gguf") : QStringLiteral("FROM ./model-q4_k_m.gguf")));
            // The demo's data is Alpaca: the Modelfile renders the Alpaca prompt it was trained on.
            QVERIFY2(modelfile.contains(QStringLiteral("### Instruction:\n{{ .Content }}\n\n### Response:\n")), qPrintable(modelfile));
            if (adapterOnly) {
                QVERIFY(modelfile.contains(QStringLiteral("FROM ./model-f32.gguf")));  // the base, written beside
                QVERIFY(QFileInfo::exists(folder + QStringLiteral("/model-f32.gguf")));
            }
        }
    }

    void exportShowsTheBaseModelFolderWarnings() {
        // Merging reads the base model: what its folder holds that is never run is said on the page,
        // as the Model page and the CLI's merge say it. Copies of the demo model, clean and not.
        const auto copyModel = [&](const QString& name) {
            const QString dir = m_tmp.path() + QLatin1Char('/') + name;
            if (!QDir().mkpath(dir)) return QString();
            for (const QFileInfo& f : QDir(test::demoModel()).entryInfoList(QDir::Files))
                if (!QFile::copy(f.filePath(), dir + QLatin1Char('/') + f.fileName())) return QString();
            return dir;
        };
        const QString clean = copyModel(QStringLiteral("base-clean")), pickled = copyModel(QStringLiteral("base-pickle")),
                      custom = copyModel(QStringLiteral("base-auto-map"));
        QVERIFY(!clean.isEmpty() && !pickled.isEmpty() && !custom.isEmpty());
        const QString adapter = m_panel->outputDir() + QStringLiteral("/adapter");
        ExportPanel page(clean, adapter, QString());
        auto* warnings = page.findChild<QLabel*>(QStringLiteral("exportBaseModelWarnings"));
        QVERIFY(warnings);
        QVERIFY(warnings->isHidden());
        QVERIFY(warnings->text().isEmpty());

        // A pickle checkpoint beside the safetensors: named, and never opened.
        QFile bin(pickled + QStringLiteral("/pytorch_model.bin"));
        QVERIFY(bin.open(QIODevice::WriteOnly));
        bin.write("not a pickle");
        bin.close();
        page.setSources(pickled, adapter, QString());
        QVERIFY(!warnings->isHidden());
        QVERIFY2(warnings->text().startsWith(QStringLiteral("Warning: ")), qPrintable(warnings->text()));
        QVERIFY2(warnings->text().contains(QStringLiteral("'pytorch_model.bin'")), qPrintable(warnings->text()));
        QVERIFY(warnings->text().contains(QStringLiteral("never opened")));

        // config.json naming custom code through auto_map.
        QFile config(custom + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
        config.close();
        json.insert(QStringLiteral("auto_map"), QJsonObject{{QStringLiteral("AutoModelForCausalLM"), QStringLiteral("modeling_x.XModel")}});
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(QJsonDocument(json).toJson());
        config.close();
        page.setSources(custom, adapter, QString());
        QVERIFY(!warnings->isHidden());
        QVERIFY2(warnings->text().contains(QStringLiteral("auto_map")), qPrintable(warnings->text()));
        QVERIFY(warnings->text().contains(QStringLiteral("modeling_x.XModel")));
        QVERIFY(!warnings->text().contains(QStringLiteral("pytorch_model.bin")));

        // Back to the clean folder: nothing left over. A pickle dropped in later shows when the page does.
        page.setSources(clean, adapter, QString());
        QVERIFY(warnings->isHidden());
        QVERIFY(warnings->text().isEmpty());
        QVERIFY(QFile::copy(pickled + QStringLiteral("/pytorch_model.bin"), clean + QStringLiteral("/model.bin")));
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(warnings->isVisible());
        QVERIFY2(warnings->text().contains(QStringLiteral("'model.bin'")), qPrintable(warnings->text()));
    }

    void playgroundStreamsBothModels() {
        PlaygroundPanel playground(context());
        QSignalSpy done(&playground, &PlaygroundPanel::generationFinished);
        auto* prompt = playground.findChild<QPlainTextEdit*>(QStringLiteral("playgroundPrompt"));
        prompt->setPlainText(QStringLiteral("How many legs does a horse have?"));
        QVERIFY(playground.wrapBox()->isChecked());  // an instruction in the data's template, as trained
        QVERIFY(playground.generateBoth());
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
        QVERIFY(!playground.baseText().isEmpty());
        QVERIFY(!playground.adaptedText().isEmpty());
        QVERIFY(playground.lastPrompt().startsWith(QStringLiteral("Below is an instruction that describes a task.")));
        QVERIFY(playground.lastPrompt().endsWith(QStringLiteral("### Instruction:\nHow many legs does a horse have?\n\n### Response:\n")));
        playground.wrapBox()->setChecked(false);  // the text as it is
        QVERIFY(playground.generateBoth());
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 60000);
        QCOMPARE(playground.lastPrompt(), QStringLiteral("How many legs does a horse have?"));
    }
};

QTEST_MAIN(TestTrainingPanel)
#include "test_training_panel.moc"

// The run log in the studio's language (ui/run_log_text.h). Core writes every line of a run's log:
// real runs of the demo (fresh, resumed with more steps, a fresh run beside an earlier one, one
// stopped before its first step, one that diverges, one with gradient checkpointing, a DPO run) and, for the
// lines a CPU run here cannot reach (CUDA, data-parallel ranks, fp16 overflow, bitsandbytes folders),
// core's own line builders with those values. With no translation, or the English one, the studio
// shows each line word for word; in zh_CN each is Chinese and keeps its numbers, paths and names,
// and every known form is made at least once. PEFT's "trainable params" line stays PEFT's. Also:
// the CPU's bf16 note, and a background run's log read with its warning and error tags.
#include "common/error.h"
#include "estimate/memory_estimate.h"
#include "lora/target_matching.h"
#include "model/bnb_weights.h"
#include "model/model_spec.h"
#include "project/project_file.h"
#include "runtime/cpu_features.h"
#include "train/run_log_lines.h"
#include "train/run_memory.h"
#include "train/train_session.h"

#include "background_run_watcher.h"
#include "train_metatypes.h"
#include "run_log_text.h"
#include "ui_test_support.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <functional>
#include <set>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

struct Line {
    LogLevel level;
    std::string text;
};

struct Collector : TrainObserver {
    std::vector<Line> lines;
    void onLog(const LogLine& l) override { lines.push_back({l.level, l.text}); }
};

ProjectConfig demo(const std::string& out, int steps, const QString& project = test::demoProject()) {
    ProjectConfig c = loadProject(project.toStdString());
    c.outputDir = out;
    c.training.maxSteps = steps;
    c.training.loggingEvery = 1;
    c.training.evalEvery = 1;
    c.training.analysisEvery = 0;
    return c;
}

// What a run says, as the CLI would print it: its log lines and its outcome lines.
void run(std::vector<Line>& all, const std::function<TrainResult(TrainControl&, TrainObserver&)>& fn, bool stop = false) {
    Collector c;
    TrainControl control;
    control.stop = stop;
    const TrainResult r = fn(control, c);
    all.insert(all.end(), c.lines.begin(), c.lines.end());
    all.push_back({LogLevel::Info, outcomeLine(r)});
    if (!r.lastCheckpoint.empty()) all.push_back({LogLevel::Info, lastCheckpointLine(r.lastCheckpoint)});
    if (!r.adapterDir.empty()) all.push_back({LogLevel::Info, adapterLine(r.adapterDir)});
}

std::vector<Line> realRuns(const std::string& dir) {
    std::vector<Line> all;
    const std::string out = dir + "/out";
    run(all, [&](TrainControl& k, TrainObserver& o) { return runTraining(demo(out, 2), k, o); });
    run(all, [&](TrainControl& k, TrainObserver& o) { return resumeTraining(out + "/checkpoints/step-2", demo(out, 3), k, o); });
    run(all, [&](TrainControl& k, TrainObserver& o) { return runTraining(demo(out, 1), k, o); });  // the earlier run is kept
    run(all, [&](TrainControl& k, TrainObserver& o) { return runTraining(demo(dir + "/stopped", 2), k, o); }, true);
    ProjectConfig checkpointed = demo(dir + "/checkpointed", 1);
    checkpointed.training.gradientCheckpointing = true;
    run(all, [&](TrainControl& k, TrainObserver& o) { return runTraining(checkpointed, k, o); });
    // lr 1e37: the second step's forward overflows (as test_trainer's NaN stop).
    ProjectConfig wild = demo(dir + "/diverged", 3);
    wild.training.lr = 1e37;
    wild.training.warmupSteps = 0;
    wild.training.warmupRatio = 0;
    wild.training.schedule = LrSchedule::Constant;
    run(all, [&](TrainControl& k, TrainObserver& o) { return runTraining(wild, k, o); });
    // DPO (the demo's preference pairs): steps and evaluations with reward accuracy and margin.
    const ProjectConfig dpo = demo(dir + "/dpo", 2, test::sourcePath(QStringLiteral("resources/demo/demo_dpo.yaml")));
    run(all, [&](TrainControl& k, TrainObserver& o) { return runTraining(dpo, k, o); });
    return all;
}

MemoryEstimate estimate(MemoryDevice device, bool fromData, int worldSize, const std::string& phase) {
    MemoryEstimate e;
    e.device = device;
    e.total = int64_t(319) << 20;
    e.overhead = int64_t(40) << 20;
    e.batch = 8;
    e.sequence = 185;
    e.sequenceFromData = fromData;
    e.worldSize = worldSize;
    e.peakPhase = phase;
    return e;
}

// A known core error inside a line: what reading a missing config.json says.
std::string missingConfigError(const std::string& dir) {
    try {
        parseModelConfig(dir + "/none/config.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "parseModelConfig did not throw";
}

// The lines a CPU run here does not write, from core's builders with the values other runs have.
std::vector<Line> builtLines(const std::string& dir) {
    std::vector<Line> all;
    auto info = [&](const std::string& s) { all.push_back({LogLevel::Info, s}); };
    auto warn = [&](const std::string& s) { all.push_back({LogLevel::Warning, s}); };
    TrainingPlan plan{120, 29, 8, 2, 5, 45056, "cuda:0", 0, "bf16", 0, 1, 0};
    info(trainingPlanLine(plan));
    plan.device = "cpu";
    plan.cpuThreads = 16;
    plan.packedRowTokens = 512;
    info(trainingPlanLine(plan));
    plan.worldSize = 4;
    plan.globalBatch = 64;
    info(trainingPlanLine(plan));
    plan.packedRowTokens = 0;
    info(trainingPlanLine(plan));
    int n = 0;
    for (const char* phase : {"loss backward", "layer backward", "forward", "recompute", "gradient all-reduce"}) {
        const MemoryEstimate e = estimate(n % 2 ? MemoryDevice::Cuda : MemoryDevice::Cpu, n % 3 == 0, n >= 3 ? 2 : 1, phase);
        info(estimateLine(e));
        info(peakLine(e, int64_t(300 + 20 * n) << 20));
        ++n;
    }
    const std::vector<LoraTarget> targets{{"model.layers.0.self_attn.k_proj", 64, 32, 48, 96, 2, false},
                                          {"model.layers.0.mlp.up_proj", 64, 256, 80, 160, 2, false},
                                          {"model.layers.1.mlp.up_proj", 64, 256, 80, 160, 2, false},
                                          {"model.layers.2.mlp.up_proj", 64, 256, 80, 160, 2, false},
                                          {"model.layers.0.mlp.down_proj", 256, 64, 72, 144, 2, false},
                                          {"model.layers.1.mlp.down_proj", 256, 64, 72, 144, 2, false}};
    for (const std::string& w : rankWarnings(targets)) warn(w);
    info(malformedLinesLine(3));
    for (const char* format : {"nf4", "int8"}) info(qloraLine(14, format, {}));
    for (const StoredQuantization& s : {StoredQuantization{"nf4", false, {}}, StoredQuantization{"nf4", true, {}},
                                        StoredQuantization{"int8", false, {}}}) {
        info(noteLine(bnbLoadNote(s)));
        info(qloraLine(14, "nf4", s.describe()));
    }
    warn(rngNotRestoredLine("CUDA"));
    warn(removedCheckpointLine(dir + "/out/checkpoints/step-40", 30));
    info(pausedLine(17));
    info(resumedLine(17));
    warn(emptyBatchLine(9));
    info(gradientSyncLine(1, int64_t(3) << 20, 1, false));
    info(gradientSyncLine(3, int64_t(7) << 20, 2, true));
    warn(lossScaleLine(12, 65536, 32768));
    warn(noEstimateLine(missingConfigError(dir)));
    warn(analysisSkippedLine(20, missingConfigError(dir)));
    return all;
}

// Numbers, paths, module names and the pieces core keeps as they are.
const QString kKept = QStringLiteral(R"([\w./-]*\d[\w./-]*|(?<!\w)/[\w.-]+(?:/[\w.-]+)+|[\w.]+_proj|\bcpu\b|cuda:\d|\b(?:fp32|bf16|nf4|int8|Gloo|NCCL)\b)");

} // namespace

class TestRunLogText : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<Line> m_lines;

    static bool isPeftLine(const std::string& s) { return s.rfind("trainable params: ", 0) == 0; }
    static QString shown(const Line& l) { return l.level == LogLevel::Warning ? runWarningText(l.text) : runLogText(l.text); }

private Q_SLOTS:
    void initTestCase() {
        qRegisterMetaType<LogLine>();
        QVERIFY(m_dir.isValid());
        const std::string dir = m_dir.path().toStdString();
        m_lines = realRuns(dir);
        const auto built = builtLines(dir);
        m_lines.insert(m_lines.end(), built.begin(), built.end());
        QVERIFY(m_lines.size() > 60);
    }

    void englishIsCoresText_data() { test::addEnglishRows(); }

    void englishIsCoresText() {
        QFETCH(QString, qm);
        const test::ScopedTranslator translator(qm);
        QVERIFY(translator.loaded());
        for (const Line& l : m_lines)
            if (l.level != LogLevel::Error) QCOMPARE(shown(l), QString::fromStdString(l.text));
        for (const std::string& w : rankWarnings({{"m.q_proj", 8, 8, 16, 32, 2, false}}))
            QCOMPARE(rankWarningText(w), QString::fromStdString(w));
    }

    void chineseForEveryLine() {
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(translator.loaded());
        std::set<int> forms;
        int peft = 0, errors = 0;
        for (const Line& l : m_lines) {
            if (isPeftLine(l.text)) {
                QCOMPARE(runLogText(l.text), QString::fromStdString(l.text));
                ++peft;
                continue;
            }
            if (l.level == LogLevel::Error) {
                ++errors;
                continue;  // the error catalogue's (test_error_text); its outcome line is checked below
            }
            // A data or folder warning is theirs (test_data_warning_text, test_open_warning_text).
            if (l.level != LogLevel::Warning || runLogForm(l.text) >= 0) {
                const int form = runLogForm(l.text);
                QVERIFY2(form >= 0, l.text.c_str());
                forms.insert(form);
            }
            test::verifyChineseKeeps(shown(l), l.text, kKept);
            if (QTest::currentTestFailed()) return;
        }
        QCOMPARE(peft, 7);     // one per run that loaded the model
        QCOMPARE(errors, 1);   // the diverged run's
        QCOMPARE(int(forms.size()), runLogFormCount());
        const QString adapterPage = rankWarningText(rankWarnings({{"m.q_proj", 8, 8, 16, 32, 2, false}}).at(0));
        test::verifyChineseKeeps(adapterPage, rankWarnings({{"m.q_proj", 8, 8, 16, 32, 2, false}}).at(0), kKept);
    }

    void cpuBf16Note() {
        std::vector<CpuFeatures> all(4);
        all[1].avx512bf16 = true;
        all[2].amxBf16 = true;
        all[3].avx512bf16 = all[3].amxBf16 = true;
        {
            const test::ScopedTranslator none{QString()};
            for (const CpuFeatures& f : all) QCOMPARE(bf16SupportText(f), QString::fromStdString(describeBf16Support(f)));
        }
        const test::ScopedTranslator zh(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(zh.loaded());
        for (const CpuFeatures& f : all)
            test::verifyChineseKeeps(bf16SupportText(f), describeBf16Support(f), QStringLiteral("AMX-BF16|AVX512-BF16|bf16|fp32"));
    }

    void backgroundLogKeepsItsTags() {
        QTemporaryDir run;
        {
            std::ofstream log(run.path().toStdString() + "/background.log");
            log << loadingDataLine() << "\nwarning: " << malformedLinesLine(2) << "\nerror: "
                << missingConfigError(m_dir.path().toStdString()) << "\n";
        }
        BackgroundRunWatcher watcher(run.path());
        QSignalSpy spy(&watcher, &BackgroundRunWatcher::logged);
        QTRY_COMPARE(spy.count(), 3);
        const auto line = [&](int i) { return spy.at(i).at(0).value<LogLine>(); };
        QVERIFY(line(0).level == LogLevel::Info && line(0).text == loadingDataLine());
        QVERIFY(line(1).level == LogLevel::Warning && line(1).text == malformedLinesLine(2));
        // An error ends the run; background.json says it again, so the log line is the outcome's.
        QVERIFY(line(2).level == LogLevel::Error && line(2).topic == LogTopic::Outcome);
        QCOMPARE(line(2).text, missingConfigError(m_dir.path().toStdString()));
    }
};

QTEST_MAIN(TestRunLogText)
#include "test_run_log_text.moc"

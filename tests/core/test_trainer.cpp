// The training loop end to end on the demo GPT-2 (resources/demo): determinism, resume identical to
// an uninterrupted run, accumulation equivalence, stop/pause at step boundaries, NaN stop keeping
// the last good checkpoint, checkpoint pruning and contents, metrics.jsonl vs the callbacks, errors.
// Torch headers come before Qt's.
#include "common/error.h"
#include "io/safetensors.h"
#include "tokenizer/tokenizer.h"
#include "train/metrics_log.h"
#include "train/train_checkpoint.h"
#include "train/run_archive.h"
#include "train/run_memory.h"
#include "data/dataset.h"
#include "model/model_spec.h"
#include "train/train_session.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "demo_project.h"
#include "tensor_files.h"
#include "test_support.h"

#include <QtTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

using namespace lorastudio;
namespace fs = std::filesystem;

namespace {

using testsupport::demoData;
using testsupport::demoModel;
using testsupport::demoProject;

// The first n lines of the demo data, as a file of its own (small epochs for boundary tests).
std::string demoSubset(const std::string& dir, int n) {
    std::ifstream in(demoData());
    std::ofstream out(dir + "/subset.jsonl");
    std::string line;
    for (int i = 0; i < n && std::getline(in, line); ++i) out << line << "\n";
    return dir + "/subset.jsonl";
}

struct Recorder : TrainObserver {
    std::vector<StepMetrics> steps;
    std::vector<EvalMetrics> evals;
    std::vector<LogLine> logs;
    std::vector<CheckpointInfo> checkpoints;
    std::vector<AnalysisSnapshot> analyses;
    std::function<void(const StepMetrics&)> onStepHook;

    void onStep(const StepMetrics& m) override {
        steps.push_back(m);
        if (onStepHook) onStepHook(m);
    }
    void onEval(const EvalMetrics& e) override { evals.push_back(e); }
    void onLog(const LogLine& l) override { logs.push_back(l); }
    void onCheckpoint(const CheckpointInfo& c) override { checkpoints.push_back(c); }
    void onAnalysis(const AnalysisSnapshot& a) override { analyses.push_back(a); }

    std::vector<double> losses() const {
        std::vector<double> out;
        for (const auto& s : steps) out.push_back(s.loss);
        return out;
    }
    bool logged(const std::string& text) const {
        for (const auto& l : logs)
            if (l.text.find(text) != std::string::npos) return true;
        return false;
    }
};

std::map<std::string, at::Tensor> readAll(const std::string& path) { return testsupport::readAllTensors(path); }

bool sameTensors(const std::string& a, const std::string& b) {
    auto x = readAll(a), y = readAll(b);
    if (x.size() != y.size()) return false;
    for (const auto& [k, t] : x)
        if (!y.count(k) || !at::equal(t, y.at(k))) return false;
    return true;
}

std::vector<nlohmann::json> readJsonLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<nlohmann::json> out;
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
}

std::vector<int64_t> checkpointSteps(const std::string& out) {
    std::vector<int64_t> s;
    for (const auto& c : listCheckpoints(out + "/checkpoints")) s.push_back(c.first);
    return s;
}

using testsupport::errorOf;

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deterministicRunAndMetricsFile() {
        const std::string dir = testsupport::makeTempDir("train-det");
        Recorder a, b;
        TrainControl control;
        auto ra = runTraining(demoProject(dir + "/a"), control, a);
        auto rb = runTraining(demoProject(dir + "/b"), control, b);
        QCOMPARE(ra.outcome, TrainOutcome::Completed);
        QCOMPARE(ra.step, int64_t(6));
        QCOMPARE(int(a.steps.size()), 6);
        QCOMPARE(a.losses(), b.losses());  // bit for bit
        QVERIFY(sameTensors(dir + "/a/adapter/adapter_model.safetensors", dir + "/b/adapter/adapter_model.safetensors"));
        QVERIFY(fs::exists(dir + "/a/adapter/adapter_config.json"));
        QCOMPARE(ra.adapterDir, dir + "/a/adapter");

        // The loss goes down on this easy data, and each step says what it did.
        QVERIFY(a.steps.back().loss < a.steps.front().loss);
        for (std::size_t i = 0; i < a.steps.size(); ++i) {
            const auto& s = a.steps[i];
            QCOMPARE(s.step, int64_t(i + 1));
            QCOMPARE(s.totalSteps, int64_t(6));
            QVERIFY(s.gradNorm > 0 && std::isfinite(s.gradNorm));
            QVERIFY(s.tokens > 0 && s.tokensPerSecond > 0);
            QVERIFY(s.peakRssBytes > 10 * 1024 * 1024);
            QCOMPARE(s.devicePeakBytes, int64_t(0));
        }
        // Cosine with 2 warmup steps over 6: lr(step k) = 2e-3 * lambda(k - 1).
        QCOMPARE(a.steps[0].lr, 0.0);
        QCOMPARE(a.steps[1].lr, 1e-3);
        QCOMPARE(a.steps[2].lr, 2e-3);
        QVERIFY(std::abs(a.steps[4].lr - 1e-3) < 1e-15);
        QVERIFY(a.steps[0].epoch > 0 && a.steps[5].epoch > a.steps[0].epoch);

        // Eval at 3 and 6: token-weighted mean loss and its perplexity.
        QCOMPARE(int(a.evals.size()), 2);
        QCOMPARE(a.evals[0].step, int64_t(3));
        QCOMPARE(a.evals[1].step, int64_t(6));
        QVERIFY(a.evals[1].tokens > 0);
        QCOMPARE(a.evals[1].perplexity, std::exp(a.evals[1].loss));
        QCOMPARE(a.evals[0].loss, b.evals[0].loss);

        // metrics.jsonl: every callback, in order, with the same numbers.
        auto lines = readJsonLines(dir + "/a/metrics.jsonl");
        std::vector<StepMetrics> fileSteps;
        std::vector<EvalMetrics> fileEvals;
        int checkpointsInFile = 0;
        for (const auto& j : lines) {
            const auto type = j.at("type").get<std::string>();
            if (type == "step") fileSteps.push_back(stepMetricsFromJson(j));
            else if (type == "eval") fileEvals.push_back(evalMetricsFromJson(j));
            else if (type == "checkpoint") ++checkpointsInFile;
            else QFAIL(("unexpected type " + type).c_str());
        }
        QCOMPARE(int(fileSteps.size()), 6);
        for (std::size_t i = 0; i < fileSteps.size(); ++i) {
            QCOMPARE(fileSteps[i].step, a.steps[i].step);
            QCOMPARE(fileSteps[i].loss, a.steps[i].loss);
            QCOMPARE(fileSteps[i].lr, a.steps[i].lr);
            QCOMPARE(fileSteps[i].gradNorm, a.steps[i].gradNorm);
            QCOMPARE(fileSteps[i].tokens, a.steps[i].tokens);
        }
        QCOMPARE(int(fileEvals.size()), 2);
        QCOMPARE(fileEvals[1].loss, a.evals[1].loss);
        QCOMPARE(checkpointsInFile, int(a.checkpoints.size()));
        QCOMPARE(checkpointSteps(dir + "/a"), (std::vector<int64_t>{3, 6}));
        QVERIFY(a.logged("step 6/6"));

        // Before the first step the run states its memory estimate, sized for the data's longest
        // example (core's Dataset and estimate, computed here on their own); at the end, the peak
        // measured beside it.
        const ProjectConfig config = demoProject(dir + "/a");
        const int32_t longest = Dataset::load(resolvedDataSettings(config), Tokenizer::fromFolder(config.baseModel)).longestExample();
        MemoryOptions sized;
        sized.device = MemoryDevice::Cpu;
        sized.longestExample = longest;
        const MemoryEstimate e = estimateMemory(parseModelConfig(config.baseModel + "/config.json"), config, sized);
        QVERIFY(e.sequenceFromData && e.sequence == longest);
        QVERIFY2(a.logged(estimateLine(e)), estimateLine(e).c_str());
        QVERIFY(a.logged("Peak memory: "));
        QVERIFY(a.logged("the estimate said " + formatBytes(e.total) + " (measured "));
    }

    void resumeGivesTheSameCurve() {
        // 18 training examples, batch 4 x accumulation 2: 5 batches per epoch, 3 steps per epoch
        // (2 + 2 + 1 micro-batches), so 7 steps cross two epoch boundaries; stop mid-epoch at 4.
        const std::string dir = testsupport::makeTempDir("train-resume");
        auto project = [&](const std::string& out) {
            auto c = demoProject(out, demoSubset(dir, 20));
            c.training.maxSteps = 7;
            c.training.gradientAccumulation = 2;
            c.training.evalEvery = 2;
            c.training.saveEvery = 2;
            return c;
        };
        Recorder full;
        TrainControl control;
        QCOMPARE(runTraining(project(dir + "/full"), control, full).outcome, TrainOutcome::Completed);
        QCOMPARE(int(full.steps.size()), 7);
        QVERIFY(std::abs(full.steps[2].epoch - 1.0) < 1e-12);

        Recorder first;
        TrainControl stopper;
        first.onStepHook = [&](const StepMetrics& m) {
            if (m.step == 4) stopper.stop = true;
        };
        auto r1 = runTraining(project(dir + "/split"), stopper, first);
        QCOMPARE(r1.outcome, TrainOutcome::Stopped);
        QCOMPARE(r1.step, int64_t(4));
        QCOMPARE(r1.lastCheckpoint, dir + "/split/checkpoints/step-4");

        Recorder second;
        TrainControl go;
        auto r2 = resumeTraining(dir + "/split/checkpoints/step-4", go, second);
        QCOMPARE(r2.outcome, TrainOutcome::Completed);
        QCOMPARE(int(second.steps.size()), 3);
        QCOMPARE(second.steps[0].step, int64_t(5));
        std::vector<double> joined = first.losses();
        for (double l : second.losses()) joined.push_back(l);
        QCOMPARE(joined, full.losses());  // bit for bit, dropout and shuffling included
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(second.steps[i].lr, full.steps[4 + i].lr);
            QCOMPARE(second.steps[i].gradNorm, full.steps[4 + i].gradNorm);
        }
        QCOMPARE(second.evals.back().loss, full.evals.back().loss);
        QVERIFY(sameTensors(dir + "/full/adapter/adapter_model.safetensors",
                            dir + "/split/adapter/adapter_model.safetensors"));
        QVERIFY(second.steps[0].elapsedSeconds >= first.steps.back().elapsedSeconds);

        // metrics.jsonl reads as one curve: steps 1..7 once each, same losses.
        std::vector<double> fileLosses;
        int64_t prev = 0;
        for (const auto& j : readJsonLines(dir + "/split/metrics.jsonl"))
            if (j.at("type") == "step") {
                QCOMPARE(j.at("step").get<int64_t>(), prev + 1);
                prev = j.at("step").get<int64_t>();
                fileLosses.push_back(j.at("loss").get<double>());
            }
        QCOMPARE(fileLosses, full.losses());

        // Resuming from an older checkpoint drops the later ones and the later metrics.
        Recorder again;
        auto r3 = resumeTraining(dir + "/split/checkpoints/step-6", go, again);
        QCOMPARE(r3.outcome, TrainOutcome::Completed);
        QCOMPARE(again.steps.size(), std::size_t(1));
        QCOMPARE(again.steps[0].loss, full.steps[6].loss);
    }

    void packedAndGroupedRunsResumeExactly() {
        // Packed rows (and, separately, batches grouped by length) go through the whole trainer:
        // fewer rows than examples per epoch, every token counted once, and a run stopped at step 3
        // and resumed continues the uninterrupted curve bit for bit.
        const std::string dir = testsupport::makeTempDir("train-packed");
        double epochAtEnd[2] = {0, 0};
        for (int mode = 0; mode < 2; ++mode) {
            auto project = [&](const std::string& out) {
                auto c = demoProject(out, demoSubset(dir, 40));
                c.data.packing = mode == 0;
                c.data.groupByLength = mode == 1;
                c.training.batchSize = 2;
                c.training.maxSteps = 6;
                c.training.saveEvery = 3;
                return c;
            };
            const std::string tag = mode == 0 ? "/packed" : "/grouped";
            Recorder full;
            TrainControl control;
            QCOMPARE(runTraining(project(dir + tag + "-full"), control, full).outcome, TrainOutcome::Completed);
            QCOMPARE(int(full.steps.size()), 6);
            for (const auto& m : full.steps) {
                QVERIFY(m.trainedTokens > 0 && m.trainedTokens <= m.tokens);
                QVERIFY(m.tokens <= m.paddedTokens);
            }
            if (mode == 0) QVERIFY(full.logged("packed rows of 256 tokens"));
            // Packed: fewer rows than examples, so 6 steps cover more of an epoch.
            epochAtEnd[mode] = full.steps.back().epoch;
            Recorder first;
            TrainControl stopper;
            first.onStepHook = [&](const StepMetrics& m) {
                if (m.step == 3) stopper.stop = true;
            };
            QCOMPARE(runTraining(project(dir + tag + "-split"), stopper, first).outcome, TrainOutcome::Stopped);
            Recorder second;
            TrainControl go;
            QCOMPARE(resumeTraining(dir + tag + "-split/checkpoints/step-3", go, second).outcome, TrainOutcome::Completed);
            std::vector<double> joined = first.losses();
            for (double l : second.losses()) joined.push_back(l);
            QCOMPARE(joined, full.losses());
        }
        QVERIFY2(epochAtEnd[0] > epochAtEnd[1], qPrintable(QString("%1 vs %2").arg(epochAtEnd[0]).arg(epochAtEnd[1])));
    }

    void accumulationEquivalence() {
        // batch 4 x accumulation 1 == batch 2 x accumulation 2 when every example has the same number
        // of trained tokens (the per-micro-batch mean then equals the mean over the step).
        const std::string dir = testsupport::makeTempDir("train-accum");
        const Tokenizer tok = Tokenizer::fromFolder(demoModel());
        std::map<size_t, std::vector<std::string>> byLength;
        std::ifstream corpus(demoModel() + "/corpus_sample.txt");
        for (std::string line; std::getline(corpus, line);) {
            std::stringstream ss(line);
            for (std::string sentence; std::getline(ss, sentence, '.');) {
                while (!sentence.empty() && sentence[0] == ' ') sentence.erase(0, 1);
                if (sentence.empty()) continue;
                sentence += ".";
                byLength[tok.encode(sentence, true).size()].push_back(sentence);
            }
        }
        const std::vector<std::string>* pick = nullptr;
        for (const auto& [len, list] : byLength)
            if (!pick || list.size() > pick->size()) pick = &list;
        QVERIFY(pick && pick->size() >= 12);
        {
            std::ofstream out(dir + "/equal.jsonl");
            for (std::size_t i = 0; i < 12; ++i) out << nlohmann::json{{"text", (*pick)[i]}}.dump() << "\n";
        }
        auto project = [&](const std::string& out, int batch, int accum) {
            auto c = demoProject(out, dir + "/equal.jsonl");
            c.data.validationFraction = 0;
            c.lora.loraDropout = 0;  // dropout would draw different masks for differently shaped batches
            c.training.batchSize = batch;
            c.training.gradientAccumulation = accum;
            c.training.maxSteps = 3;
            c.training.evalEvery = 0;
            return c;
        };
        Recorder one, two;
        TrainControl control;
        runTraining(project(dir + "/b4", 4, 1), control, one);
        runTraining(project(dir + "/b2x2", 2, 2), control, two);
        QCOMPARE(one.steps.size(), std::size_t(3));
        QCOMPARE(two.steps.size(), std::size_t(3));
        for (int i = 0; i < 3; ++i) {
            QVERIFY2(std::abs(one.steps[i].loss - two.steps[i].loss) < 1e-6, std::to_string(i).c_str());
            QVERIFY(std::abs(one.steps[i].gradNorm - two.steps[i].gradNorm) < 1e-5 * one.steps[i].gradNorm);
            QCOMPARE(one.steps[i].tokens, two.steps[i].tokens);
        }
        auto x = readAll(dir + "/b4/adapter/adapter_model.safetensors");
        auto y = readAll(dir + "/b2x2/adapter/adapter_model.safetensors");
        double worst = 0;
        for (const auto& [k, t] : x) worst = std::max(worst, (t - y.at(k)).abs().max().item<double>());
        // Three Adam steps of ~lr (2e-3) each: fp32 reassociation leaves ~1e-7.
        QVERIFY2(worst < 1e-5, std::to_string(worst).c_str());
        qInfo("accumulation: max adapter difference %.3g", worst);
    }

    void pauseAndStopAtStepBoundaries() {
        const std::string dir = testsupport::makeTempDir("train-pause");
        Recorder rec;
        TrainControl control;
        auto c = demoProject(dir + "/out");
        c.training.saveEvery = 0;
        c.training.evalEvery = 0;
        std::chrono::steady_clock::time_point pausedAt, released;
        std::thread releaser;
        std::vector<std::chrono::steady_clock::time_point> callbackTimes;
        rec.onStepHook = [&](const StepMetrics& m) {
            callbackTimes.push_back(std::chrono::steady_clock::now());
            if (m.step == 2) {
                control.pause = true;
                pausedAt = std::chrono::steady_clock::now();
                releaser = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    released = std::chrono::steady_clock::now();
                    control.pause = false;
                });
            }
            if (m.step == 3) {
                // Step 3 only ran after the pause was lifted.
                QVERIFY(released.time_since_epoch().count() != 0);
                control.stop = true;
            }
        };
        auto r = runTraining(c, control, rec);
        releaser.join();
        QCOMPARE(r.outcome, TrainOutcome::Stopped);
        QCOMPARE(r.step, int64_t(3));
        QCOMPARE(int(rec.steps.size()), 3);  // stop took effect at the next boundary, not mid-step
        QVERIFY(rec.logged("Paused at step 2"));
        QVERIFY(rec.logged("Resumed at step 2"));
        // Stop writes a checkpoint (save_every 0 wrote none before) and exports the adapter.
        QCOMPARE(checkpointSteps(dir + "/out"), (std::vector<int64_t>{3}));
        QVERIFY(fs::exists(dir + "/out/adapter/adapter_model.safetensors"));
        // Paused time is not training time: between the callbacks of steps 2 and 3 the wall clock ran
        // for the 0.3 s pause plus step 3, the training clock for step 3 only.
        const double wall = std::chrono::duration<double>(callbackTimes[2] - callbackTimes[1]).count();
        const double trained = rec.steps[2].elapsedSeconds - rec.steps[1].elapsedSeconds;
        QVERIFY(wall >= 0.3);
        QVERIFY2(trained <= wall - 0.29, (std::to_string(trained) + " vs " + std::to_string(wall)).c_str());

        // A stop requested before the first step: nothing trained, nothing saved.
        Recorder none;
        TrainControl stopped;
        stopped.stop = true;
        auto r0 = runTraining(demoProject(dir + "/none"), stopped, none);
        QCOMPARE(r0.outcome, TrainOutcome::Stopped);
        QCOMPARE(r0.step, int64_t(0));
        QVERIFY(none.steps.empty());
        QVERIFY(checkpointSteps(dir + "/none").empty());
        QVERIFY(!fs::exists(dir + "/none/adapter"));
        QVERIFY(r0.adapterDir.empty());
    }

    void nanStopsAndKeepsTheLastGoodCheckpoint() {
        // lr 1e37: the first update moves A and B by ~1e37, so the second forward overflows to inf/NaN.
        // (1e38 would already fail in torch itself: lr / (1 - beta1) does not fit a float.)
        const std::string dir = testsupport::makeTempDir("train-nan");
        auto c = demoProject(dir + "/out");
        c.training.lr = 1e37;
        c.training.warmupSteps = 0;
        c.training.warmupRatio = 0;
        c.training.schedule = LrSchedule::Constant;
        c.training.saveEvery = 1;
        Recorder rec;
        TrainControl control;
        auto r = runTraining(c, control, rec);
        QCOMPARE(r.outcome, TrainOutcome::Diverged);
        QCOMPARE(r.step, int64_t(1));
        QVERIFY2(r.message.find("step 2") != std::string::npos, r.message.c_str());
        QVERIFY(r.message.find("NaN") != std::string::npos || r.message.find("infinite") != std::string::npos);
        QCOMPARE(r.lastCheckpoint, dir + "/out/checkpoints/step-1");
        QCOMPARE(checkpointSteps(dir + "/out"), (std::vector<int64_t>{1}));  // nothing for the poisoned step
        QVERIFY(!fs::exists(dir + "/out/adapter"));                         // no adapter exported
        QCOMPARE(int(rec.steps.size()), 1);
        QVERIFY(rec.logs.back().level == LogLevel::Error);
        for (const auto& j : readJsonLines(dir + "/out/metrics.jsonl")) QVERIFY(j.at("step").get<int64_t>() <= 1);
    }

    void checkpointContentsAndPruning() {
        const std::string dir = testsupport::makeTempDir("train-ckpt");
        auto c = demoProject(dir + "/out");
        c.training.maxSteps = 4;
        c.training.saveEvery = 1;
        c.training.evalEvery = 0;
        c.training.saveTotalLimit = 2; // the project's keys drive pruning and analysis
        c.training.analysisEvery = 2;
        Recorder rec;
        TrainControl control;
        auto r = runTraining(c, control, rec);
        QCOMPARE(int(rec.checkpoints.size()), 4);
        QCOMPARE(checkpointSteps(dir + "/out"), (std::vector<int64_t>{3, 4}));
        QCOMPARE(r.lastCheckpoint, dir + "/out/checkpoints/step-4");
        const std::string ck = r.lastCheckpoint;
        for (const char* f : {"adapter_model.safetensors", "adapter_config.json", "optimizer.safetensors",
                              "rng.safetensors", "trainer_state.json", "project.yaml"})
            QVERIFY2(fs::exists(ck + "/" + f), f);
        for (const auto& e : fs::directory_iterator(dir + "/out/checkpoints"))
            QVERIFY2(e.path().filename().string().rfind("step-", 0) == 0, e.path().c_str());  // no temporaries
        auto meta = readCheckpointMeta(ck);
        QCOMPARE(meta.state.step, int64_t(4));
        QCOMPARE(meta.state.schedulerStep, int64_t(4));
        QCOMPARE(meta.state.totalSteps, int64_t(4));
        QCOMPARE(meta.state.lastLoss, rec.steps.back().loss);
        QCOMPARE(meta.project.baseModel, fs::absolute(demoModel()).lexically_normal().string());
        QCOMPARE(meta.rng.size(), std::size_t(1));
        QCOMPARE(meta.rng[0].first, std::string("cpu"));
        auto opt = readAll(ck + "/optimizer.safetensors");
        auto adapter = readAll(ck + "/adapter_model.safetensors");
        QVERIFY(!adapter.empty());
        for (const auto& [name, t] : adapter) {
            QVERIFY2(name.rfind("base_model.model.", 0) == 0, name.c_str());
            QCOMPARE(opt.at(name + ".step").item<double>(), 4.0);
            QCOMPARE(opt.at(name + ".exp_avg").sizes(), t.sizes());
            QVERIFY(opt.at(name + ".exp_avg_sq").min().item<double>() >= 0);
        }
        // The exported adapter equals the last checkpoint's.
        QVERIFY(sameTensors(ck + "/adapter_model.safetensors", dir + "/out/adapter/adapter_model.safetensors"));
        // Analysis snapshots at 2 and 4: one spectrum per LoRA module, B no longer zero.
        QCOMPARE(int(rec.analyses.size()), 2);
        QCOMPARE(rec.analyses[1].step, int64_t(4));
        QCOMPARE(rec.analyses[1].report.modules.size(), adapter.size() / 2);
        QVERIFY(rec.analyses[1].report.modules[0].sigma[0] > 0);
        const auto& rel = rec.analyses[1].report.modules[0].relativeNorm;  // ||dW|| / ||W0||, small after 4 steps
        QVERIFY(rel && *rel > 0 && *rel < 1);
        int analysisLines = 0;
        for (const auto& j : readJsonLines(dir + "/out/metrics.jsonl")) analysisLines += j.at("type") == "analysis";
        QCOMPARE(analysisLines, 2);
        // A new run in the same output folder starts clean at the top, and the earlier run is kept
        // whole under runs/<name>: its checkpoints, its adapter and its metrics, byte for byte.
        const std::string firstMetrics = testsupport::readFile(dir + "/out/metrics.jsonl");
        const auto firstSteps = checkpointSteps(dir + "/out");
        Recorder again;
        auto c2 = c;
        c2.training.maxSteps = 1;
        runTraining(c2, control, again);
        QCOMPARE(checkpointSteps(dir + "/out"), (std::vector<int64_t>{1}));
        QVERIFY(again.logged("earlier run"));
        const auto runs = listRuns(dir + "/out");
        QCOMPARE(int(runs.size()), 2);
        QCOMPARE(runs[0].name, std::string());  // the newest, at the top
        QVERIFY(runs[1].name.rfind("run-", 0) == 0);
        QCOMPARE(checkpointSteps(runs[1].path), firstSteps);
        QVERIFY(runs[1].hasAdapter);
        QCOMPARE(testsupport::readFile(runs[1].path + "/metrics.jsonl"), firstMetrics);
        // Resuming the earlier run, with a project asking for one step more, continues it in its
        // own folder: the newest run at the top is not touched.
        const std::string newestMetrics = testsupport::readFile(dir + "/out/metrics.jsonl");
        auto more = c;
        more.training.maxSteps = int(firstSteps.back()) + 1;
        Recorder resumed;
        QCOMPARE(resumeTraining(runs[1].path + "/checkpoints/step-" + std::to_string(firstSteps.back()), more, control, resumed).outcome,
                 TrainOutcome::Completed);
        QCOMPARE(checkpointSteps(runs[1].path).back(), firstSteps.back() + 1);
        QCOMPARE(testsupport::readFile(dir + "/out/metrics.jsonl"), newestMetrics);
        QCOMPARE(checkpointSteps(dir + "/out"), (std::vector<int64_t>{1}));
        // A third run keeps both earlier ones, each in its own folder.
        runTraining(c2, control, again);
        QCOMPARE(int(listRuns(dir + "/out").size()), 3);
        // Deleting is explicit, and only of an archived run.
        QVERIFY(testsupport::errorOf([&] { deleteRun(dir + "/out", "../out"); }).find("not the name") != std::string::npos);
        QVERIFY(!testsupport::errorOf([&] { deleteRun(dir + "/out", "no-such-run"); }).empty());
        deleteRun(dir + "/out", runs[1].name);
        QCOMPARE(int(listRuns(dir + "/out").size()), 2);
        QVERIFY(!std::filesystem::exists(runs[1].path));
    }

    // The CLI's --keep-checkpoints / --analysis-every win over the project; 0 keeps every checkpoint.
    void optionsOverrideTheProject() {
        const std::string dir = testsupport::makeTempDir("train-override");
        auto c = demoProject(dir + "/out");
        c.training.maxSteps = 3;
        c.training.saveEvery = 1;
        c.training.evalEvery = 0;
        c.training.saveTotalLimit = 1;
        c.training.analysisEvery = 1;
        TrainerOptions options;
        options.keepCheckpoints = 0;
        options.analysisEvery = 0;
        Recorder rec;
        TrainControl control;
        QCOMPARE(runTraining(c, control, rec, options).outcome, TrainOutcome::Completed);
        QCOMPARE(checkpointSteps(dir + "/out"), (std::vector<int64_t>{1, 2, 3}));
        QVERIFY(rec.analyses.empty());
    }

    void bf16OnCpuTrains() {
        const std::string dir = testsupport::makeTempDir("train-bf16");
        auto c = demoProject(dir + "/out");
        c.training.precision = Precision::Bf16;
        c.training.maxSteps = 2;
        c.training.evalEvery = 2;
        Recorder rec;
        TrainControl control;
        auto r = runTraining(c, control, rec);
        QCOMPARE(r.outcome, TrainOutcome::Completed);
        QVERIFY(std::isfinite(rec.steps.back().loss) && rec.steps.back().loss > 0);
        // The adapter stays fp32 (master weights).
        auto adapter = readAll(dir + "/out/adapter/adapter_model.safetensors");
        QCOMPARE(adapter.begin()->second.scalar_type(), at::kFloat);
    }

    void errorsNameTheProblem() {
        const std::string dir = testsupport::makeTempDir("train-err");
        TrainControl control;
        Recorder rec;
        auto c = demoProject(dir + "/out");
        c.training.device = "cuda";
        QVERIFY(errorOf([&] { runTraining(c, control, rec); }).find("training.device") != std::string::npos);
        c.training.device = "cpu";
        c.training.precision = Precision::Fp16;
        QVERIFY(errorOf([&] { runTraining(c, control, rec); }).find("bf16") != std::string::npos);
        c.training.precision = Precision::Fp32;
        c.baseModel = dir + "/nowhere";
        QVERIFY(errorOf([&] { runTraining(c, control, rec); }).find("nowhere") != std::string::npos);
        QVERIFY(errorOf([&] { resumeTraining(dir + "/missing", control, rec); }).find("missing") != std::string::npos);
        // A checkpoint of another LoRA shape does not load into this one.
        auto a = demoProject(dir + "/r4");
        a.training.maxSteps = 1;
        runTraining(a, control, rec);
        auto b = a;
        b.lora.r = 8;
        const auto msg = errorOf([&] { resumeTraining(dir + "/r4/checkpoints/step-1", b, control, rec); });
        QVERIFY2(msg.find("shape") != std::string::npos, msg.c_str());
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "test_trainer.moc"

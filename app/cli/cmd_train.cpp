// `lorastudio-cli train project.yaml` and `lorastudio-cli resume CHECKPOINT_DIR`: run core's trainer
// with a progress bar (plain lines when stdout is not a terminal). Ctrl-C stops at the next step
// boundary and writes a checkpoint; exit status 0 when completed or stopped, 1 on error or divergence.
// --detached keeps background.json in the run folder current and obeys background-control there
// (the studio's background runs; see core/train/background_run.h). Data parallel: under torchrun /
// srun this process is one rank of the job; --nproc-per-node N starts N local ranks itself.
#include "cli_commands.h"
#include "detached_run.h"
#include "local_job.h"
#include "common/error.h"
#include "common/os_process.h"
#include "project/project_file.h"
#include "train/background_run.h"
#include "train/train_checkpoint.h"
#include "train/train_session.h"
#include "train_progress.h"

#include <functional>
#include <iostream>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string path;
    std::string project;   // resume: an edited project (e.g. more steps)
    std::string outputDir;
    int maxSteps = -1;
    int keepCheckpoints = -1; // -1: not given, the project's training.save_total_limit applies
    int analysisEvery = -1;   // -1: not given, the project's training.analysis_every applies
    int threads = -1;         // -1: not given, the project's training.threads applies
    int nprocPerNode = 1;     // > 1: start that many local ranks of a data-parallel job
    bool plain = false;
    bool detached = false;
};

ProjectConfig loadWithWarnings(const std::string& path) {
    std::vector<Warning> warnings;
    ProjectConfig config = loadProject(path, &warnings);
    for (const auto& w : warnings) std::cerr << "warning: " << w.text() << "\n";
    return config;
}

void finish(TrainProgress& progress, const TrainResult& result) {
    progress.finish(result);
    if (result.outcome == TrainOutcome::Diverged)
        throw Error("training diverged", result.message, "lower training.lr or raise max_grad_norm clipping; the last good checkpoint is kept");
}

TrainerOptions trainerOptions(const Options& o) {
    TrainerOptions t;
    if (o.keepCheckpoints >= 0) t.keepCheckpoints = o.keepCheckpoints;
    if (o.analysisEvery >= 0) t.analysisEvery = o.analysisEvery;
    if (o.threads >= 0) t.threads = o.threads;
    return t;
}

using RunFn = std::function<TrainResult(TrainControl&, TrainObserver&, const TrainerOptions&)>;

// Runs `run` with the progress printer, and with --detached also the background status of runDir.
// A rank of a data-parallel job (rank > 0) prints its warnings and errors only; rank 0 speaks for
// the job.
void runWithProgress(const Options& o, const std::string& runDir, const TrainingSettings& training, const RunFn& runFn) {
    TrainerOptions options = trainerOptions(o);
    const int rank = joinJobFromEnvironment(training, options);
    auto run = [&](TrainControl& control, TrainObserver& observer) { return runFn(control, observer, options); };
    TrainControl control;
    stopOnInterrupt(control);
    if (rank > 0) {
        RankLog log(rank);
        const TrainResult result = run(control, log);
        if (result.outcome == TrainOutcome::Diverged) throw Error("training diverged", result.message);
        return;
    }
    TrainProgress progress(!o.plain && stdoutIsTerminal());
    if (!o.detached) {
        finish(progress, run(control, progress));
        return;
    }
    DetachedRun detached(runDir, control, progress);
    TrainResult result;
    try {
        result = run(control, detached);
    } catch (const std::exception& e) {
        detached.fail(e.what());
        throw;
    }
    detached.finish(result);
    finish(progress, result);
}

void train(const Options& o) {
    if (o.nprocPerNode > 1) return runLocalJob(o.nprocPerNode);
    ProjectConfig config = loadWithWarnings(o.path);
    if (o.maxSteps >= 0) config.training.maxSteps = o.maxSteps;
    if (!o.outputDir.empty()) config.outputDir = o.outputDir;
    runWithProgress(o, resolvedOutputDir(config), config.training,
                    [&](TrainControl& control, TrainObserver& observer, const TrainerOptions& options) {
                        return runTraining(config, control, observer, options);
                    });
}

void resume(const Options& o) {
    if (o.nprocPerNode > 1) return runLocalJob(o.nprocPerNode);
    const std::string runDir = runFolderOfCheckpoint(o.path);
    if (o.project.empty() && o.maxSteps < 0) {
        runWithProgress(o, runDir, readCheckpointMeta(o.path).project.training,
                        [&](TrainControl& control, TrainObserver& observer, const TrainerOptions& options) {
                            return resumeTraining(o.path, control, observer, options);
                        });
        return;
    }
    ProjectConfig config = o.project.empty() ? readCheckpointMeta(o.path).project : loadWithWarnings(o.project);
    if (o.maxSteps >= 0) config.training.maxSteps = o.maxSteps;
    runWithProgress(o, runDir, config.training,
                    [&](TrainControl& control, TrainObserver& observer, const TrainerOptions& options) {
                        return resumeTraining(o.path, config, control, observer, options);
                    });
}

void addCommonOptions(CLI::App* cmd, Options& o) {
    cmd->add_option("--max-steps", o.maxSteps, "Override training.max_steps");
    cmd->add_option("--keep-checkpoints", o.keepCheckpoints,
                    "Newest checkpoints kept, 0 = all (overrides training.save_total_limit)")
        ->check(CLI::Range(0, 1000000));
    cmd->add_option("--analysis-every", o.analysisEvery,
                    "Steps between ΔW analysis snapshots, 0 = never (overrides training.analysis_every)")
        ->check(CLI::Range(0, 1000000));
    cmd->add_option("--threads", o.threads,
                    "CPU compute threads, 0 = auto: OMP_NUM_THREADS, else every physical core (overrides training.threads)")
        ->check(CLI::Range(0, 4096));
    cmd->add_option("--nproc-per-node", o.nprocPerNode,
                    "Start N ranks of a data-parallel job on this machine (as torchrun --standalone does); "
                    "each takes batch_size examples per step, so the global batch is N x batch_size x accumulation")
        ->check(CLI::Range(1, 1024));
    cmd->add_flag("--plain", o.plain, "Plain lines instead of a progress bar");
    cmd->add_flag("--detached", o.detached,
                  "Keep background.json in the run folder current and obey background-control there "
                  "(pause / run / stop): a run the studio can re-attach to");
}

} // namespace

void addTrainCommands(CLI::App& app) {
    auto t = std::make_shared<Options>();
    CLI::App* train = app.add_subcommand("train", "Train a LoRA adapter as project.yaml describes");
    train->add_option("PROJECT", t->path, "project.yaml")->required();
    train->add_option("--output", t->outputDir, "Override output_dir");
    addCommonOptions(train, *t);
    train->callback([t] { ::lorastudio::cli::train(*t); });

    auto r = std::make_shared<Options>();
    CLI::App* res = app.add_subcommand("resume", "Continue training from a checkpoint folder (output/checkpoints/step-N)");
    res->add_option("CHECKPOINT_DIR", r->path, "Checkpoint folder")->required();
    res->add_option("--project", r->project, "A project to continue with (same model, LoRA shapes and data)");
    addCommonOptions(res, *r);
    res->callback([r] { ::lorastudio::cli::resume(*r); });
}

} // namespace lorastudio::cli

// `lorastudio-cli launch-scripts PROJECT [--nodes N] [--nproc-per-node R] ...`: writes the torchrun
// script and the Slurm batch file of a data-parallel job beside the project (what the studio's
// "Run on several GPUs / machines" writes), and prints how to start them.
#include "cli_commands.h"
#include "dist/launch_scripts.h"
#include "project/project_file.h"

#include <filesystem>
#include <iostream>

namespace lorastudio::cli {
namespace {

std::string thisProgram() {
#ifndef _WIN32
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) return exe.string();
#endif
    return "lorastudio-cli";
}

} // namespace

void addLaunchScriptsCommand(CLI::App& app) {
    auto plan = std::make_shared<LaunchPlan>();
    auto gpus = std::make_shared<std::string>("auto");
    CLI::App* cmd = app.add_subcommand("launch-scripts",
                                       "Write a torchrun script and a Slurm batch file for a data-parallel job of a project");
    cmd->add_option("PROJECT", plan->projectPath, "project.yaml")->required()->check(CLI::ExistingFile);
    cmd->add_option("--nodes", plan->nodes, "Machines")->check(CLI::Range(1, 4096));
    cmd->add_option("--nproc-per-node", plan->ranksPerNode, "Ranks per machine (one GPU each on CUDA)")->check(CLI::Range(1, 1024));
    cmd->add_option("--master-addr", plan->masterAddr, "torchrun: the machine of node rank 0 (Slurm finds it itself)");
    cmd->add_option("--master-port", plan->masterPort, "Rendezvous port")->check(CLI::Range(1, 65535));
    cmd->add_option("--cpus-per-rank", plan->cpusPerRank, "Slurm --cpus-per-task (0: not set)")->check(CLI::Range(0, 4096));
    cmd->add_option("--gpus", *gpus, "Ask Slurm for one GPU per rank: yes, no, or auto (the project's device is CUDA)")
        ->check(CLI::IsMember({"auto", "yes", "no"}));
    cmd->add_option("--cli", plan->cliPath, "The lorastudio-cli the scripts run (default: this one)");
    cmd->callback([plan, gpus] {
        LaunchPlan p = *plan;
        p.projectPath = std::filesystem::absolute(p.projectPath).lexically_normal().string();
        if (p.cliPath == "lorastudio-cli") p.cliPath = thisProgram();
        const ProjectConfig project = loadProject(p.projectPath);
        p.gpus = *gpus == "yes" || (*gpus == "auto" && project.training.device.rfind("cuda", 0) == 0);
        const LaunchScriptPaths paths = writeLaunchScripts(p);
        std::cout << "torchrun script: " << paths.torchrun << "\n"
                  << "  run it on each of the " << p.nodes << " machine(s): NODE_RANK=<0.." << p.nodes - 1
                  << "> bash " << paths.torchrun << "\n"
                  << "Slurm batch file: " << paths.sbatch << "\n"
                  << "  submit it: sbatch " << paths.sbatch << "\n"
                  << p.worldSize() << " ranks; global batch " << project.training.batchSize << " x "
                  << project.training.gradientAccumulation << " x " << p.worldSize() << " = "
                  << int64_t(project.training.batchSize) * project.training.gradientAccumulation * p.worldSize()
                  << " examples per optimizer step\n";
    });
}

} // namespace lorastudio::cli

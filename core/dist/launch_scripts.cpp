// See launch_scripts.h.
#include "dist/launch_scripts.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace lorastudio {

std::string shellQuote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

void validateLaunchPlan(const LaunchPlan& p) {
    if (p.projectPath.empty()) throw Error("launch script", "the project has no file yet", "save the project first");
    if (p.nodes < 1 || p.nodes > 4096) throw Error("launch script", "machines must be 1 to 4096, got " + std::to_string(p.nodes));
    if (p.ranksPerNode < 1 || p.ranksPerNode > 1024)
        throw Error("launch script", "ranks per machine must be 1 to 1024, got " + std::to_string(p.ranksPerNode));
    if (p.masterPort < 1 || p.masterPort > 65535)
        throw Error("launch script", "port must be 1 to 65535, got " + std::to_string(p.masterPort));
    if (p.masterAddr.empty() || p.masterAddr.find_first_of(" \t\n'\"$`\\") != std::string::npos)
        throw Error("launch script", "'" + p.masterAddr + "' is not a host name or address",
                    "the name or address of the machine of node rank 0, e.g. 10.0.0.5");
}

std::string torchrunScript(const LaunchPlan& p) {
    validateLaunchPlan(p);
    const std::string project = fs::path(p.projectPath).filename().string();
    std::ostringstream s;
    s << "#!/usr/bin/env bash\n"
      << "# Data-parallel LoRA training of " << project << " with torchrun: " << p.nodes << " machine(s) x "
      << p.ranksPerNode << " rank(s) = " << p.worldSize() << " ranks.\n"
      << "# Written by LoRA Studio; edit freely. Each machine runs this script with its own NODE_RANK\n"
      << "# (0 on the machine at MASTER_ADDR, which the others reach on MASTER_PORT). Each rank takes\n"
      << "# batch_size examples per step: the global batch is batch_size x gradient_accumulation x "
      << p.worldSize() << ".\n"
      << "# --redirects/--tee 1: Debian 12's torchrun (PyTorch 1.13 on Python 3.11) fails with their\n"
      << "# default 0; any torchrun accepts 1 (each rank's output also goes to a log folder).\n"
      << "set -euo pipefail\n"
      << "NODE_RANK=\"${NODE_RANK:-0}\"\n"
      << "MASTER_ADDR=\"${MASTER_ADDR:-" << p.masterAddr << "}\"\n"
      << "MASTER_PORT=\"${MASTER_PORT:-" << p.masterPort << "}\"\n"
      << "exec torchrun --nnodes " << p.nodes << " --nproc_per_node " << p.ranksPerNode
      << " --node_rank \"$NODE_RANK\" \\\n"
      << "  --master_addr \"$MASTER_ADDR\" --master_port \"$MASTER_PORT\" --redirects 1 --tee 1 \\\n"
      << "  --no_python " << shellQuote(p.cliPath) << " train " << shellQuote(p.projectPath) << " --plain \"$@\"\n";
    return s.str();
}

std::string sbatchScript(const LaunchPlan& p) {
    validateLaunchPlan(p);
    const std::string stem = fs::path(p.projectPath).stem().string();
    std::ostringstream s;
    s << "#!/usr/bin/env bash\n"
      << "#SBATCH --job-name=lorastudio-" << stem << "\n"
      << "#SBATCH --nodes=" << p.nodes << "\n"
      << "#SBATCH --ntasks-per-node=" << p.ranksPerNode << "\n";
    if (p.gpus) s << "#SBATCH --gpus-per-node=" << p.ranksPerNode << "\n";
    if (p.cpusPerRank > 0) s << "#SBATCH --cpus-per-task=" << p.cpusPerRank << "\n";
    s << "#SBATCH --output=lorastudio-" << stem << "-%j.log\n"
      << "# Data-parallel LoRA training of " << fs::path(p.projectPath).filename().string() << ": " << p.worldSize()
      << " ranks, one Slurm task each (submit with: sbatch " << stem << ".sbatch).\n"
      << "# Written by LoRA Studio; edit freely. lorastudio-cli reads SLURM_PROCID, SLURM_NTASKS and\n"
      << "# SLURM_LOCALID, and the ranks meet at the job's first node. The global batch is\n"
      << "# batch_size x gradient_accumulation x " << p.worldSize() << ".\n"
      << "set -euo pipefail\n"
      << "export MASTER_ADDR=\"$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\"\n"
      << "export MASTER_PORT=\"${MASTER_PORT:-" << p.masterPort << "}\"\n"
      << "srun --kill-on-bad-exit=1 " << shellQuote(p.cliPath) << " train " << shellQuote(p.projectPath) << " --plain\n";
    return s.str();
}

LaunchScriptPaths launchScriptPaths(const std::string& projectPath) {
    const fs::path project(projectPath);
    const fs::path dir = project.parent_path();
    const std::string stem = project.stem().string();
    return {(dir / (stem + "-torchrun.sh")).string(), (dir / (stem + ".sbatch")).string()};
}

LaunchScriptPaths writeLaunchScripts(const LaunchPlan& plan) {
    const LaunchScriptPaths paths = launchScriptPaths(plan.projectPath);
    writeFileAtomic(paths.torchrun, torchrunScript(plan));
    writeFileAtomic(paths.sbatch, sbatchScript(plan));
    std::error_code ec;
    const auto exec = fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
    fs::permissions(paths.torchrun, exec, fs::perm_options::add, ec);
    fs::permissions(paths.sbatch, exec, fs::perm_options::add, ec);
    return paths;
}

} // namespace lorastudio

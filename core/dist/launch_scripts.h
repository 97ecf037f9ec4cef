// Launch scripts for a data-parallel job of a project: a torchrun script (each machine runs it with
// its NODE_RANK) and a Slurm batch file (srun starts one task per rank; lorastudio-cli reads
// Slurm's variables). Written beside the project by the studio's "Run on several GPUs / machines".
#pragma once
#include <string>

namespace lorastudio {

struct LaunchPlan {
    std::string projectPath;            // the project file (absolute)
    std::string cliPath = "lorastudio-cli";  // the CLI to run (absolute, or a name on PATH)
    int nodes = 1;                      // machines
    int ranksPerNode = 2;               // ranks (processes) per machine; one GPU each when gpus
    std::string masterAddr = "127.0.0.1";  // torchrun: the machine of node rank 0
    int masterPort = 29500;
    bool gpus = false;                  // CUDA training: Slurm asks for ranksPerNode GPUs per node
    int cpusPerRank = 0;                // Slurm --cpus-per-task (0: not set)

    int worldSize() const { return nodes * ranksPerNode; }
};

// Error naming the field for a plan no launcher can run (no project, counts or port out of range,
// an address with spaces or quotes).
void validateLaunchPlan(const LaunchPlan& plan);

std::string torchrunScript(const LaunchPlan& plan);
std::string sbatchScript(const LaunchPlan& plan);

struct LaunchScriptPaths {
    std::string torchrun;  // <project stem>-torchrun.sh
    std::string sbatch;    // <project stem>.sbatch
};
// Where writeLaunchScripts puts them: beside the project.
LaunchScriptPaths launchScriptPaths(const std::string& projectPath);
// Writes both (atomically; the torchrun script executable) and returns their paths.
LaunchScriptPaths writeLaunchScripts(const LaunchPlan& plan);

// `text` quoted for a POSIX shell: 'as is', with each ' written as '\''.
std::string shellQuote(const std::string& text);

} // namespace lorastudio

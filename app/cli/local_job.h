// `--nproc-per-node N`: lorastudio-cli starts N copies of itself as the ranks of a data-parallel
// job on this machine, the way torchrun's standalone mode does (RANK, WORLD_SIZE, LOCAL_RANK,
// LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1, MASTER_PORT = a free port), and joining a job whose
// environment a launcher (torchrun, srun) set. POSIX only; elsewhere the launcher says to use torchrun.
#pragma once
#include "train/train_types.h"

#include <memory>
#include <string>
#include <vector>

namespace lorastudio {
struct TrainingSettings;
}

namespace lorastudio::cli {

// The command line as main() received it (argv[0] first), kept for the launcher.
void setProgramArguments(int argc, char** argv);

// Starts nproc ranks of this program with the same arguments minus --nproc-per-node, forwards
// Ctrl-C / SIGTERM to them and waits. When a rank fails (non-zero exit or a signal) the others are
// ended and the returned error names the rank, its pid and how it ended. Returns when all
// completed; throws lorastudio::Error otherwise.
void runLocalJob(int nproc);

// When this process is a rank of a job (torchrun's WORLD_SIZE set, or Slurm's SLURM_NTASKS under
// srun) with more than one rank: joins it (rendezvous with the others) and fills options
// (collective, localWorldSize). Returns the rank, or -1 when there is no job.
int joinJobFromEnvironment(const TrainingSettings& training, TrainerOptions& options);

// The observer a rank other than 0 uses: warnings and errors only, each prefixed "[rank N]"
// (rank 0 prints the job's progress).
class RankLog : public TrainObserver {
public:
    explicit RankLog(int rank) : m_rank(rank) {}
    void onLog(const LogLine& line) override;

private:
    int m_rank;
};

} // namespace lorastudio::cli

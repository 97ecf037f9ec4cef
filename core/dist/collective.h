// Data-parallel plumbing on LibTorch's own c10d: the torchrun environment (RANK, WORLD_SIZE,
// LOCAL_RANK, MASTER_ADDR, MASTER_PORT), a TCPStore rendezvous and a process group (Gloo on the
// CPU; NCCL on CUDA where the LibTorch build has it), and the collectives LoRA data parallelism
// needs: all-reduce of flat gradient buffers (started now, awaited later: gradient_sync.h overlaps
// them with backward), sums of a few numbers and broadcast from rank 0. Every collective has a timeout, so a rank that
// died ends the others with a message naming the operation, not a hang. No transport of our own.
#pragma once
#include <ATen/core/Tensor.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

struct DistributedEnv {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    int localWorldSize = 1;  // LOCAL_WORLD_SIZE: ranks on this machine (torchrun sets it)
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    // From torchrun's variables (WORLD_SIZE, RANK, LOCAL_RANK, LOCAL_WORLD_SIZE), else Slurm's under
    // srun (SLURM_NTASKS, SLURM_PROCID, SLURM_LOCALID, SLURM_TASKS_PER_NODE), with MASTER_ADDR and
    // MASTER_PORT; nullopt when neither is set. Error naming the variable for a value that is not a
    // number or out of range (RANK >= WORLD_SIZE, a port outside 1..65535).
    static std::optional<DistributedEnv> fromEnvironment();
};

// A collective started and not awaited yet.
class PendingCollective {
public:
    virtual ~PendingCollective() = default;
    // Blocks until it completed; Error naming the operation and the rank when it did not within
    // the job's timeout (another rank died or stopped).
    virtual void wait() = 0;
};

// Gloo: host buffers, any device's tensors cross through host memory. NCCL: CUDA buffers on the
// rank's GPU (cuda:LOCAL_RANK), GPU to GPU.
enum class CollectiveBackend { Gloo, Nccl };

class Collective {
public:
    // Joins the job: rank 0 serves the TCPStore at masterAddr:masterPort, every rank connects and
    // waits (up to `timeout`) for all worldSize ranks. Error naming the address and the hint; for
    // NCCL in a build without it, an error saying so.
    static std::unique_ptr<Collective> connect(const DistributedEnv& env, std::chrono::milliseconds timeout,
                                               CollectiveBackend backend = CollectiveBackend::Gloo);
    // Whether this build has c10d's NCCL process group (a LibTorch built with CUDA and NCCL).
    static bool ncclBuiltIn();
    ~Collective();

    int rank() const { return m_env.rank; }
    int worldSize() const { return m_env.worldSize; }
    CollectiveBackend backend() const { return m_backend; }
    // Whether buffers are reduced where they live (NCCL) rather than in host memory (Gloo).
    bool reducesOnDevice() const { return m_backend == CollectiveBackend::Nccl; }

    // Starts summing `flat` (contiguous fp32; on the host for Gloo, on the rank's GPU for NCCL)
    // over all ranks, in place. Collectives pair up across ranks in the order they start.
    std::unique_ptr<PendingCollective> startAllReduceSum(const at::Tensor& flat, const char* what);

    // In place: each tensor becomes the mean of that tensor over all ranks, in one collective over
    // one flat fp32 buffer (many small LoRA gradients cross as one message). Floating tensors on
    // the CPU or a GPU (Gloo: a GPU's buffer crosses through host memory).
    void allReduceMean(const std::vector<at::Tensor>& tensors);
    // Sums of a few numbers over all ranks (counts, flags, loss sums): one collective, fp64.
    std::vector<double> sum(const std::vector<double>& values, const char* what);
    // In place: rank root's values on every rank.
    void broadcast(const std::vector<at::Tensor>& tensors, int root = 0);
    void barrier();

private:
    struct Impl;
    Collective(const DistributedEnv& env, CollectiveBackend backend, std::unique_ptr<Impl> impl);
    DistributedEnv m_env;
    CollectiveBackend m_backend;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lorastudio

// Data-parallel plumbing on LibTorch's own c10d (issue 13, first part): the torchrun environment
// (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), a TCPStore rendezvous and a process
// group (Gloo on the CPU), and the collectives LoRA data parallelism needs: averaging all-reduce of
// flat gradient buffers and broadcast from rank 0. Every collective has a timeout, so a rank that
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
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    // From torchrun's variables; nullopt when WORLD_SIZE is unset. Error naming the variable for a
    // value that is not a number or out of range (RANK >= WORLD_SIZE, a port outside 1..65535).
    static std::optional<DistributedEnv> fromEnvironment();
};

class Collective {
public:
    // Joins the job: rank 0 serves the TCPStore at masterAddr:masterPort, every rank connects and
    // waits (up to `timeout`) for all worldSize ranks. Error naming the address and the hint.
    static std::unique_ptr<Collective> connect(const DistributedEnv& env, std::chrono::milliseconds timeout);
    ~Collective();

    int rank() const { return m_env.rank; }
    int worldSize() const { return m_env.worldSize; }

    // In place: each tensor becomes the mean of that tensor over all ranks (one flat buffer per
    // dtype, so one collective for many small LoRA gradients). CPU float tensors.
    void allReduceMean(const std::vector<at::Tensor>& tensors);
    // In place: rank root's values on every rank.
    void broadcast(const std::vector<at::Tensor>& tensors, int root = 0);
    void barrier();

private:
    struct Impl;
    explicit Collective(const DistributedEnv& env, std::unique_ptr<Impl> impl);
    DistributedEnv m_env;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lorastudio

// See collective.h. Built against c10d's Gloo process group where Gloo's headers were found at
// configure time (LORASTUDIO_HAVE_GLOO; without them connect() says so), and its NCCL process group
// where the LibTorch build has CUDA and NCCL's header was found (LORASTUDIO_HAVE_NCCL).
#include "dist/collective.h"

#include "dist/backends.h"

#include "common/error.h"

#include <ATen/ATen.h>
#if LORASTUDIO_HAVE_GLOO
#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if LORASTUDIO_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif
#ifndef LORASTUDIO_HAVE_NCCL
#define LORASTUDIO_HAVE_NCCL 0
#endif

#include <algorithm>
#include <cstdlib>
#include <type_traits>

namespace lorastudio {
namespace {

int envInt(const char* name, int fallback, int lo, int hi) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (*end != '\0' || n < lo || n > hi)
        throw Error(std::string("environment variable ") + name, std::string("'") + v + "' is not a number from " +
                                                                    std::to_string(lo) + " to " + std::to_string(hi),
                    "torchrun sets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT");
    return static_cast<int>(n);
}

} // namespace

// The leading number of a Slurm count such as "2(x3)" (SLURM_TASKS_PER_NODE), else fallback.
static int leadingInt(const char* v, int fallback) {
    if (!v || *v < '0' || *v > '9') return fallback;
    return static_cast<int>(std::strtol(v, nullptr, 10));
}

std::optional<DistributedEnv> DistributedEnv::fromEnvironment() {
    DistributedEnv e;
    if (std::getenv("WORLD_SIZE")) {  // torchrun, or any launcher that sets its variables
        e.worldSize = envInt("WORLD_SIZE", 1, 1, 1 << 20);
        e.rank = envInt("RANK", 0, 0, e.worldSize - 1);
        e.localRank = envInt("LOCAL_RANK", 0, 0, e.worldSize - 1);
        e.localWorldSize = envInt("LOCAL_WORLD_SIZE", 1, 1, e.worldSize);
    } else if (std::getenv("SLURM_NTASKS") && std::getenv("SLURM_PROCID")) {  // srun, one task per rank
        e.worldSize = envInt("SLURM_NTASKS", 1, 1, 1 << 20);
        e.rank = envInt("SLURM_PROCID", 0, 0, e.worldSize - 1);
        e.localRank = envInt("SLURM_LOCALID", 0, 0, e.worldSize - 1);
        e.localWorldSize = std::max(1, std::min(e.worldSize, leadingInt(std::getenv("SLURM_TASKS_PER_NODE"), 1)));
    } else {
        return std::nullopt;
    }
    if (const char* a = std::getenv("MASTER_ADDR"); a && *a) e.masterAddr = a;
    e.masterPort = envInt("MASTER_PORT", 29500, 1, 65535);
    return e;
}

#if LORASTUDIO_HAVE_GLOO

// c10d's process groups derive from ProcessGroup up to LibTorch 1.13 and from Backend since 2.0:
// whichever base Gloo has, NCCL has too.
using GroupBase = std::conditional_t<std::is_base_of<c10d::Backend, c10d::ProcessGroupGloo>::value, c10d::Backend,
                                     c10d::ProcessGroup>;

struct Collective::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<GroupBase> group;
    std::chrono::milliseconds timeout{0};
    at::Device device = at::Device(at::kCPU);  // where the group's buffers live
};

namespace {

// LibTorch's message without its C++ backtrace.
std::string messageOf(const std::exception& e) {
    if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
    return e.what();
}

// LibTorch >= 2.4 asks for a libuv TCPStore by default, which Debian's 2.6 is built without; the
// classic server is what every version has. (Overloads: the field exists only from 2.2.)
template <typename Options>
auto classicStore(Options& o, int) -> decltype(o.useLibUV = false, void()) { o.useLibUV = false; }
template <typename Options>
void classicStore(Options&, long) {}

// A collective's wait, with what failed and what it means.
void finish(const c10::intrusive_ptr<c10d::Work>& work, const char* what, std::chrono::milliseconds timeout, int rank) {
    try {
        work->wait(timeout);
    } catch (const std::exception& e) {
        throw Error("data-parallel " + std::string(what) + " on rank " + std::to_string(rank),
                    "did not complete: " + messageOf(e),
                    "another rank stopped or died; its own log names the cause. The job ends here, nothing half-written");
    }
}

class PendingWork : public PendingCollective {
public:
    PendingWork(c10::intrusive_ptr<c10d::Work> work, std::vector<at::Tensor> buffers, const char* what,
                std::chrono::milliseconds timeout, int rank)
        : m_work(std::move(work)), m_buffers(std::move(buffers)), m_what(what), m_timeout(timeout), m_rank(rank) {}
    void wait() override { finish(m_work, m_what, m_timeout, m_rank); }

private:
    c10::intrusive_ptr<c10d::Work> m_work;
    std::vector<at::Tensor> m_buffers;  // kept alive until the collective ends
    const char* m_what;
    std::chrono::milliseconds m_timeout;
    int m_rank;
};

c10::intrusive_ptr<c10d::Store> connectStore(const DistributedEnv& env, std::chrono::milliseconds timeout) {
    // Under torchrun the agent already serves a store at MASTER_ADDR:MASTER_PORT and says so
    // (TORCHELASTIC_USE_AGENT_STORE=True): every rank is its client, our keys under the restart
    // attempt's prefix, as PyTorch's own env:// rendezvous does. Else rank 0 serves.
    const char* agent = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
    const bool agentStore = agent && std::string(agent) == "True";
    c10d::TCPStoreOptions o;
    o.port = static_cast<std::uint16_t>(env.masterPort);
    o.isServer = env.rank == 0 && !agentStore;
    o.numWorkers = static_cast<std::size_t>(env.worldSize);
    o.waitWorkers = !agentStore;
    o.timeout = timeout;
    classicStore(o, 0);
    c10::intrusive_ptr<c10d::Store> tcp = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, o);
    if (!agentStore) return tcp;
    const char* attempt = std::getenv("TORCHELASTIC_RESTART_COUNT");
    return c10::make_intrusive<c10d::PrefixStore>(std::string("/worker/attempt_") + (attempt ? attempt : "0") + "/lorastudio", tcp);
}

} // namespace

Collective::Collective(const DistributedEnv& env, CollectiveBackend backend, std::unique_ptr<Impl> impl)
    : m_env(env), m_backend(backend), m_impl(std::move(impl)) {}
Collective::~Collective() = default;

bool Collective::ncclBuiltIn() { return LORASTUDIO_HAVE_NCCL != 0; }
std::string dataParallelBackends() { return Collective::ncclBuiltIn() ? "Gloo, NCCL" : "Gloo (no NCCL in this LibTorch build)"; }

std::unique_ptr<Collective> Collective::connect(const DistributedEnv& env, std::chrono::milliseconds timeout,
                                                CollectiveBackend backend) {
    if (backend == CollectiveBackend::Nccl && !ncclBuiltIn())
        throw Error("training.distributed_backend", "nccl is not built into this LoRA Studio (its LibTorch has no NCCL process group)",
                    "use auto or gloo (CUDA gradients then cross through host memory; LoRA's are small), or build "
                    "against a CUDA LibTorch (a PyTorch 2.x install) with NCCL's nccl.h");
    auto impl = std::make_unique<Impl>();
    impl->timeout = timeout;
    const std::string where = "data-parallel rendezvous at " + env.masterAddr + ":" + std::to_string(env.masterPort);
    try {
        impl->store = connectStore(env, timeout);
#if LORASTUDIO_HAVE_NCCL
        if (backend == CollectiveBackend::Nccl) {
            impl->device = at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(env.localRank));
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = timeout;
            impl->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(impl->store, env.rank, env.worldSize, options);
        }
#endif
        if (!impl->group) {
            auto options = c10d::ProcessGroupGloo::Options::create(timeout);
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(env.masterAddr));
            impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, env.rank, env.worldSize, options);
        }
    } catch (const std::exception& e) {
        throw Error(where + " (rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize) + ")",
                    "failed: " + messageOf(e),
                    "start every rank with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE; the port must be free on rank 0");
    }
    return std::unique_ptr<Collective>(new Collective(env, backend, std::move(impl)));
}

std::unique_ptr<PendingCollective> Collective::startAllReduceSum(const at::Tensor& flat, const char* what) {
    std::vector<at::Tensor> one{flat};
    auto work = m_impl->group->allreduce(one);
    return std::make_unique<PendingWork>(std::move(work), std::move(one), what, m_impl->timeout, m_env.rank);
}

void Collective::allReduceMean(const std::vector<at::Tensor>& tensors) {
    if (tensors.empty() || m_env.worldSize == 1) return;
    std::vector<at::Tensor> parts;
    for (const auto& t : tensors) parts.push_back(t.reshape({-1}).to(m_impl->device, at::kFloat));
    const at::Tensor flat = at::cat(parts);
    startAllReduceSum(flat, "gradient all-reduce")->wait();
    flat.div_(static_cast<double>(m_env.worldSize));
    int64_t offset = 0;
    for (const auto& t : tensors) {
        const int64_t n = t.numel();
        t.copy_(flat.narrow(0, offset, n).view(t.sizes()));
        offset += n;
    }
}

std::vector<double> Collective::sum(const std::vector<double>& values, const char* what) {
    if (values.empty() || m_env.worldSize == 1) return values;
    std::vector<at::Tensor> one{at::tensor(values, at::kDouble).to(m_impl->device)};
    finish(m_impl->group->allreduce(one), what, m_impl->timeout, m_env.rank);
    const at::Tensor host = one[0].to(at::kCPU);
    const double* p = host.data_ptr<double>();
    return std::vector<double>(p, p + values.size());
}

void Collective::broadcast(const std::vector<at::Tensor>& tensors, int root) {
    if (tensors.empty() || m_env.worldSize == 1) return;
    for (const auto& t : tensors) {
        // Contiguous, where the group's buffers live (Gloo: host memory).
        const bool inPlace = t.device() == m_impl->device && t.is_contiguous();
        std::vector<at::Tensor> one{inPlace ? t : t.contiguous().to(m_impl->device)};
        c10d::BroadcastOptions o;
        o.rootRank = root;
        finish(m_impl->group->broadcast(one, o), "broadcast", m_impl->timeout, m_env.rank);
        if (!t.is_same(one[0])) t.copy_(one[0]);
    }
}

void Collective::barrier() {
    if (m_env.worldSize == 1) return;
    finish(m_impl->group->barrier(), "barrier", m_impl->timeout, m_env.rank);
}

#else  // no Gloo headers at build time

struct Collective::Impl {};
Collective::Collective(const DistributedEnv& env, CollectiveBackend backend, std::unique_ptr<Impl> impl)
    : m_env(env), m_backend(backend), m_impl(std::move(impl)) {}
Collective::~Collective() = default;
bool Collective::ncclBuiltIn() { return false; }
std::string dataParallelBackends() { return "none (built without Gloo's headers)"; }
std::unique_ptr<Collective> Collective::connect(const DistributedEnv&, std::chrono::milliseconds, CollectiveBackend) {
    throw Error("data-parallel training", "this build has no Gloo process group", "build with Gloo's headers (Debian: libgloo-dev)");
}
std::unique_ptr<PendingCollective> Collective::startAllReduceSum(const at::Tensor&, const char*) { return nullptr; }
void Collective::allReduceMean(const std::vector<at::Tensor>&) {}
std::vector<double> Collective::sum(const std::vector<double>& values, const char*) { return values; }
void Collective::broadcast(const std::vector<at::Tensor>&, int) {}
void Collective::barrier() {}

#endif

} // namespace lorastudio

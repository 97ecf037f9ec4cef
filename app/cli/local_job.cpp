// Starting and joining data-parallel jobs (see local_job.h).
#include "local_job.h"

#include "common/error.h"
#include "dist/collective.h"
#include "project/project_config.h"
#include "train/train_device.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <thread>

#ifndef _WIN32
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace lorastudio::cli {

namespace {

std::vector<std::string>& programArguments() {
    static std::vector<std::string> args;
    return args;
}

// The arguments for a rank: ours without --nproc-per-node (and its value).
std::vector<std::string> rankArguments() {
    std::vector<std::string> out;
    const auto& all = programArguments();
    for (std::size_t i = 1; i < all.size(); ++i) {
        const std::string& a = all[i];
        if (a == "--nproc-per-node") {
            ++i;
            continue;
        }
        if (a.rfind("--nproc-per-node=", 0) == 0) continue;
        out.push_back(a);
    }
    return out;
}

#ifndef _WIN32

volatile std::sig_atomic_t g_interrupts = 0;
void onInterrupt(int) { g_interrupts = g_interrupts + 1; }

// A port nothing listens on now (the kernel's pick for port 0), for the job's rendezvous.
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw Error("--nproc-per-node", "cannot open a socket to find a free port: " + std::string(std::strerror(errno)));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw Error("--nproc-per-node", "cannot find a free port on 127.0.0.1: " + std::string(std::strerror(errno)));
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string howItEnded(int status) {
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* name = sig == SIGKILL ? "SIGKILL" : sig == SIGSEGV ? "SIGSEGV" : sig == SIGTERM ? "SIGTERM"
                           : sig == SIGABRT ? "SIGABRT" : sig == SIGINT ? "SIGINT" : "a signal";
        return std::string("was killed by signal ") + std::to_string(sig) + " (" + name + ")" +
               (sig == SIGKILL ? "; out of memory kills look like this (see dmesg)" : "");
    }
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

pid_t startRank(const std::string& exe, const std::vector<std::string>& args, int rank, int world, int port) {
    const pid_t pid = ::fork();
    if (pid < 0) throw Error("--nproc-per-node", "cannot start rank " + std::to_string(rank) + ": " + std::strerror(errno));
    if (pid > 0) return pid;
    ::setenv("RANK", std::to_string(rank).c_str(), 1);
    ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
    ::setenv("WORLD_SIZE", std::to_string(world).c_str(), 1);
    ::setenv("LOCAL_WORLD_SIZE", std::to_string(world).c_str(), 1);
    ::setenv("MASTER_ADDR", "127.0.0.1", 1);
    ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(exe.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    std::cerr << "error: cannot execute " << exe << ": " << std::strerror(errno) << "\n";
    ::_exit(127);
}

#endif

} // namespace

void setProgramArguments(int argc, char** argv) {
    auto& args = programArguments();
    args.assign(argv, argv + argc);
}

#ifdef _WIN32

void runLocalJob(int) {
    throw Error("--nproc-per-node", "starting local ranks is not available on Windows",
                "start the ranks with torchrun: torchrun --nproc-per-node N --no-python lorastudio-cli train PROJECT");
}

#else

void runLocalJob(int nproc) {
    if (std::getenv("WORLD_SIZE"))
        throw Error("--nproc-per-node", "this process is already a rank of a job (WORLD_SIZE is set)",
                    "leave out --nproc-per-node when a launcher such as torchrun starts the ranks");
    const std::string exe = "/proc/self/exe";
    const std::vector<std::string> args = rankArguments();
    const int port = freePort();
    struct sigaction sa{};
    sa.sa_handler = onInterrupt;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    std::vector<pid_t> pids;
    for (int r = 0; r < nproc; ++r) pids.push_back(startRank(exe, args, r, nproc, port));
    std::cerr << "started " << nproc << " ranks on this machine (rendezvous 127.0.0.1:" << port << ")\n";

    std::vector<bool> done(pids.size(), false);
    int running = nproc, forwarded = 0;
    std::string failure;
    auto signalAll = [&](int sig) {
        for (std::size_t r = 0; r < pids.size(); ++r)
            if (!done[r]) ::kill(pids[r], sig);
    };
    auto failedAt = std::chrono::steady_clock::time_point{};
    while (running > 0) {
        // Ctrl-C / SIGTERM: every rank stops at the next step boundary (a second one ends them now).
        if (g_interrupts > forwarded) {
            forwarded = g_interrupts;
            signalAll(forwarded > 1 ? SIGKILL : SIGINT);
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            for (std::size_t r = 0; r < pids.size(); ++r) {
                if (pids[r] != pid || done[r]) continue;
                done[r] = true;
                --running;
                const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
                if (!ok && failure.empty()) {
                    failure = "rank " + std::to_string(r) + " (pid " + std::to_string(pid) + ") " + howItEnded(status);
                    std::cerr << "error: " << failure << "; ending the other ranks\n";
                    signalAll(SIGTERM);
                    failedAt = std::chrono::steady_clock::now();
                }
            }
            continue;
        }
        // Ranks that ignore SIGTERM for 10 s (blocked in a collective) are killed.
        if (!failure.empty() && std::chrono::steady_clock::now() - failedAt > std::chrono::seconds(10)) signalAll(SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    if (!failure.empty())
        throw Error("data-parallel job", failure,
                    "its own output above says why; the last checkpoint the job wrote is kept: resume from it");
}

#endif

int joinJobFromEnvironment(const TrainingSettings& training, TrainerOptions& options) {
    const auto env = DistributedEnv::fromEnvironment();
    if (!env || env->worldSize < 2) return -1;
    // auto: NCCL when the job trains on CUDA and this build has it, else Gloo.
    CollectiveBackend backend = CollectiveBackend::Gloo;
    if (training.distributedBackend == DistributedBackend::Nccl ||
        (training.distributedBackend == DistributedBackend::Auto && Collective::ncclBuiltIn() &&
         resolveTrainingDevice(training.device).is_cuda()))
        backend = CollectiveBackend::Nccl;
    options.collective = Collective::connect(*env, std::chrono::seconds(training.distributedTimeout), backend);
    options.localWorldSize = env->localWorldSize;
    options.localRank = env->localRank;
    return env->rank;
}

void RankLog::onLog(const LogLine& line) {
    if (line.level == LogLevel::Info) return;
    std::cerr << "[rank " << m_rank << "] " << (line.level == LogLevel::Error ? "error: " : "warning: ") << line.text << "\n";
}

} // namespace lorastudio::cli

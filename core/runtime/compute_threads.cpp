// See compute_threads.h.
#include "runtime/compute_threads.h"

#include "common/os_process.h"

#include <ATen/Parallel.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace lorastudio {

namespace {
std::atomic<int> g_threads{0};
}

int autoComputeThreads() {
    if (const char* env = std::getenv("OMP_NUM_THREADS")) {
        try {
            const int n = std::stoi(env);
            if (n > 0) return n;
        } catch (const std::exception&) {
        }
    }
    return physicalCoreCount();
}

int configureComputeThreads(int requested) {
    const int n = requested > 0 ? requested : autoComputeThreads();
    if (at::get_num_threads() != n) at::set_num_threads(n);
    // LibTorch does not pass its count on to OpenBLAS, whose pthread build keeps a pool of its own.
    using SetThreads = void (*)(int);
    if (auto* set = reinterpret_cast<SetThreads>(processSymbol("openblas_set_num_threads"))) set(n);
    g_threads = n;
    return n;
}

int computeThreadsInUse() {
    const int n = g_threads.load();
    return n > 0 ? n : at::get_num_threads();
}

} // namespace lorastudio

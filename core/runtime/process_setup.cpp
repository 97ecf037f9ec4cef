// See process_setup.h.
#include "runtime/process_setup.h"

#include "runtime/compute_threads.h"

#include <cstdlib>
#include <string>

#if defined(__linux__)
#include <unistd.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(LORASTUDIO_HAVE_MIMALLOC)
#include <mimalloc.h>
#endif

namespace lorastudio {

namespace {

void tuneMimalloc() {
#if defined(LORASTUDIO_HAVE_MIMALLOC)
#if MI_MALLOC_VERSION >= 212  // 2.1 renamed "decommit" to "purge"
    if (!std::getenv("MIMALLOC_PURGE_DELAY")) mi_option_set(mi_option_purge_delay, 5000);
#else
    if (!std::getenv("MIMALLOC_DECOMMIT_DELAY")) {
        mi_option_set(mi_option_decommit_delay, 5000);
        mi_option_set(mi_option_segment_decommit_delay, 5000);
    }
#endif
#endif
}

} // namespace

void prepareProcess(int argc, char** argv) {
    (void)argc;
#if defined(__linux__)
    if (!std::getenv("OMP_WAIT_POLICY") && !std::getenv("LORASTUDIO_NO_REEXEC") && argv && argv[0]) {
        ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
        ::setenv("LORASTUDIO_NO_REEXEC", "1", 1);  // never twice, whatever happens
        ::execv("/proc/self/exe", argv);
        // execv returned: it failed; go on with the spinning default.
    }
#else
    (void)argv;
#endif
    tuneMimalloc();
    configureComputeThreads(0);  // every physical core (or OMP_NUM_THREADS); training.threads may change it
}

bool mimallocInUse() {
#if defined(LORASTUDIO_HAVE_MIMALLOC)
    return true;
#else
    return false;
#endif
}

void releaseFreedHeapMemory() {
#if defined(LORASTUDIO_HAVE_MIMALLOC)
    mi_collect(true);
#elif defined(__GLIBC__)
    malloc_trim(0);
#endif
}

std::string allocatorName() {
#if defined(LORASTUDIO_HAVE_MIMALLOC)
    const int v = mi_version();  // e.g. 209
    return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v % 100 / 10) + "." + std::to_string(v % 10);
#elif defined(__GLIBC__)
    return "glibc malloc";
#else
    return "system malloc";
#endif
}

} // namespace lorastudio

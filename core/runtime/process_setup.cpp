// See process_setup.h.
#include "runtime/process_setup.h"

#include "common/os_process.h"
#include "runtime/compute_threads.h"
#include "runtime/cpu_features.h"

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

// The kernels the loaded OpenBLAS runs ("Haswell", "SkylakeX", ...); empty without OpenBLAS.
std::string openBlasCore() {
    using CoreName = char* (*)();
    auto* name = reinterpret_cast<CoreName>(processSymbol("openblas_get_corename"));
    const char* core = name ? name() : nullptr;
    return core ? core : "";
}

// OpenBLAS's AVX-512 kernel set for this CPU when the OpenBLAS in use chose kernels without
// AVX-512 on a CPU that has it (OpenBLAS 0.3.21, Debian 12's, knows no AMD Zen 4/5: it runs
// Haswell's AVX2 kernels there at half the fp32 GEMM speed); else empty.
std::string betterOpenBlasCore() {
    if (std::getenv("OPENBLAS_CORETYPE")) return {};  // the user's choice
    const std::string core = openBlasCore();
    if (core.empty() || core == "SkylakeX" || core == "Cooperlake" || core == "SapphireRapids") return {};
    const CpuFeatures f = cpuFeatures();
    if (!f.avx512) return {};
    return f.avx512bf16 ? "Cooperlake" : "SkylakeX";
}

} // namespace

void prepareProcess(int argc, char** argv) {
    (void)argc;
#if defined(__linux__)
    // Both settings are read while the libraries load, before main(): the process executes itself
    // once more with them (argv unchanged).
    const std::string blasCore = betterOpenBlasCore();
    const bool passive = !std::getenv("OMP_WAIT_POLICY");
    if ((passive || !blasCore.empty()) && !std::getenv("LORASTUDIO_NO_REEXEC") && argv && argv[0]) {
        if (passive) ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
        if (!blasCore.empty()) {
            ::setenv("LORASTUDIO_OPENBLAS_CHOSE", openBlasCore().c_str(), 1);
            ::setenv("OPENBLAS_CORETYPE", blasCore.c_str(), 1);
        }
        ::setenv("LORASTUDIO_NO_REEXEC", "1", 1);  // never twice, whatever happens
        ::execv("/proc/self/exe", argv);
        // execv returned: it failed; go on with the defaults.
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

std::string blasKernelsName() {
    const std::string core = openBlasCore();
    if (core.empty()) return "not OpenBLAS";
    std::string text = "OpenBLAS, " + core + " kernels";
    if (const char* chose = std::getenv("LORASTUDIO_OPENBLAS_CHOSE"); chose && *chose)
        text += std::string(" (OpenBLAS alone picks ") + chose + " on this CPU)";
    return text;
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

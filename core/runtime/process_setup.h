// What a LoRA Studio program sets up first thing in main(), before any tensor work: OpenMP workers
// that sleep between parallel regions, OpenBLAS kernels that fit the CPU, and the memory
// allocator's options. Both mains call it.
#pragma once
#include <string>

namespace lorastudio {

// 1. OMP_WAIT_POLICY=PASSIVE unless the user set it. LibTorch's OpenMP workers otherwise spin after
//    every parallel region and take the cores from OpenBLAS's own pool, which spins too: with 2
//    threads the SmolLM2-135M bench ran at 180 tokens/s spinning, 262 passive (bench/peer). libgomp
//    reads the variable only while it loads, before main(), so on Linux the process executes itself
//    again once with it set (argv unchanged); elsewhere, or if that fails, it carries on as it is.
// 2. mimalloc (the allocator every LoRA Studio program links where the build found it; see
//    README): freed memory goes back to the system after 5 s instead of 10 ms (fewer page faults,
//    the same peak RSS), unless MIMALLOC_DECOMMIT_DELAY (2.1: MIMALLOC_PURGE_DELAY) is set.
// 3. OpenBLAS's AVX-512 kernels where the OpenBLAS in use picked AVX2 ones on a CPU with AVX-512
//    (Debian 12's 0.3.21 on AMD Zen 4/5 picks Haswell: fp32 GEMM 86 GFLOP/s per core there,
//    170-190 with SkylakeX/Cooperlake kernels; SmolLM2-135M bench, 1 thread: 100 -> 185 tokens/s).
//    Set through OPENBLAS_CORETYPE in the same re-execution, unless the user set it.
// 4. configureComputeThreads(0): every physical core (or OMP_NUM_THREADS) for LibTorch and OpenBLAS.
void prepareProcess(int argc, char** argv);

// "OpenBLAS, Cooperlake kernels (OpenBLAS alone picks Haswell on this CPU)", for --version / About.
std::string blasKernelsName();

// "mimalloc 2.0.9" or "glibc malloc": the allocator this process uses (for --version and About).
std::string allocatorName();
// Whether this build links mimalloc, and so serves every allocation with it (the memory estimate's
// CPU model follows it).
bool mimallocInUse();

// Hands freed heap memory back to the system now (mimalloc: mi_collect(true), past its purge delay;
// glibc: malloc_trim), so that a reading of the resident size counts live memory only, e.g. the
// studio's baseline under a run's estimate.
void releaseFreedHeapMemory();

} // namespace lorastudio

// Process-wide settings the mains apply once at start-up. glibc's malloc returns large freed
// blocks to the OS at once, so every forward pass page-faults its activations in again
// (bench/bench_forward.cpp measured ~20% more CPU time); keeping them for reuse removes that.
#pragma once

namespace lorastudio {

// Raises glibc's mmap and trim thresholds (no-op on other C libraries). Call before any tensor work.
void tuneProcessMemory();

} // namespace lorastudio

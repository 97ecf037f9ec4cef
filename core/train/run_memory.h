// What a training run says of memory: before its first step, the estimate for this run (sized for
// its data's longest example, on its device, for its ranks, in its process) and, under a memory limit
// it cannot fit, a refusal with the fit advisor's changes; at the end, the measured peak beside the
// estimate, so that every run checks the estimate it was shown.
#pragma once
#include "estimate/memory_estimate.h"

#include <cstdint>
#include <optional>
#include <string>

namespace lorastudio {

struct RunMemory {
    MemoryOptions options;    // how the estimate was made (the fit advisor re-runs it with these)
    MemoryEstimate estimate;
};

// longestExample: tokens of the data's longest example as a batch holds it. processBaselineBytes:
// the resident size of a process that trains inside itself (the studio) before its first run;
// unset: a bare CLI process.
RunMemory estimateRunMemory(const ModelSpec& spec, const ProjectConfig& config, bool cuda, int worldSize,
                            int64_t longestExample, std::optional<int64_t> processBaselineBytes);

// "Memory estimate: peak 319 MiB resident (batch 8 x 185 tokens, the data's longest example; peak
// during layer backward)".
std::string estimateLine(const MemoryEstimate& e);

// Under an address-space limit (ulimit -v) a CPU run that cannot fit is refused (Error) before it
// starts, with the fit advisor's changes: past the limit, OpenBLAS spins retrying its buffer
// allocation and LibTorch may abort, so the first failed allocation is no place to say it. Returns
// a warning instead for a cgroup limit (whose kernel ends the process rather than failing an
// allocation) or with LORASTUDIO_IGNORE_MEMORY_LIMIT=1; empty when it fits or nothing limits it.
std::string checkMemoryLimit(const ModelSpec& spec, const ProjectConfig& config, const RunMemory& memory);

// "Peak memory: 355 MiB resident; the estimate said 319 MiB (-10.1%)". CUDA: the caching
// allocator's peak reservation against the estimate without the CUDA context and runtime overhead.
std::string peakLine(const MemoryEstimate& e, int64_t measuredBytes);

} // namespace lorastudio

// "Will it fit": compares the memory estimate with the memory a device has and, when it does not
// fit (or to show the options), lists single changes to the project ordered by how much each saves,
// every figure computed by re-running the estimate with that change applied.
#pragma once
#include "estimate/memory_estimate.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

struct FitSuggestion {
    std::string change;       // "enable gradient checkpointing"
    std::string text;         // "enable gradient checkpointing: saves 3.10 GiB (peak 9.52 GiB)"
    int64_t savedBytes = 0;   // estimate before minus after, > 0
    int64_t totalAfter = 0;
    bool fitsAfter = false;
    ProjectConfig project;    // the project with the change applied
    MemoryOptions options;    // the options with the change applied (attention)
};

struct FitReport {
    bool fits = false;
    int64_t requiredBytes = 0;
    int64_t availableBytes = 0;
    MemoryEstimate estimate;
    std::vector<FitSuggestion> suggestions;  // largest saving first; only changes that save memory
    std::string summary;                     // "needs 12.4 GiB of 8.00 GiB: does not fit"
};

// availableBytes: what the device offers (RAM for the CPU, free GPU memory for CUDA).
FitReport adviseFit(const ModelSpec& spec, const ProjectConfig& project, int64_t availableBytes,
                    const MemoryOptions& options = {});

} // namespace lorastudio

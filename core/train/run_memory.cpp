// See run_memory.h.
#include "train/run_memory.h"

#include "common/error.h"
#include "estimate/device_memory.h"
#include "estimate/fit_advisor.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace lorastudio {

RunMemory estimateRunMemory(const ModelSpec& spec, const ProjectConfig& config, bool cuda, int worldSize,
                            int64_t longestExample, std::optional<int64_t> processBaselineBytes) {
    RunMemory m;
    m.options.device = cuda ? MemoryDevice::Cuda : MemoryDevice::Cpu;
    m.options.worldSize = worldSize;
    if (longestExample > 0) m.options.longestExample = longestExample;
    if (!cuda) m.options.processBaselineBytes = processBaselineBytes;
    m.estimate = estimateMemory(spec, config, m.options);
    return m;
}

std::string estimateLine(const MemoryEstimate& e) {
    const bool cuda = e.device == MemoryDevice::Cuda;
    return "Memory estimate: peak " + formatBytes(e.total) + (cuda ? " of GPU memory" : " resident") + " (batch " +
           std::to_string(e.batch) + " x " + std::to_string(e.sequence) + " tokens" +
           (e.sequenceFromData ? ", the data's longest example" : "") + (e.worldSize > 1 ? ", per rank" : "") +
           "; peak during " + e.peakPhase + ")";
}

std::string checkMemoryLimit(const ModelSpec& spec, const ProjectConfig& config, const RunMemory& memory) {
    if (memory.estimate.device != MemoryDevice::Cpu) return {};
    const auto limit = processMemoryLimit();
    if (!limit) return {};
    constexpr int64_t kRuntimeReserve = int64_t(256) << 20;  // BLAS buffers, thread stacks, allocator slack
    const FitReport fit = adviseFit(spec, config, limit->availableBytes - kRuntimeReserve, memory.options);
    if (fit.fits) return {};
    std::string advice;
    for (size_t i = 0; i < fit.suggestions.size() && i < 3; ++i) advice += (i ? "; " : "") + fit.suggestions[i].text;
    const MemoryEstimate& e = fit.estimate;
    const std::string what = "the estimate for batch " + std::to_string(e.batch) + " x " + std::to_string(e.sequence) +
                             " tokens" + (e.sequenceFromData ? " (the data's longest example)" : "") + " " + fit.summary +
                             " (" + limit->what + ", less what the process has mapped already)";
    const std::string hint = advice.empty() ? "raise the memory limit" : "raise the memory limit, or change the project: " + advice;
    const char* ignore = std::getenv("LORASTUDIO_IGNORE_MEMORY_LIMIT");
    if (!limit->addressSpace || (ignore && std::string(ignore) == "1")) return "this run may not fit: " + what + "; " + hint;
    throw Error("training", "out of memory before the first step: " + what,
                hint + " (LORASTUDIO_IGNORE_MEMORY_LIMIT=1 runs it anyway)");
}

std::string peakLine(const MemoryEstimate& e, int64_t measuredBytes) {
    const bool cuda = e.device == MemoryDevice::Cuda;
    // The CUDA figure measured is the allocator's reservation: the context is not in it.
    const int64_t expected = cuda ? e.total - e.overhead : e.total;
    if (measuredBytes <= 0 || expected <= 0) return {};
    char change[32];
    std::snprintf(change, sizeof change, "%+.1f%%", 100.0 * (double(measuredBytes) / double(expected) - 1.0));
    return "Peak memory: " + formatBytes(measuredBytes) + (cuda ? " reserved by the CUDA allocator" : " resident") +
           "; the estimate said " + formatBytes(expected) + (cuda ? " without the CUDA context" : "") +
           " (measured " + change + ")";
}

} // namespace lorastudio

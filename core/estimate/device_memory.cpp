// Device memory sizes (see the header). NVML is opened at run time (SharedLibrary) for four C entry
// points, so the build needs neither CUDA nor NVML headers; the struct layout is NVML's stable v1 ABI.
#include "estimate/device_memory.h"

#include "common/os_process.h"

#include <ATen/Context.h>

#ifndef _WIN32
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace lorastudio {

namespace {

struct NvmlMemory {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
#ifdef _WIN32
const char* const kNvmlLibrary = "nvml.dll";  // installed with the driver into System32
#else
const char* const kNvmlLibrary = "libnvidia-ml.so.1";
#endif
using NvmlDevice = void*;
using NvmlInit = int (*)();
using NvmlHandleByIndex = int (*)(unsigned int, NvmlDevice*);
using NvmlMemoryInfo = int (*)(NvmlDevice, NvmlMemory*);
using NvmlName = int (*)(NvmlDevice, char*, unsigned int);

// NVML opened and initialised once per process and kept (nvmlInit costs up to a few hundred ms,
// and the studio asks on every project edit); a machine without the driver fails once, cheaply.
// Never shut down: the process's exit releases it. Later queries are thread-safe in NVML.
struct Nvml {
    SharedLibrary lib{kNvmlLibrary};
    NvmlHandleByIndex byIndex = nullptr;
    NvmlMemoryInfo memoryInfo = nullptr;
    NvmlName getName = nullptr;
    bool ready = false;

    static const Nvml& instance() {
        static const Nvml nvml; // C++11: initialised once, thread-safe
        return nvml;
    }

private:
    Nvml() {
        auto init = reinterpret_cast<NvmlInit>(lib.symbol("nvmlInit_v2"));
        byIndex = reinterpret_cast<NvmlHandleByIndex>(lib.symbol("nvmlDeviceGetHandleByIndex_v2"));
        memoryInfo = reinterpret_cast<NvmlMemoryInfo>(lib.symbol("nvmlDeviceGetMemoryInfo"));
        getName = reinterpret_cast<NvmlName>(lib.symbol("nvmlDeviceGetName"));
        ready = init && byIndex && memoryInfo && init() == 0;
    }
};

// CUDA index -> physical index through CUDA_VISIBLE_DEVICES ("1,0"); -1 when hidden or not a plain
// index list (UUIDs), in which case the CUDA index is used as is.
int physicalIndex(int cudaIndex) {
    const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
    if (!visible || !*visible) return cudaIndex;
    std::vector<int> indices;
    std::stringstream list(visible);
    std::string item;
    while (std::getline(list, item, ',')) {
        try {
            size_t used = 0;
            const int value = std::stoi(item, &used);
            if (used != item.size() || value < 0) return cudaIndex;
            indices.push_back(value);
        } catch (const std::exception&) {
            return cudaIndex;
        }
    }
    return cudaIndex < static_cast<int>(indices.size()) ? indices[static_cast<size_t>(cudaIndex)] : -1;
}

} // namespace

int64_t systemMemoryBytes() { return physicalMemoryBytes(); }

std::optional<ProcessMemoryLimit> processMemoryLimit() {
#ifdef _WIN32
    return std::nullopt;
#else
    auto gib = [](int64_t b) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(b) / 1073741824.0);
        return std::string(buf);
    };
    std::optional<ProcessMemoryLimit> best;
    struct rlimit as {};
    if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
        // /proc/self/statm: total and resident pages.
        std::ifstream statm("/proc/self/statm");
        int64_t pages = 0, resident = 0;
        const long page = ::sysconf(_SC_PAGESIZE);
        if (statm >> pages >> resident && page > 0) {
            const int64_t limit = static_cast<int64_t>(as.rlim_cur);
            best = ProcessMemoryLimit{"the address-space limit (ulimit -v) of " + gib(limit), limit,
                                      limit - (pages - resident) * page, true};
        }
    }
    // cgroup v2 (systemd-run -p MemoryMax=, docker --memory): memory.max of this process's group.
    std::ifstream group("/proc/self/cgroup");
    std::string line;
    while (std::getline(group, line)) {
        if (line.rfind("0::", 0) != 0) continue;
        const std::string dir = "/sys/fs/cgroup" + line.substr(3);
        std::ifstream maxFile(dir + "/memory.max");
        std::string max;
        if (maxFile >> max && max != "max") {
            const int64_t limit = std::atoll(max.c_str());
            // The whole limit: memory.current also counts reclaimable page cache and the group's other
            // processes, which come and go; only a run that could not fit alone is refused.
            const ProcessMemoryLimit cg{"the cgroup memory limit (memory.max) of " + gib(limit), limit, limit, false};
            if (limit > 0 && (!best || cg.availableBytes < best->availableBytes)) best = cg;
        }
    }
    return best;
#endif
}

int64_t currentRssBytes() { return processCurrentRssBytes(); }

std::optional<DeviceMemory> cudaDeviceMemory(int cudaIndex) {
    const int index = physicalIndex(cudaIndex);
    if (cudaIndex < 0 || index < 0) return std::nullopt;
    const Nvml& nvml = Nvml::instance();
    if (!nvml.ready) return std::nullopt;
    NvmlDevice handle = nullptr;
    NvmlMemory memory{};
    if (nvml.byIndex(static_cast<unsigned int>(index), &handle) != 0 || nvml.memoryInfo(handle, &memory) != 0)
        return std::nullopt;
    DeviceMemory d;
    d.device = "cuda:" + std::to_string(cudaIndex);
    char name[96] = {};
    d.name = nvml.getName && nvml.getName(handle, name, sizeof name) == 0 ? std::string(name) : std::string("GPU");
    d.totalBytes = static_cast<int64_t>(memory.total);
    d.freeBytes = static_cast<int64_t>(memory.free);
    return d;
}

std::optional<DeviceMemory> deviceMemory(const std::string& device) {
    const bool gpu = device.rfind("cuda", 0) == 0 || (device == "auto" && at::hasCUDA());
    if (!gpu) {
        const int64_t ram = systemMemoryBytes();
        if (ram <= 0) return std::nullopt;
        return DeviceMemory{"cpu", "RAM", ram, -1};
    }
    int index = 0;
    if (device.rfind("cuda:", 0) == 0) {
        try {
            index = std::stoi(device.substr(5));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return cudaDeviceMemory(index);
}

} // namespace lorastudio

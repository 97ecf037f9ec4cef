// Device memory sizes (see the header). NVML is opened at run time (SharedLibrary) for five C entry
// points, so the build needs neither CUDA nor NVML headers; the struct layout is NVML's stable v1 ABI.
#include "estimate/device_memory.h"

#include "common/os_process.h"

#include <ATen/Context.h>

#include <cstdlib>
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
using NvmlShutdown = int (*)();
using NvmlHandleByIndex = int (*)(unsigned int, NvmlDevice*);
using NvmlMemoryInfo = int (*)(NvmlDevice, NvmlMemory*);
using NvmlName = int (*)(NvmlDevice, char*, unsigned int);

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

int64_t currentRssBytes() { return processCurrentRssBytes(); }

std::optional<DeviceMemory> cudaDeviceMemory(int cudaIndex) {
    const int index = physicalIndex(cudaIndex);
    if (cudaIndex < 0 || index < 0) return std::nullopt;
    const SharedLibrary lib(kNvmlLibrary);
    if (!lib.loaded()) return std::nullopt;
    auto init = reinterpret_cast<NvmlInit>(lib.symbol("nvmlInit_v2"));
    auto shutdown = reinterpret_cast<NvmlShutdown>(lib.symbol("nvmlShutdown"));
    auto byIndex = reinterpret_cast<NvmlHandleByIndex>(lib.symbol("nvmlDeviceGetHandleByIndex_v2"));
    auto memoryInfo = reinterpret_cast<NvmlMemoryInfo>(lib.symbol("nvmlDeviceGetMemoryInfo"));
    auto getName = reinterpret_cast<NvmlName>(lib.symbol("nvmlDeviceGetName"));
    std::optional<DeviceMemory> result;
    if (init && shutdown && byIndex && memoryInfo && init() == 0) {
        NvmlDevice handle = nullptr;
        NvmlMemory memory{};
        if (byIndex(static_cast<unsigned int>(index), &handle) == 0 && memoryInfo(handle, &memory) == 0) {
            DeviceMemory d;
            d.device = "cuda:" + std::to_string(cudaIndex);
            char name[96] = {};
            d.name = getName && getName(handle, name, sizeof name) == 0 ? std::string(name) : std::string("GPU");
            d.totalBytes = static_cast<int64_t>(memory.total);
            d.freeBytes = static_cast<int64_t>(memory.free);
            result = d;
        }
        shutdown();
    }
    return result;
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

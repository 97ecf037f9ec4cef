// How much memory the chosen device has, for the fit advisor and the studio's memory bar: RAM from
// /proc/meminfo, a CUDA GPU's from NVML loaded at run time (libnvidia-ml.so.1, which the NVIDIA
// driver installs), so even a CPU-only build can say what a GPU in the machine holds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace lorastudio {

struct DeviceMemory {
    std::string device;      // "cpu" or "cuda:N", as resolved from the project's training.device
    std::string name;        // "RAM" or the GPU's name
    int64_t totalBytes = 0;  // what the fit advisor compares the estimate with
    int64_t freeBytes = -1;  // free now (GPU: NVML's figure, after other processes); -1 when unknown
};

// Physical RAM (MemTotal), 0 when it cannot be read.
int64_t systemMemoryBytes();

// This process's resident set now (VmRSS), 0 when it cannot be read.
int64_t currentRssBytes();

// A CUDA device's memory, by CUDA index (CUDA_VISIBLE_DEVICES is applied when it lists indices;
// CUDA's default fastest-first order is assumed to be NVML's PCI order, as it is with one kind of
// GPU). Empty when there is no such GPU or no NVIDIA driver.
std::optional<DeviceMemory> cudaDeviceMemory(int cudaIndex);

// The memory of a project's training.device: "cpu"; "cuda" / "cuda:N"; "auto" = the first GPU when
// this build can use one, else the CPU. Empty for a GPU whose size cannot be read.
std::optional<DeviceMemory> deviceMemory(const std::string& device);

} // namespace lorastudio

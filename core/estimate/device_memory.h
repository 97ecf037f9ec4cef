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

// A memory limit set on this process (ulimit -v / prlimit --as, or a cgroup v2 memory.max), for the
// trainer's check before its first step. The address-space limit also counts mappings the estimate
// does not (shared libraries, thread stacks, allocator reservations): `availableBytes` is the limit
// minus that non-resident part, i.e. what the estimate's total (weights included) may reach; under a
// cgroup it is the whole memory.max (the group's page cache and other processes come and go). Empty
// when there is no limit (and on Windows, which has neither).
struct ProcessMemoryLimit {
    std::string what;            // "the address-space limit (ulimit -v) of 1.20 GiB"
    int64_t limitBytes = 0;
    int64_t availableBytes = 0;  // may be <= 0
    // true for the address-space limit: allocations past it fail (and OpenBLAS then spins forever);
    // false for a cgroup, whose kernel ends the process instead (a worst-case estimate may still fit).
    bool addressSpace = false;
};
std::optional<ProcessMemoryLimit> processMemoryLimit();

// A CUDA device's memory, by CUDA index (CUDA_VISIBLE_DEVICES is applied when it lists indices;
// CUDA's default fastest-first order is assumed to be NVML's PCI order, as it is with one kind of
// GPU). Empty when there is no such GPU or no NVIDIA driver.
std::optional<DeviceMemory> cudaDeviceMemory(int cudaIndex);

// The memory of a project's training.device: "cpu"; "cuda" / "cuda:N"; "auto" = the first GPU when
// this build can use one, else the CPU. Empty for a GPU whose size cannot be read.
std::optional<DeviceMemory> deviceMemory(const std::string& device);

} // namespace lorastudio

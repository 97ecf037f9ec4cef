// What this process runs on, for `--version` and the About dialog: the LibTorch version it was
// built against and the compute devices it can use. Plain values, no torch or Qt types.
#pragma once
#include <string>

namespace lorastudio {

struct RuntimeInfo {
    std::string torchVersion;     // TORCH_VERSION of the headers built against, e.g. "1.13.0"
    unsigned hardwareThreads = 0; // std::thread::hardware_concurrency()
    int physicalCores = 0;        // physicalCoreCount(): what training.threads: 0 (auto) uses
    int torchThreads = 0;         // at::get_num_threads(): intra-op threads LibTorch uses
    std::string attention;        // the attention path this build takes, e.g. "SDPA (LibTorch >= 2.1)"
    std::string cpuBf16;          // describeBf16Support(): whether bf16 pays on this CPU
    bool cudaAvailable = false;   // a CUDA LibTorch and at least one usable GPU
    int cudaDevices = 0;
    std::string cudaDeviceName;   // device 0, when known (CUDA builds only)
};

RuntimeInfo runtimeInfo();

// One line for terminals: "CPU, 2 hardware threads, 2 physical cores (LibTorch uses 2); CUDA: not available".
std::string describeDevices(const RuntimeInfo& info);

} // namespace lorastudio

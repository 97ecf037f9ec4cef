// What this process runs on, for `--version` and the About dialog: the LibTorch version it was
// built against and the compute devices it can use. Plain values, no torch or Qt types.
#pragma once
#include <string>

namespace lorastudio {

struct RuntimeInfo {
    std::string torchVersion;     // TORCH_VERSION of the headers built against, e.g. "1.13.0"
    unsigned hardwareThreads = 0; // std::thread::hardware_concurrency()
    int torchThreads = 0;         // at::get_num_threads(): intra-op threads LibTorch uses
    bool cudaAvailable = false;   // a CUDA LibTorch and at least one usable GPU
    int cudaDevices = 0;
    std::string cudaDeviceName;   // device 0, when known (CUDA builds only)
};

RuntimeInfo runtimeInfo();

// One line for terminals: "CPU, 2 hardware threads (LibTorch uses 2); CUDA: not available".
std::string describeDevices(const RuntimeInfo& info);

} // namespace lorastudio

// RuntimeInfo from LibTorch's own queries. The CUDA device name is read only in builds against a
// CUDA LibTorch (LORASTUDIO_HAVE_C10_CUDA); a CPU LibTorch answers "not available".
#include "runtime/runtime_info.h"

#include "common/os_process.h"
#include "model/attention.h"
#include "runtime/cpu_features.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#if defined(LORASTUDIO_HAVE_C10_CUDA)
#include <cuda_runtime_api.h>
#endif

#include <sstream>
#include <thread>

namespace lorastudio {

RuntimeInfo runtimeInfo() {
    RuntimeInfo info;
    info.torchVersion = TORCH_VERSION;
    info.hardwareThreads = std::thread::hardware_concurrency();
    info.physicalCores = physicalCoreCount();
    info.torchThreads = at::get_num_threads();
    info.attention = sdpaAvailable() ? "SDPA (at::scaled_dot_product_attention; flash / memory-efficient kernels on CUDA)"
                                     : "eager (matmul + fp32 softmax; this LibTorch is older than 2.1, no public SDPA)";
    info.cpuBf16 = describeBf16Support(cpuFeatures());
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
#if defined(LORASTUDIO_HAVE_C10_CUDA)
    if (info.cudaDevices > 0) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, 0) == cudaSuccess) info.cudaDeviceName = prop.name;
    }
#endif
    return info;
}

std::string describeDevices(const RuntimeInfo& info) {
    std::ostringstream out;
    out << "CPU, " << info.hardwareThreads << " hardware threads, " << info.physicalCores << " physical cores (LibTorch uses "
        << info.torchThreads << "); CUDA: ";
    if (!info.cudaAvailable) {
        out << "not available";
    } else {
        out << info.cudaDevices << (info.cudaDevices == 1 ? " device" : " devices");
        if (!info.cudaDeviceName.empty()) out << " (" << info.cudaDeviceName << ")";
    }
    return out.str();
}

} // namespace lorastudio

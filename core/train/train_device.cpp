// Device resolution, autocast guard, memory figures, RNG states. See train_device.h.
#include "train/train_device.h"

#include "common/error.h"
#include "common/os_process.h"

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <ATen/Context.h>
#include <torch/version.h>

#ifdef LORASTUDIO_HAVE_C10_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <mutex>

// PyTorch 2.4 replaced the CUDA-only autocast setters by per-device-type ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define LORASTUDIO_AUTOCAST_PER_DEVICE 1
#endif

namespace lorastudio {

c10::Device resolveTrainingDevice(const std::string& device) {
    const size_t gpus = at::hasCUDA() ? at::getNumGPUs() : 0;
    if (device.empty() || device == "auto") return gpus > 0 ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    if (device == "cpu") return c10::Device(c10::kCPU);
    if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
        if (gpus == 0)
            throw Error("training.device", "'" + device + "' requested, but this build sees no CUDA GPU",
                        "use device: cpu or auto, or a CUDA build of LoRA Studio");
        int index = 0;
        if (device.size() > 5) {
            try {
                index = std::stoi(device.substr(5));
            } catch (const std::exception&) {
                throw Error("training.device", "'" + device + "' is not a device", "e.g. cuda:0");
            }
        }
        if (index < 0 || static_cast<size_t>(index) >= gpus)
            throw Error("training.device", "'" + device + "': there are " + std::to_string(gpus) + " GPU(s)",
                        "use cuda:0 .. cuda:" + std::to_string(gpus - 1));
        return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw Error("training.device", "unknown device '" + device + "'", "auto, cpu, cuda or cuda:N");
}

PrecisionPlan planPrecision(Precision precision, const c10::Device& device) {
    PrecisionPlan plan;
    if (precision == Precision::Fp32) return plan;
    const auto low = precision == Precision::Bf16 ? c10::ScalarType::BFloat16 : c10::ScalarType::Half;
    if (device.is_cuda()) {
        plan.modelDtype = low;
        plan.autocast = true;
        plan.autocastDtype = low;
        plan.lossScaling = precision == Precision::Fp16;
        return plan;
    }
    if (precision == Precision::Fp16)
        throw Error("training.precision", "fp16 is not supported on the CPU",
                    "use precision: bf16 (or fp32) for CPU training");
    plan.modelDtype = low;  // bf16 on CPU: the model itself runs in bf16
    return plan;
}

AutocastGuard::AutocastGuard(bool enable, c10::ScalarType dtype) : m_enabled(enable) {
    if (!m_enabled) return;
    const AutocastState prev = currentCudaAutocast();
    m_prevEnabled = prev.enabled;
    m_prevDtype = prev.dtype;
#ifdef LORASTUDIO_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_enabled(at::kCUDA, true);
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
#else
    at::autocast::set_enabled(true);
    at::autocast::set_autocast_gpu_dtype(dtype);
#endif
    at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
    if (!m_enabled) return;
    // As torch.autocast.__exit__: drop the cast cache when leaving the outermost region.
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#ifdef LORASTUDIO_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_enabled(at::kCUDA, m_prevEnabled);
    at::autocast::set_autocast_dtype(at::kCUDA, m_prevDtype);
#else
    at::autocast::set_enabled(m_prevEnabled);
    at::autocast::set_autocast_gpu_dtype(m_prevDtype);
#endif
}

at::Tensor toTrainingDevice(const at::Tensor& t, const c10::Device& device) {
    if (!t.defined() || t.device() == device) return t;
    if (device.is_cuda()) return t.pin_memory().to(device, /*non_blocking=*/true);
    return t.to(device);
}

int64_t peakRssBytes() { return processPeakRssBytes(); }

namespace {
[[maybe_unused]] c10::DeviceIndex cudaIndex(const c10::Device& device) {
    return device.has_index() ? device.index() : c10::DeviceIndex(0);
}
} // namespace

// The allocator's statistics keep their names from 1.13 to 2.x: DeviceStats (an alias of
// c10::CachingDeviceAllocator::DeviceStats since 2.5), allocated_bytes / reserved_bytes as arrays
// indexed by StatType, [0] = AGGREGATE. getDeviceStats takes an int (1.13) or a DeviceIndex (2.x).
DeviceMemoryPeaks deviceMemoryPeaks(const c10::Device& device) {
    DeviceMemoryPeaks peaks;
#ifdef LORASTUDIO_HAVE_C10_CUDA
    if (device.is_cuda()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(cudaIndex(device));
        peaks.allocated = stats.allocated_bytes[0].peak;
        peaks.reserved = stats.reserved_bytes[0].peak;
    }
#else
    (void)device;
#endif
    return peaks;
}

void releaseCachedDeviceMemory(const c10::Device& device) {
#ifdef LORASTUDIO_HAVE_C10_CUDA
    if (device.is_cuda()) c10::cuda::CUDACachingAllocator::emptyCache();
#else
    (void)device;
#endif
}

void synchronizeDevice(const c10::Device& device) {
#ifdef LORASTUDIO_HAVE_C10_CUDA
    if (device.is_cuda()) c10::cuda::device_synchronize();
#else
    (void)device;
#endif
}

void setTf32(bool enabled) {
    at::globalContext().setAllowTF32CuBLAS(enabled);
    at::globalContext().setAllowTF32CuDNN(enabled);
}

bool tf32Enabled() { return at::globalContext().allowTF32CuBLAS(); }

std::vector<std::pair<std::string, at::Tensor>> rngStates(const c10::Device& device) {
    std::vector<std::pair<std::string, at::Tensor>> out;
    {
        auto gen = at::globalContext().defaultGenerator(c10::Device(c10::kCPU));
        std::lock_guard<std::mutex> lock(gen.mutex());
        out.emplace_back("cpu", gen.get_state().clone());
    }
    if (device.is_cuda()) {
        const c10::Device d(c10::kCUDA, device.index() < 0 ? 0 : device.index());
        auto gen = at::globalContext().defaultGenerator(d);
        std::lock_guard<std::mutex> lock(gen.mutex());
        out.emplace_back(d.str(), gen.get_state().clone());
    }
    return out;
}

std::vector<std::string> setRngStates(const std::vector<std::pair<std::string, at::Tensor>>& states,
                                      const std::string& where) {
    std::vector<std::string> skipped;
    for (const auto& [name, state] : states) {
        c10::Device d(c10::kCPU);
        if (name != "cpu") {
            try {
                d = c10::Device(name);
            } catch (const c10::Error&) {
                throw Error(where, "unknown random generator '" + name + "'");
            }
            if (!d.is_cuda()) throw Error(where, "unknown random generator '" + name + "'");
            if (!at::hasCUDA() || d.index() < 0 || static_cast<size_t>(d.index()) >= at::getNumGPUs()) {
                skipped.push_back(name);
                continue;
            }
        }
        auto gen = at::globalContext().defaultGenerator(d);
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_state(state.to(at::kByte).contiguous());
    }
    return skipped;
}

} // namespace lorastudio

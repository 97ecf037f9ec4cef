// Device-side helpers of the trainer: resolving training.device, autocast on CUDA (guarded so the
// same code builds against LibTorch 1.13 and 2.x), memory figures, and the RNG states that
// checkpoints save so that a resumed run draws the same random numbers.
#pragma once
#include "model/cuda_autocast.h"  // AutocastState, currentCudaAutocast()
#include "config/training_settings.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

// "auto" -> cuda:0 when LibTorch sees a GPU, else cpu; "cpu"; "cuda" / "cuda:N" (Error with a hint
// when this LibTorch has no CUDA or the index is out of range).
c10::Device resolveTrainingDevice(const std::string& device);

// The dtype the base model is loaded and computes in, and whether autocast is used:
//  - fp32: fp32 everywhere.
//  - bf16/fp16 on CUDA: base weights in that dtype, forward under autocast(dtype); LoRA parameters
//    stay fp32 (the optimizer's master weights); autocast runs their matmuls in the low dtype.
//  - bf16 on CPU: the base model is loaded and runs in bf16 without autocast (CPU autocast covers
//    few ops in 1.13); the LoRA delta is computed in fp32 from the fp32 parameters and cast back.
//  - fp16 on CPU: Error (LibTorch's CPU kernels lack fp16 matmul), hint: use bf16 or fp32.
struct PrecisionPlan {
    c10::ScalarType modelDtype = c10::ScalarType::Float;
    bool autocast = false;
    c10::ScalarType autocastDtype = c10::ScalarType::Float;
    bool lossScaling = false;  // fp16 on CUDA: dynamic loss scaling (see LossScaler)
};
PrecisionPlan planPrecision(Precision precision, const c10::Device& device);

// Enables CUDA autocast for its lifetime (nesting and cache handled as torch.autocast does).
// A no-op when `enable` is false.
class AutocastGuard {
public:
    AutocastGuard(bool enable, c10::ScalarType dtype);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;

private:
    bool m_enabled = false;
    bool m_prevEnabled = false;
    c10::ScalarType m_prevDtype = c10::ScalarType::Half;
};

// A host batch tensor on the training device; undefined stays undefined. CUDA: copied through
// pinned memory without blocking (the stream orders the copy before the forward that reads it, and
// the pinned buffer lives until the copy is done: the caching host allocator records its stream).
at::Tensor toTrainingDevice(const at::Tensor& hostTensor, const c10::Device& device);

// Peak resident set of this process in bytes (getrusage ru_maxrss).
int64_t peakRssBytes();

// The CUDA caching allocator's peaks on `device` since the process started (or the last reset):
// bytes in tensors (allocated) and bytes held from the driver (reserved, what nvidia-smi counts).
// Both 0 on the CPU or in a LibTorch without CUDA.
struct DeviceMemoryPeaks {
    int64_t allocated = 0;
    int64_t reserved = 0;
};
DeviceMemoryPeaks deviceMemoryPeaks(const c10::Device& device);
// Hands the caching allocator's unused blocks back to the driver (after an out-of-memory error, so
// that the studio and other programs get the memory back). A no-op on the CPU.
void releaseCachedDeviceMemory(const c10::Device& device);
// Waits until the work queued on `device` is done (CUDA kernels run asynchronously, so a step's
// wall time is only its compute time after this). A no-op on the CPU.
void synchronizeDevice(const c10::Device& device);

// TensorFloat-32 for fp32 matmuls and convolutions on CUDA (cuBLAS and cuDNN): about 8x the fp32
// throughput on Ampere and newer at ~1e-3 relative error. Off (PyTorch's default for matmuls)
// keeps fp32 results comparable with the fixtures; training.tf32 turns it on. Process-wide.
void setTf32(bool enabled);
bool tf32Enabled();

// The default generators' states: ("cpu", state) and, when device is CUDA, ("cuda:N", state).
// States are uint8 tensors on the CPU.
std::vector<std::pair<std::string, at::Tensor>> rngStates(const c10::Device& device);
// Restores what rngStates returned; a malformed name is an Error naming `where`. The states of CUDA
// generators this process does not have (a run resumed on another machine) are skipped and
// returned, so the caller can say that the random stream differs from the original run.
std::vector<std::string> setRngStates(const std::vector<std::pair<std::string, at::Tensor>>& states,
                                      const std::string& where);

} // namespace lorastudio

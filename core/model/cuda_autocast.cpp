// See cuda_autocast.h.
#include "model/cuda_autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace lorastudio {

AutocastState currentCudaAutocast() {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    return {at::autocast::is_autocast_enabled(at::kCUDA), at::autocast::get_autocast_dtype(at::kCUDA)};
#else
    return {at::autocast::is_enabled(), at::autocast::get_autocast_gpu_dtype()};
#endif
}

} // namespace lorastudio

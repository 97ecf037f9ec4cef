// One decoder layer as a function of its hidden input, x [B, T, C] -> [B, T, C], and a runner that
// wraps every layer call. The default calls the layer; gradient checkpointing (core/train) runs it
// without keeping activations. A layer function owns copies of what it reads (the block and the
// forward context), so it may be called again after the forward has returned.
#pragma once
#include <ATen/core/Tensor.h>

#include <functional>

namespace lorastudio {

using LayerFunction = std::function<at::Tensor(const at::Tensor&)>;
using LayerRunner = std::function<at::Tensor(const LayerFunction& layer, const at::Tensor& x)>;

} // namespace lorastudio

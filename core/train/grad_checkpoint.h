// Gradient checkpointing: run a layer without keeping its activations, and recompute them in the
// backward pass (torch.utils.checkpoint, reentrant variant, preserve_rng_state=True). Memory for a
// stack of L layers drops from L layers' activations to L layer inputs plus one layer's activations,
// for about one extra forward pass of compute.
#pragma once
#include "model/layer_function.h"

#include <ATen/core/Tensor.h>

namespace lorastudio {

// fn: one decoder layer (model/layer_function.h). It may read parameters (trainable or not) and
// draw random numbers (dropout): the recomputation restores the CPU (and, for CUDA inputs, that
// device's) generator state so it draws the same numbers, and the CUDA autocast state of the
// original call. fn is called again during backward, after the forward has returned: it must own
// (capture by value) whatever it reads. CausalLM::setLayerRunner(checkpointedLayer) enables it.
//
// fn(x) whose backward recomputes fn under grad mode, then backpropagates through the recomputed
// graph: gradients reach x (when it requires grad) and accumulate into every leaf fn used (the
// LoRA parameters' .grad), even when x itself does not require grad. Outside grad mode (eval,
// inference) it is fn(x) itself.
at::Tensor checkpointedLayer(const LayerFunction& fn, const at::Tensor& x);

} // namespace lorastudio

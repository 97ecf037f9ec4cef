// The CUDA autocast state, read the same way on every LibTorch (2.4 replaced the CUDA-only query
// by a per-device one). Below lora/ and train/, which both ask.
#pragma once
#include <c10/core/ScalarType.h>

namespace lorastudio {

// Whether CUDA autocast is on now, and its dtype (what gradient checkpointing replays).
struct AutocastState {
    bool enabled = false;
    c10::ScalarType dtype = c10::ScalarType::Half;
};
AutocastState currentCudaAutocast();

} // namespace lorastudio

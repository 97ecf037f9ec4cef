// The data-parallel process groups this build has, for --version and the About dialog; a header
// without LibTorch's, so that the studio's dialog can ask.
#pragma once
#include <string>

namespace lorastudio {

// "Gloo, NCCL", "Gloo (no NCCL in this LibTorch build)" or "none (built without Gloo's headers)".
std::string dataParallelBackends();

} // namespace lorastudio

// Restoring trainable tensors from a safetensors file. See trainable_set.h.
#include "train/trainable_set.h"

#include "common/error.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

namespace lorastudio {

const char* const kAdapterWeightsFile = "adapter_model.safetensors";

void loadTrainableTensors(const TrainableSet& set, const std::string& path) {
    auto file = SafetensorsFile::open(path);
    at::NoGradGuard noGrad;
    for (const auto& p : set.parameters()) {
        if (!file->contains(p.name))
            throw Error(path, "tensor '" + p.name + "' is missing",
                        "the checkpoint was written for another LoRA configuration or base model");
        auto t = file->tensor(p.name);
        if (t.sizes() != p.tensor.sizes())
            throw Error(path, "tensor '" + p.name + "' has shape " + c10::str(t.sizes()) + ", expected " +
                                  c10::str(p.tensor.sizes()),
                        "the checkpoint was written for another LoRA rank or base model");
        p.tensor.copy_(t);
    }
}

int64_t trainableParameterCount(const TrainableSet& set) {
    int64_t n = 0;
    for (const auto& p : set.parameters()) n += p.tensor.numel();
    return n;
}

} // namespace lorastudio

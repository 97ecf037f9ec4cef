// TrainableSet: everything the trainer needs from LoRA, and nothing more: the trainable named
// parameters, a way to write the adapter into a folder, and per-module (A, B, scaling) for analysis.
// core/lora implements it; the trainer never sees LoraLinear or adapter configs.
#pragma once
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

struct TrainableParameter {
    std::string name;  // stable, unique; the key under which saveAdapter writes it (PEFT key)
    at::Tensor tensor; // leaf, requires_grad, fp32 (the master copy even when the model runs in bf16/fp16)
};

struct LoraModuleTensors {
    std::string name;  // module name, e.g. "transformer.h.0.attn.c_attn"
    at::Tensor A;      // [r, in]
    at::Tensor B;      // [out, r]
    double scaling = 1.0;
    at::Tensor baseWeight;  // the frozen W0 (any layout), for ||dW|| / ||W0||; may be undefined
};

class TrainableSet {
public:
    virtual ~TrainableSet() = default;
    // In a fixed order (the optimizer's order); the same tensors every call.
    virtual std::vector<TrainableParameter> parameters() const = 0;
    virtual std::vector<LoraModuleTensors> loraModules() const = 0;
    // Writes a loadable adapter into the existing folder `folder`. Contract the trainer relies on:
    // folder/adapter_model.safetensors holds every parameter under its name (so checkpoints can be
    // restored with loadTrainableTensors).
    virtual void saveAdapter(const std::string& folder) const = 0;
    // false: the model computes as the base alone (DPO's reference pass); true again after.
    virtual void setAdaptersEnabled(bool enabled) = 0;
};

// The adapter file saveAdapter writes.
extern const char* const kAdapterWeightsFile;  // "adapter_model.safetensors"

// Copies every parameter of `set` from the safetensors file at `path` (by name), in place and
// without autograd. Throws Error naming the file and tensor when one is missing or misshapen.
void loadTrainableTensors(const TrainableSet& set, const std::string& path);

// Sum of numel over the parameters.
int64_t trainableParameterCount(const TrainableSet& set);

} // namespace lorastudio

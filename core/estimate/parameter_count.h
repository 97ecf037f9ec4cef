// Exact trainable / total parameter counts of a LoRA run from config.json and the LoRA settings
// alone (no weights, no torch), equal to PEFT 0.8.2's print_trainable_parameters(): same numbers,
// same line. Per-module figures for the GUI's table.
#pragma once
#include "common/python_format.h"
#include "lora/target_matching.h"
#include "model/model_spec.h"
#include "project/project_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

// One module LoRA wraps.
struct LoraModuleCount {
    std::string name;                // "model.layers.0.self_attn.q_proj"
    std::vector<int64_t> weightShape;// base weight as stored ([out, in]; GPT-2 Conv1D [in, out])
    int64_t inFeatures = 0;
    int64_t outFeatures = 0;
    int r = 0;
    double alpha = 0;
    int64_t loraParameters = 0;      // r * (in + out): lora_A [r, in] + lora_B [out, r] (+ out with DoRA)
};

// A base tensor made trainable besides LoRA (bias modes, modules_to_save).
struct TrainableTensor {
    std::string name;                // HF parameter name
    int64_t count = 0;
    std::string reason;              // "bias: all", "bias: lora_only", "modules_to_save"
};

struct ParameterCounts {
    int64_t baseParameters = 0;          // distinct base values (tied counted once)
    int64_t loraParameters = 0;          // sum over modules
    int64_t trainableBaseParameters = 0; // biases and modules_to_save parameters (sum of `extra`)
    // PEFT's ModulesToSaveWrapper keeps the original (frozen) and trains a deep copy, and
    // named_parameters() counts the copy: all params grows by this much. LoRA Studio trains the
    // module in place; memory estimates therefore count no copy.
    int64_t modulesToSaveCopyParameters = 0;
    int64_t trainableParameters = 0;     // lora + trainable base
    int64_t allParameters = 0;           // base + lora + modules_to_save copies
    std::vector<LoraModuleCount> modules;
    std::vector<TrainableTensor> extra;

    double trainablePercent() const;     // 100 * trainable / all, as Python computes it
};

// Throws Error when the targets match nothing (from the matcher, with a hint), when a
// modules_to_save entry matches no module, or for invalid ranks / regexes.
ParameterCounts countParameters(const ModelSpec& spec, const LoraSettings& lora);

// "trainable params: 2,048 || all params: 174,336 || trainable%: 1.1747430249632893"
std::string trainableParametersLine(int64_t trainable, int64_t all);
std::string trainableParametersLine(const ParameterCounts& counts);


// Every module name of the model (parents of parameters, e.g. "model.layers.0.mlp"), in
// registration order, without building it. What modules_to_save entries are matched against.
std::vector<std::string> moduleNames(const ModelSpec& spec);

} // namespace lorastudio

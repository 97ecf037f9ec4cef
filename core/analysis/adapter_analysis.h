// Analysis of a whole adapter from plain tensors: per-module spectra and derived numbers, the
// layer x module-kind table, advice; and the subspace similarity between two adapters. Cheap
// enough to run every N training steps (no out x in matrix is ever formed; see lora_spectrum.h).
#pragma once
#include "analysis/analysis_report.h"

#include <ATen/core/Tensor.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

struct ModuleInput {
    std::string name;    // e.g. "model.layers.3.self_attn.q_proj" (a PEFT key prefix/suffix is tolerated)
    at::Tensor A;        // [r, in]  lora_A.weight
    at::Tensor B;        // [out, r] lora_B.weight
    double scaling = 1.0;               // alpha / r (or alpha / sqrt(r) with rsLoRA)
    std::optional<double> baseNorm;     // ||W0||_F if the caller has it cached
    // Or W0 itself: [out, in], or [in, out] with baseTransposed (GPT-2's Conv1D). Gives ||W0||_F
    // when baseNorm is empty, and the amplification factor. A tensor of another shape with out*in
    // elements gives the norm only.
    at::Tensor baseWeight;
    bool baseTransposed = false;
};

// One module: spectrum (QR route), derived numbers, advice; with baseWeight also the amplification
// ||dW||_F / ||U^T W0 V||_F, where U^T W0 V = U^T (W0 V) [k, k] is formed from W0 V [out, k] (no
// out x in product). Throws Error naming the module.
ModuleReport analyzeModule(const ModuleInput& module);

// All modules, the table and the adapter-wide advice. Module names must be unique.
AdapterReport analyzeAdapter(const std::vector<ModuleInput>& modules);

// phi grids between the same modules of two adapters (matched by cleaned name), using `basis`.
AdapterComparison compareAdapters(const std::vector<ModuleInput>& first, const std::vector<ModuleInput>& second,
                                  SubspaceBasis basis = SubspaceBasis::LoraA);

// One module of each adapter. Rows of the grid: first's basis vectors, columns: second's.
ModuleComparison compareModules(const ModuleInput& first, const ModuleInput& second,
                                SubspaceBasis basis = SubspaceBasis::LoraA);

// Pairs PEFT tensors "<prefix><module>.lora_A[.<adapter>].weight" with their lora_B into modules
// named by cleanModuleName, in the order the modules first appear; other tensors are ignored.
// A lora_A without its lora_B (or the reverse) is an error naming the tensor.
std::vector<ModuleInput> pairLoraTensors(const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                                         double scaling);

} // namespace lorastudio

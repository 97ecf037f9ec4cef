// Resizing a trained PEFT adapter: each module's update s·B·A truncated to a smaller rank by its
// SVD through the QR route (never the out x in matrix), written as a PEFT adapter whose per-module
// ranks are a rank_pattern (r = the largest) and whose alphas stay, so that PEFT's s'·B'·A' is
// exactly the truncation. Errors as lorastudio::Error naming the folder or module.
#pragma once
#include <ATen/core/Tensor.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

struct ResizeOptions {
    double energy = 0.0;      // > 0: each module's rank from the suggestion rule for this share
    int rank = 0;             // > 0 (instead): min(rank, r) for every module
    bool roundUp = true;      // energy: round k up to a power of two (the suggestion rule); false: k itself
    bool overwrite = false;   // replace an existing output folder
};

struct ModuleResize {
    std::string name;
    int rank = 0;                // r before
    int newRank = 0;
    double energyKept = 1.0;     // sum_{i<=newRank} sigma_i^2 / sum sigma_i^2
    double relativeError = 0.0;  // ||dW - dW_k||_F / ||dW||_F = sqrt(sum_{i>k} sigma_i^2 / sum sigma_i^2)
    bool zero = false;           // the update was zero: rank 1 with zero factors (exact)
};

struct ResizeResult {
    std::string folder;                 // the adapter written
    std::vector<ModuleResize> modules;  // in the adapter's order
    int maxRank = 0;                    // written as r
    int64_t parametersBefore = 0;       // LoRA A and B elements
    int64_t parametersAfter = 0;
    std::string baseModelNameOrPath;    // from the adapter's config
    nlohmann::json rankPattern, alphaPattern;  // as written
};

// A: [r, in], B: [out, r], scaling s; k >= 1 -> (A' [k, in], B' [out, k]) in float64 with
// newScaling·B'·A' = the best rank-k approximation U_k Σ_k V_kᵀ of s·B·A, the scale split evenly:
// B' = U_k·diag(sqrt(σ/|s'|))·sign(s'), A' = diag(sqrt(σ/|s'|))·V_kᵀ. Directions past min(out,
// in, r) are zero. newScaling must be nonzero.
std::pair<at::Tensor, at::Tensor> truncateLora(const at::Tensor& A, const at::Tensor& B, double scaling, int k,
                                               double newScaling, const std::string& where = {});

// Reads adapterFolder (PEFT: adapter_config.json + adapter_model.safetensors), truncates every
// module, writes outFolder (staged, renamed into place): the same config with r, rank_pattern and
// alpha_pattern rewritten, LoRA tensors in their original dtype, other tensors copied. DoRA
// adapters are refused (their magnitude is normalised by the full update).
ResizeResult resizeAdapter(const std::string& adapterFolder, const std::string& outFolder, const ResizeOptions& options);

void to_json(nlohmann::json& j, const ModuleResize& m);
void to_json(nlohmann::json& j, const ResizeResult& r);

} // namespace lorastudio

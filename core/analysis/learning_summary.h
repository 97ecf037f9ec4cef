// Where learning happened: an adapter's update split by layer and by module kind, as shares of the
// total squared Frobenius norm sum ||dW||_F^2 (squared, so that shares of disjoint modules add up)
// and of the summed effective rank, with the median amplification factor of each group. Computed
// from an AdapterReport alone; no torch.
#pragma once
#include "analysis/analysis_report.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

struct LearningShare {
    std::string group;         // by layer: "3"; by kind: the heatmap's column, e.g. "attn.c_attn"; "lm_head"
    int layer = -1;            // by layer: the index; -1 for modules without one (and by kind)
    int modules = 0;
    double squaredNorm = 0.0;  // sum ||dW||_F^2 over the group
    double normShare = 0.0;    // squaredNorm / the adapter's; 0 when the whole update is zero
    double rankShare = 0.0;    // sum of effective ranks / the adapter's; 0 likewise
    std::optional<double> amplification;  // median over the group's modules that have one
};

struct LearningSummary {
    std::vector<LearningShare> byLayer;  // ascending layer, then modules without a layer (one group)
    std::vector<LearningShare> byKind;   // the heatmap's kinds in its order, then modules without a layer, one each
    double squaredNorm = 0.0;            // sum ||dW||_F^2 over all modules
    double effectiveRank = 0.0;          // sum of effective ranks over all modules
};

LearningSummary summarizeLearning(const AdapterReport& report);

void to_json(nlohmann::json& j, const LearningShare& s);
void to_json(nlohmann::json& j, const LearningSummary& s);

} // namespace lorastudio

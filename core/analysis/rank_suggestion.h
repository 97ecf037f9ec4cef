// Per-module ranks that keep a chosen share of each update's energy (the rule: docs/insight.md and
// suggestedRank in spectrum_stats.h), what they keep and save, and writing them into a project's
// LoRA settings as PEFT rank_pattern keys (rank_pattern_keys.h). No torch.
#pragma once
#include "analysis/analysis_report.h"
#include "config/lora_settings.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

struct ModuleRankSuggestion {
    std::string name;
    int rank = 0;                 // current r
    int directions = 0;           // k: the fewest directions keeping the share; 0 for a zero update
    int suggested = 0;            // k rounded up to a power of two, within [1, r]; r for a zero update
    double energyKept = 1.0;      // share of sum sigma^2 in the top `suggested` directions (1 for a zero update)
    double relativeError = 0.0;   // ||dW - dW_suggested||_F / ||dW||_F
    int64_t parametersSaved = 0;  // (r - suggested) * (in + out)
    bool zero = false;            // the update is zero: nothing to measure, r kept
};

struct RankSuggestion {
    double share = 0.95;
    std::vector<ModuleRankSuggestion> modules;  // in the report's order
    int64_t parametersBefore = 0;               // sum r * (in + out)
    int64_t parametersAfter = 0;
    int zeroModules = 0;
};

// The rule applied to every module of `report`. share in (0, 1], else Error.
RankSuggestion suggestRanks(const AdapterReport& report, double share);

// `settings` (a project's lora section) with every suggested module at its suggested rank, each
// module keeping the alpha `settings` gives it, the project's other targets unchanged (r and
// lora_alpha stay; rank_pattern is rewritten, alpha_pattern extended only where needed).
// targets: the modules the project adapts (planLoraTargets); empty = the suggestion's modules.
// Error when a suggested module is not among the targets ("is this a run of this project?").
LoraSettings applyRankSuggestion(const LoraSettings& settings, const RankSuggestion& suggestion,
                                 const std::vector<std::string>& targets = {});

void to_json(nlohmann::json& j, const ModuleRankSuggestion& m);
void to_json(nlohmann::json& j, const RankSuggestion& s);

} // namespace lorastudio

// See rank_suggestion.h.
#include "analysis/rank_suggestion.h"

#include "analysis/rank_pattern_keys.h"
#include "analysis/spectrum_stats.h"
#include "common/error.h"
#include "lora/target_matching.h"

#include <algorithm>
#include <cmath>

namespace lorastudio {

RankSuggestion suggestRanks(const AdapterReport& report, double share) {
    if (!(share > 0.0 && share <= 1.0))
        throw Error("rank suggestion", "the energy share " + std::to_string(share) + " is not in (0, 1]",
                    "e.g. 0.95 keeps 95% of each update's sum of squared singular values");
    RankSuggestion out;
    out.share = share;
    for (const ModuleReport& m : report.modules) {
        ModuleRankSuggestion s;
        s.name = m.name;
        s.rank = m.rank;
        s.zero = m.isZero();
        s.directions = directionsFor(m.energy, share);
        s.suggested = suggestedRank(m.sigma, share, m.rank);
        s.energyKept = energyKept(m.sigma, s.suggested);
        s.relativeError = truncationError(m.sigma, s.suggested);
        const int64_t perRank = m.inFeatures + m.outFeatures;
        s.parametersSaved = int64_t(m.rank - s.suggested) * perRank;
        out.parametersBefore += int64_t(m.rank) * perRank;
        out.parametersAfter += int64_t(s.suggested) * perRank;
        out.zeroModules += s.zero ? 1 : 0;
        out.modules.push_back(std::move(s));
    }
    return out;
}

LoraSettings applyRankSuggestion(const LoraSettings& settings, const RankSuggestion& suggestion,
                                 const std::vector<std::string>& targets) {
    std::vector<std::string> names = targets;
    if (names.empty())
        for (const ModuleRankSuggestion& m : suggestion.modules) names.push_back(m.name);
    std::vector<ModuleRankAlpha> wanted;
    for (const ModuleRankSuggestion& m : suggestion.modules) {
        if (std::find(names.begin(), names.end(), m.name) == names.end())
            throw Error("lora.rank_pattern", "module '" + m.name + "' of the suggestion is not adapted by the project",
                        "is the analysed run or adapter one of this project (same base model and target_modules)?");
        wanted.push_back({m.name, m.suggested, rankAndAlphaFor(m.name, settings).alpha});
    }
    return withModuleRanks(settings, wanted, names);
}

void to_json(nlohmann::json& j, const ModuleRankSuggestion& m) {
    j = nlohmann::json{{"name", m.name},
                       {"rank", m.rank},
                       {"directions", m.directions},
                       {"suggested_rank", m.suggested},
                       {"energy_kept", m.energyKept},
                       {"relative_error", m.relativeError},
                       {"parameters_saved", m.parametersSaved},
                       {"zero", m.zero}};
}

void to_json(nlohmann::json& j, const RankSuggestion& s) {
    j = nlohmann::json{{"share", s.share},
                       {"modules", s.modules},
                       {"parameters_before", s.parametersBefore},
                       {"parameters_after", s.parametersAfter},
                       {"zero_modules", s.zeroModules}};
}

} // namespace lorastudio

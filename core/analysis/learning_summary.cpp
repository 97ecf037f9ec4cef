// See learning_summary.h. Groups follow the report's layer x kind table, so the summary and the
// heatmap always name the same columns.
#include "analysis/learning_summary.h"

#include <algorithm>
#include <map>

namespace lorastudio {

namespace {

struct Accumulator {
    LearningShare share;
    std::vector<double> amplifications;
};

void add(Accumulator& a, const ModuleReport& m) {
    ++a.share.modules;
    a.share.squaredNorm += m.frobeniusNorm * m.frobeniusNorm;
    a.share.rankShare += m.effectiveRank;  // summed here, divided at the end
    if (m.amplification) a.amplifications.push_back(*m.amplification);
}

LearningShare finish(Accumulator& a, const LearningSummary& total) {
    LearningShare s = a.share;
    s.normShare = total.squaredNorm > 0.0 ? s.squaredNorm / total.squaredNorm : 0.0;
    s.rankShare = total.effectiveRank > 0.0 ? s.rankShare / total.effectiveRank : 0.0;
    std::vector<double>& v = a.amplifications;
    if (!v.empty()) {
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        s.amplification = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
    return s;
}

} // namespace

LearningSummary summarizeLearning(const AdapterReport& report) {
    LearningSummary out;
    for (const ModuleReport& m : report.modules) {
        out.squaredNorm += m.frobeniusNorm * m.frobeniusNorm;
        out.effectiveRank += m.effectiveRank;
    }
    const LayerKindTable& t = report.table;
    std::vector<int> kindOf(report.modules.size(), -1), layerOf(report.modules.size(), -1);
    for (std::size_t row = 0; row < t.layers.size(); ++row)
        for (std::size_t col = 0; col < t.kinds.size(); ++col) {
            const int i = t.cell(row, col);
            if (i < 0 || static_cast<std::size_t>(i) >= report.modules.size()) continue;
            kindOf[static_cast<std::size_t>(i)] = static_cast<int>(col);
            layerOf[static_cast<std::size_t>(i)] = t.layers[row];
        }
    std::map<int, Accumulator> layers;  // -1 (no layer) sorts first: moved to the end below
    std::vector<Accumulator> kinds(t.kinds.size());
    for (std::size_t col = 0; col < t.kinds.size(); ++col) kinds[col].share.group = t.kinds[col];
    std::vector<Accumulator> loose;  // modules outside the table, by kind: each its own group
    for (std::size_t i = 0; i < report.modules.size(); ++i) {
        const ModuleReport& m = report.modules[i];
        Accumulator& l = layers[layerOf[i]];
        l.share.layer = layerOf[i];
        l.share.group = layerOf[i] >= 0 ? std::to_string(layerOf[i]) : "no layer";
        add(l, m);
        if (kindOf[i] >= 0) {
            add(kinds[static_cast<std::size_t>(kindOf[i])], m);
        } else {
            loose.emplace_back();
            loose.back().share.group = m.name;
            add(loose.back(), m);
        }
    }
    for (auto& [layer, a] : layers)
        if (layer >= 0) out.byLayer.push_back(finish(a, out));
    if (layers.count(-1)) out.byLayer.push_back(finish(layers[-1], out));
    for (Accumulator& a : kinds)
        if (a.share.modules > 0) out.byKind.push_back(finish(a, out));
    for (Accumulator& a : loose) out.byKind.push_back(finish(a, out));
    return out;
}

void to_json(nlohmann::json& j, const LearningShare& s) {
    j = nlohmann::json{{"group", s.group},           {"layer", s.layer},         {"modules", s.modules},
                       {"squared_norm", s.squaredNorm}, {"norm_share", s.normShare}, {"rank_share", s.rankShare},
                       {"amplification", s.amplification ? nlohmann::json(*s.amplification) : nlohmann::json()}};
}

void to_json(nlohmann::json& j, const LearningSummary& s) {
    j = nlohmann::json{{"by_layer", s.byLayer},
                       {"by_kind", s.byKind},
                       {"squared_norm", s.squaredNorm},
                       {"effective_rank", s.effectiveRank}};
}

} // namespace lorastudio

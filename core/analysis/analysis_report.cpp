// See analysis_report.h: heatmap values of the layer x kind table and the JSON form of the
// reports. Doubles are written with nlohmann's round-trip precision, so to_json -> from_json is exact.
#include "analysis/analysis_report.h"

#include "common/error.h"
#include "common/json_file.h"

#include <limits>

namespace lorastudio {

namespace {

constexpr const char* kWhere = "analysis JSON";

double metricOf(const ModuleReport& m, ModuleMetric metric) {
    switch (metric) {
    case ModuleMetric::EffectiveRank: return m.effectiveRank;
    case ModuleMetric::K90: return m.k90;
    case ModuleMetric::K95: return m.k95;
    case ModuleMetric::K99: return m.k99;
    case ModuleMetric::FrobeniusNorm: return m.frobeniusNorm;
    case ModuleMetric::RelativeNorm:
        return m.relativeNorm ? *m.relativeNorm : std::numeric_limits<double>::quiet_NaN();
    case ModuleMetric::SpectralNorm: return m.spectralNorm;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

std::optional<double> optionalNumber(const nlohmann::json& j, const std::string& key) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    if (!j.at(key).is_number()) throwKeyError(kWhere, key, "has the wrong type (" + jsonTypeName(j.at(key)) + ")");
    return j.at(key).get<double>();
}

nlohmann::json optionalJson(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

} // namespace

const char* metricName(ModuleMetric m) {
    switch (m) {
    case ModuleMetric::EffectiveRank: return "effective_rank";
    case ModuleMetric::K90: return "k90";
    case ModuleMetric::K95: return "k95";
    case ModuleMetric::K99: return "k99";
    case ModuleMetric::FrobeniusNorm: return "frobenius_norm";
    case ModuleMetric::RelativeNorm: return "relative_norm";
    case ModuleMetric::SpectralNorm: return "spectral_norm";
    }
    return "?";
}

const char* basisName(SubspaceBasis b) {
    switch (b) {
    case SubspaceBasis::LoraA: return "lora_a";
    case SubspaceBasis::UpdateRight: return "update_right";
    case SubspaceBasis::UpdateLeft: return "update_left";
    }
    return "?";
}

std::vector<double> LayerKindTable::values(const std::vector<ModuleReport>& modules, ModuleMetric metric) const {
    std::vector<double> out(cells.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (cells[i] >= 0 && static_cast<std::size_t>(cells[i]) < modules.size())
            out[i] = metricOf(modules[static_cast<std::size_t>(cells[i])], metric);
    return out;
}

void to_json(nlohmann::json& j, const ModuleReport& m) {
    j = nlohmann::json{{"name", m.name},
                       {"layer", m.layer},
                       {"kind", m.kind},
                       {"rank", m.rank},
                       {"out_features", m.outFeatures},
                       {"in_features", m.inFeatures},
                       {"scaling", m.scaling},
                       {"sigma", m.sigma},
                       {"energy", m.energy},
                       {"effective_rank", m.effectiveRank},
                       {"k90", m.k90},
                       {"k95", m.k95},
                       {"k99", m.k99},
                       {"frobenius_norm", m.frobeniusNorm},
                       {"spectral_norm", m.spectralNorm},
                       {"base_norm", optionalJson(m.baseNorm)},
                       {"relative_norm", optionalJson(m.relativeNorm)},
                       {"amplification", optionalJson(m.amplification)},
                       {"advice", m.advice}};
}

void from_json(const nlohmann::json& j, ModuleReport& m) {
    m.name = requireKey<std::string>(j, "name", kWhere);
    m.layer = requireKey<int>(j, "layer", kWhere);
    m.kind = requireKey<std::string>(j, "kind", kWhere);
    m.rank = requireKey<int>(j, "rank", kWhere);
    m.outFeatures = requireKey<int64_t>(j, "out_features", kWhere);
    m.inFeatures = requireKey<int64_t>(j, "in_features", kWhere);
    m.scaling = requireKey<double>(j, "scaling", kWhere);
    m.sigma = requireKey<std::vector<double>>(j, "sigma", kWhere);
    m.energy = requireKey<std::vector<double>>(j, "energy", kWhere);
    m.effectiveRank = requireKey<double>(j, "effective_rank", kWhere);
    m.k90 = requireKey<int>(j, "k90", kWhere);
    m.k95 = requireKey<int>(j, "k95", kWhere);
    m.k99 = requireKey<int>(j, "k99", kWhere);
    m.frobeniusNorm = requireKey<double>(j, "frobenius_norm", kWhere);
    m.spectralNorm = requireKey<double>(j, "spectral_norm", kWhere);
    m.baseNorm = optionalNumber(j, "base_norm");
    m.relativeNorm = optionalNumber(j, "relative_norm");
    m.amplification = optionalNumber(j, "amplification");
    m.advice = optionalKey<std::string>(j, "advice", "", kWhere);
}

void to_json(nlohmann::json& j, const LayerKindTable& t) {
    j = nlohmann::json{{"layers", t.layers}, {"kinds", t.kinds}, {"cells", t.cells}};
}

void from_json(const nlohmann::json& j, LayerKindTable& t) {
    t.layers = requireKey<std::vector<int>>(j, "layers", kWhere);
    t.kinds = requireKey<std::vector<std::string>>(j, "kinds", kWhere);
    t.cells = requireKey<std::vector<int>>(j, "cells", kWhere);
    if (t.cells.size() != t.layers.size() * t.kinds.size())
        throw Error(kWhere, "table has " + std::to_string(t.cells.size()) + " cells for " +
                                std::to_string(t.layers.size()) + " layers x " + std::to_string(t.kinds.size()) + " kinds");
}

void to_json(nlohmann::json& j, const AdapterReport& r) {
    j = nlohmann::json{{"modules", r.modules},
                       {"table", r.table},
                       {"max_rank", r.maxRank},
                       {"max_k95", r.maxK95},
                       {"median_k95", r.medianK95},
                       {"saturated_modules", r.saturatedModules},
                       {"zero_modules", r.zeroModules},
                       {"advice", r.advice}};
}

void from_json(const nlohmann::json& j, AdapterReport& r) {
    r.modules = requireKey<std::vector<ModuleReport>>(j, "modules", kWhere);
    r.table = requireKey<LayerKindTable>(j, "table", kWhere);
    r.maxRank = requireKey<int>(j, "max_rank", kWhere);
    r.maxK95 = requireKey<int>(j, "max_k95", kWhere);
    r.medianK95 = requireKey<double>(j, "median_k95", kWhere);
    r.saturatedModules = requireKey<int>(j, "saturated_modules", kWhere);
    r.zeroModules = requireKey<int>(j, "zero_modules", kWhere);
    r.advice = optionalKey<std::string>(j, "advice", "", kWhere);
}

void to_json(nlohmann::json& j, const SubspaceSimilarity& s) {
    nlohmann::json rows = nlohmann::json::array();
    for (int i = 0; i < s.rows; ++i)
        rows.push_back(std::vector<double>(s.phi.begin() + static_cast<std::ptrdiff_t>(i) * s.cols,
                                           s.phi.begin() + static_cast<std::ptrdiff_t>(i + 1) * s.cols));
    j = nlohmann::json{{"rows", s.rows}, {"cols", s.cols}, {"phi", rows}};
}

void from_json(const nlohmann::json& j, SubspaceSimilarity& s) {
    s.rows = requireKey<int>(j, "rows", kWhere);
    s.cols = requireKey<int>(j, "cols", kWhere);
    const auto rows = requireKey<std::vector<std::vector<double>>>(j, "phi", kWhere);
    if (rows.size() != static_cast<std::size_t>(s.rows))
        throw Error(kWhere, "'phi' has " + std::to_string(rows.size()) + " rows, 'rows' says " + std::to_string(s.rows));
    s.phi.clear();
    for (const auto& row : rows) {
        if (row.size() != static_cast<std::size_t>(s.cols))
            throw Error(kWhere, "a 'phi' row has " + std::to_string(row.size()) + " values, 'cols' says " +
                                    std::to_string(s.cols));
        s.phi.insert(s.phi.end(), row.begin(), row.end());
    }
}

void to_json(nlohmann::json& j, const ModuleComparison& m) {
    j = nlohmann::json{{"name", m.name},         {"layer", m.layer},
                       {"kind", m.kind},         {"similarity", m.similarity},
                       {"top_overlap", m.topOverlap}, {"full_overlap", m.fullOverlap}};
}

void from_json(const nlohmann::json& j, ModuleComparison& m) {
    m.name = requireKey<std::string>(j, "name", kWhere);
    m.layer = requireKey<int>(j, "layer", kWhere);
    m.kind = requireKey<std::string>(j, "kind", kWhere);
    m.similarity = requireKey<SubspaceSimilarity>(j, "similarity", kWhere);
    m.topOverlap = requireKey<double>(j, "top_overlap", kWhere);
    m.fullOverlap = requireKey<double>(j, "full_overlap", kWhere);
}

void to_json(nlohmann::json& j, const AdapterComparison& c) {
    j = nlohmann::json{{"basis", basisName(c.basis)},
                       {"modules", c.modules},
                       {"only_in_first", c.onlyInFirst},
                       {"only_in_second", c.onlyInSecond}};
}

void from_json(const nlohmann::json& j, AdapterComparison& c) {
    const std::string basis = requireKey<std::string>(j, "basis", kWhere);
    bool known = false;
    for (SubspaceBasis b : {SubspaceBasis::LoraA, SubspaceBasis::UpdateRight, SubspaceBasis::UpdateLeft})
        if (basis == basisName(b)) {
            c.basis = b;
            known = true;
        }
    if (!known) throwKeyError(kWhere, "basis", "is '" + basis + "', expected lora_a, update_right or update_left");
    c.modules = requireKey<std::vector<ModuleComparison>>(j, "modules", kWhere);
    c.onlyInFirst = optionalKey<std::vector<std::string>>(j, "only_in_first", {}, kWhere);
    c.onlyInSecond = optionalKey<std::vector<std::string>>(j, "only_in_second", {}, kWhere);
}

} // namespace lorastudio

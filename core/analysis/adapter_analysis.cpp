// See adapter_analysis.h. Per module: loraSvd (values only) -> spectrum_stats; the table groups
// modules by parsed (layer, kind); comparisons use loraRowSpace or the update's singular vectors.
#include "analysis/adapter_analysis.h"

#include "analysis/lora_spectrum.h"
#include "analysis/module_names.h"
#include "analysis/spectrum_stats.h"
#include "common/error.h"

#include <ATen/Functions.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace lorastudio {

namespace {

std::string whereOf(const std::string& name) { return name.empty() ? "LoRA module" : "module '" + name + "'"; }

std::optional<double> baseNormOf(const ModuleInput& in, int64_t out, int64_t inFeatures) {
    if (in.baseNorm) {
        if (!std::isfinite(*in.baseNorm) || *in.baseNorm < 0.0)
            throw Error(whereOf(in.name), "the base weight norm " + std::to_string(*in.baseNorm) + " is not a norm");
        return in.baseNorm;
    }
    if (!in.baseWeight.defined()) return std::nullopt;
    if (in.baseWeight.numel() != out * inFeatures)
        throw Error(whereOf(in.name),
                    "the base weight has " + std::to_string(in.baseWeight.numel()) + " elements but the update is " +
                        std::to_string(out) + " x " + std::to_string(inFeatures),
                    "is it the base weight of this module?");
    return frobeniusNorm(in.baseWeight);
}

double median(std::vector<int> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

LayerKindTable buildTable(const std::vector<ModuleReport>& modules) {
    std::vector<ModuleLocation> locs;
    std::set<std::string> stacks;
    for (const ModuleReport& m : modules) {
        locs.push_back(parseModuleName(m.name));
        if (locs.back().layer >= 0) stacks.insert(locs.back().stack);
    }
    const bool multiStack = stacks.size() > 1;
    LayerKindTable t;
    std::vector<std::string> keys(modules.size());
    std::set<int> layers;
    for (std::size_t i = 0; i < modules.size(); ++i) {
        if (locs[i].layer < 0) continue;
        keys[i] = multiStack ? locs[i].stack + ".*." + locs[i].kind : locs[i].kind;
        layers.insert(locs[i].layer);
        if (std::find(t.kinds.begin(), t.kinds.end(), keys[i]) == t.kinds.end()) t.kinds.push_back(keys[i]);
    }
    t.layers.assign(layers.begin(), layers.end());
    t.cells.assign(t.layers.size() * t.kinds.size(), -1);
    for (std::size_t i = 0; i < modules.size(); ++i) {
        if (locs[i].layer < 0) continue;
        const auto row = std::lower_bound(t.layers.begin(), t.layers.end(), locs[i].layer) - t.layers.begin();
        const auto col = std::find(t.kinds.begin(), t.kinds.end(), keys[i]) - t.kinds.begin();
        t.cells[static_cast<std::size_t>(row) * t.kinds.size() + static_cast<std::size_t>(col)] = static_cast<int>(i);
    }
    return t;
}

// ||dW||_F / ||U^T W0 V||_F, or nothing when W0 is not [out, in] (as given) or U^T W0 V is zero.
std::optional<double> amplificationOf(const ModuleInput& in, const LowRankSvd& svd, double updateNorm) {
    at::Tensor w0 = in.baseTransposed ? in.baseWeight.t() : in.baseWeight;  // [out, in]
    auto fits = [&](const at::Tensor& w) { return w.size(0) == svd.U.size(0) && w.size(1) == svd.V.size(0); };
    if (!fits(w0)) w0 = w0.t();  // a non-square module in the other layout (e.g. lm_head beside Conv1D)
    if (!fits(w0)) return std::nullopt;
    w0 = w0.detach().to(svd.V.device(), at::kDouble);
    const at::Tensor projected = svd.U.t().matmul(w0.matmul(svd.V));  // [k, k] = U^T (W0 V)
    const double norm = at::linalg_vector_norm(projected, 2).item<double>();
    if (!(norm > 0.0) || !std::isfinite(norm)) return std::nullopt;
    return updateNorm / norm;
}

// The basis compared for one module: [n, k] with orthonormal columns by descending importance.
at::Tensor basisOf(const ModuleInput& m, SubspaceBasis basis) {
    switch (basis) {
    case SubspaceBasis::LoraA: return loraRowSpace(m.A, whereOf(m.name));
    case SubspaceBasis::UpdateRight: return loraSvd(m.A, m.B, m.scaling, true, whereOf(m.name)).V;
    case SubspaceBasis::UpdateLeft: return loraSvd(m.A, m.B, m.scaling, true, whereOf(m.name)).U;
    }
    return {};
}

} // namespace

ModuleReport analyzeModule(const ModuleInput& in) {
    const bool amplify = in.baseWeight.defined() && in.baseWeight.dim() == 2;
    const LowRankSvd svd = loraSvd(in.A, in.B, in.scaling, amplify, whereOf(in.name));
    ModuleReport m;
    m.name = in.name;
    const ModuleLocation loc = parseModuleName(in.name);
    m.layer = loc.layer;
    m.kind = loc.kind;
    m.rank = static_cast<int>(in.A.size(0));
    m.outFeatures = in.B.size(0);
    m.inFeatures = in.A.size(1);
    m.scaling = in.scaling;
    const at::Tensor s = svd.sigma.contiguous();
    m.sigma.assign(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());

    m.energy = cumulativeEnergy(m.sigma);
    m.effectiveRank = effectiveRank(m.sigma);
    m.k90 = directionsFor(m.energy, 0.90);
    m.k95 = directionsFor(m.energy, 0.95);
    m.k99 = directionsFor(m.energy, 0.99);
    double sumSquares = 0.0;
    for (double v : m.sigma) sumSquares += v * v;
    m.frobeniusNorm = std::sqrt(sumSquares);
    m.spectralNorm = m.sigma.empty() ? 0.0 : m.sigma.front();
    m.baseNorm = baseNormOf(in, m.outFeatures, m.inFeatures);
    if (m.baseNorm && *m.baseNorm > 0.0) m.relativeNorm = m.frobeniusNorm / *m.baseNorm;
    if (amplify && !m.isZero()) m.amplification = amplificationOf(in, svd, m.frobeniusNorm);
    m.advice = moduleAdvice(m.k95, m.rank, m.isZero());
    return m;
}

AdapterReport analyzeAdapter(const std::vector<ModuleInput>& modules) {
    std::set<std::string> seen;
    for (const ModuleInput& in : modules)
        if (!seen.insert(cleanModuleName(in.name)).second)
            throw Error(whereOf(in.name), "appears twice in the adapter", "module names must be unique");

    AdapterReport r;
    std::vector<int> k95s;
    int maxSaturatedRank = 0;
    for (const ModuleInput& in : modules) {
        r.modules.push_back(analyzeModule(in));
        const ModuleReport& m = r.modules.back();
        r.maxRank = std::max(r.maxRank, m.rank);
        if (m.isZero()) {
            ++r.zeroModules;
            continue;
        }
        k95s.push_back(m.k95);
        r.maxK95 = std::max(r.maxK95, m.k95);
        if (m.k95 >= m.rank) {
            ++r.saturatedModules;
            maxSaturatedRank = std::max(maxSaturatedRank, m.rank);
        }
    }
    r.medianK95 = median(k95s);
    r.table = buildTable(r.modules);
    r.advice = adapterAdvice(static_cast<int>(modules.size()), r.zeroModules, r.saturatedModules, maxSaturatedRank,
                             r.maxK95, r.medianK95, r.maxRank);
    return r;
}

ModuleComparison compareModules(const ModuleInput& first, const ModuleInput& second, SubspaceBasis basis) {
    const at::Tensor U1 = basisOf(first, basis);
    const at::Tensor U2 = basisOf(second, basis);
    ModuleComparison c;
    c.name = first.name;
    const ModuleLocation loc = parseModuleName(first.name);
    c.layer = loc.layer;
    c.kind = loc.kind;
    if (U1.size(0) != U2.size(0))
        throw Error(whereOf(first.name),
                    "the two adapters' " + std::string(basisName(basis)) + " bases have " +
                        std::to_string(U1.size(0)) + " and " + std::to_string(U2.size(0)) + " rows",
                    "are both adapters for the same base model?");
    c.similarity = subspaceSimilarity(U1, U2, whereOf(first.name));
    c.topOverlap = c.similarity.at(1, 1);
    c.fullOverlap = c.similarity.at(c.similarity.rows, c.similarity.cols);
    return c;
}

AdapterComparison compareAdapters(const std::vector<ModuleInput>& first, const std::vector<ModuleInput>& second,
                                  SubspaceBasis basis) {
    AdapterComparison out;
    out.basis = basis;
    std::map<std::string, const ModuleInput*> byName;
    for (const ModuleInput& m : second) byName[cleanModuleName(m.name)] = &m;
    std::set<std::string> matched;
    for (const ModuleInput& m : first) {
        const std::string key = cleanModuleName(m.name);
        const auto it = byName.find(key);
        if (it == byName.end()) {
            out.onlyInFirst.push_back(m.name);
            continue;
        }
        matched.insert(key);
        out.modules.push_back(compareModules(m, *it->second, basis));
    }
    for (const ModuleInput& m : second)
        if (!matched.count(cleanModuleName(m.name))) out.onlyInSecond.push_back(m.name);
    return out;
}

std::vector<ModuleInput> pairLoraTensors(const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                                         double scaling) {
    std::vector<std::string> order;
    std::map<std::string, std::pair<const std::pair<std::string, at::Tensor>*, const std::pair<std::string, at::Tensor>*>> found;
    for (const auto& entry : tensors) {
        const std::string& key = entry.first;
        const bool isA = key.find(".lora_A.") != std::string::npos;
        const bool isB = key.find(".lora_B.") != std::string::npos;
        if (!isA && !isB) continue;
        const std::string module = cleanModuleName(key);
        auto& slot = found[module];
        if (!slot.first && !slot.second) order.push_back(module);
        auto& target = isA ? slot.first : slot.second;
        if (target) throw Error(key, "is a second " + std::string(isA ? "lora_A" : "lora_B") + " for module '" + module + "'",
                                "does the file hold several adapters?");
        target = &entry;
    }
    std::vector<ModuleInput> modules;
    for (const std::string& module : order) {
        const auto& [a, b] = found[module];
        if (!a) throw Error(b->first, "has no matching lora_A tensor", "is the adapter file complete?");
        if (!b) throw Error(a->first, "has no matching lora_B tensor", "is the adapter file complete?");
        ModuleInput in;
        in.name = module;
        in.A = a->second;
        in.B = b->second;
        in.scaling = scaling;
        modules.push_back(std::move(in));
    }
    return modules;
}

} // namespace lorastudio

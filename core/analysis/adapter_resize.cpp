// See adapter_resize.h. Per module: loraSvd with vectors (QR of B and of Aᵀ, SVD of the r x r
// core) gives U [out, k], σ, V [in, k]; the new factors take sqrt(σ/|s'|) each, so s'·B'·A' =
// U_k Σ_k V_kᵀ whatever s' = alpha/r' (or alpha/sqrt(r')) the written config gives the module.
#include "analysis/adapter_resize.h"

#include "analysis/adapter_analysis.h"
#include "analysis/lora_spectrum.h"
#include "analysis/rank_pattern_keys.h"
#include "analysis/spectrum_stats.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_file.h"
#include "io/safetensors.h"
#include "lora/export_folder.h"
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "lora/target_matching.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

std::string whereOf(const std::string& name) { return name.empty() ? "LoRA module" : "module '" + name + "'"; }

// The rank-k factors from a decomposition with vectors. [out, k] and [k, in], float64.
std::pair<at::Tensor, at::Tensor> factorsOf(const LowRankSvd& svd, int64_t out, int64_t in, int k, double newScaling) {
    const auto options = svd.U.options();
    at::Tensor b = at::zeros({out, k}, options), a = at::zeros({k, in}, options);
    const int64_t keep = std::min<int64_t>(k, svd.U.size(1));
    if (newScaling == 0.0 || keep == 0) return {a, b};  // alpha 0: the update is zero whatever the factors
    const at::Tensor root = svd.sigma.narrow(0, 0, keep).to(options.device()).div(std::abs(newScaling)).sqrt();  // [keep]
    b.narrow(1, 0, keep).copy_(svd.U.narrow(1, 0, keep).mul(root.unsqueeze(0)).mul(newScaling < 0 ? -1.0 : 1.0));
    a.narrow(0, 0, keep).copy_(svd.V.narrow(1, 0, keep).mul(root.unsqueeze(0)).t());
    return {a, b};
}

nlohmann::json number(double v) {
    // PEFT writes Python ints for integral alphas (8, not 8.0).
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return nlohmann::json(int64_t(v));
    return nlohmann::json(v);
}

void checkOptions(const ResizeOptions& o) {
    const bool byEnergy = o.energy > 0.0, byRank = o.rank > 0;
    if (byEnergy == byRank)
        throw Error("resize", "give either an energy share or a rank", "e.g. --energy 0.95 or --rank 4");
    if (byEnergy && o.energy > 1.0)
        throw Error("resize", "the energy share " + std::to_string(o.energy) + " is above 1", "e.g. 0.95");
}

struct ModuleOut {
    ModuleResize report;
    double alpha = 0;
    at::Tensor A, B;  // new factors in the original dtype
};

ModuleOut resizeModule(const ModuleInput& m, const LoraSettings& settings, const ResizeOptions& o) {
    const RankAlpha ra = rankAndAlphaFor(m.name, settings);
    const int r = static_cast<int>(m.A.size(0));
    const double s = loraScaling(ra.alpha, r, settings.useRslora);
    const LowRankSvd svd = loraSvd(m.A, m.B, s, /*withVectors=*/true, whereOf(m.name));
    const at::Tensor sv = svd.sigma.contiguous();
    const std::vector<double> sigma(sv.data_ptr<double>(), sv.data_ptr<double>() + sv.numel());
    ModuleOut out;
    out.alpha = ra.alpha;
    ModuleResize& rep = out.report;
    rep.name = m.name;
    rep.rank = r;
    rep.zero = std::all_of(sigma.begin(), sigma.end(), [](double v) { return v == 0.0; });
    if (o.rank > 0) rep.newRank = std::min(o.rank, r);
    else rep.newRank = rep.zero ? 1 : suggestedRank(sigma, o.energy, r, o.roundUp);
    rep.energyKept = energyKept(sigma, rep.newRank);
    rep.relativeError = truncationError(sigma, rep.newRank);
    const double newScaling = loraScaling(ra.alpha, rep.newRank, settings.useRslora);
    auto [a, b] = factorsOf(svd, m.B.size(0), m.A.size(1), rep.newRank, newScaling);
    out.A = a.to(at::kCPU, m.A.scalar_type()).contiguous();
    out.B = b.to(at::kCPU, m.B.scalar_type()).contiguous();
    return out;
}

void writeAdapterFolder(const std::string& folder, const nlohmann::json& config,
                        const std::vector<std::pair<std::string, at::Tensor>>& tensors, bool overwrite) {
    const std::string text = adapterConfigText(config);
    uint64_t bytes = text.size();
    for (const auto& [name, t] : tensors) bytes += uint64_t(t.numel()) * t.element_size() + name.size() + 64;
    StagingFolder staging(folder, bytes, overwrite, "adapter");
    writeFileAtomic((fs::path(staging.path()) / "adapter_config.json").string(), text);
    writeSafetensors((fs::path(staging.path()) / "adapter_model.safetensors").string(), tensors, {{"format", "pt"}});
    staging.commit();
}

} // namespace

std::pair<at::Tensor, at::Tensor> truncateLora(const at::Tensor& A, const at::Tensor& B, double scaling, int k,
                                               double newScaling, const std::string& where) {
    if (k < 1) throw Error(where.empty() ? "LoRA module" : where, "cannot truncate to rank " + std::to_string(k));
    if (!std::isfinite(newScaling) || newScaling == 0.0)
        throw Error(where.empty() ? "LoRA module" : where, "the new scaling must be a nonzero number");
    const LowRankSvd svd = loraSvd(A, B, scaling, /*withVectors=*/true, where);
    return factorsOf(svd, B.size(0), A.size(1), k, newScaling);
}

ResizeResult resizeAdapter(const std::string& adapterFolder, const std::string& outFolder, const ResizeOptions& options) {
    checkOptions(options);
    // The architecture only decides a null target_modules, which is written back as it was.
    const AdapterConfig config = readAdapterConfig(adapterFolder, Architecture::Llama);
    if (config.settings.useDora)
        throw Error(config.path, "is a DoRA adapter: truncating B·A would change the norm its magnitude divides by",
                    "resize a plain LoRA adapter");
    nlohmann::json json = readJsonFile(config.path);
    const Checkpoint weights = Checkpoint::open(adapterFolder);
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& name : weights.names()) tensors.emplace_back(name, weights.tensor(name));
    const std::vector<ModuleInput> modules = pairLoraTensors(tensors, 1.0);
    if (modules.empty()) throw Error(adapterFolder, "holds no LoRA tensors", "is this a PEFT LoRA adapter folder?");

    ResizeResult result;
    result.baseModelNameOrPath = config.baseModelNameOrPath;
    std::vector<std::pair<std::string, at::Tensor>> written;
    std::vector<ModuleRankAlpha> wanted;
    std::vector<std::string> names;
    for (const ModuleInput& m : modules) {
        ModuleOut out = resizeModule(m, config.settings, options);
        const int64_t perRank = m.A.size(1) + m.B.size(0);
        result.parametersBefore += out.report.rank * perRank;
        result.parametersAfter += out.report.newRank * perRank;
        result.maxRank = std::max(result.maxRank, out.report.newRank);
        wanted.push_back({m.name, out.report.newRank, out.alpha});
        names.push_back(m.name);
        written.emplace_back(kPeftKeyPrefix + m.name + ".lora_A.weight", out.A);
        written.emplace_back(kPeftKeyPrefix + m.name + ".lora_B.weight", out.B);
        result.modules.push_back(out.report);
    }
    for (const auto& [name, t] : tensors)  // biases, modules_to_save: as they were
        if (name.find(".lora_A.") == std::string::npos && name.find(".lora_B.") == std::string::npos)
            written.emplace_back(name, t);

    LoraSettings fresh = config.settings;
    fresh.r = result.maxRank;
    fresh.rankPattern.clear();
    fresh.alphaPattern.clear();
    const LoraSettings patterns = withModuleRanks(fresh, wanted, names);
    result.rankPattern = nlohmann::json::object();
    result.alphaPattern = nlohmann::json::object();
    for (const auto& [key, r] : patterns.rankPattern) result.rankPattern[key] = r;
    for (const auto& [key, a] : patterns.alphaPattern) result.alphaPattern[key] = number(a);
    json["r"] = result.maxRank;
    json["rank_pattern"] = result.rankPattern;
    json["alpha_pattern"] = result.alphaPattern;
    writeAdapterFolder(outFolder, json, written, options.overwrite);
    result.folder = outFolder;
    return result;
}

void to_json(nlohmann::json& j, const ModuleResize& m) {
    j = nlohmann::json{{"name", m.name},
                       {"rank", m.rank},
                       {"new_rank", m.newRank},
                       {"energy_kept", m.energyKept},
                       {"relative_error", m.relativeError},
                       {"zero", m.zero}};
}

void to_json(nlohmann::json& j, const ResizeResult& r) {
    j = nlohmann::json{{"folder", r.folder},
                       {"modules", r.modules},
                       {"r", r.maxRank},
                       {"rank_pattern", r.rankPattern},
                       {"alpha_pattern", r.alphaPattern},
                       {"parameters_before", r.parametersBefore},
                       {"parameters_after", r.parametersAfter},
                       {"base_model_name_or_path", r.baseModelNameOrPath}};
}

} // namespace lorastudio

// Parameter counts as PEFT 0.8.2 reports them. See parameter_count.h. PEFT's rules reproduced here:
//  - get_nb_trainable_parameters sums numel over named_parameters(), which yields a tensor shared
//    by two names (tied lm_head) once;
//  - LoRA adds lora_A [r, in] and lora_B [out, r] per wrapped module, r from rank_pattern;
//  - bias "all": every parameter whose name contains "bias" becomes trainable;
//  - bias "lora_only": the biases of the wrapped modules. (PEFT 0.8.2 itself tested
//    hasattr(lora_layer, "bias") on the wrapper, which had no `bias` attribute before peft#1524,
//    so it trained none; later versions and LoRA Studio train them, as LoraConfig documents.)
//  - modules_to_save: every module whose name ends with an entry (plain str.endswith) is wrapped in
//    a ModulesToSaveWrapper holding the frozen original and a trainable deep copy; the copy's
//    parameters are new tensors, so they count in "all params" too.
#include "estimate/parameter_count.h"

#include "common/error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

namespace lorastudio {

namespace {

int64_t numel(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string parentOf(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? std::string() : name.substr(0, dot);
}

bool isInside(const std::string& param, const std::string& module) {
    return param.size() > module.size() && param.compare(0, module.size(), module) == 0 && param[module.size()] == '.';
}

} // namespace

double ParameterCounts::trainablePercent() const {
    // Python: 100 * trainable / all -> int * int exactly, then a correctly rounded true division;
    // both operands are below 2^53, so IEEE division of the exact doubles gives the same value.
    if (allParameters == 0) return 0.0;
    return static_cast<double>(100 * trainableParameters) / static_cast<double>(allParameters);
}

std::vector<std::string> moduleNames(const ModelSpec& spec) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& p : expectedParameters(spec)) {
        // every proper prefix ending before a '.' is a module: "a", "a.b", ... of "a.b.weight"
        for (std::size_t dot = p.name.find('.'); dot != std::string::npos; dot = p.name.find('.', dot + 1)) {
            std::string m = p.name.substr(0, dot);
            if (seen.insert(m).second) out.push_back(std::move(m));
        }
    }
    return out;
}

ParameterCounts countParameters(const ModelSpec& spec, const LoraSettings& lora) {
    ParameterCounts c;
    const std::vector<ParameterInfo> params = expectedParameters(spec);
    for (const auto& p : params)
        if (p.tiedTo.empty()) c.baseParameters += numel(p.shape);

    for (const LoraTarget& t : planLoraTargets(spec, lora)) {
        LoraModuleCount m;
        m.name = t.name;
        m.weightShape = t.conv1d ? std::vector<int64_t>{t.inFeatures, t.outFeatures}
                                 : std::vector<int64_t>{t.outFeatures, t.inFeatures};
        m.inFeatures = t.inFeatures;
        m.outFeatures = t.outFeatures;
        m.r = t.r;
        m.alpha = t.alpha;
        m.loraParameters = t.parameterCount() + (lora.useDora ? t.outFeatures : 0);  // DoRA: the magnitude
        c.loraParameters += m.loraParameters;
        c.modules.push_back(std::move(m));
    }

    // modules_to_save: the wrapped modules (PEFT matches with plain endswith, so "head" also
    // catches "lm_head"); a module inside another wrapped one is the same copy.
    std::vector<std::string> saved;
    const std::vector<std::string> modules = lora.modulesToSave.empty() ? std::vector<std::string>() : moduleNames(spec);
    for (const auto& entry : lora.modulesToSave) {
        bool found = false;
        for (const auto& m : modules) {
            if (entry.empty() || !endsWith(m, entry)) continue;
            found = true;
            bool nested = false;
            for (const auto& s : saved) nested = nested || s == m || isInside(m, s);
            if (!nested) saved.push_back(m);
        }
        if (!found)
            throw Error("lora.modules_to_save", "'" + entry + "' matches no module of the model",
                        "e.g. lm_head or " + spec.family().embeddingModules.front());
    }
    auto savedModuleOf = [&](const std::string& param) -> const std::string* {
        for (const auto& s : saved)
            if (isInside(param, s)) return &s;
        return nullptr;
    };

    std::set<std::string> adapted;
    if (lora.bias == LoraBias::LoraOnly)
        for (const auto& m : c.modules) adapted.insert(m.name);
    const bool anyExtra = lora.bias != LoraBias::None || !saved.empty();
    for (const auto& p : anyExtra ? params : std::vector<ParameterInfo>()) {
        const int64_t n = numel(p.shape);
        if (savedModuleOf(p.name)) {
            // The copy is trainable and new; the original (tied or not) stays frozen.
            c.extra.push_back({p.name, n, "modules_to_save"});
            c.modulesToSaveCopyParameters += n;
            continue;
        }
        if (!p.tiedTo.empty()) continue;  // the same tensor as its target
        if (lora.bias == LoraBias::All && p.name.find("bias") != std::string::npos)
            c.extra.push_back({p.name, n, "bias: all"});
        else if (lora.bias == LoraBias::LoraOnly && endsWith(p.name, ".bias") && adapted.count(parentOf(p.name)))
            c.extra.push_back({p.name, n, "bias: lora_only"});
    }
    for (const auto& e : c.extra) c.trainableBaseParameters += e.count;
    c.trainableParameters = c.loraParameters + c.trainableBaseParameters;
    c.allParameters = c.baseParameters + c.loraParameters + c.modulesToSaveCopyParameters;
    return c;
}


std::string trainableParametersLine(int64_t trainable, int64_t all) {
    const double percent = all == 0 ? 0.0 : static_cast<double>(100 * trainable) / static_cast<double>(all);
    return "trainable params: " + withThousandsSeparators(trainable) + " || all params: " + withThousandsSeparators(all) +
           " || trainable%: " + pythonFloatText(percent);
}

std::string trainableParametersLine(const ParameterCounts& counts) {
    return trainableParametersLine(counts.trainableParameters, counts.allParameters);
}

} // namespace lorastudio

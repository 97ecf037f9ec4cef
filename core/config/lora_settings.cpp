// ModuleSelection constructors, LoraSettings equality and the names of its enums. See
// lora_settings.h.
#include "config/lora_settings.h"

namespace lorastudio {

ModuleSelection ModuleSelection::list(std::vector<std::string> names) {
    ModuleSelection s;
    s.kind = Kind::List;
    s.names = std::move(names);
    return s;
}

ModuleSelection ModuleSelection::fromRegex(std::string regex) {
    ModuleSelection s;
    s.kind = Kind::Regex;
    s.regex = std::move(regex);
    return s;
}

ModuleSelection ModuleSelection::allLinear() {
    ModuleSelection s;
    s.kind = Kind::AllLinear;
    return s;
}

bool ModuleSelection::isEmpty() const {
    switch (kind) {
    case Kind::List: return names.empty();
    case Kind::Regex: return regex.empty();
    case Kind::AllLinear: return false;
    }
    return true;
}

bool operator==(const ModuleSelection& a, const ModuleSelection& b) {
    return a.kind == b.kind && a.names == b.names && a.regex == b.regex;
}

bool operator==(const LoraSettings& a, const LoraSettings& b) {
    return a.targetModules == b.targetModules && a.excludeModules == b.excludeModules && a.r == b.r &&
           a.loraAlpha == b.loraAlpha && a.loraDropout == b.loraDropout && a.useRslora == b.useRslora &&
           a.bias == b.bias && a.modulesToSave == b.modulesToSave && a.layersToTransform == b.layersToTransform &&
           a.rankPattern == b.rankPattern && a.alphaPattern == b.alphaPattern && a.init == b.init &&
           a.pissaNiter == b.pissaNiter && a.useDora == b.useDora && a.quantization == b.quantization &&
           a.quantizeAllLinear == b.quantizeAllLinear && a.doubleQuant == b.doubleQuant;
}

const std::vector<EnumEntry<LoraBias>>& enumEntries(LoraBias) {
    static const std::vector<EnumEntry<LoraBias>> t{
        {LoraBias::None, "none"}, {LoraBias::All, "all"}, {LoraBias::LoraOnly, "lora_only"}};
    return t;
}

const std::vector<EnumEntry<BaseQuantization>>& enumEntries(BaseQuantization) {
    static const std::vector<EnumEntry<BaseQuantization>> t{{BaseQuantization::None, "none"},
                                                            {BaseQuantization::Nf4, "nf4"},
                                                            {BaseQuantization::Int8, "int8"},
                                                            {BaseQuantization::Nf4, "4bit"},
                                                            {BaseQuantization::Int8, "8bit"}};
    return t;
}

std::string loraInitName(LoraInit init, int pissaNiter) {
    switch (init) {
    case LoraInit::Default: return "default";
    case LoraInit::Gaussian: return "gaussian";
    case LoraInit::Pissa: return pissaNiter > 0 ? "pissa_niter_" + std::to_string(pissaNiter) : "pissa";
    }
    return "default";
}

bool parseLoraInit(const std::string& text, LoraInit& init, int& pissaNiter) {
    if (equalsIgnoreCase(text, "default") || equalsIgnoreCase(text, "true")) {
        init = LoraInit::Default;
        pissaNiter = 0;
        return true;
    }
    if (equalsIgnoreCase(text, "gaussian")) {
        init = LoraInit::Gaussian;
        pissaNiter = 0;
        return true;
    }
    if (equalsIgnoreCase(text, "pissa")) {
        init = LoraInit::Pissa;
        pissaNiter = 0;
        return true;
    }
    const std::string prefix = "pissa_niter_";
    if (text.size() > prefix.size() && equalsIgnoreCase(text.substr(0, prefix.size()), prefix)) {
        const std::string digits = text.substr(prefix.size());
        if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
        const int n = std::stoi(digits);
        if (n < 1) return false;
        init = LoraInit::Pissa;
        pissaNiter = n;
        return true;
    }
    return false;
}

} // namespace lorastudio

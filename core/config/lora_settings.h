// LoraSettings: what LoRA adapts and how, with PEFT's names and meanings (target modules, rank,
// alpha, dropout, rsLoRA, DoRA, bias, init, rank/alpha patterns) plus the QLoRA storage of the
// frozen base weights. Owned by core/lora (which attaches them) and read or written by the
// project file, the studio and adapter import; Qt- and LibTorch-free.
#pragma once
#include "common/enum_names.h"

#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

enum class LoraBias { None, All, LoraOnly };                           // none, all, lora_only
enum class LoraInit { Default, Gaussian, Pissa };                      // PEFT init_lora_weights
// How the frozen base weights of the adapted layers are stored while training (QLoRA).
enum class BaseQuantization { None, Nf4, Int8 };                       // none, nf4, int8

// Which modules LoRA wraps (or skips), PEFT-style: a list entry matches a module whose name equals
// it or ends with ".entry"; a regex must match the whole module name; all-linear means every
// linear layer except the output head (target_modules only).
struct ModuleSelection {
    enum class Kind { List, Regex, AllLinear };
    Kind kind = Kind::List;
    std::vector<std::string> names; // Kind::List
    std::string regex;              // Kind::Regex

    static ModuleSelection list(std::vector<std::string> names);
    static ModuleSelection fromRegex(std::string regex);
    static ModuleSelection allLinear();
    // True for an empty list or an empty regex (exclude_modules: nothing excluded).
    bool isEmpty() const;
};

struct LoraSettings {
    ModuleSelection targetModules = ModuleSelection::allLinear();
    ModuleSelection excludeModules;                 // empty list: nothing excluded
    int r = 8;
    double loraAlpha = 16;                          // scaling = alpha / r, or alpha / sqrt(r) with rsLoRA
    double loraDropout = 0.05;
    bool useRslora = false;
    bool useDora = false;                           // DoRA: a trained magnitude per output row
    LoraBias bias = LoraBias::None;
    std::vector<std::string> modulesToSave;         // trained in full and saved with the adapter
    std::vector<int> layersToTransform;             // empty: every layer
    // pattern -> value, in file order: PEFT uses the first pattern that matches a module name
    // (re.match(rf"(.*\.)?({pattern})$", name)), so order matters and is kept.
    std::vector<std::pair<std::string, int>> rankPattern;
    std::vector<std::pair<std::string, double>> alphaPattern;
    LoraInit init = LoraInit::Default;
    int pissaNiter = 0;                             // Pissa only: 0 = full SVD, N = "pissa_niter_N"
    // QLoRA: the frozen base weights of the adapted layers (of every linear layer but the output
    // head with quantizeAllLinear) are kept as NF4 or int8 and dequantized for each matmul.
    BaseQuantization quantization = BaseQuantization::None;
    bool quantizeAllLinear = false;
    bool doubleQuant = true;                        // NF4: the block absmaxes stored as 8-bit codes too
};

bool operator==(const ModuleSelection& a, const ModuleSelection& b);
bool operator==(const LoraSettings& a, const LoraSettings& b);
inline bool operator!=(const ModuleSelection& a, const ModuleSelection& b) { return !(a == b); }
inline bool operator!=(const LoraSettings& a, const LoraSettings& b) { return !(a == b); }

const std::vector<EnumEntry<LoraBias>>& enumEntries(LoraBias);
const std::vector<EnumEntry<BaseQuantization>>& enumEntries(BaseQuantization);

// LoRA init as written in files: "default", "gaussian", "pissa" or "pissa_niter_N".
std::string loraInitName(LoraInit init, int pissaNiter);
// Parses the above (and PEFT's `true`, given as "true"); false when not recognised.
bool parseLoraInit(const std::string& text, LoraInit& init, int& pissaNiter);

} // namespace lorastudio

// Which linear modules LoRA wraps, and with which rank and alpha, decided exactly as PEFT 0.8.2
// does (tuners_utils.check_target_module_exists, LoraModel._create_and_replace). Torch-free: works
// from module names, or from a ModelSpec without building the model (for estimates and the GUI).
#pragma once
#include "model/model_spec.h"
#include "config/lora_settings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

// One linear module of a model as plain data (the torch-free twin of LinearModuleInfo).
struct LinearModuleShape {
    std::string name;          // HF module name, e.g. "model.layers.0.self_attn.q_proj"
    int64_t inFeatures = 0;
    int64_t outFeatures = 0;
    bool conv1d = false;       // GPT-2 Conv1D (fan_in_fan_out, weight [in, out])
    bool tied = false;         // output head sharing the embedding matrix
};

// A module LoRA will wrap, with its own rank and alpha (rank_pattern / alpha_pattern applied).
struct LoraTarget {
    std::string name;
    int64_t inFeatures = 0;
    int64_t outFeatures = 0;
    int r = 0;
    double alpha = 0;
    double scaling = 0;        // alpha / r, or alpha / sqrt(r) with rsLoRA
    bool conv1d = false;
    int64_t parameterCount() const { return int64_t(r) * (inFeatures + outFeatures); }
};

// The name of the output head every supported architecture uses ("lm_head").
extern const char* const kOutputHeadName;

// Every linear module the model of `spec` has, in registration order, without building it:
// derived from expectedParameters() (2-D weights that are not embeddings).
std::vector<LinearModuleShape> linearModuleShapes(const ModelSpec& spec);

// PEFT's raw test of one name against a selection: a list entry matches a name equal to it or
// ending with "." + entry; a regex must match the whole name (Python re.fullmatch); all-linear is
// not accepted here (see allLinearSuffixes). `where` names the setting in regex errors.
bool selectionMatches(const ModuleSelection& selection, const std::string& name,
                      const std::string& where = "lora.target_modules");

// What PEFT 0.8.2 turns target_modules "all-linear" into: the set of last name components of all
// linear modules minus the output head's, sorted (e.g. {"c_attn", "c_fc", "c_proj"} for GPT-2).
std::vector<std::string> allLinearSuffixes(const std::vector<std::string>& linearNames,
                                           const std::string& outputHead = kOutputHeadName);

// The layer index PEFT reads from a name (re.match(r".*\.[^.]*\.(\d+)\.", name)): the number
// after the last "<word>." that is itself followed by a dot; -1 when there is none.
int layerIndexOf(const std::string& name);

// The names among `linearNames` (in their order) that LoRA wraps under `settings`:
//  - list: equal or "." + entry suffix; then layers_to_transform filters (PEFT applies it only to
//    suffix matches, not to names listed in full);
//  - regex: re.fullmatch (layers_to_transform is not applied, as in PEFT);
//  - all-linear: the list allLinearSuffixes() gives, so the output head is never wrapped;
//  - exclude_modules (list or regex, as later PEFT versions define it) removes names.
// Throws Error when nothing matches, with a few available names and suffixes as the hint.
std::vector<std::string> matchTargetModules(const std::vector<std::string>& linearNames,
                                            const LoraSettings& settings,
                                            const std::string& outputHead = kOutputHeadName);

// Rank and alpha of one module, PEFT 0.8.2's way: the keys of rank_pattern followed by those of
// alpha_pattern are tried in order with re.match(".*\." + key + "$", name); the first key that
// matches is looked up in both maps (missing -> the global r / lora_alpha); when none matches,
// the full module name itself is looked up. Note the quirk this keeps: a module matching a rank
// key first does not also pick up a different alpha key.
struct RankAlpha {
    int r = 0;
    double alpha = 0;
};
RankAlpha rankAndAlphaFor(const std::string& name, const LoraSettings& settings);

// alpha / r, or alpha / sqrt(r) with rsLoRA.
double loraScaling(double alpha, int r, bool useRslora);

// matchTargetModules + rankAndAlphaFor for every matched module. Throws Error for a rank < 1.
std::vector<LoraTarget> planLoraTargets(const std::vector<LinearModuleShape>& modules,
                                        const LoraSettings& settings);
// Same from a config alone.
std::vector<LoraTarget> planLoraTargets(const ModelSpec& spec, const LoraSettings& settings);

// The modules whose frozen base weight QLoRA stores quantized (settings.quantization set): the
// targets, or with quantizeAllLinear every linear module but the output head and tied weights.
// Empty when quantization is none.
std::vector<std::string> quantizedModuleNames(const std::vector<LinearModuleShape>& modules,
                                              const LoraSettings& settings);

// Targets whose r exceeds min(in, out): B·A cannot have a rank above min(in, out), so the extra
// r - min(in, out) directions cost parameters and memory and learn nothing new. One line per
// distinct (r, min) with the first module and how many more, e.g. "r = 200 exceeds min(in, out) =
// 128 of transformer.h.0.attn.c_proj (and 3 more modules): ...". Empty when every r fits.
std::vector<std::string> rankWarnings(const std::vector<LoraTarget>& targets);

} // namespace lorastudio

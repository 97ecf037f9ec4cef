// The modules panel's logic without widgets: the text form of target_modules, the presets,
// layers_to_transform as "0-3, 8", and the shortest target list that selects exactly a set of
// checked modules (checked with core's PEFT matcher, so what the tree shows is what LoRA wraps).
#pragma once
#include "model/model_spec.h"
#include "project/project_config.h"

#include <QString>

#include <set>
#include <string>
#include <vector>

namespace lorastudio::ui {

enum class ModulePreset { AttentionQV, AllAttention, AllLinear };

// PEFT's usual choice for each architecture (the architecture table's presets): attention q,v
// (GPT-2: the fused c_attn), all attention projections (GPT-2: c_attn and attn.c_proj), or all-linear.
ModuleSelection presetSelection(ModulePreset preset, const ModelSpec& spec);

// "q_proj, v_proj", the regex, or "all-linear".
QString selectionText(const ModuleSelection& selection);
// Reads the pattern field: regex = false: names separated by commas or spaces ("all-linear" alone
// means all-linear); regex = true: one Python regex (checked to compile). False with `error` set
// when the text is not usable.
bool parseSelectionText(const QString& text, bool regex, ModuleSelection& out, QString* error);

// "0-3, 8" <-> {0, 1, 2, 3, 8}. Parsing fails (false, error set) on anything but non-negative
// integers and ranges; the result is sorted without duplicates. Empty text: every layer.
QString layerListText(const std::vector<int>& layers);
bool parseLayerList(const QString& text, std::vector<int>& out, QString* error);

// The names in `linearNames` (in order) LoRA wraps under `lora`, or empty with `error` set when the
// selection matches nothing or is invalid (core's message and hint).
std::vector<std::string> matchedModules(const std::vector<std::string>& linearNames, const LoraSettings& lora,
                                        QString* error);

// A target_modules value that, together with the other settings of `lora`, selects exactly
// `checked`: all-linear, else a list of name endings (last one, then last two components), else the
// full names. An empty `checked` gives an empty list.
ModuleSelection selectionForChecked(const std::vector<std::string>& linearNames,
                                    const std::set<std::string>& checked, const LoraSettings& lora);

} // namespace lorastudio::ui

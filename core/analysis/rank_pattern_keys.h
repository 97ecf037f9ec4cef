// rank_pattern / alpha_pattern keys written by the studio (a rank suggestion, a resized adapter):
// each module gets exactly the rank and alpha chosen for it, under PEFT 0.8.2's lookup
// (re.match(".*\." + key + "$"), else the module's full name as a key), later PEFT's
// ("(.*\.)?(key)$") and ours (rankAndAlphaFor) alike. The rule is in docs/insight.md.
#pragma once
#include "config/lora_settings.h"

#include <string>
#include <vector>

namespace lorastudio {

struct ModuleRankAlpha {
    std::string name;   // full module name, e.g. "transformer.h.0.attn.c_attn"
    int rank = 0;
    double alpha = 0;
};

// `settings` with rank_pattern rewritten (and alpha_pattern extended where the chosen alpha needs
// it) so that rankAndAlphaFor(m.name, result) == (m.rank, m.alpha) for every m in `wanted`, while
// every other name in `targets` keeps the rank and alpha `settings` gives it. r and lora_alpha
// stay. Modules of one stack and kind that share (rank, alpha) share a key: "h\.(0|2)\.attn\.c_attn",
// or "attn\.c_attn" when that covers all of them. Throws Error naming a module for which no key
// resolves exactly (e.g. a name PEFT's rule cannot single out).
LoraSettings withModuleRanks(const LoraSettings& settings, const std::vector<ModuleRankAlpha>& wanted,
                             const std::vector<std::string>& targets);

// Python re.escape for module names: every character but [A-Za-z0-9_] gets a backslash.
std::string escapePattern(const std::string& text);

// Which of `names` a rank_pattern key selects: under PEFT 0.8.2's rule (and our parser) with
// `newerPeft` false, under later PEFT's (.*\.)?(key)$ with it true; the exact-name fallback included.
std::vector<std::string> namesSelectedBy(const std::string& key, const std::vector<std::string>& names, bool newerPeft);

} // namespace lorastudio

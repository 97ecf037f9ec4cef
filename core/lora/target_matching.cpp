// PEFT 0.8.2's module targeting, torch-free. See target_matching.h. Regexes are Python `re`
// patterns; PCRE2 (UTF + UCP) reads the same syntax for everything users write in practice.
#include "lora/target_matching.h"

#include "common/error.h"

#include <pcre2.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace lorastudio {

const char* const kOutputHeadName = "lm_head";

namespace {

enum class Anchor { Full, Start }; // re.fullmatch / re.match

// A compiled Python-style regex. `where` names the setting in error messages.
class PyRegex {
public:
    PyRegex(const std::string& pattern, const std::string& where) : m_pattern(pattern) {
        int err = 0;
        PCRE2_SIZE offset = 0;
        pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                         PCRE2_UTF | PCRE2_UCP, &err, &offset, nullptr);
        if (!code) {
            PCRE2_UCHAR buf[256];
            pcre2_get_error_message(err, buf, sizeof buf);
            throw Error(where, "invalid regular expression '" + pattern + "': " +
                                   reinterpret_cast<const char*>(buf) + " at offset " + std::to_string(offset),
                        "a single string is a regex that must match the whole module name, e.g. "
                        "'.*\\.(q_proj|v_proj)'; use a list for plain names");
        }
        m_code.reset(code, pcre2_code_free);
        m_data.reset(pcre2_match_data_create_from_pattern(code, nullptr), pcre2_match_data_free);
    }

    // True when the pattern matches `s` (anchored at the start; with Full also at the end).
    // group1 (optional) receives capture group 1.
    bool match(const std::string& s, Anchor anchor, std::string* group1 = nullptr) const {
        uint32_t options = PCRE2_ANCHORED;
        if (anchor == Anchor::Full) options |= PCRE2_ENDANCHORED;
        const int rc = pcre2_match(m_code.get(), reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, options,
                                   m_data.get(), nullptr);
        if (rc == PCRE2_ERROR_NOMATCH) return false;
        if (rc < 0) throw Error("regex '" + m_pattern + "'", "matching '" + s + "' failed (PCRE2 code " +
                                                                 std::to_string(rc) + ")");
        if (group1) {
            const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(m_data.get());
            group1->clear();
            if (rc > 1 && ov[2] != PCRE2_UNSET) *group1 = s.substr(ov[2], ov[3] - ov[2]);
        }
        return true;
    }

private:
    std::string m_pattern;
    std::shared_ptr<pcre2_code> m_code;
    std::shared_ptr<pcre2_match_data> m_data;
};

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lastComponent(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

bool isAllLinearText(const ModuleSelection& s) {
    return s.kind == ModuleSelection::Kind::AllLinear ||
           (s.kind == ModuleSelection::Kind::Regex && equalsIgnoreCase(s.regex, "all-linear"));
}

// True when `name` equals an entry or ends with "." + entry.
bool listMatches(const std::vector<std::string>& entries, const std::string& name) {
    for (const auto& e : entries)
        if (name == e || endsWith(name, "." + e)) return true;
    return false;
}

bool listHasExact(const std::vector<std::string>& entries, const std::string& name) {
    return std::find(entries.begin(), entries.end(), name) != entries.end();
}

std::string describeSelection(const ModuleSelection& s) {
    if (s.kind == ModuleSelection::Kind::AllLinear) return "all-linear";
    if (s.kind == ModuleSelection::Kind::Regex) return "regex '" + s.regex + "'";
    std::string out = "[";
    for (std::size_t i = 0; i < s.names.size(); ++i) out += (i ? ", '" : "'") + s.names[i] + "'";
    return out + "]";
}

std::string availableHint(const std::vector<std::string>& names) {
    if (names.empty()) return "the model has no linear modules";
    std::string hint = "available modules include ";
    const std::size_t shown = std::min<std::size_t>(names.size(), 4);
    for (std::size_t i = 0; i < shown; ++i) hint += (i ? ", " : "") + names[i];
    hint += " (" + std::to_string(names.size()) + " in all); their name endings are ";
    std::vector<std::string> suffixes;
    for (const auto& n : names) {
        const std::string last = lastComponent(n);
        if (std::find(suffixes.begin(), suffixes.end(), last) == suffixes.end()) suffixes.push_back(last);
    }
    for (std::size_t i = 0; i < suffixes.size(); ++i) hint += (i ? ", " : "") + suffixes[i];
    return hint;
}

} // namespace

std::vector<LinearModuleShape> linearModuleShapes(const ModelSpec& spec) {
    const std::vector<std::string>& embeddings = spec.family().embeddingModules;
    std::vector<LinearModuleShape> out;
    for (const auto& p : expectedParameters(spec)) {
        if (p.shape.size() != 2 || !endsWith(p.name, ".weight")) continue;
        const std::string module = p.name.substr(0, p.name.size() - 7);
        if (std::find(embeddings.begin(), embeddings.end(), lastComponent(module)) != embeddings.end()) continue;
        LinearModuleShape m;
        m.name = module;
        m.conv1d = spec.family().fanInFanOut && module != kOutputHeadName;
        m.inFeatures = m.conv1d ? p.shape[0] : p.shape[1];
        m.outFeatures = m.conv1d ? p.shape[1] : p.shape[0];
        m.tied = !p.tiedTo.empty();
        out.push_back(std::move(m));
    }
    return out;
}

bool selectionMatches(const ModuleSelection& selection, const std::string& name, const std::string& where) {
    switch (selection.kind) {
    case ModuleSelection::Kind::List:
        return listMatches(selection.names, name);
    case ModuleSelection::Kind::Regex:
        return PyRegex(selection.regex, where).match(name, Anchor::Full);
    case ModuleSelection::Kind::AllLinear:
        break;
    }
    throw Error(where, "'all-linear' needs the whole module list", "use matchTargetModules");
}

std::vector<std::string> allLinearSuffixes(const std::vector<std::string>& linearNames,
                                           const std::string& outputHead) {
    std::set<std::string> suffixes;
    for (const auto& n : linearNames) suffixes.insert(lastComponent(n));
    // PEFT removes the head's full module name from the set of last components.
    suffixes.erase(outputHead);
    return {suffixes.begin(), suffixes.end()};
}

int layerIndexOf(const std::string& name) {
    static const PyRegex layerRegex(R"(.*\.[^.]*\.(\d+)\.)", "layers_to_transform");
    std::string digits;
    if (!layerRegex.match(name, Anchor::Start, &digits) || digits.empty()) return -1;
    try {
        return std::stoi(digits);
    } catch (const std::exception&) {
        return -1; // absurdly long digit runs: no layer PEFT could select either
    }
}

std::vector<std::string> matchTargetModules(const std::vector<std::string>& linearNames,
                                            const LoraSettings& settings, const std::string& outputHead) {
    const ModuleSelection& target = settings.targetModules;
    const ModuleSelection& exclude = settings.excludeModules;
    if (exclude.kind == ModuleSelection::Kind::AllLinear)
        throw Error("lora.exclude_modules", "'all-linear' is only allowed for target_modules",
                    "list the modules to leave out, or give a regex");

    const bool allLinear = isAllLinearText(target);
    const bool isRegex = !allLinear && target.kind == ModuleSelection::Kind::Regex;
    const std::vector<std::string> entries = allLinear ? allLinearSuffixes(linearNames, outputHead) : target.names;
    std::unique_ptr<PyRegex> targetRegex, excludeRegex;
    if (isRegex) targetRegex = std::make_unique<PyRegex>(target.regex, "lora.target_modules");
    if (exclude.kind == ModuleSelection::Kind::Regex && !exclude.regex.empty())
        excludeRegex = std::make_unique<PyRegex>(exclude.regex, "lora.exclude_modules");
    const auto& layers = settings.layersToTransform;

    std::vector<std::string> matched;
    for (const auto& name : linearNames) {
        if (excludeRegex ? excludeRegex->match(name, Anchor::Full)
                         : (exclude.kind == ModuleSelection::Kind::List && listMatches(exclude.names, name)))
            continue;
        bool found = false;
        if (isRegex) {
            found = targetRegex->match(name, Anchor::Full);
        } else if (listHasExact(entries, name)) {
            found = true; // named in full: layers_to_transform does not apply (PEFT's branch order)
        } else if (listMatches(entries, name)) {
            found = true;
            if (!layers.empty()) {
                const int layer = layerIndexOf(name);
                found = layer >= 0 && std::find(layers.begin(), layers.end(), layer) != layers.end();
            }
        }
        if (found) matched.push_back(name);
    }

    if (matched.empty()) {
        std::string what = "target_modules " + describeSelection(target) + " matched no linear module";
        if (!exclude.isEmpty()) what += " (after exclude_modules " + describeSelection(exclude) + ")";
        if (!layers.empty() && !isRegex) {
            what += " in layers_to_transform [";
            for (std::size_t i = 0; i < layers.size(); ++i) what += (i ? ", " : "") + std::to_string(layers[i]);
            what += "]";
        }
        throw Error("lora.target_modules", what, availableHint(linearNames));
    }
    return matched;
}

RankAlpha rankAndAlphaFor(const std::string& name, const LoraSettings& settings) {
    RankAlpha out{settings.r, settings.loraAlpha};
    std::vector<std::string> keys;
    for (const auto& kv : settings.rankPattern) keys.push_back(kv.first);
    for (const auto& kv : settings.alphaPattern) keys.push_back(kv.first);
    for (const auto& key : keys) {
        // The key is pasted into the pattern as PEFT does, so "a|b" alternates the whole thing.
        if (!PyRegex(".*\\." + key + "$", "lora.rank_pattern/alpha_pattern").match(name, Anchor::Start)) continue;
        for (const auto& kv : settings.rankPattern)
            if (kv.first == key) { out.r = kv.second; break; }
        for (const auto& kv : settings.alphaPattern)
            if (kv.first == key) { out.alpha = kv.second; break; }
        return out;
    }
    // No key matched: PEFT looks the full module name itself up in both maps.
    for (const auto& kv : settings.rankPattern)
        if (kv.first == name) { out.r = kv.second; break; }
    for (const auto& kv : settings.alphaPattern)
        if (kv.first == name) { out.alpha = kv.second; break; }
    return out;
}

double loraScaling(double alpha, int r, bool useRslora) {
    return useRslora ? alpha / std::sqrt(double(r)) : alpha / double(r);
}

std::vector<LoraTarget> planLoraTargets(const std::vector<LinearModuleShape>& modules,
                                        const LoraSettings& settings) {
    std::vector<std::string> names;
    for (const auto& m : modules) names.push_back(m.name);
    const auto matched = matchTargetModules(names, settings);
    std::vector<LoraTarget> out;
    for (const auto& m : modules) {
        if (std::find(matched.begin(), matched.end(), m.name) == matched.end()) continue;
        const RankAlpha ra = rankAndAlphaFor(m.name, settings);
        if (ra.r < 1)
            throw Error("lora.r", "module '" + m.name + "' would get rank " + std::to_string(ra.r),
                        "r and every rank_pattern value must be at least 1");
        out.push_back({m.name, m.inFeatures, m.outFeatures, ra.r, ra.alpha,
                       loraScaling(ra.alpha, ra.r, settings.useRslora), m.conv1d});
    }
    return out;
}

std::vector<LoraTarget> planLoraTargets(const ModelSpec& spec, const LoraSettings& settings) {
    return planLoraTargets(linearModuleShapes(spec), settings);
}

std::vector<std::string> rankWarnings(const std::vector<LoraTarget>& targets) {
    struct Group {
        int r;
        int64_t limit;
        std::string first;
        int count;
    };
    std::vector<Group> groups;
    for (const LoraTarget& t : targets) {
        const int64_t limit = std::min(t.inFeatures, t.outFeatures);
        if (t.r <= limit) continue;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.r == t.r && g.limit == limit; });
        if (it == groups.end()) groups.push_back({t.r, limit, t.name, 1});
        else ++it->count;
    }
    std::vector<std::string> out;
    for (const Group& g : groups)
        out.push_back("r = " + std::to_string(g.r) + " exceeds min(in, out) = " + std::to_string(g.limit) + " of " + g.first +
                      (g.count > 1 ? " (and " + std::to_string(g.count - 1) + " more module" + (g.count > 2 ? "s" : "") + ")" : "") +
                      ": the update's rank cannot pass " + std::to_string(g.limit) + ", so the extra " +
                      std::to_string(g.r - g.limit) + " directions cost parameters and learn nothing (hint: r <= " +
                      std::to_string(g.limit) + ", or rank_pattern for those modules)");
    return out;
}

std::vector<std::string> quantizedModuleNames(const std::vector<LinearModuleShape>& modules,
                                              const LoraSettings& settings) {
    std::vector<std::string> out;
    if (settings.quantization == BaseQuantization::None) return out;
    if (!settings.quantizeAllLinear) {
        for (const auto& t : planLoraTargets(modules, settings))
            for (const auto& m : modules)
                if (m.name == t.name && !m.tied) out.push_back(t.name);
        return out;
    }
    for (const auto& m : modules)
        if (!m.tied && m.name != kOutputHeadName) out.push_back(m.name);
    return out;
}

} // namespace lorastudio

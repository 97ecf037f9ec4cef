// See rank_pattern_keys.h. Keys are built per group of modules (same stack, kind, rank and alpha),
// each candidate checked against every module name under both PEFT rules before it is used, and
// the finished settings checked once more through rankAndAlphaFor (the order of keys, old
// alpha_pattern entries and PEFT's quirk that an alpha is looked up under the matched rank key).
#include "analysis/rank_pattern_keys.h"

#include "analysis/module_names.h"
#include "common/error.h"
#include "lora/target_matching.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace lorastudio {

namespace {

std::vector<std::string> components(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        parts.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) return parts;
        start = dot + 1;
    }
}

std::string escapedJoin(const std::vector<std::string>& parts, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t i = begin; i < end; ++i) out += (i > begin ? "\\." : "") + escapePattern(parts[i]);
    return out;
}

// A group of modules that one key should select.
struct Group {
    std::string stack, kind;  // parseModuleName's; stack "" for a module without a layer
    int rank = 0;
    double alpha = 0;
    std::vector<std::string> names;
    std::vector<int> layers;  // ascending, one per name (modules with a layer)
};

std::string layerAlternation(const std::vector<int>& layers) {
    if (layers.size() == 1) return std::to_string(layers.front());
    std::string out = "(";
    for (std::size_t i = 0; i < layers.size(); ++i) out += (i ? "|" : "") + std::to_string(layers[i]);
    return out + ")";
}

// Candidate keys for a group, most readable first.
std::vector<std::string> candidateKeys(const Group& g) {
    std::vector<std::string> keys;
    const std::vector<std::string> parts = components(g.names.front());
    if (g.stack.empty()) {  // no layer index: one module
        if (parts.size() == 1) return {g.names.front()};  // PEFT's exact-name fallback
        keys.push_back(escapedJoin(parts, 1, parts.size()));
        keys.push_back("(?<=^" + escapePattern(parts[0]) + "\\.)" + keys.back());
        return keys;
    }
    const std::string kind = escapedJoin(components(g.kind), 0, components(g.kind).size());
    keys.push_back(kind);  // every module of this kind (only kept when that is exactly the group)
    const std::vector<std::string> stack = components(g.stack);
    const std::string layers = layerAlternation(g.layers);
    const std::string tail = (stack.size() > 1 ? escapedJoin(stack, 1, stack.size()) + "\\." : "") + layers + "\\." + kind;
    keys.push_back(tail);
    keys.push_back("(?<=^" + escapePattern(stack[0]) + "\\.)" + tail);
    return keys;
}

std::string pickKey(const Group& g, const std::vector<std::string>& all) {
    std::vector<std::string> wanted = g.names;
    std::sort(wanted.begin(), wanted.end());
    for (const std::string& key : candidateKeys(g)) {
        std::vector<std::string> older = namesSelectedBy(key, all, false), newer = namesSelectedBy(key, all, true);
        std::sort(older.begin(), older.end());
        std::sort(newer.begin(), newer.end());
        if (older == wanted && newer == wanted) return key;
    }
    throw Error("lora.rank_pattern", "no pattern key selects exactly module '" + g.names.front() + "'" +
                                         (g.names.size() > 1 ? " and " + std::to_string(g.names.size() - 1) + " more" : ""),
                "PEFT matches a key against the end of a module name after a dot; give its rank by hand");
}

std::vector<Group> groupModules(const std::vector<ModuleRankAlpha>& keyed) {
    std::vector<Group> groups;
    std::map<std::tuple<std::string, std::string, int, double>, std::size_t> index;
    for (const ModuleRankAlpha& m : keyed) {
        const ModuleLocation loc = parseModuleName(m.name);
        const std::string stack = loc.layer >= 0 ? loc.stack : std::string();
        // Modules without a layer and layers stacked at the top level get a key each.
        const bool alone = loc.layer < 0 || stack.empty();
        const auto id = std::make_tuple(alone ? m.name : stack, alone ? std::string() : loc.kind, m.rank, m.alpha);
        auto it = index.find(id);
        if (it == index.end()) {
            it = index.emplace(id, groups.size()).first;
            groups.push_back({alone ? std::string() : stack, alone ? m.name : loc.kind, m.rank, m.alpha, {}, {}});
        }
        groups[it->second].names.push_back(m.name);
        if (!alone) groups[it->second].layers.push_back(loc.layer);
    }
    for (Group& g : groups) std::sort(g.layers.begin(), g.layers.end());
    // Highest rank first, then the order the kinds first appear in.
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.rank > b.rank; });
    return groups;
}

} // namespace

std::string escapePattern(const std::string& text) {
    std::string out;
    for (char c : text) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!plain) out += '\\';
        out += c;
    }
    return out;
}

std::vector<std::string> namesSelectedBy(const std::string& key, const std::vector<std::string>& names, bool newerPeft) {
    LoraSettings probe;
    probe.r = 0;  // a module the key selects gets rank 1
    probe.rankPattern = {{key, 1}};
    std::vector<std::string> out;
    for (const std::string& name : names) {
        bool hit = rankAndAlphaFor(name, probe).r == 1;
        // Later PEFT also lets the key match the whole name: "(.*\.)?" may be empty.
        if (!hit && newerPeft) hit = selectionMatches(ModuleSelection::fromRegex(key), name, "lora.rank_pattern");
        if (hit) out.push_back(name);
    }
    return out;
}

LoraSettings withModuleRanks(const LoraSettings& settings, const std::vector<ModuleRankAlpha>& wanted,
                             const std::vector<std::string>& targets) {
    std::vector<std::string> all = targets;
    std::map<std::string, RankAlpha> want;
    for (const std::string& name : targets) want[name] = rankAndAlphaFor(name, settings);
    for (const ModuleRankAlpha& m : wanted) {
        if (!want.count(m.name)) all.push_back(m.name);
        want[m.name] = {m.rank, m.alpha};
    }
    // First only modules whose rank differs from r get a key; a module the result still resolves
    // wrongly (an old alpha_pattern key now reached first, say) gets one too, and so on.
    std::set<std::string> keyed;
    for (const std::string& name : all)
        if (want[name].r != settings.r) keyed.insert(name);
    for (int round = 0; round < 3; ++round) {
        std::vector<ModuleRankAlpha> list;
        for (const std::string& name : all)
            if (keyed.count(name)) list.push_back({name, want[name].r, want[name].alpha});
        LoraSettings out = settings;
        out.rankPattern.clear();
        std::vector<std::pair<std::string, double>> alphas;
        for (const Group& g : groupModules(list)) {
            const std::string key = pickKey(g, all);
            out.rankPattern.emplace_back(key, g.rank);
            if (g.alpha != settings.loraAlpha) alphas.emplace_back(key, g.alpha);
        }
        for (const auto& old : settings.alphaPattern)
            if (std::none_of(alphas.begin(), alphas.end(), [&](const auto& a) { return a.first == old.first; }))
                alphas.push_back(old);
        out.alphaPattern = alphas;
        std::vector<std::string> wrong;
        for (const std::string& name : all) {
            const RankAlpha got = rankAndAlphaFor(name, out);
            if (got.r != want[name].r || got.alpha != want[name].alpha) wrong.push_back(name);
        }
        if (wrong.empty()) return out;
        for (const std::string& name : wrong)
            if (!keyed.insert(name).second)
                throw Error("lora.rank_pattern", "module '" + name + "' does not resolve to rank " + std::to_string(want[name].r) +
                                                     " with the written keys", "give its rank by hand");
    }
    throw Error("lora.rank_pattern", "the written keys do not resolve every module to its rank",
                "give the ranks by hand");
}

} // namespace lorastudio

// What saving carries over from the file it replaces (see project_carry.h). Lines are matched by
// key path: "r" under "lora:" is "lora.r". yaml-cpp keeps no comments, so they are read from the
// text line by line; unknown keys are read with yaml-cpp and written back with its emitter.
#include "project/project_carry.h"

#include "project/project_file.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace lorastudio {

namespace {

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return {};
    const auto b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

// Where a trailing "# comment" starts on a line (outside quotes), or npos.
std::size_t trailingComment(const std::string& line) {
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        else if (c == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
    }
    return std::string::npos;
}

// A "key:" line: its indent and key ("" when the line is not one).
struct KeyLine {
    int indent = -1;
    std::string key;
};
KeyLine keyLine(const std::string& line) {
    static const std::regex pattern(R"(^(\s*)([A-Za-z_][A-Za-z0-9_.-]*)\s*:(\s|$))");
    std::smatch m;
    if (!std::regex_search(line, m, pattern)) return {};
    return {static_cast<int>(m[1].length()), m[2].str()};
}

// The user's comments of a text, by the key path they belong to.
struct Comments {
    std::map<std::string, std::vector<std::string>> above;  // full-line comments before a key
    std::map<std::string, std::string> after;               // "# ..." after a key's value
    std::vector<std::string> atEnd;                         // after the last key
};

// Walks text's lines keeping the key path: fn(keyLine, path, line) for each line, path "" for a
// line that is no key of ours (a comment, a blank, a list item, a pattern entry).
template <typename Fn> void walk(const std::vector<std::string>& lines, Fn fn) {
    std::string section;
    for (const std::string& line : lines) {
        const KeyLine k = keyLine(line);
        if (k.indent == 0) section = k.key;
        // Only two levels are keys: deeper lines are pattern entries (rank_pattern), kept with their parent.
        const std::string path = k.indent < 0 ? std::string() : k.indent == 0 ? k.key
                                 : k.indent <= 2                             ? section + "." + k.key
                                                                             : std::string();
        fn(k, path, line);
    }
}

// Every comment text the studio writes itself (so a file it wrote carries nothing).
std::set<std::string> ownComments(const std::string& ownText) {
    std::set<std::string> own;
    for (const std::string& line : splitLines(ownText)) {
        const std::string t = trim(line);
        if (!t.empty() && t[0] == '#') own.insert(t);
        else if (const auto at = trailingComment(line); at != std::string::npos) own.insert(trim(line.substr(at)));
    }
    return own;
}

Comments userComments(const std::string& previousText, const std::set<std::string>& own) {
    Comments c;
    std::vector<std::string> pending;
    walk(splitLines(previousText), [&](const KeyLine&, const std::string& path, const std::string& line) {
        const std::string t = trim(line);
        if (path.empty()) {
            if (!t.empty() && t[0] == '#' && !own.count(t)) pending.push_back(t);
            return;
        }
        if (!pending.empty()) {
            auto& block = c.above[path];
            block.insert(block.end(), pending.begin(), pending.end());
            pending.clear();
        }
        if (const auto at = trailingComment(line); at != std::string::npos) {
            const std::string comment = trim(line.substr(at));
            if (!own.count(comment)) c.after[path] = comment;
        }
    });
    c.atEnd = pending;
    return c;
}

// Unknown keys of the previous file, by section ("" = top level), each as emitted YAML lines.
std::map<std::string, std::vector<std::pair<std::string, std::string>>> unknownKeys(const std::string& previousText) {
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> found;
    YAML::Node root;
    try {
        root = YAML::Load(previousText);
    } catch (const YAML::Exception&) {
        return found;
    }
    if (!root.IsMap()) return found;
    auto emit = [](const std::string& key, const YAML::Node& value) {
        YAML::Node one;
        one[key] = value;
        YAML::Emitter out;
        out << one;
        return std::string(out.c_str());
    };
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        const std::string key = it->first.Scalar();
        if (!isProjectSection(key)) {
            if (!isKnownProjectKey("", key)) found[""].emplace_back(key, emit(key, it->second));
            continue;
        }
        if (!it->second.IsMap()) continue;
        for (auto kv = it->second.begin(); kv != it->second.end(); ++kv)
            if (kv->first.IsScalar() && !isKnownProjectKey(key, kv->first.Scalar()))
                found[key].emplace_back(kv->first.Scalar(), emit(kv->first.Scalar(), kv->second));
    }
    return found;
}

void addIndented(std::vector<std::string>& out, const std::string& yaml, const std::string& indent) {
    for (const std::string& line : splitLines(yaml)) out.push_back(indent + line);
}

const char* const kKeptNote = "# kept as written: not a key LoRA Studio reads";

} // namespace

CarriedText projectToYamlKeeping(const ProjectConfig& config, const std::string& previousText) {
    CarriedText result;
    const std::string own = projectToYaml(config);
    if (previousText.empty()) {
        result.text = own;
        return result;
    }
    std::set<std::string> ownSet = ownComments(own);
    ownSet.insert(kKeptNote);  // written by an earlier save
    Comments comments = userComments(previousText, ownSet);
    const auto unknown = unknownKeys(previousText);

    std::vector<std::string> out;
    std::set<std::string> placed;
    auto placeAbove = [&](const std::string& path, const std::string& indent) {
        const auto it = comments.above.find(path);
        if (it == comments.above.end()) return;
        for (const std::string& c : it->second) out.push_back(indent + c);
        result.keptComments += static_cast<int>(it->second.size());
        placed.insert(path);
    };
    auto addUnknown = [&](const std::string& section) {
        const auto it = unknown.find(section);
        if (it == unknown.end()) return;
        const std::string indent = section.empty() ? "" : "  ";
        out.push_back(indent + kKeptNote);
        for (const auto& [key, yaml] : it->second) {
            const std::string path = section.empty() ? key : section + "." + key;
            placeAbove(path, indent);
            addIndented(out, yaml, indent);
            result.keptKeys.push_back(path);
        }
    };

    std::string openSection;  // a section of ours whose unknown keys are still to be written
    walk(splitLines(own), [&](const KeyLine& k, const std::string& path, const std::string& line) {
        // A section of ours ends at its blank line: its unknown keys go just before it.
        if (!openSection.empty() && trim(line).empty()) {
            addUnknown(openSection);
            openSection.clear();
        }
        if (k.indent == 0) openSection = isProjectSection(k.key) ? k.key : std::string();
        if (path.empty()) {
            out.push_back(line);
            return;
        }
        placeAbove(path, std::string(static_cast<std::size_t>(k.indent), ' '));
        std::string written = line;
        if (const auto after = comments.after.find(path); after != comments.after.end()) {
            if (const auto at = trailingComment(written); at != std::string::npos) written.resize(at);
            while (!written.empty() && written.back() == ' ') written.pop_back();
            written += "  " + after->second;
            ++result.keptComments;
            placed.insert(path + "#after");
        }
        out.push_back(written);
    });
    if (!openSection.empty()) addUnknown(openSection);
    addUnknown("");
    for (const auto& [path, block] : comments.above)
        if (!placed.count(path)) result.lostComments.insert(result.lostComments.end(), block.begin(), block.end());
    for (const auto& [path, comment] : comments.after)
        if (!placed.count(path + "#after")) result.lostComments.push_back(comment);
    for (const std::string& c : comments.atEnd) out.push_back(c);
    result.keptComments += static_cast<int>(comments.atEnd.size());

    for (const std::string& line : out) result.text += line + "\n";
    return result;
}

} // namespace lorastudio

// Reading and writing project.yaml. Errors (lorastudio::Error) name the file, line, column and key
// path; unknown keys are warnings handed back to the caller, never printed. Saving is atomic and
// writes a stable, commented layout, so save -> load -> save is byte-identical.
#pragma once
#include "project/project_config.h"

#include <cstddef>
#include <string>
#include <vector>

namespace lorastudio {

// Something worth telling the user that does not stop the load (e.g. an unknown key).
struct Warning {
    std::string file;       // as given to loadProject / parseProject
    int line = 0;           // 1-based; 0 when unknown
    int column = 0;         // 1-based; 0 when unknown
    std::string key;        // key path, e.g. "training.lr_sheduler"
    std::string message;    // e.g. "unknown key 'training.lr_sheduler', ignored"
    std::string suggestion; // e.g. "schedule"; empty when none
    // "file:line:col: message (did you mean 'suggestion'?)"
    std::string text() const;
};

// Bounds against hostile project files, named in their errors: a real project.yaml is a few KB and
// nests three levels (section, key, list).
inline constexpr std::size_t kMaxProjectBytes = 1u << 20;  // 1 MB
inline constexpr int kMaxYamlDepth = 32;                   // nested mappings / sequences
inline constexpr std::size_t kMaxYamlNodes = 100000;       // nodes visited, aliases counted each time

// Reads and validates a project file; projectDir is set to the file's absolute folder.
// warnings may be null (they are then dropped); text, when given, receives the file's text as read
// (what a later save keeps the user's keys and comments from), also when it then fails to parse.
ProjectConfig loadProject(const std::string& path, std::vector<Warning>* warnings = nullptr, std::string* text = nullptr);

// Parses YAML text; `where` names the source in messages. projectDir is left empty.
ProjectConfig parseProject(const std::string& yamlText, const std::string& where,
                           std::vector<Warning>* warnings = nullptr);

// The file form of config: fixed key order, every value written out, short comments.
std::string projectToYaml(const ProjectConfig& config);

// Validates config, then writes projectToYaml(config) to path atomically (temporary sibling,
// fsync, rename): on failure the previous file is untouched and no temporary is left behind.
// Paths are written as given (relative text stays relative); config.projectDir is not used.
void saveProject(const ProjectConfig& config, const std::string& path);
// The same, keeping the unknown keys and user comments of previousText (see project_carry.h);
// returns what was written and kept.
struct CarriedText;
CarriedText saveProjectKeeping(const ProjectConfig& config, const std::string& path, const std::string& previousText);

} // namespace lorastudio

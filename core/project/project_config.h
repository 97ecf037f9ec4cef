// ProjectConfig: the in-memory form of project.yaml, one value type describing a whole LoRA run
// (base model, LoRA settings, data, training, output folder). Plain fields the GUI reads and
// writes directly; defaults, validation and path resolution live beside it. The settings types
// and their enums belong to the layers that use them (core/config: lora, data, training).
#pragma once
#include "config/data_settings.h"
#include "config/lora_settings.h"
#include "config/training_settings.h"

#include <functional>
#include <string>

namespace lorastudio {

// The schema version this build reads and writes (`version:` in the file).
constexpr int kProjectSchemaVersion = 1;

struct ProjectConfig {
    int version = kProjectSchemaVersion;
    std::string baseModel;                          // as written (relative text is kept on save)
    LoraSettings lora;
    DataSettings data;
    TrainingSettings training;
    std::string outputDir = "output";
    // Folder relative paths resolve against: set by loadProject to the file's folder. Not saved
    // and not compared by operator== (the same project may live in two places).
    std::string projectDir;
};

// A project with every default and no base model (the GUI's "New project").
ProjectConfig defaultProject();

bool operator==(const ProjectConfig& a, const ProjectConfig& b);
inline bool operator!=(const ProjectConfig& a, const ProjectConfig& b) { return !(a == b); }

// Checks every value against its allowed range or set; throws lorastudio::Error naming the key
// (e.g. "training.lr: must be > 0, got 0 (hint: e.g. 2e-4)") on the first problem.
void validateProject(const ProjectConfig& config);
// Same, with `locate(keyPath)` giving the "file:line:col" to put in front of a message.
void validateProject(const ProjectConfig& config, const std::function<std::string(const std::string&)>& locate);

// A path as written in the project, made usable: absolute paths stay, "~/" expands to $HOME,
// relative paths join config.projectDir (the current folder when that is empty). "" stays "".
std::string resolveProjectPath(const ProjectConfig& config, const std::string& written);
std::string resolvedBaseModel(const ProjectConfig& config);
std::string resolvedDataPath(const ProjectConfig& config);
std::string resolvedValidationPath(const ProjectConfig& config);
std::string resolvedOutputDir(const ProjectConfig& config);
// config.data with data.path and data.validation resolved (what Dataset::load takes).
DataSettings resolvedDataSettings(const ProjectConfig& config);

} // namespace lorastudio

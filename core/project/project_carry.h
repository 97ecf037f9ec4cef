// Saving keeps what the user wrote. A project is written in the studio's fixed layout
// (projectToYaml); when it replaces a file, two things of that file are carried into the new text:
// keys LoRA Studio does not know (kept in their section, as written, under a note, so a key for
// another tool or a later version is never lost) and the user's own comments (a comment block
// above a key goes above the same key again, a comment after a value replaces the studio's note
// on that line). A comment whose key is gone cannot be placed: it is counted, and the studio says
// so before saving. Comments the studio writes itself are recognised and never doubled.
#pragma once
#include "project/project_config.h"

#include <string>
#include <vector>

namespace lorastudio {

struct CarriedText {
    std::string text;                       // the project file to write
    std::vector<std::string> keptKeys;      // unknown keys carried over ("training.my_note")
    int keptComments = 0;                   // user comment lines placed in text
    std::vector<std::string> lostComments;  // user comment lines that had no place ("# note")
};

// projectToYaml(config) with the unknown keys and user comments of previousText ("" = none).
// previousText that is not valid YAML carries its comments only.
CarriedText projectToYamlKeeping(const ProjectConfig& config, const std::string& previousText);

// Whether `key` is one LoRA Studio reads in `section` ("" = the top level; sections are "lora",
// "data", "training").
bool isKnownProjectKey(const std::string& section, const std::string& key);
// Whether `name` is one of the sections ("lora", "data", "training").
bool isProjectSection(const std::string& name);

} // namespace lorastudio

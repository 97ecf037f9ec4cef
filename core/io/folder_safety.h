// What a model or adapter folder holds that LoRA Studio never runs or opens, said out loud: custom
// code named by auto_map, pickle checkpoints (*.bin, *.pt, *.pth, *.ckpt, *.pkl), Python files, and
// links that lead out of the folder. Nothing here executes, imports or unpickles anything: the
// folder is only listed and config.json read as JSON.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace lorastudio {

// The folder a file of `dir` may resolve into: `dir` itself (canonical), or the Hugging Face cache
// repository (models--*) above it, whose snapshots link to ../../blobs/<hash>.
std::filesystem::path containmentBound(const std::filesystem::path& dir);
// Whether the canonical path `inner` lies in the canonical folder `outer`.
bool liesWithin(const std::filesystem::path& inner, const std::filesystem::path& outer);

// One line per finding, each naming the file and saying what LoRA Studio does instead, e.g.
// "<dir>/config.json: 'auto_map' names custom code (...); it is never imported or run (...)".
// An unreadable folder or config yields no warnings (the loader reports those as errors).
std::vector<std::string> folderSafetyWarnings(const std::string& dir);

} // namespace lorastudio

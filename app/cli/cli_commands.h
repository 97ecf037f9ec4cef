// The subcommands of lorastudio-cli. Each add*Command registers its options on the app and a
// callback that calls core; errors surface as lorastudio::Error and are printed by main().
#pragma once
#include <CLI/CLI.hpp>

namespace lorastudio::cli {

void addInspectCommand(CLI::App& app);
void addTokenizeCommand(CLI::App& app);
void addGenerateCommand(CLI::App& app);
void addLogitsCommand(CLI::App& app);
void addMergeCommand(CLI::App& app);
void addAnalyzeCommand(CLI::App& app);

} // namespace lorastudio::cli

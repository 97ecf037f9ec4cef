// The subcommands of lorastudio-cli. Each add*Command registers its options on the app and a
// callback that calls core; errors surface as lorastudio::Error and are printed by main().
#pragma once
#include <CLI/CLI.hpp>

namespace lorastudio::cli {

void addInspectCommand(CLI::App& app);
void inspectGguf(const std::string& path, bool json);  // inspect FILE.gguf
void addTokenizeCommand(CLI::App& app);
void addGenerateCommand(CLI::App& app);
void addLogitsCommand(CLI::App& app);
void addMergeCommand(CLI::App& app);
void addAnalyzeCommand(CLI::App& app);
void addResizeCommand(CLI::App& app);      // resize (truncate an adapter's ranks)
void addTrainCommands(CLI::App& app);     // train, resume
void addEstimateCommand(CLI::App& app);
void addExportAdapterCommand(CLI::App& app);
void addExportGgufCommand(CLI::App& app);     // export-gguf
void addLaunchScriptsCommand(CLI::App& app);  // launch-scripts (data-parallel jobs)

} // namespace lorastudio::cli

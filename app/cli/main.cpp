// lorastudio-cli: the headless front end over core. Thin: parse arguments, call core, print.
// Every expected failure arrives as lorastudio::Error and ends the process with status 1.
#include "cli_commands.h"
#include "local_job.h"
#include "common/error.h"
#include "dist/backends.h"
#include "estimate/memory_estimate.h"
#include "lorastudio/version.h"
#include "runtime/process_setup.h"
#include "runtime/runtime_info.h"

#include <c10/util/Exception.h>

#include <iostream>

int main(int argc, char** argv) {
    // Passive OpenMP workers and the allocator's options, before any tensor work (re-executes once).
    lorastudio::prepareProcess(argc, argv);
    lorastudio::cli::setProgramArguments(argc, argv);  // --nproc-per-node starts ranks with them
    CLI::App app{"LoRA Studio command line: inspect, tokenize, generate, train, merge and analyze LoRA adapters"};
    // First line: the project version from CMake's project(VERSION); then what it runs on.
    app.set_version_flag("--version", [] {
        const lorastudio::RuntimeInfo info = lorastudio::runtimeInfo();
        return std::string("lorastudio-cli ") + LORASTUDIO_VERSION + "\nLibTorch " + info.torchVersion +
               "\nDevices: " + lorastudio::describeDevices(info) + "\nAttention: " + info.attention +
               "\nCPU bf16: " + info.cpuBf16 + "\nAllocator: " + lorastudio::allocatorName() +
               "\nBLAS: " + lorastudio::blasKernelsName() +
               "\nData parallel: " + lorastudio::dataParallelBackends();
    });
    app.require_subcommand(1);
    lorastudio::cli::addInspectCommand(app);
    lorastudio::cli::addTokenizeCommand(app);
    lorastudio::cli::addGenerateCommand(app);
    lorastudio::cli::addLogitsCommand(app);
    lorastudio::cli::addEstimateCommand(app);
    lorastudio::cli::addTrainCommands(app);
    lorastudio::cli::addLaunchScriptsCommand(app);
    lorastudio::cli::addExportAdapterCommand(app);
    lorastudio::cli::addExportGgufCommand(app);
    lorastudio::cli::addMergeCommand(app);
    lorastudio::cli::addAnalyzeCommand(app);
    lorastudio::cli::addResizeCommand(app);
    // An unknown command word: CLI11 alone would only say "A subcommand is required".
    if (argc > 1 && argv[1][0] != '-') {
        const std::string word = argv[1];
        std::string names;
        bool known = false;
        for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
            known = known || sub->get_name() == word;
            names += (names.empty() ? "" : ", ") + sub->get_name();
        }
        if (!known) {
            std::cerr << "error: unknown command '" << word << "' (hint: the commands are " << names
                      << "; see lorastudio-cli --help)\n";
            return 1;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const lorastudio::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    } catch (const c10::Error& e) {
        std::cerr << "error: LibTorch: " << e.what_without_backtrace() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

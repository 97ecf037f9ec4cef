// `lorastudio-cli analyze ADAPTER [--base MODEL_DIR] [--against OTHER]`: the singular values of
// every module's ΔW = s·B·A, effective rank, energy, advice; with --against, the subspace
// similarity φ between the two adapters. JSON on stdout.
#include "cli_commands.h"
#include "analysis/adapter_analysis.h"
#include "analysis/analysis_report.h"
#include "analysis/adapter_modules.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string adapter;
    std::string base;
    std::string against;
    bool summary = false;
};

void run(const Options& o) {
    const auto modules = adapterModuleInputs(o.adapter, o.base);
    nlohmann::json out;
    const AdapterReport report = analyzeAdapter(modules);
    if (o.summary) {
        for (const auto& m : report.modules)
            std::cout << m.name << ": effective rank " << m.effectiveRank << ", k95 " << m.k95 << " of r=" << m.rank
                      << " — " << m.advice << "\n";
        std::cout << report.advice << "\n";
        return;
    }
    out["adapter"] = o.adapter;
    out["report"] = report;
    if (!o.against.empty()) {
        const auto other = adapterModuleInputs(o.against, o.base);
        out["against"] = o.against;
        out["comparison"] = compareAdapters(modules, other);
    }
    std::cout << out.dump(2) << "\n";
}

} // namespace

void addAnalyzeCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("analyze", "Spectra of an adapter's updates (JSON), optionally compared with another");
    cmd->add_option("ADAPTER", opts->adapter, "PEFT adapter folder (adapter_config.json + adapter_model.safetensors)")->required();
    cmd->add_option("--base", opts->base, "Base model folder, for ||dW|| / ||W0||");
    cmd->add_option("--against", opts->against, "A second adapter folder: subspace similarity phi(i, j) per module");
    cmd->add_flag("--summary", opts->summary, "One line per module instead of JSON");
    cmd->callback([opts] { run(*opts); });
}

} // namespace lorastudio::cli

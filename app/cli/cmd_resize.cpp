// `lorastudio-cli resize ADAPTER (--energy SHARE | --rank N) --out DIR [--base MODEL_DIR]`: a
// trained adapter truncated per module by the SVD of its ΔW (core/analysis/adapter_resize.h), with
// each module's relative Frobenius error and, on the base model, the logit difference between
// the original and the resized adapter over a fixed probe text.
#include "cli_commands.h"
#include "cli_format.h"
#include "analysis/adapter_modules.h"
#include "analysis/adapter_probe.h"
#include "analysis/adapter_resize.h"
#include "common/error.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace lorastudio::cli {
namespace {

struct Options {
    std::string adapter;
    std::string out;
    std::string base;
    double energy = 0.0;
    int rank = 0;
    bool exact = false;
    bool overwrite = false;
    bool json = false;
};

std::string fixed(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

void printResult(const ResizeResult& r) {
    std::cout << padRight("module", 34) << padLeft("r", 4) << padLeft("new r", 7) << padLeft("energy kept", 13)
              << padLeft("rel. error", 12) << "\n";
    for (const ModuleResize& m : r.modules)
        std::cout << padRight(m.name, 34) << padLeft(std::to_string(m.rank), 4) << padLeft(std::to_string(m.newRank), 7)
                  << padLeft(m.zero ? std::string("zero") : fixed("%.2f%%", 100.0 * m.energyKept), 13)
                  << padLeft(fixed("%.3g", m.relativeError), 12) << "\n";
    std::cout << "LoRA parameters: " << r.parametersBefore << " -> " << r.parametersAfter << "; r = " << r.maxRank
              << ", rank_pattern " << r.rankPattern.dump();
    if (!r.alphaPattern.empty()) std::cout << ", alpha_pattern " << r.alphaPattern.dump();
    std::cout << "\nresized adapter (PEFT): " << r.folder << "\n";
}

void run(const Options& o) {
    const std::string adapter = latestAdapterFolder(o.adapter);
    ResizeOptions options;
    options.energy = o.energy;
    options.rank = o.rank;
    options.roundUp = !o.exact;
    options.overwrite = o.overwrite;
    const ResizeResult r = resizeAdapter(adapter, o.out, options);
    nlohmann::json out = r;
    if (!o.json) printResult(r);

    std::string base = o.base;
    std::error_code ec;
    if (base.empty() && fs::is_regular_file(fs::path(r.baseModelNameOrPath) / "config.json", ec)) base = r.baseModelNameOrPath;
    if (base.empty()) {
        if (!o.json) std::cout << "logits not compared: no base model (give --base MODEL_DIR)\n";
    } else {
        const ProbeComparison p = compareOnProbe(base, adapter, o.out);
        out["probe"] = {{"base", base}, {"tokens", p.tokens}, {"max_abs_logit_diff", p.maxAbsLogitDiff},
                        {"max_abs_logit", p.maxAbsLogit}};
        if (!o.json)
            std::cout << "probe text (" << p.tokens << " tokens) on " << base << ": max |logit difference| original vs resized = "
                      << fixed("%.3g", p.maxAbsLogitDiff) << " (largest |logit| " << fixed("%.3g", p.maxAbsLogit) << ")\n";
    }
    if (o.json) std::cout << out.dump(2) << "\n";
}

} // namespace

void addResizeCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("resize", "Truncate a trained adapter's per-module ranks by the SVD of its updates");
    cmd->add_option("ADAPTER", opts->adapter, "PEFT adapter folder, or a run's output folder (its newest adapter)")->required();
    cmd->add_option("--out", opts->out, "Folder for the resized PEFT adapter")->required();
    auto* energy = cmd->add_option("--energy", opts->energy,
                                   "Keep this share of each update's energy (sum of sigma_i^2), e.g. 0.95; k rounded up to a power of two")
                       ->check(CLI::Range(0.0, 1.0));
    auto* rank = cmd->add_option("--rank", opts->rank, "Truncate every module to at most this rank")->check(CLI::PositiveNumber);
    energy->excludes(rank);
    cmd->add_option("--base", opts->base, "Base model folder for the logits check (default: the adapter's base_model_name_or_path)");
    cmd->add_flag("--exact", opts->exact, "With --energy: keep exactly k directions (no power-of-two rounding)");
    cmd->add_flag("--overwrite", opts->overwrite, "Replace an existing --out folder");
    cmd->add_flag("--json", opts->json, "JSON instead of a table");
    cmd->callback([opts] {
        if ((opts->energy > 0.0) == (opts->rank > 0))
            throw Error("resize", "give --energy SHARE or --rank N", "e.g. --energy 0.95");
        run(*opts);
    });
}

} // namespace lorastudio::cli

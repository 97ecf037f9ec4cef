// `lorastudio-cli analyze RUN_OR_ADAPTER [--base MODEL_DIR] [--against OTHER] [--summary]
// [--suggest-ranks SHARE [--write PROJECT]]`: the singular values of every module's ΔW = s·B·A,
// effective rank, energy, advice (JSON); --summary: one line per module and where learning
// happened (by layer and module kind, with the amplification factor when the base is known);
// --suggest-ranks: per-module ranks keeping SHARE of the energy, written into a project with --write.
#include "cli_commands.h"
#include "cli_format.h"
#include "analysis/adapter_analysis.h"
#include "analysis/adapter_modules.h"
#include "analysis/analysis_report.h"
#include "analysis/learning_summary.h"
#include "analysis/rank_suggestion.h"
#include "common/error.h"
#include "lora/peft_adapter.h"
#include "lora/target_matching.h"
#include "model/model_spec.h"
#include "project/project_carry.h"
#include "project/project_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace lorastudio::cli {
namespace {

struct Options {
    std::string adapter;
    std::string base;
    std::string against;
    bool summary = false;
    double suggestShare = 0.0;
    std::string writeProject;
    bool json = false;
};

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string percent(double v) { return fixed(100.0 * v, 1) + "%"; }

// The base model the analysis reads W0 from: --base, else the adapter's base_model_name_or_path
// when that folder is here.
std::string baseFor(const Options& o, const std::string& adapter, bool* implicit) {
    *implicit = false;
    if (!o.base.empty()) return o.base;
    const std::string named = readAdapterConfig(adapter, Architecture::Llama).baseModelNameOrPath;
    std::error_code ec;
    if (named.empty() || !fs::is_regular_file(fs::path(named) / "config.json", ec)) return {};
    *implicit = true;
    return named;
}

void printSummary(const AdapterReport& report) {
    for (const auto& m : report.modules) {
        std::cout << m.name << ": effective rank " << fixed(m.effectiveRank, 2) << ", k95 " << m.k95 << " of r=" << m.rank;
        if (m.amplification) std::cout << ", amplification " << fixed(*m.amplification, 2);
        std::cout << " — " << m.advice << "\n";
    }
    std::cout << report.advice << "\n";
    const LearningSummary s = summarizeLearning(report);
    auto table = [](const char* title, const char* group, const std::vector<LearningShare>& rows) {
        std::cout << "\n" << title << "\n"
                  << padRight(group, 22) << padLeft("modules", 8) << padLeft("||dW||_F^2", 12) << padLeft("eff. rank", 11)
                  << padLeft("amplification", 15) << "\n";
        for (const LearningShare& r : rows)
            std::cout << padRight(r.group, 22) << padLeft(std::to_string(r.modules), 8) << padLeft(percent(r.normShare), 12)
                      << padLeft(percent(r.rankShare), 11)
                      << padLeft(r.amplification ? fixed(*r.amplification, 2) : std::string("-"), 15) << "\n";
    };
    table("Where learning happened, by layer (share of the summed ||dW||_F^2 and of the summed effective rank):",
          "layer", s.byLayer);
    table("By module kind:", "kind", s.byKind);
    if (std::none_of(report.modules.begin(), report.modules.end(), [](const ModuleReport& m) { return m.amplification.has_value(); }))
        std::cout << "(amplification ||dW||_F / ||U^T W0 V||_F needs the base model: --base)\n";
}

std::string patternText(const LoraSettings& s) {
    std::string out = "rank_pattern:" + std::string(s.rankPattern.empty() ? " {}\n" : "\n");
    for (const auto& [key, r] : s.rankPattern) out += "  '" + key + "': " + std::to_string(r) + "\n";
    if (!s.alphaPattern.empty()) out += "alpha_pattern:\n";
    for (const auto& [key, a] : s.alphaPattern) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", a);
        out += "  '" + key + "': " + buf + "\n";
    }
    return out;
}

void printSuggestion(const RankSuggestion& s) {
    std::cout << "Ranks keeping " << percent(s.share) << " of each update's energy (sum of sigma_i^2), k rounded up to a "
              << "power of two within [1, r]:\n"
              << padRight("module", 34) << padLeft("r", 4) << padLeft("k", 4) << padLeft("suggested", 11)
              << padLeft("energy kept", 13) << padLeft("params saved", 14) << "\n";
    for (const ModuleRankSuggestion& m : s.modules)
        std::cout << padRight(m.name, 34) << padLeft(std::to_string(m.rank), 4)
                  << padLeft(m.zero ? "-" : std::to_string(m.directions), 4) << padLeft(std::to_string(m.suggested), 11)
                  << padLeft(m.zero ? "zero" : percent(m.energyKept), 13) << padLeft(std::to_string(m.parametersSaved), 14)
                  << "\n";
    const double saved = s.parametersBefore > 0 ? 1.0 - double(s.parametersAfter) / double(s.parametersBefore) : 0.0;
    std::cout << "LoRA parameters: " << s.parametersBefore << " -> " << s.parametersAfter << " (" << percent(saved)
              << " fewer)";
    if (s.zeroModules) std::cout << "; " << s.zeroModules << " zero updates keep their r";
    std::cout << "\n";
}

// The project's targets (its base model's linear modules under its lora settings), or nothing
// when the base model cannot be read (the suggestion's own modules are then checked alone).
std::vector<std::string> projectTargets(const ProjectConfig& config) {
    const std::string base = resolveProjectPath(config, config.baseModel);
    std::error_code ec;
    if (base.empty() || !fs::is_regular_file(fs::path(base) / "config.json", ec)) {
        std::cerr << "warning: the project's base model '" << base << "' is not here: checking the pattern against the "
                  << "analysed modules only\n";
        return {};
    }
    std::vector<std::string> names;
    for (const LoraTarget& t : planLoraTargets(parseModelConfig((fs::path(base) / "config.json").string()), config.lora))
        names.push_back(t.name);
    return names;
}

void suggest(const Options& o, const std::string& adapter, const AdapterReport& report) {
    const RankSuggestion s = suggestRanks(report, o.suggestShare);
    const LoraSettings own = readAdapterConfig(adapter, Architecture::Llama).settings;
    if (o.json && o.writeProject.empty()) {
        const LoraSettings pattern = applyRankSuggestion(own, s);
        nlohmann::json out{{"adapter", adapter}, {"suggestion", s}};
        for (const auto& [key, r] : pattern.rankPattern) out["rank_pattern"][key] = r;
        std::cout << out.dump(2) << "\n";
        return;
    }
    printSuggestion(s);
    if (o.writeProject.empty()) {
        std::cout << "For this adapter's own settings (r = " << own.r << "):\n" << patternText(applyRankSuggestion(own, s));
        return;
    }
    std::string text;
    std::vector<Warning> warnings;
    ProjectConfig config = loadProject(o.writeProject, &warnings, &text);
    config.lora = applyRankSuggestion(config.lora, s, projectTargets(config));
    validateProject(config);
    const CarriedText written = saveProjectKeeping(config, o.writeProject, text);
    std::cout << "Wrote " << o.writeProject << " (r = " << config.lora.r << "):\n" << patternText(config.lora);
    if (!written.lostComments.empty())
        std::cerr << "warning: " << written.lostComments.size() << " comment line(s) had no key left to stay with\n";
}

void run(const Options& o) {
    const std::string adapter = latestAdapterFolder(o.adapter);
    if (adapter != o.adapter) std::cerr << "analysing " << adapter << "\n";
    bool implicit = false;
    const std::string base = baseFor(o, adapter, &implicit);
    std::vector<ModuleInput> modules;
    try {
        modules = adapterModuleInputs(adapter, base);
    } catch (const Error& e) {
        if (!implicit) throw;
        std::cerr << "warning: base model " << base << " (from adapter_config.json) does not fit: " << e.what() << "\n";
        modules = adapterModuleInputs(adapter);
    }
    const AdapterReport report = analyzeAdapter(modules);
    if (o.suggestShare > 0.0) return suggest(o, adapter, report);
    if (o.summary) return printSummary(report);
    nlohmann::json out;
    out["adapter"] = adapter;
    out["report"] = report;
    out["summary"] = summarizeLearning(report);
    if (!o.against.empty()) {
        const auto other = adapterModuleInputs(latestAdapterFolder(o.against), o.base);
        out["against"] = o.against;
        out["comparison"] = compareAdapters(modules, other);
    }
    std::cout << out.dump(2) << "\n";
}

} // namespace

void addAnalyzeCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("analyze", "Spectra of an adapter's updates (JSON), where learning happened, rank suggestions");
    cmd->add_option("RUN_OR_ADAPTER", opts->adapter,
                    "PEFT adapter folder, or a run's output folder (its newest adapter or checkpoint)")->required();
    cmd->add_option("--base", opts->base,
                    "Base model folder, for ||dW|| / ||W0|| and the amplification (default: the adapter's base_model_name_or_path when it exists)");
    cmd->add_option("--against", opts->against, "A second adapter folder: subspace similarity phi(i, j) per module");
    cmd->add_flag("--summary", opts->summary, "One line per module and where learning happened, instead of JSON");
    cmd->add_option("--suggest-ranks", opts->suggestShare,
                    "Per-module ranks keeping this share of each update's energy, e.g. 0.95 (docs/insight.md)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--write", opts->writeProject, "With --suggest-ranks: write them into this project's lora.rank_pattern")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--json", opts->json, "With --suggest-ranks: JSON instead of a table");
    cmd->callback([opts] {
        if (!opts->writeProject.empty() && opts->suggestShare <= 0.0)
            throw Error("analyze", "--write needs --suggest-ranks", "e.g. --suggest-ranks 0.95 --write project.yaml");
        run(*opts);
    });
}

} // namespace lorastudio::cli

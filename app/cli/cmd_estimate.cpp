// `lorastudio-cli estimate project.yaml [--memory GiB] [--json]`: exact trainable/total parameter
// counts in PEFT's format, per module, and the memory estimate broken down per component, with
// what to change when it does not fit. Reads config.json only: no weights are loaded. With --data
// it also reads the project's data (the base model's tokenizer) and sizes the estimate for its
// longest example, as `train` does before its first step.
#include "cli_commands.h"
#include "cli_format.h"
#include "common/python_format.h"
#include "data/dataset.h"
#include "estimate/device_memory.h"
#include "estimate/fit_advisor.h"
#include "estimate/memory_estimate.h"
#include "estimate/parameter_count.h"
#include "model/model_spec.h"
#include "project/project_file.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string project;
    double memoryGiB = 0;
    bool json = false;
    bool modules = false;
    int worldSize = 1;  // data-parallel ranks: the estimate is per rank
    bool data = false;  // sized for the data's longest example
};

void run(const Options& o) {
    std::vector<Warning> warnings;
    const ProjectConfig project = loadProject(o.project, &warnings);
    for (const auto& w : warnings) std::cerr << "warning: " << w.text() << "\n";
    const std::string base = resolvedBaseModel(project);
    const ModelSpec spec = parseModelConfig((std::filesystem::path(base) / "config.json").string());
    // What to fit into: --memory, else the project's device (RAM, or the GPU's size through NVML).
    std::optional<DeviceMemory> device;
    if (o.memoryGiB > 0) device = DeviceMemory{"--memory", "memory", static_cast<int64_t>(o.memoryGiB * 1073741824.0), -1};
    else device = deviceMemory(project.training.device);
    MemoryOptions options;
    options.worldSize = o.worldSize;
    if (o.data) {
        const Dataset data = Dataset::load(resolvedDataSettings(project), Tokenizer::fromFolder(base));
        options.longestExample = data.longestExample();
    }
    std::optional<FitReport> fit;
    if (device) fit = adviseFit(spec, project, device->totalBytes, options);
    const MemoryEstimate e = fit ? fit->estimate : estimateMemory(spec, project, options);

    if (o.json) {
        nlohmann::json j;
        j["trainable_parameters_line"] = trainableParametersLine(e.counts);
        j["trainable_parameters"] = e.counts.trainableParameters;
        j["all_parameters"] = e.counts.allParameters;
        for (const auto& c : e.components()) j["memory_bytes"][c.name] = c.bytes;
        j["memory_bytes"]["total"] = e.total;
        j["peak_phase"] = e.peakPhase;
        j["batch"] = e.batch;
        j["sequence"] = e.sequence;
        j["sequence_from_data"] = e.sequenceFromData;
        j["world_size"] = e.worldSize;
        j["global_batch"] = e.globalBatch;
        j["device"] = memoryDeviceName(e.device);
        j["available_bytes"] = device ? nlohmann::json(device->totalBytes) : nlohmann::json();
        j["available_on"] = device ? nlohmann::json(device->name) : nlohmann::json();
        j["fits"] = fit ? nlohmann::json(fit->fits) : nlohmann::json();
        j["suggestions"] = nlohmann::json::array();
        if (fit)
            for (const auto& s : fit->suggestions) j["suggestions"].push_back(s.text);
        for (const auto& m : e.counts.modules)
            j["modules"].push_back({{"name", m.name}, {"r", m.r}, {"lora_parameters", m.loraParameters}});
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << trainableParametersLine(e.counts) << "\n\n";
    if (o.modules) {
        std::cout << "adapted modules (" << e.counts.modules.size() << "):\n";
        for (const auto& m : e.counts.modules)
            std::cout << "  " << padRight(m.name, 44) << " r=" << padRight(std::to_string(m.r), 4)
                      << padLeft(withThousandsSeparators(m.loraParameters), 14) << "\n";
        std::cout << "\n";
    }
    std::cout << "memory estimate (" << memoryDeviceName(e.device) << ", batch " << e.batch
              << (e.rows != e.batch ? " pairs (" + std::to_string(e.rows) + " rows)" : std::string()) << " x " << e.sequence
              << " tokens" << (e.sequenceFromData ? ", the data's longest example" : "") << ", peak during " << e.peakPhase
              << "):\n";
    if (!o.data && !project.data.packing)
        std::cout << "  every example taken as max_length long; --data sizes it for the data's longest example\n";
    if (e.worldSize > 1)
        std::cout << "  per rank of " << e.worldSize << " data-parallel ranks; global batch " << e.globalBatch
                  << " examples per optimizer step (batch x accumulation x ranks)\n";
    for (const auto& c : e.components())
        std::cout << "  " << padRight(c.name, 20) << padLeft(formatBytes(c.bytes), 12) << "\n";
    std::cout << "  " << padRight("total", 20) << padLeft(formatBytes(e.total), 12) << "\n\n";
    if (!fit) {
        std::cout << "The size of " << project.training.device
                  << " cannot be read here (no NVIDIA driver): pass --memory GiB to check the fit.\n";
        return;
    }
    if (device->name != "RAM" && device->name != "memory") std::cout << "device: " << device->name << "\n";
    std::cout << fit->summary << "\n";
    for (const auto& s : fit->suggestions) std::cout << "  - " << s.text << "\n";
}

} // namespace

void addEstimateCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("estimate", "Exact parameter counts and the memory estimate of a project (no weights loaded)");
    cmd->add_option("PROJECT", opts->project, "project.yaml")->required();
    cmd->add_option("--memory", opts->memoryGiB, "Device memory in GiB to fit into (default: the RAM, or the GPU's memory for a CUDA device)");
    cmd->add_flag("--modules", opts->modules, "List every adapted module with its LoRA parameters");
    cmd->add_option("--world-size", opts->worldSize,
                    "Ranks of a data-parallel job (the estimate is per rank, with the all-reduce buffers and the global batch)")
        ->check(CLI::Range(1, 1024));
    cmd->add_flag("--data", opts->data,
                  "Read the project's data and size the estimate for its longest example (as train does), not max_length");
    cmd->add_flag("--json", opts->json, "Print JSON");
    cmd->callback([opts] { run(*opts); });
}

} // namespace lorastudio::cli

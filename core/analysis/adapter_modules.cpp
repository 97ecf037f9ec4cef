// See adapter_modules.h.
#include "analysis/adapter_modules.h"

#include "common/error.h"
#include "io/safetensors.h"
#include "model/bnb_weights.h"
#include "lora/peft_adapter.h"
#include "lora/target_matching.h"
#include "model/model_spec.h"

#include <ATen/ATen.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

// DoRA: what the analysis studies is the direction update as DoRA scales it, diag(m / n)·s·B·A
// with n the row norms of W0 + s·B·A (see lora/dora.h); B takes the row factor.
void applyDoraMagnitude(ModuleInput& m, const std::vector<std::pair<std::string, at::Tensor>>& tensors, bool conv1d) {
    const std::string suffix = m.name + ".lora_magnitude_vector";
    for (const auto& [name, t] : tensors) {
        const bool match = name.size() >= suffix.size() &&
                           (name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 ||
                            (name.size() >= suffix.size() + 7 &&
                             name.compare(name.size() - suffix.size() - 7, suffix.size() + 7, suffix + ".weight") == 0));
        if (!match) continue;
        const at::Tensor b = m.B.to(at::kDouble), a = m.A.to(at::kDouble);
        at::Tensor w = m.baseWeight.to(at::kDouble);
        if (conv1d) w = w.t();
        const at::Tensor norm = at::linalg_vector_norm(w + m.scaling * at::mm(b, a), 2, {1});
        m.B = b * (t.to(at::kDouble) / norm).unsqueeze(1);
        return;
    }
}

bool isAdapterFolder(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p / "adapter_config.json", ec) && fs::is_regular_file(p / "adapter_model.safetensors", ec);
}

} // namespace

std::string latestAdapterFolder(const std::string& runOrAdapter) {
    const fs::path path(runOrAdapter);
    if (fs::is_regular_file(path / "adapter_config.json")) return runOrAdapter;
    std::vector<fs::path> candidates;
    if (isAdapterFolder(path / "adapter")) candidates.push_back(path / "adapter");
    std::error_code ec;
    if (fs::is_directory(path / "checkpoints", ec))
        for (const auto& entry : fs::directory_iterator(path / "checkpoints", ec))
            if (entry.path().filename().string().rfind("step-", 0) == 0 && isAdapterFolder(entry.path()))
                candidates.push_back(entry.path());
    if (candidates.empty())
        throw Error(runOrAdapter, "is neither an adapter folder nor a run with an adapter or checkpoint",
                    "give a PEFT adapter folder (adapter_config.json) or a run's output folder");
    auto written = [](const fs::path& p) { return fs::last_write_time(p / "adapter_model.safetensors"); };
    return std::max_element(candidates.begin(), candidates.end(),
                            [&](const fs::path& a, const fs::path& b) { return written(a) < written(b); })
        ->string();
}

std::vector<ModuleInput> adapterModuleInputs(const std::string& adapterFolder, const std::string& baseModelFolder) {
    // The architecture only matters for a null target_modules (PEFT's per-model default).
    Architecture arch = Architecture::Llama;
    std::unique_ptr<Checkpoint> base;
    if (!baseModelFolder.empty()) {
        arch = parseModelConfig((fs::path(baseModelFolder) / "config.json").string()).architecture;
        base = std::make_unique<Checkpoint>(Checkpoint::open(baseModelFolder));
    }
    const AdapterConfig config = readAdapterConfig(adapterFolder, arch);
    const Checkpoint weights = Checkpoint::open(adapterFolder);
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& name : weights.names()) tensors.emplace_back(name, weights.tensor(name));

    std::vector<ModuleInput> modules = pairLoraTensors(tensors, 1.0);
    for (auto& m : modules) {
        const RankAlpha ra = rankAndAlphaFor(m.name, config.settings);
        m.scaling = loraScaling(ra.alpha, static_cast<int>(m.A.size(0)), config.settings.useRslora);
        if (!base) continue;
        // GPT-2 checkpoints may or may not carry the "transformer." prefix.
        std::string key = m.name + ".weight";
        if (!base->contains(key) && key.rfind("transformer.", 0) == 0) key = key.substr(12);
        if (!base->contains(key))
            throw Error(adapterFolder, "LoRA module '" + m.name + "' does not exist in base model " + baseModelFolder,
                        "maybe wrong base model?");
        if (bnbStorage(*base, key, baseModelFolder) != BnbStorage::None)  // stored quantized: its dequantized value
            m.baseWeight = readBnbWeight(*base, key, {m.B.size(0), m.A.size(1)}, at::kCPU, baseModelFolder)->dequantize(at::kFloat);
        else
            m.baseWeight = base->tensor(key);
        m.baseTransposed = config.fanInFanOut;  // Conv1D stores W0 as [in, out]
        if (config.settings.useDora) applyDoraMagnitude(m, tensors, config.fanInFanOut);
    }
    return modules;
}

} // namespace lorastudio

// Writing, reading, listing and pruning training checkpoints. See train_checkpoint.h.
#include "train/train_checkpoint.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_file.h"
#include "common/os_file.h"
#include "common/os_process.h"
#include "io/safetensors.h"
#include "project/project_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

const char* const kStateFile = "trainer_state.json";
const char* const kOptimizerFile = "optimizer.safetensors";
const char* const kRngFile = "rng.safetensors";
const char* const kProjectFile = "project.yaml";
const char* const kTempPrefix = ".tmp-step-";

void requireCheckpointFile(const std::string& dir, const char* file) {
    if (std::error_code ec; !fs::exists(fs::path(dir) / file, ec))
        throw Error(dir, std::string("incomplete checkpoint: ") + file + " is missing",
                    "resume from another checkpoint of the run (output/checkpoints/step-N)");
}

// step-N -> N, else -1.
int64_t stepOfName(const std::string& name) {
    if (name.rfind("step-", 0) != 0 || name.size() == 5) return -1;
    int64_t v = 0;
    for (size_t i = 5; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') return -1;
        v = v * 10 + (name[i] - '0');
    }
    return v;
}

void removeAll(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
}

std::vector<std::pair<int64_t, std::string>> listCheckpointsBefore(const std::string& checkpointsDir, int64_t step);

// What a failed checkpoint write leaves: the newest earlier checkpoint, untouched.
std::string previousCheckpointHint(const std::string& checkpointsDir, int64_t step) {
    const auto before = listCheckpointsBefore(checkpointsDir, step);
    return before.empty() ? std::string("no earlier checkpoint exists; free some disk space and start again")
                          : "the previous checkpoint " + before.back().second + " is intact: free some disk space and resume from it";
}

} // namespace

nlohmann::json trainerStateToJson(const TrainerState& s) {
    return {{"format", 1},
            {"step", s.step},
            {"total_steps", s.totalSteps},
            {"scheduler_step", s.schedulerStep},
            {"data_position", dataPositionToJson(s.data)},
            {"elapsed_seconds", s.elapsedSeconds},
            {"tokens_seen", s.tokensSeen},
            {"last_loss", s.lastLoss},
            {"seed", s.seed},
            {"loss_scale", s.lossScale},
            {"scale_good_steps", s.scaleGoodSteps}};
}

TrainerState trainerStateFromJson(const nlohmann::json& j, const std::string& where) {
    TrainerState s;
    s.step = requireKey<int64_t>(j, "step", where);
    s.totalSteps = requireKey<int64_t>(j, "total_steps", where);
    s.schedulerStep = requireKey<int64_t>(j, "scheduler_step", where);
    if (!j.contains("data_position")) throwKeyError(where, "data_position", "missing required key");
    s.data = dataPositionFromJson(j.at("data_position"), where + ": data_position");
    s.elapsedSeconds = requireKey<double>(j, "elapsed_seconds", where);
    s.tokensSeen = requireKey<int64_t>(j, "tokens_seen", where);
    s.lastLoss = optionalKey<double>(j, "last_loss", 0.0, where);
    s.seed = requireKey<int64_t>(j, "seed", where);
    s.lossScale = optionalKey<double>(j, "loss_scale", 0.0, where);
    s.scaleGoodSteps = optionalKey<int64_t>(j, "scale_good_steps", 0, where);
    return s;
}

std::string checkpointDirFor(const std::string& checkpointsDir, int64_t step) {
    return (fs::path(checkpointsDir) / ("step-" + std::to_string(step))).string();
}

ProjectConfig withAbsolutePaths(const ProjectConfig& config) {
    ProjectConfig c = config;
    auto abs = [](const std::string& p) { return p.empty() ? p : fs::absolute(p).lexically_normal().string(); };
    c.baseModel = abs(resolvedBaseModel(config));
    c.data.path = abs(resolvedDataPath(config));
    c.data.validationPath = abs(resolvedValidationPath(config));
    c.outputDir = abs(resolvedOutputDir(config));
    c.projectDir.clear();
    return c;
}

std::string writeTrainCheckpoint(const std::string& checkpointsDir, const TrainerState& state,
                                 const TrainableSet& trainable, const AdamW& optimizer,
                                 const std::vector<std::pair<std::string, at::Tensor>>& rng,
                                 const ProjectConfig& project) {
    std::error_code ec;
    fs::create_directories(checkpointsDir, ec);
    if (ec) throw Error(checkpointsDir, "cannot create the checkpoints folder: " + ec.message());
    const std::string finalDir = checkpointDirFor(checkpointsDir, state.step);
    const fs::path temp = fs::path(checkpointsDir) /
                          (kTempPrefix + std::to_string(state.step) + "-" + std::to_string(processId()));
    removeAll(temp);
    fs::create_directory(temp, ec);
    if (ec) throw Error(temp.string(), "cannot create a temporary checkpoint folder: " + ec.message());
    try {
        trainable.saveAdapter(temp.string());
        writeSafetensors((temp / kOptimizerFile).string(), optimizer.stateTensors(),
                         {{"betas", std::to_string(optimizer.options().beta1) + "," + std::to_string(optimizer.options().beta2)},
                          {"eps", std::to_string(optimizer.options().eps)},
                          {"weight_decay", std::to_string(optimizer.options().weightDecay)}});
        writeSafetensors((temp / kRngFile).string(), rng);
        writeFileAtomic((temp / kStateFile).string(), trainerStateToJson(state).dump(2) + "\n");
        saveProject(withAbsolutePaths(project), (temp / kProjectFile).string());
        syncFolder(temp.string());
        // Replace an older folder of the same step (a rerun after resuming from an earlier one).
        if (fs::exists(finalDir)) {
            const fs::path old = fs::path(checkpointsDir) / (".old-step-" + std::to_string(state.step));
            removeAll(old);
            fs::rename(finalDir, old);
            fs::rename(temp, finalDir);
            removeAll(old);
        } else {
            fs::rename(temp, finalDir);
        }
        syncFolder(checkpointsDir);
    } catch (const fs::filesystem_error& e) {
        removeAll(temp);
        const int err = e.code().value();
        throw Error(finalDir, "cannot write the checkpoint: " + (isDiskFull(err) ? writeFailureText(err) : std::string(e.what())),
                    previousCheckpointHint(checkpointsDir, state.step));
    } catch (const Error& e) {
        // Name the checkpoint (not its temporary folder) and say what is kept, in place of the inner hint.
        removeAll(temp);
        std::string inner = e.what();
        const auto hint = inner.rfind(" (hint: ");
        if (hint != std::string::npos && inner.back() == ')') inner.erase(hint);
        throw Error(finalDir, "cannot write the checkpoint: " + inner, previousCheckpointHint(checkpointsDir, state.step));
    } catch (...) {
        removeAll(temp);
        throw;
    }
    return finalDir;
}

CheckpointMeta readCheckpointMeta(const std::string& dir) {
    if (!fs::is_directory(dir))
        throw Error(dir, "checkpoint folder not found", "pass a folder like output/checkpoints/step-500");
    CheckpointMeta meta;
    meta.dir = dir;
    const std::string statePath = (fs::path(dir) / kStateFile).string();
    if (!fs::exists(statePath))
        throw Error(dir, std::string("not a training checkpoint (no ") + kStateFile + ")",
                    "pass a folder like output/checkpoints/step-500");
    // The files read here and by an export, checked up front: an incomplete folder is named as such.
    for (const char* file : {kProjectFile, kRngFile, kAdapterWeightsFile}) requireCheckpointFile(dir, file);
    meta.state = trainerStateFromJson(readJsonFile(statePath), statePath);
    meta.project = loadProject((fs::path(dir) / kProjectFile).string());
    auto rng = SafetensorsFile::open((fs::path(dir) / kRngFile).string());
    for (const auto& info : rng->tensors()) meta.rng.emplace_back(info.name, rng->tensor(info.name).clone());
    return meta;
}

void restoreCheckpointTensors(const std::string& dir, const TrainableSet& trainable, AdamW& optimizer) {
    loadTrainableTensors(trainable, (fs::path(dir) / kAdapterWeightsFile).string());
    requireCheckpointFile(dir, kOptimizerFile);
    const std::string optPath = (fs::path(dir) / kOptimizerFile).string();
    auto file = SafetensorsFile::open(optPath);
    optimizer.loadState([&](const std::string& name) { return file->contains(name) ? file->tensor(name) : at::Tensor(); },
                        optPath);
}

std::vector<std::pair<int64_t, std::string>> listCheckpoints(const std::string& checkpointsDir) {
    std::vector<std::pair<int64_t, std::string>> out;
    std::error_code ec;
    if (!fs::is_directory(checkpointsDir, ec)) return out;
    for (const auto& entry : fs::directory_iterator(checkpointsDir, ec)) {
        if (!entry.is_directory()) continue;
        const int64_t step = stepOfName(entry.path().filename().string());
        if (step >= 0) out.emplace_back(step, entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

namespace {
std::vector<std::pair<int64_t, std::string>> listCheckpointsBefore(const std::string& checkpointsDir, int64_t step) {
    auto all = listCheckpoints(checkpointsDir);
    all.erase(std::remove_if(all.begin(), all.end(), [&](const auto& c) { return c.first >= step; }), all.end());
    return all;
}
} // namespace

std::vector<std::string> pruneCheckpoints(const std::string& checkpointsDir, int keep) {
    std::vector<std::string> removed;
    auto all = listCheckpoints(checkpointsDir);
    const size_t k = keep <= 0 ? all.size() : static_cast<size_t>(keep); // 0: keep every checkpoint
    for (size_t i = 0; i + k < all.size(); ++i) {
        removeAll(all[i].second);
        removed.push_back(all[i].second);
    }
    // Temporary folders of this process's crashed or interrupted writes, or of a crashed run.
    std::error_code ec;
    if (fs::is_directory(checkpointsDir, ec))
        for (const auto& entry : fs::directory_iterator(checkpointsDir, ec)) {
            const auto name = entry.path().filename().string();
            if (entry.is_directory() && (name.rfind(kTempPrefix, 0) == 0 || name.rfind(".old-step-", 0) == 0))
                removeAll(entry.path());
        }
    return removed;
}

std::vector<std::string> removeCheckpointsAfter(const std::string& checkpointsDir, int64_t step) {
    std::vector<std::string> removed;
    for (const auto& [s, path] : listCheckpoints(checkpointsDir))
        if (s > step) {
            removeAll(path);
            removed.push_back(path);
        }
    return removed;
}

} // namespace lorastudio

// background.json and background-control in a run folder (see background_run.h).
#include "train/background_run.h"

#include "common/atomic_file.h"
#include "common/json_file.h"
#include "common/os_process.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace lorastudio {

namespace fs = std::filesystem;

namespace {
std::string utcNow() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
#ifdef _WIN32
    gmtime_s(&tm, &now);
#else
    gmtime_r(&now, &tm);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}
} // namespace

bool BackgroundStatus::ended() const {
    return state == "completed" || state == "stopped" || state == "diverged" || state == "failed";
}

bool BackgroundStatus::alive() const { return !ended() && processAlive(pid); }

std::string backgroundStatusPath(const std::string& runDir) { return (fs::path(runDir) / "background.json").string(); }
std::string backgroundControlPath(const std::string& runDir) { return (fs::path(runDir) / "background-control").string(); }

void writeBackgroundStatus(const std::string& runDir, const BackgroundStatus& status) {
    const nlohmann::json j = {{"pid", status.pid},          {"state", status.state},
                              {"step", status.step},        {"total_steps", status.totalSteps},
                              {"message", status.message},  {"checkpoint", status.checkpoint},
                              {"updated_at", utcNow()}};
    writeFileAtomic(backgroundStatusPath(runDir), j.dump(2) + "\n");
}

std::optional<BackgroundStatus> readBackgroundStatus(const std::string& runDir) {
    const std::string path = backgroundStatusPath(runDir);
    if (!fs::exists(path)) return std::nullopt;
    nlohmann::json j;
    try {
        j = readJsonFile(path);
    } catch (const std::exception&) {
        return std::nullopt;  // unreadable: as if there were none
    }
    if (!j.is_object()) return std::nullopt;
    BackgroundStatus s;
    s.pid = j.value("pid", int64_t(0));
    s.state = j.value("state", std::string());
    s.step = j.value("step", int64_t(0));
    s.totalSteps = j.value("total_steps", int64_t(0));
    s.message = j.value("message", std::string());
    s.checkpoint = j.value("checkpoint", std::string());
    s.updatedAt = j.value("updated_at", std::string());
    return s;
}

bool backgroundRunAlive(const std::string& runDir) {
    const auto status = readBackgroundStatus(runDir);
    return status && status->alive();
}

void requestBackground(const std::string& runDir, BackgroundRequest request) {
    const char* word = request == BackgroundRequest::Pause ? "pause" : request == BackgroundRequest::Stop ? "stop" : "run";
    writeFileAtomic(backgroundControlPath(runDir), std::string(word) + "\n");
}

BackgroundRequest readBackgroundRequest(const std::string& runDir) {
    std::ifstream in(backgroundControlPath(runDir));
    std::string word;
    if (!(in >> word)) return BackgroundRequest::Run;
    if (word == "pause") return BackgroundRequest::Pause;
    if (word == "stop") return BackgroundRequest::Stop;
    return BackgroundRequest::Run;
}

void clearBackgroundRequest(const std::string& runDir) {
    std::error_code ignored;
    fs::remove(backgroundControlPath(runDir), ignored);
}

std::string runFolderOfCheckpoint(const std::string& checkpointDir) {
    fs::path p = fs::path(checkpointDir);
    if (p.filename().empty()) p = p.parent_path();  // a trailing separator
    return p.parent_path().parent_path().string();
}

} // namespace lorastudio

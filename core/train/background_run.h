// A run that goes on without the studio: a `lorastudio-cli train|resume --detached` process keeps
// `background.json` in its run folder up to date (its pid, state and step, written atomically at
// every change) and obeys `background-control` there ("pause", "run" or "stop", read a few times a
// second). The studio hands a run over to such a process when its window closes, re-attaches when
// the project is opened again (curves from metrics.jsonl, the state from background.json), and
// pauses or stops it through the control file. Both files are small JSON / text; a stale status
// (the process is gone) reads as not alive.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace lorastudio {

struct BackgroundStatus {
    int64_t pid = 0;
    std::string state;        // "loading", "running", "pausing" (asked; a step in flight), "paused", "stopping", or an end: "completed", "stopped", "diverged", "failed"
    int64_t step = 0;
    int64_t totalSteps = 0;
    std::string message;      // the end's one line, or ""
    std::string checkpoint;   // the newest checkpoint folder, or ""
    std::string updatedAt;    // ISO 8601, UTC

    bool ended() const;       // state is one of the ends
    bool alive() const;       // not ended, and its process is running
};

std::string backgroundStatusPath(const std::string& runDir);   // runDir/background.json
std::string backgroundControlPath(const std::string& runDir);  // runDir/background-control

void writeBackgroundStatus(const std::string& runDir, const BackgroundStatus& status);
// The status in runDir, or nothing when there is none or it cannot be read (a half-written file
// cannot happen: writes are atomic).
std::optional<BackgroundStatus> readBackgroundStatus(const std::string& runDir);
// The status in runDir is alive().
bool backgroundRunAlive(const std::string& runDir);

enum class BackgroundRequest { Run, Pause, Stop };
void requestBackground(const std::string& runDir, BackgroundRequest request);
BackgroundRequest readBackgroundRequest(const std::string& runDir);  // Run when there is no file
// Removes the control file (a new detached run starts running).
void clearBackgroundRequest(const std::string& runDir);

// The run folder a checkpoint belongs to: <run>/checkpoints/step-N -> <run>.
std::string runFolderOfCheckpoint(const std::string& checkpointDir);

} // namespace lorastudio

// Runs are never lost: a fresh run in an output folder that holds an earlier run first moves that
// run (metrics.jsonl, checkpoints/, adapter/) into output_dir/runs/<name>, named by the time the
// earlier run last wrote its metrics (run-YYYYMMDD-HHMMSS, -2, -3 ... when taken). The newest run
// always sits at the top of the output folder, where the studio, the CLI and scripts look for it;
// every earlier one keeps its checkpoints (resume continues it in its own folder) and its curves.
// Deleting a run is deleteRun, an explicit call (the studio asks first).
#pragma once
#include <string>
#include <vector>

namespace lorastudio {

// What a run folder holds.
struct RunFolder {
    std::string name;         // "" for the newest run (the output folder itself), else runs/<name>
    std::string path;         // the folder with metrics.jsonl, checkpoints/, adapter/
    bool hasMetrics = false;
    int checkpoints = 0;      // step-N folders
    bool hasAdapter = false;
};

// Whether outputDir holds a run (metrics.jsonl, a checkpoint or an exported adapter).
bool holdsRun(const std::string& outputDir);

// Moves the run at the top of outputDir into outputDir/runs/<name> and returns that folder; ""
// when there is none. Each part moves by rename (same file system: nothing is copied, and an
// interrupted move leaves every file in one of the two places). Error naming the folder when a
// move fails (e.g. permissions), before training starts.
std::string archiveRun(const std::string& outputDir);

// The newest run first (when there is one), then runs/* from newest to oldest by name.
std::vector<RunFolder> listRuns(const std::string& outputDir);

// Deletes outputDir/runs/<name> and everything in it. Only archived runs: Error for a name that
// is empty, has a path separator or "..", or is not there.
void deleteRun(const std::string& outputDir, const std::string& name);

} // namespace lorastudio

// outputDir/metrics.jsonl: every step, eval, checkpoint and analysis snapshot as one JSON object per
// line with a "type" field ("step", "eval", "checkpoint", "analysis"). Lines are appended and
// flushed as they happen; a resumed run first drops the lines after its resume step, so the file
// always reads as one consistent curve.
#pragma once
#include "train/train_types.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <string>

namespace lorastudio {

nlohmann::json toJson(const StepMetrics& m);       // {"type": "step", "step", "total_steps", "epoch", "loss", ...}
nlohmann::json toJson(const EvalMetrics& m);       // {"type": "eval", "step", "loss", "perplexity", "tokens"}
nlohmann::json toJson(const CheckpointInfo& c);    // {"type": "checkpoint", "step", "path"}
nlohmann::json toJson(const AnalysisSnapshot& a);  // {"type": "analysis", "step", "modules": [{name, rank, sigma, effective_rank, k95, frobenius_norm, relative_norm}]}
// The reverse of toJson for step / eval lines; throws Error naming the key when one is missing.
StepMetrics stepMetricsFromJson(const nlohmann::json& j);
EvalMetrics evalMetricsFromJson(const nlohmann::json& j);

// One line of metrics.jsonl read back, for whoever follows or replays a run. Kind::Other: an
// analysis line, a line of another version's format, or one that is not JSON (a torn last line).
struct MetricsRecord {
    enum class Kind { Other, Step, Eval, Checkpoint };
    Kind kind = Kind::Other;
    StepMetrics step;
    EvalMetrics eval;
    CheckpointInfo checkpoint;
};
MetricsRecord readMetricsLine(const std::string& line);

class MetricsLog {
public:
    MetricsLog() = default;
    // Starts an empty file (a new run).
    void startFresh(const std::string& path);
    // Keeps the lines whose "step" is <= step (rewritten atomically), then appends after them.
    // A missing file is created; an unreadable trailing line (a crash mid-write) is dropped.
    void continueAfter(const std::string& path, int64_t step);
    void append(const nlohmann::json& line);
    const std::string& path() const { return m_path; }

private:
    void openForAppend();
    std::string m_path;
    std::ofstream m_out;
};

} // namespace lorastudio

// See run_log_lines.h.
#include "train/run_log_lines.h"

#include <cstdio>

namespace lorastudio {

namespace {
std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}
std::string num(int64_t v) { return std::to_string(v); }
} // namespace

std::string trainingPlanLine(const TrainingPlan& p) {
    std::string line = "Training " + num(p.totalSteps) + " steps (" + num(p.stepsPerEpoch) + " per epoch, batch " +
                       num(p.batchSize) + " x accumulation " + num(p.accumulation) + ", warmup " + num(p.warmupSteps) +
                       "), " + num(p.trainableParameters) + " trainable parameters on " + p.device;
    if (p.cpuThreads > 0) line += " (" + num(p.cpuThreads) + " threads)";
    line += ", precision " + p.precision;
    if (p.packedRowTokens > 0) line += ", packed rows of " + num(p.packedRowTokens) + " tokens";
    if (p.worldSize > 1) line += ", " + num(p.worldSize) + " data-parallel ranks (global batch " + num(p.globalBatch) + ")";
    return line;
}

std::string loadingDataLine() { return "Loading tokenizer and data"; }
std::string loadingModelLine(const std::string& folder) { return "Loading base model " + folder; }
std::string malformedLinesLine(int64_t count) { return num(count) + " malformed line(s) skipped"; }
std::string noteLine(const std::string& note) { return "Note: " + note; }

std::string qloraLine(int kept, const std::string& quantization, const std::string& storedAs) {
    return "QLoRA: " + num(kept) + " frozen linear weights kept quantized (" +
           (storedAs.empty() ? quantization + "; merge and export read the original checkpoint)"
                             : "bitsandbytes " + storedAs + " as the base folder stores them; merge and export use their dequantized values)");
}

std::string gradientCheckpointingLine() { return "gradient checkpointing: decoder layers recompute their activations in backward"; }
std::string totalStepsChangedLine(int64_t from, int64_t to) { return "Total steps changed from " + num(from) + " to " + num(to); }

std::string rngNotRestoredLine(const std::string& what) {
    return "The checkpoint's random state for " + what + " does not apply here: dropout draws differ from the original run";
}

std::string removedCheckpointLine(const std::string& dir, int64_t step) {
    return "Removed " + dir + ": it continued the run differently after step " + num(step);
}

std::string resumingLine(int64_t step, int64_t totalSteps) { return "Resuming at step " + num(step) + " of " + num(totalSteps); }

std::string earlierRunKeptLine(const std::string& outputDir, const std::string& keptIn) {
    return "The earlier run in " + outputDir + " is kept in " + keptIn;
}

std::string noEstimateLine(const std::string& error) { return "no memory estimate: " + error; }
std::string pausedLine(int64_t step) { return "Paused at step " + num(step); }
std::string resumedLine(int64_t step) { return "Resumed at step " + num(step); }
std::string stoppedLine(int64_t step, int64_t totalSteps) { return "Stopped at step " + num(step) + " of " + num(totalSteps); }

std::string finishedLine(int64_t step, double lastLoss) {
    return "Training finished: " + num(step) + " steps, last loss " + fmt("%.4f", lastLoss);
}

std::string stepLine(const StepMetrics& m) {
    const std::string rewards = m.preference.pairs == 0 ? std::string()
                                : "  reward accuracy " + fmt("%.2f", m.preference.accuracy) + "  margin " +
                                      fmt("%.4f", m.preference.margin());
    return "step " + num(m.step) + "/" + num(m.totalSteps) + "  loss " + fmt("%.4f", m.loss) + rewards + "  lr " +
           fmt("%.3g", m.lr) + "  grad norm " + fmt("%.3f", m.gradNorm) + "  " + fmt("%.0f", m.tokensPerSecond) + " tokens/s";
}

std::string evalLine(const EvalMetrics& e) {
    if (e.preference.pairs > 0)
        return "eval at step " + num(e.step) + "  loss " + fmt("%.4f", e.loss) + "  reward accuracy " +
               fmt("%.2f", e.preference.accuracy) + "  margin " + fmt("%.4f", e.preference.margin());
    return "eval at step " + num(e.step) + "  loss " + fmt("%.4f", e.loss) + "  perplexity " + fmt("%.3f", e.perplexity);
}

std::string checkpointLine(const std::string& dir) { return "Checkpoint written: " + dir; }

std::string emptyBatchLine(int64_t step) {
    return "step " + num(step) + ": a micro-batch has no token to learn from (all masked); skipped";
}

std::string gradientSyncLine(int buckets, int64_t bytes, int startedDuringBackward, bool nccl) {
    return "Gradient all-reduce: " + num(buckets) + (buckets == 1 ? " bucket" : " buckets") + ", " +
           fmt("%.2f", double(bytes) / (1024.0 * 1024.0)) + " MiB, " + num(startedDuringBackward) +
           " started during backward (" + (nccl ? "NCCL" : "Gloo") + ")";
}

std::string lossScaleLine(int64_t step, double before, double after) {
    return "step " + num(step) + ": fp16 gradients overflowed; update skipped, loss scale " + fmt("%g", before) + " -> " +
           fmt("%g", after);
}

std::string analysisSkippedLine(int64_t step, const std::string& error) {
    return "analysis skipped at step " + num(step) + ": " + error;
}

std::string outcomeLine(const TrainResult& r) {
    return std::string(outcomeName(r.outcome)) + " after " + num(r.step) + "/" + num(r.totalSteps) + " steps: " + r.message;
}

std::string lastCheckpointLine(const std::string& dir) { return "last checkpoint: " + dir; }
std::string adapterLine(const std::string& dir) { return "adapter (PEFT): " + dir; }

} // namespace lorastudio

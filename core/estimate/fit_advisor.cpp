// The fit advisor: one candidate change at a time, each measured by the estimate itself. See
// fit_advisor.h. Candidates are the settings a user controls that move the peak: checkpointing,
// batch size (with accumulation doubled, so the effective batch stays), 16-bit weights, sequence
// length, LoRA dropout (every adapter keeps a mask and a dropped copy of its input), the rank,
// modules_to_save, and on CUDA the attention kernel.
#include "estimate/fit_advisor.h"

#include <algorithm>
#include <functional>

namespace lorastudio {

FitReport adviseFit(const ModelSpec& spec, const ProjectConfig& project, int64_t availableBytes,
                    const MemoryOptions& options) {
    FitReport report;
    report.estimate = estimateMemory(spec, project, options);
    report.requiredBytes = report.estimate.total;
    report.availableBytes = availableBytes;
    report.fits = report.requiredBytes <= availableBytes;
    report.summary = "needs " + formatBytes(report.requiredBytes) + " of " + formatBytes(availableBytes) + ": " +
                     (report.fits ? "fits" : "does not fit");

    auto consider = [&](const std::string& change, const std::function<void(ProjectConfig&, MemoryOptions&)>& apply) {
        FitSuggestion s;
        s.change = change;
        s.project = project;
        s.options = options;
        // Pin what "auto" resolved to, so that only the change differs.
        s.options.device = report.estimate.device;
        s.options.attention = report.estimate.attention;
        apply(s.project, s.options);
        const MemoryEstimate after = estimateMemory(spec, s.project, s.options);
        s.totalAfter = after.total;
        s.savedBytes = report.requiredBytes - after.total;
        if (s.savedBytes <= 0) return;
        s.fitsAfter = after.total <= availableBytes;
        s.text = change + ": saves " + formatBytes(s.savedBytes) + " (peak " + formatBytes(after.total) + ")";
        report.suggestions.push_back(std::move(s));
    };

    const TrainingSettings& t = project.training;
    if (!t.gradientCheckpointing)
        consider("enable gradient checkpointing", [](ProjectConfig& p, MemoryOptions&) { p.training.gradientCheckpointing = true; });
    if (t.batchSize > 1)
        consider("halve the batch size (" + std::to_string(t.batchSize) + " -> " + std::to_string(t.batchSize / 2) +
                     ") and double gradient accumulation (" + std::to_string(t.gradientAccumulation) + " -> " +
                     std::to_string(t.gradientAccumulation * 2) + ")",
                 [](ProjectConfig& p, MemoryOptions&) {
                     p.training.batchSize /= 2;
                     p.training.gradientAccumulation *= 2;
                 });
    if (t.precision == Precision::Fp32)
        consider("use bf16", [](ProjectConfig& p, MemoryOptions&) { p.training.precision = Precision::Bf16; });
    if (project.data.maxLength >= 64) {
        // Sized for the data, it saves only when it cuts the data's longest examples: it says so.
        const int64_t half = project.data.maxLength / 2;
        const bool cuts = options.longestExample && *options.longestExample > half;
        consider("lower max length (" + std::to_string(project.data.maxLength) + " -> " + std::to_string(half) + ")" +
                     (cuts ? ", cutting the examples longer than " + std::to_string(half) + " tokens" : ""),
                 [](ProjectConfig& p, MemoryOptions&) { p.data.maxLength /= 2; });
    }
    if (project.lora.loraDropout > 0)
        consider("set lora_dropout to 0", [](ProjectConfig& p, MemoryOptions&) { p.lora.loraDropout = 0; });
    if (project.lora.r > 8 && project.lora.rankPattern.empty())
        consider("halve the LoRA rank (" + std::to_string(project.lora.r) + " -> " + std::to_string(project.lora.r / 2) + ")",
                 [](ProjectConfig& p, MemoryOptions&) { p.lora.r /= 2; });
    if (!project.lora.modulesToSave.empty())
        consider("train no modules in full (empty modules_to_save)",
                 [](ProjectConfig& p, MemoryOptions&) { p.lora.modulesToSave.clear(); });
    if (report.estimate.device == MemoryDevice::Cuda && report.estimate.attention == AttentionKind::Eager)
        consider("use SDPA attention (a LibTorch >= 2.1 build)",
                 [](ProjectConfig&, MemoryOptions& o) { o.attention = AttentionKind::Sdpa; });

    std::stable_sort(report.suggestions.begin(), report.suggestions.end(),
                     [](const FitSuggestion& a, const FitSuggestion& b) { return a.savedBytes > b.savedBytes; });
    return report;
}

} // namespace lorastudio

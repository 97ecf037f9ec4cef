// Defaults, equality, enum names, path resolution and validation of ProjectConfig (no YAML here:
// the same checks serve a loaded file, with locations, and the GUI's edits, without).
#include "project/project_config.h"

#include "common/error.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace lorastudio {

ProjectConfig defaultProject() { return ProjectConfig{}; }

bool operator==(const ProjectConfig& a, const ProjectConfig& b) {
    return a.version == b.version && a.baseModel == b.baseModel && a.lora == b.lora && a.data == b.data &&
           a.training == b.training && a.outputDir == b.outputDir;
}

// ---- paths ----

std::string resolveProjectPath(const ProjectConfig& config, const std::string& written) {
    if (written.empty()) return {};
    fs::path p(written);
    if (written == "~" || written.rfind("~/", 0) == 0) {
        if (const char* home = std::getenv("HOME"); home && *home)
            p = fs::path(home) / (written.size() > 2 ? written.substr(2) : std::string());
    }
    if (p.is_relative() && !config.projectDir.empty()) p = fs::path(config.projectDir) / p;
    return p.lexically_normal().string();
}

std::string resolvedBaseModel(const ProjectConfig& c) { return resolveProjectPath(c, c.baseModel); }
std::string resolvedDataPath(const ProjectConfig& c) { return resolveProjectPath(c, c.data.path); }
std::string resolvedValidationPath(const ProjectConfig& c) { return resolveProjectPath(c, c.data.validationPath); }
std::string resolvedOutputDir(const ProjectConfig& c) { return resolveProjectPath(c, c.outputDir); }

DataSettings resolvedDataSettings(const ProjectConfig& c) {
    DataSettings s = c.data;
    s.path = resolvedDataPath(c);
    s.validationPath = resolvedValidationPath(c);
    return s;
}

// ---- validation ----

namespace {

std::string num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

class Checker {
public:
    explicit Checker(const std::function<std::string(const std::string&)>& locate) : m_locate(locate) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what, const std::string& hint) const {
        throw Error(m_locate ? m_locate(key) : std::string(), key + ": " + what, hint);
    }
    void require(bool ok, const std::string& key, const std::string& what, const std::string& hint) const {
        if (!ok) fail(key, what, hint);
    }
    void intAtLeast(int v, int min, const std::string& key, const std::string& hint) const {
        require(v >= min, key, "must be >= " + std::to_string(min) + ", got " + std::to_string(v), hint);
    }
    void names(const std::vector<std::string>& list, const std::string& key, const std::string& hint) const {
        for (std::size_t i = 0; i < list.size(); ++i)
            require(!list[i].empty(), key + "[" + std::to_string(i) + "]", "must not be an empty name", hint);
    }

private:
    std::function<std::string(const std::string&)> m_locate;
};

void validateLora(const LoraSettings& l, const Checker& c) {
    const auto& t = l.targetModules;
    if (t.kind == ModuleSelection::Kind::List) {
        c.require(!t.names.empty(), "lora.target_modules", "the target list is empty, so LoRA would train nothing",
                  "list module names such as [q_proj, v_proj], give one regex, or write all-linear");
        c.names(t.names, "lora.target_modules", "e.g. q_proj");
    } else if (t.kind == ModuleSelection::Kind::Regex) {
        c.require(!t.regex.empty(), "lora.target_modules", "the target regex is empty",
                  "e.g. '.*\\.(q|v)_proj' or all-linear");
    }
    const auto& x = l.excludeModules;
    c.require(x.kind != ModuleSelection::Kind::AllLinear, "lora.exclude_modules",
              "all-linear is only meaningful for target_modules", "list module names or give one regex");
    if (x.kind == ModuleSelection::Kind::List) c.names(x.names, "lora.exclude_modules", "e.g. lm_head");
    c.intAtLeast(l.r, 1, "lora.r", "the LoRA rank, typically 4 to 64");
    c.require(std::isfinite(l.loraAlpha) && l.loraAlpha > 0, "lora.lora_alpha", "must be > 0, got " + num(l.loraAlpha),
              "often 2 * r, e.g. 16");
    c.require(std::isfinite(l.loraDropout) && l.loraDropout >= 0 && l.loraDropout < 1, "lora.lora_dropout",
              "must be in [0, 1), got " + num(l.loraDropout), "e.g. 0.05; 0 disables dropout");
    c.names(l.modulesToSave, "lora.modules_to_save", "e.g. lm_head");
    for (std::size_t i = 0; i < l.layersToTransform.size(); ++i)
        c.intAtLeast(l.layersToTransform[i], 0, "lora.layers_to_transform[" + std::to_string(i) + "]",
                     "layer indices start at 0");
    for (const auto& [pattern, rank] : l.rankPattern) {
        c.require(!pattern.empty(), "lora.rank_pattern", "a pattern is empty", "e.g. q_proj: 16");
        c.intAtLeast(rank, 1, "lora.rank_pattern." + pattern, "a rank, e.g. 16");
    }
    for (const auto& [pattern, alpha] : l.alphaPattern) {
        c.require(!pattern.empty(), "lora.alpha_pattern", "a pattern is empty", "e.g. q_proj: 32");
        c.require(std::isfinite(alpha) && alpha > 0, "lora.alpha_pattern." + pattern, "must be > 0, got " + num(alpha),
                  "e.g. 32");
    }
    c.require(l.pissaNiter >= 0 && (l.init == LoraInit::Pissa || l.pissaNiter == 0), "lora.init",
              "pissa_niter is only valid with pissa (got " + std::to_string(l.pissaNiter) + ")",
              "write pissa or pissa_niter_16");
    c.require(l.init != LoraInit::Pissa || l.quantization == BaseQuantization::None, "lora.init",
              "PiSSA needs the full-precision base weights, but lora.quantization is " + enumName(l.quantization),
              "use init: default with a quantized base, or quantization: none");
    c.require(!l.quantizeAllLinear || l.quantization != BaseQuantization::None, "lora.quantize_all_linear",
              "is true, but lora.quantization is none", "set quantization: nf4 or int8, or quantize_all_linear: false");
}

void validateData(const DataSettings& d, const Checker& c) {
    c.require(std::isfinite(d.validationFraction) && d.validationFraction >= 0 && d.validationFraction < 1,
              "data.validation", "a validation fraction must be in [0, 1), got " + num(d.validationFraction),
              "e.g. 0.05, or a file path in quotes");
    c.require(d.validationPath.empty() || d.validationFraction == 0, "data.validation",
              "give either a fraction or a path, not both", "set the fraction to 0 to use the file");
    c.intAtLeast(d.maxLength, 1, "data.max_length", "tokens per example, e.g. 1024");
    const char* promptHint = "e.g. a quarter of max_length; 0 cuts long examples at their end only";
    c.intAtLeast(d.maxPromptLength, 0, "data.max_prompt_length", promptHint);
    c.require(d.maxPromptLength < d.maxLength, "data.max_prompt_length",
              "must be less than max_length (" + std::to_string(d.maxLength) + "), got " + std::to_string(d.maxPromptLength) +
                  ", which leaves no room for the answer",
              promptHint);
}

void validateTraining(const TrainingSettings& t, const Checker& c) {
    c.require(std::isfinite(t.epochs) && t.epochs >= 0, "training.epochs", "must be >= 0, got " + num(t.epochs),
              "e.g. 3");
    c.intAtLeast(t.maxSteps, 0, "training.max_steps", "0 means: train for `epochs`");
    c.require(t.maxSteps > 0 || t.epochs > 0, "training.epochs", "epochs is 0 and max_steps is 0, so nothing would train",
              "set epochs (e.g. 3) or max_steps (e.g. 1000)");
    c.intAtLeast(t.batchSize, 1, "training.batch_size", "e.g. 8; lower it if memory runs out");
    c.intAtLeast(t.gradientAccumulation, 1, "training.gradient_accumulation", "1 means no accumulation");
    c.require(std::isfinite(t.lr) && t.lr > 0, "training.lr", "must be > 0, got " + num(t.lr), "e.g. 2e-4");
    c.intAtLeast(t.warmupSteps, 0, "training.warmup_steps", "0 means: use warmup_ratio");
    c.require(std::isfinite(t.warmupRatio) && t.warmupRatio >= 0 && t.warmupRatio <= 1, "training.warmup_ratio",
              "must be in [0, 1], got " + num(t.warmupRatio), "e.g. 0.03");
    c.require(std::isfinite(t.weightDecay) && t.weightDecay >= 0, "training.weight_decay",
              "must be >= 0, got " + num(t.weightDecay), "e.g. 0 or 0.01");
    c.require(std::isfinite(t.loraplusLrRatio) && t.loraplusLrRatio >= 0, "training.loraplus_lr_ratio",
              "must be >= 0, got " + num(t.loraplusLrRatio), "e.g. 16 (the LoRA+ paper's choice), or 0 for plain LoRA");
    c.require(std::isfinite(t.dpoBeta) && t.dpoBeta > 0, "training.dpo_beta", "must be > 0, got " + num(t.dpoBeta),
              "e.g. 0.1 (TRL's default); higher keeps the policy nearer the base model");
    c.require(std::isfinite(t.dpoLabelSmoothing) && t.dpoLabelSmoothing >= 0 && t.dpoLabelSmoothing < 0.5,
              "training.dpo_label_smoothing", "must be in [0, 0.5), got " + num(t.dpoLabelSmoothing),
              "the share of pairs whose labels may be flipped, e.g. 0.1; 0 = plain DPO");
    c.require(std::isfinite(t.orpoBeta) && t.orpoBeta > 0, "training.orpo_beta", "must be > 0, got " + num(t.orpoBeta),
              "e.g. 0.1 (TRL's default, the ORPO paper's lambda)");
    c.require(t.dpoLoss == DpoLoss::Sigmoid || t.dpoLabelSmoothing == 0, "training.dpo_label_smoothing",
              "applies to the sigmoid loss only, and dpo_loss is ipo", "set dpo_label_smoothing: 0, or dpo_loss: sigmoid");
    for (int i = 0; i < 2; ++i)
        c.require(std::isfinite(t.adamBetas[i]) && t.adamBetas[i] >= 0 && t.adamBetas[i] < 1,
                  "training.adam_betas[" + std::to_string(i) + "]", "must be in [0, 1), got " + num(t.adamBetas[i]),
                  "e.g. [0.9, 0.999]");
    c.require(std::isfinite(t.adamEps) && t.adamEps > 0, "training.adam_eps", "must be > 0, got " + num(t.adamEps),
              "e.g. 1e-8");
    c.require(std::isfinite(t.maxGradNorm) && t.maxGradNorm >= 0, "training.max_grad_norm",
              "must be >= 0, got " + num(t.maxGradNorm), "e.g. 1.0; 0 disables clipping");
    c.intAtLeast(t.evalEvery, 0, "training.eval_every", "steps between evaluations; 0 = never");
    c.intAtLeast(t.saveEvery, 0, "training.save_every", "steps between checkpoints; 0 = only at the end");
    c.intAtLeast(t.loggingEvery, 1, "training.logging_every", "steps between log lines, e.g. 10");
    c.intAtLeast(t.saveTotalLimit, 0, "training.save_total_limit", "checkpoints kept, e.g. 3; 0 = keep all");
    c.intAtLeast(t.analysisEvery, 0, "training.analysis_every", "steps between spectra snapshots, e.g. 5; 0 = never");
    c.intAtLeast(t.threads, 0, "training.threads", "CPU threads, e.g. 4; 0 = every physical core");
    c.intAtLeast(t.distributedTimeout, 1, "training.distributed_timeout",
                 "seconds a rank waits for the others, e.g. 1800 (longer than an evaluation or a checkpoint takes)");
    c.require(std::isfinite(t.distributedBucketMb) && t.distributedBucketMb >= 0 && t.distributedBucketMb <= 4096,
              "training.distributed_bucket_mb", "must be from 0 to 4096, got " + num(t.distributedBucketMb),
              "MiB of gradients per all-reduce bucket, e.g. 25; 0 = one all-reduce after backward");
    c.require(isValidDevice(t.device), "training.device", "unknown device '" + t.device + "'",
              "one of auto, cpu, cuda, cuda:N");
}

// What DPO needs from the other sections, and preference data from the objective.
void validateObjective(const ProjectConfig& config, const Checker& c) {
    const Objective objective = config.training.objective;
    const bool pairs = isPreferenceObjective(objective), dpo = objective == Objective::Dpo;
    const DataFormat format = config.data.format;
    c.require(!pairs || format == DataFormat::Auto || format == DataFormat::Preference, "training.objective",
              enumName(objective) + " trains on preference pairs, and data.format is " + enumName(format),
              "set data.format: preference (records with prompt, chosen and rejected), or objective: sft");
    c.require(pairs || format != DataFormat::Preference, "data.format",
              "preference pairs train with training.objective: dpo or orpo, and the objective is sft",
              "set training.objective: dpo or orpo, or use answer data (chat, alpaca, text) for sft");
    c.require(!pairs || !config.data.packing, "data.packing",
              std::string(dpo ? "DPO" : "ORPO") + " compares each chosen answer with its rejected one row by row, so rows cannot be packed",
              "set data.packing: false (data.group_by_length still saves padding)");
    c.require(!dpo || (config.lora.bias == LoraBias::None && config.lora.modulesToSave.empty()),
              config.lora.modulesToSave.empty() ? "lora.bias" : "lora.modules_to_save",
              "DPO's reference is the base model with the adapters switched off, and trained biases or "
              "modules_to_save would change it too",
              "set lora.bias: none and lora.modules_to_save: [] for DPO");
}

} // namespace

void validateProject(const ProjectConfig& config, const std::function<std::string(const std::string&)>& locate) {
    const Checker c(locate);
    c.require(config.version == kProjectSchemaVersion, "version",
              "unsupported schema version " + std::to_string(config.version),
              "this LoRA Studio reads version " + std::to_string(kProjectSchemaVersion) +
                  "; a newer file needs a newer LoRA Studio");
    c.require(!config.baseModel.empty(), "base_model", "no base model given",
              "add e.g. base_model: models/TinyLlama-1.1B (a Hugging Face model folder)");
    c.require(!config.outputDir.empty(), "output_dir", "must not be empty", "e.g. output_dir: runs/my-lora");
    validateLora(config.lora, c);
    validateData(config.data, c);
    validateTraining(config.training, c);
    validateObjective(config, c);
}

void validateProject(const ProjectConfig& config) { validateProject(config, {}); }

} // namespace lorastudio

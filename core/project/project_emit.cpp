// Writing project.yaml: a fixed key order, every value written out (defaults included, so users see
// them), short comments, numbers in their shortest exact form. Deterministic, so that
// save -> load -> save is byte-identical. Formatting ignores the process locale.
#include "project/project_file.h"
#include "project/project_carry.h"

#include "common/atomic_file.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <locale>
#include <sstream>

namespace lorastudio {

namespace {

constexpr std::size_t kCommentColumn = 36;

bool parsesBackTo(const std::string& text, double v) {
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    double back = 0;
    in >> back;
    return !in.fail() && back == v;
}

// "2e-4", "0.05", "16", "1e-8": the fewest significant digits that read back to exactly v.
std::string formatNumber(double v) {
    if (std::isnan(v)) return ".nan";
    if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
    if (v == 0) return "0";
    const double a = std::fabs(v);
    const bool scientific = a < 1e-3 || a >= 1e15;
    std::string text;
    for (int digits = 1; digits <= 17; ++digits) {
        std::ostringstream out;
        out.imbue(std::locale::classic());
        if (scientific)
            out << std::scientific << std::setprecision(digits - 1) << v;
        else
            out << std::setprecision(digits) << v;
        text = out.str();
        if (parsesBackTo(text, v)) break;
    }
    // "2e-04" -> "2e-4", "1e+20" -> "1e+20"
    if (auto e = text.find('e'); e != std::string::npos) {
        std::size_t digitsAt = e + 1;
        if (digitsAt < text.size() && (text[digitsAt] == '+' || text[digitsAt] == '-')) ++digitsAt;
        while (digitsAt + 1 < text.size() && text[digitsAt] == '0') text.erase(digitsAt, 1);
    }
    return text;
}

// Single quotes keep regexes and Windows paths readable ('.*\.q_proj'); control characters need
// a double-quoted string with escapes.
std::string quote(const std::string& s) {
    bool control = false;
    for (unsigned char c : s) control = control || c < 0x20 || c == 0x7f;
    if (!control) {
        std::string out = "'";
        for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
        return out + "'";
    }
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string boolText(bool b) { return b ? "true" : "false"; }

std::string nameListText(const std::vector<std::string>& names) {
    std::string s = "[";
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + quote(names[i]);
    return s + "]";
}

std::string moduleSelectionText(const ModuleSelection& m) {
    if (m.kind == ModuleSelection::Kind::AllLinear) return "all-linear";
    if (m.kind == ModuleSelection::Kind::Regex && !m.regex.empty()) return quote(m.regex);
    return nameListText(m.names);
}

class YamlWriter {
public:
    void comment(const std::string& text) { m_out << "# " << text << "\n"; }
    void blank() { m_out << "\n"; }
    void section(const std::string& name, const std::string& note = {}) { entry(0, name, "", note); }
    void key(const std::string& name, const std::string& value, const std::string& note = {}) {
        entry(1, name, value, note);
    }
    void top(const std::string& name, const std::string& value, const std::string& note = {}) {
        entry(0, name, value, note);
    }
    void item(const std::string& name, const std::string& value) { entry(2, name, value, {}); }
    std::string text() const { return m_out.str(); }

private:
    void entry(int level, const std::string& name, const std::string& value, const std::string& note) {
        std::string line(static_cast<std::size_t>(level) * 2, ' ');
        line += name + ":";
        if (!value.empty()) line += " " + value;
        if (!note.empty()) {
            line += line.size() < kCommentColumn ? std::string(kCommentColumn - line.size(), ' ') : std::string("  ");
            line += "# " + note;
        }
        m_out << line << "\n";
    }
    std::ostringstream m_out;
};

template <typename T, typename Format>
void patternMap(YamlWriter& w, const std::string& name, const std::vector<std::pair<std::string, T>>& map,
                const std::string& note, Format format) {
    if (map.empty()) {
        w.key(name, "{}", note);
        return;
    }
    w.key(name, "", note);
    for (const auto& [pattern, value] : map) w.item(quote(pattern), format(value));
}

} // namespace

std::string projectToYaml(const ProjectConfig& c) {
    YamlWriter w;
    w.comment("LoRA Studio project: one file describing a whole LoRA run.");
    w.comment("Every key is described in docs/project-schema.md. Relative paths are relative to");
    w.comment("the folder of this file.");
    w.top("version", std::to_string(c.version), "schema version");
    w.top("base_model", quote(c.baseModel), "Hugging Face model folder");
    w.top("output_dir", quote(c.outputDir), "adapter, checkpoints and logs");
    w.blank();

    const LoraSettings& l = c.lora;
    w.section("lora");
    w.key("target_modules", moduleSelectionText(l.targetModules), "list, one regex, or all-linear");
    w.key("exclude_modules", moduleSelectionText(l.excludeModules), "list or one regex");
    w.key("r", std::to_string(l.r), "rank of the update");
    w.key("lora_alpha", formatNumber(l.loraAlpha), "scaling = lora_alpha / r");
    w.key("lora_dropout", formatNumber(l.loraDropout), "in [0, 1)");
    w.key("use_rslora", boolText(l.useRslora), "true: scaling = lora_alpha / sqrt(r)");
    w.key("use_dora", boolText(l.useDora), "DoRA: a trained magnitude per output row");
    w.key("bias", enumName(l.bias), "none, all, lora_only");
    w.key("modules_to_save", nameListText(l.modulesToSave), "trained in full, saved with the adapter");
    std::string layers = "[";
    for (std::size_t i = 0; i < l.layersToTransform.size(); ++i)
        layers += (i ? ", " : "") + std::to_string(l.layersToTransform[i]);
    w.key("layers_to_transform", layers + "]", "layer indices; [] = all layers");
    patternMap(w, "rank_pattern", l.rankPattern, "pattern: r (first match wins)",
               [](int v) { return std::to_string(v); });
    patternMap(w, "alpha_pattern", l.alphaPattern, "pattern: lora_alpha", [](double v) { return formatNumber(v); });
    w.key("init", loraInitName(l.init, l.pissaNiter), "default, gaussian, pissa, pissa_niter_N");
    w.key("quantization", enumName(l.quantization), "QLoRA: frozen base weights as none, nf4 or int8");
    w.key("quantize_all_linear", boolText(l.quantizeAllLinear), "false: only the adapted layers");
    w.key("double_quant", boolText(l.doubleQuant), "nf4: the block scales in 8 bits too");
    w.blank();

    const DataSettings& d = c.data;
    w.section("data");
    w.key("path", quote(d.path), ".jsonl, .json or .txt");
    w.key("format", enumName(d.format), "auto, text, alpaca, chat, sharegpt");
    w.key("template", enumName(d.chatTemplate), "auto, model, chatml, llama3, mistral, plain, alpaca");
    w.key("system_prompt", quote(d.systemPrompt), "for chat/alpaca records without a system message");
    w.key("validation", d.validationPath.empty() ? formatNumber(d.validationFraction) : quote(d.validationPath),
          "fraction in [0, 1), or a file path");
    w.key("max_length", std::to_string(d.maxLength), "tokens per example");
    w.key("max_prompt_length", std::to_string(d.maxPromptLength), "0: a long example loses its end; N: its prompt's start first");
    w.key("completion_only_loss", d.completionOnlyLoss ? boolText(*d.completionOnlyLoss) : "auto",
          "auto: true for alpaca/chat data");
    w.key("shuffle", boolText(d.shuffle));
    w.key("shuffle_seed", std::to_string(d.shuffleSeed));
    w.key("streaming", boolText(d.streaming), "read the file lazily");
    w.key("packing", boolText(d.packing), "several examples per row, each attending only to itself");
    w.key("group_by_length", boolText(d.groupByLength), "unpacked: batches of similar lengths");
    w.blank();

    const TrainingSettings& t = c.training;
    w.section("training");
    w.key("epochs", formatNumber(t.epochs));
    w.key("max_steps", std::to_string(t.maxSteps), "> 0 overrides epochs");
    w.key("batch_size", std::to_string(t.batchSize));
    w.key("gradient_accumulation", std::to_string(t.gradientAccumulation), "steps per optimizer update");
    w.key("lr", formatNumber(t.lr));
    w.key("schedule", enumName(t.schedule), "constant, linear, cosine (after warmup)");
    w.key("warmup_steps", std::to_string(t.warmupSteps), "> 0 overrides warmup_ratio");
    w.key("warmup_ratio", formatNumber(t.warmupRatio), "fraction of all steps");
    w.key("weight_decay", formatNumber(t.weightDecay));
    w.key("loraplus_lr_ratio", formatNumber(t.loraplusLrRatio), "LoRA+: lora_B learns at ratio x lr; 0 = off");
    w.key("objective", enumName(t.objective), "sft (answers); dpo, orpo (preference pairs: data.format preference)");
    w.key("dpo_beta", formatNumber(t.dpoBeta), "DPO: higher keeps the policy nearer the base model");
    w.key("dpo_loss", enumName(t.dpoLoss), "DPO: sigmoid, ipo");
    w.key("dpo_label_smoothing", formatNumber(t.dpoLabelSmoothing), "DPO sigmoid: share of pairs assumed flipped");
    w.key("orpo_beta", formatNumber(t.orpoBeta), "ORPO: weight of the odds-ratio term");
    w.key("adam_betas", "[" + formatNumber(t.adamBetas[0]) + ", " + formatNumber(t.adamBetas[1]) + "]");
    w.key("adam_eps", formatNumber(t.adamEps));
    w.key("max_grad_norm", formatNumber(t.maxGradNorm), "0 disables clipping");
    w.key("seed", std::to_string(t.seed));
    w.key("precision", enumName(t.precision), "fp32, bf16, fp16");
    w.key("gradient_checkpointing", boolText(t.gradientCheckpointing), "less memory, more compute");
    w.key("eval_every", std::to_string(t.evalEvery), "steps; 0 = never");
    w.key("save_every", std::to_string(t.saveEvery), "steps; 0 = only at the end");
    w.key("logging_every", std::to_string(t.loggingEvery), "steps");
    w.key("save_total_limit", std::to_string(t.saveTotalLimit), "newest checkpoints kept; 0 = all");
    w.key("analysis_every", std::to_string(t.analysisEvery), "steps between spectra snapshots; 0 = never");
    w.key("device", isValidDevice(t.device) ? t.device : quote(t.device), "auto, cpu, cuda, cuda:N");
    w.key("threads", std::to_string(t.threads), "CPU threads; 0 = every physical core");
    w.key("tf32", boolText(t.tf32), "CUDA: TensorFloat-32 matmuls in fp32 (faster, less exact)");
    w.key("distributed_backend", enumName(t.distributedBackend), "data-parallel jobs: auto, gloo, nccl");
    w.key("distributed_timeout", std::to_string(t.distributedTimeout), "seconds a rank waits for the others");
    w.key("distributed_bucket_mb", formatNumber(t.distributedBucketMb), "MiB per gradient all-reduce bucket; 0 = one after backward");
    return w.text();
}

void saveProject(const ProjectConfig& config, const std::string& path) {
    validateProject(config, [&](const std::string&) { return path; });
    writeFileAtomic(path, projectToYaml(config));
}

CarriedText saveProjectKeeping(const ProjectConfig& config, const std::string& path, const std::string& previousText) {
    validateProject(config, [&](const std::string&) { return path; });
    CarriedText carried = projectToYamlKeeping(config, previousText);
    writeFileAtomic(path, carried.text);
    return carried;
}

} // namespace lorastudio

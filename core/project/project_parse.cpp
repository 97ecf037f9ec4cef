// Reading project.yaml into a ProjectConfig: typed access that reports file:line:col and the key
// path, unknown-key warnings with suggestions, then validateProject with the recorded positions.
#include "project/project_file.h"
#include "project/project_carry.h"

#include "common/error.h"
#include "project/key_suggest.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace lorastudio {

std::string Warning::text() const {
    std::string s = file;
    if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
    s += ": " + message;
    if (!suggestion.empty()) s += " (did you mean '" + suggestion + "'?)";
    return s;
}

namespace {

using Aliases = std::vector<std::pair<std::string, std::string>>;

struct Section {
    std::string name; // "" for the top level
    std::vector<std::string> keys;
    Aliases aliases;  // familiar names from PEFT / transformers -> our key
};

const std::vector<Section>& sections() {
    static const std::vector<Section> s{
        {"", {"version", "base_model", "output_dir", "lora", "data", "training"},
         {{"model", "base_model"}, {"model_name_or_path", "base_model"}, {"base_model_name_or_path", "base_model"},
          {"output", "output_dir"}, {"schema_version", "version"}, {"peft", "lora"}, {"dataset", "data"},
          {"train", "training"}}},
        {"lora",
         {"target_modules", "exclude_modules", "r", "lora_alpha", "lora_dropout", "use_rslora", "use_dora", "bias",
          "modules_to_save", "layers_to_transform", "rank_pattern", "alpha_pattern", "init", "quantization",
          "quantize_all_linear", "double_quant"},
         {{"rank", "r"}, {"alpha", "lora_alpha"}, {"dropout", "lora_dropout"}, {"rslora", "use_rslora"},
          {"init_lora_weights", "init"}, {"targets", "target_modules"}, {"target", "target_modules"},
          {"exclude", "exclude_modules"}, {"layers", "layers_to_transform"}, {"dora", "use_dora"},
          {"quantize", "quantization"}, {"bnb_4bit_use_double_quant", "double_quant"}}},
        {"data",
         {"path", "format", "template", "system_prompt", "validation", "max_length", "max_prompt_length",
          "completion_only_loss", "shuffle", "shuffle_seed", "streaming", "packing", "group_by_length"},
         {{"train_file", "path"}, {"dataset", "path"}, {"chat_template", "template"}, {"default_system", "system_prompt"},
          {"val", "validation"},
          {"validation_split", "validation"}, {"val_split", "validation"}, {"validation_file", "validation"},
          {"max_seq_length", "max_length"}, {"cutoff_len", "max_length"}, {"seed", "shuffle_seed"},
          {"train_on_inputs", "completion_only_loss"}, {"sample_packing", "packing"}, {"pack", "packing"}}},
        {"training",
         {"epochs", "max_steps", "batch_size", "gradient_accumulation", "lr", "schedule", "warmup_steps",
          "warmup_ratio", "weight_decay", "loraplus_lr_ratio", "objective", "dpo_beta", "dpo_loss", "dpo_label_smoothing", "orpo_beta", "adam_betas", "adam_eps", "max_grad_norm", "seed", "precision",
          "gradient_checkpointing", "eval_every", "save_every", "logging_every", "save_total_limit", "analysis_every",
          "device", "threads", "tf32", "distributed_backend", "distributed_timeout", "distributed_bucket_mb"},
         {{"num_train_epochs", "epochs"}, {"epoch", "epochs"}, {"steps", "max_steps"},
          {"per_device_train_batch_size", "batch_size"}, {"micro_batch_size", "batch_size"},
          {"gradient_accumulation_steps", "gradient_accumulation"}, {"learning_rate", "lr"},
          {"lr_scheduler", "schedule"}, {"lr_scheduler_type", "schedule"}, {"scheduler", "schedule"},
          {"warmup", "warmup_steps"}, {"adam_beta1", "adam_betas"}, {"adam_beta2", "adam_betas"},
          {"betas", "adam_betas"}, {"adam_epsilon", "adam_eps"}, {"eps", "adam_eps"}, {"clip_grad_norm", "max_grad_norm"},
          {"dtype", "precision"}, {"mixed_precision", "precision"}, {"eval_steps", "eval_every"},
          {"save_steps", "save_every"}, {"logging_steps", "logging_every"}, {"log_every", "logging_every"},
          {"keep_checkpoints", "save_total_limit"}, {"analysis_steps", "analysis_every"},
          {"num_threads", "threads"}}},
    };
    return s;
}

const Section& sectionNamed(const std::string& name) {
    for (const auto& s : sections())
        if (s.name == name) return s;
    return sections().front();
}

std::string describe(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar: return "\"" + n.Scalar() + "\"";
    default: return "an undefined value";
    }
}

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
    return s;
}

class Reader {
public:
    Reader(std::string where, std::vector<Warning>* warnings) : m_where(std::move(where)), m_warnings(warnings) {}

    std::string at(const YAML::Mark& m) const {
        if (m.is_null()) return m_where;
        return m_where + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    }

    [[noreturn]] void fail(const YAML::Mark& m, const std::string& key, const std::string& what,
                           const std::string& hint = {}) const {
        throw Error(at(m), key.empty() ? what : key + ": " + what, hint);
    }

    void record(const std::string& key, const YAML::Mark& m) {
        if (!m.is_null()) m_marks[key] = m;
    }

    // "file:line:col" of key, or of the nearest enclosing key that was seen, or of the document.
    std::string locate(std::string key) const {
        while (!key.empty()) {
            if (auto it = m_marks.find(key); it != m_marks.end()) return at(it->second);
            const auto cut = key.find_last_of(".[");
            key = cut == std::string::npos ? std::string() : key.substr(0, cut);
        }
        if (auto it = m_marks.find(""); it != m_marks.end()) return at(it->second);
        return m_where;
    }

    void warn(const YAML::Mark& m, const std::string& key, const std::string& message, const std::string& suggestion) {
        if (!m_warnings) return;
        Warning w;
        w.file = m_where;
        w.line = m.is_null() ? 0 : m.line + 1;
        w.column = m.is_null() ? 0 : m.column + 1;
        w.key = key;
        w.message = message;
        w.suggestion = suggestion;
        m_warnings->push_back(std::move(w));
    }

    static std::string qualify(const std::string& prefix, const std::string& key) {
        return prefix.empty() ? key : prefix + "." + key;
    }

    // Keys must be unique scalars; unknown ones become warnings with a suggestion.
    void checkKeys(const YAML::Node& map, const std::string& prefix) {
        const Section& section = sectionNamed(prefix);
        std::set<std::string> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const YAML::Node k = it->first;
            if (!k.IsScalar()) fail(k.Mark(), prefix, "keys must be plain names, got " + describe(k));
            const std::string name = k.Scalar();
            const std::string path = qualify(prefix, name);
            if (!seen.insert(name).second)
                fail(k.Mark(), path, "duplicate key", "the same key appears earlier in this section; keep one");
            bool known = false;
            for (const auto& kk : section.keys) known = known || kk == name;
            if (known) continue;
            std::string suggestion = suggestKey(name, section.keys, section.aliases);
            if (suggestion.empty()) { // maybe it belongs to another section
                std::vector<std::string> elsewhere;
                Aliases elsewhereAliases;
                for (const auto& s : sections()) {
                    if (s.name == prefix) continue;
                    for (const auto& kk : s.keys) elsewhere.push_back(qualify(s.name, kk));
                    for (const auto& [alias, kk] : s.aliases) elsewhereAliases.emplace_back(alias, qualify(s.name, kk));
                }
                // Compare the bare name with the bare keys of the other sections.
                Aliases bare;
                for (const auto& q : elsewhere) bare.emplace_back(q.substr(q.find('.') + 1), q);
                for (const auto& a : elsewhereAliases) bare.push_back(a);
                suggestion = suggestKey(name, {}, bare);
            }
            warn(k.Mark(), path, "unknown key '" + path + "', ignored", suggestion);
        }
    }

    // The value of key in map, or false when absent or null (which means: keep the default).
    bool find(const YAML::Node& map, const std::string& prefix, const std::string& key, YAML::Node& value) {
        if (!map.IsMap()) return false;
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it->first.IsScalar() || it->first.Scalar() != key) continue;
            const YAML::Node v = it->second;
            // A null value's mark points past the key; the key's own mark reads better.
            record(qualify(prefix, key), v.IsNull() ? it->first.Mark() : v.Mark());
            if (v.IsNull()) return false;
            value.reset(v); // rebind: assigning would write through to whatever value referred to
            return true;
        }
        return false;
    }

    // A section such as `lora:`; an absent or empty one gives a null node (all defaults).
    YAML::Node section(const YAML::Node& root, const std::string& name) {
        YAML::Node n;
        if (!find(root, "", name, n)) return YAML::Node();
        if (!n.IsMap())
            fail(n.Mark(), name, "expected a mapping of keys, got " + describe(n),
                 "indent the " + name + " settings under '" + name + ":', e.g. '" + name + ":\\n  key: value'");
        checkKeys(n, name);
        return n;
    }

    std::string scalarText(const YAML::Node& v, const std::string& key, const std::string& expected,
                           const std::string& hint) const {
        if (!v.IsScalar()) fail(v.Mark(), key, "expected " + expected + ", got " + describe(v), hint);
        return v.Scalar();
    }

    int toInt(const YAML::Node& v, const std::string& key, const std::string& hint) const {
        int out = 0;
        if (!v.IsScalar() || !YAML::convert<int>::decode(v, out))
            fail(v.Mark(), key, "expected a whole number, got " + describe(v), hint);
        return out;
    }

    double toDouble(const YAML::Node& v, const std::string& key, const std::string& hint) const {
        double out = 0;
        if (!v.IsScalar() || !YAML::convert<double>::decode(v, out))
            fail(v.Mark(), key, "expected a number, got " + describe(v), hint);
        return out;
    }

    bool toBool(const YAML::Node& v, const std::string& key) const {
        bool out = false;
        if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out))
            fail(v.Mark(), key, "expected true or false, got " + describe(v));
        return out;
    }

    template <typename E> E toEnum(const YAML::Node& v, const std::string& key) const {
        const std::string allowed = join(enumNames<E>());
        const std::string text = scalarText(v, key, "one of " + allowed, {});
        if (auto e = enumFromName<E>(text)) return *e;
        fail(v.Mark(), key, "expected one of " + allowed + ", got " + describe(v));
    }

    // Plain readers: absent or null keeps `out` as it is.
    void readInt(const YAML::Node& m, const std::string& p, const std::string& k, int& out, const std::string& hint) {
        if (YAML::Node v; find(m, p, k, v)) out = toInt(v, qualify(p, k), hint);
    }
    void readDouble(const YAML::Node& m, const std::string& p, const std::string& k, double& out,
                    const std::string& hint) {
        if (YAML::Node v; find(m, p, k, v)) out = toDouble(v, qualify(p, k), hint);
    }
    void readBool(const YAML::Node& m, const std::string& p, const std::string& k, bool& out) {
        if (YAML::Node v; find(m, p, k, v)) out = toBool(v, qualify(p, k));
    }
    void readString(const YAML::Node& m, const std::string& p, const std::string& k, std::string& out,
                    const std::string& hint) {
        if (YAML::Node v; find(m, p, k, v)) out = scalarText(v, qualify(p, k), "a text value", hint);
    }
    template <typename E> void readEnum(const YAML::Node& m, const std::string& p, const std::string& k, E& out) {
        if (YAML::Node v; find(m, p, k, v)) out = toEnum<E>(v, qualify(p, k));
    }

    // A list of names, each recorded as key[i].
    std::vector<std::string> nameList(const YAML::Node& seq, const std::string& key, const std::string& hint) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < seq.size(); ++i) {
            const std::string item = key + "[" + std::to_string(i) + "]";
            record(item, seq[i].Mark());
            out.push_back(scalarText(seq[i], item, "a module name", hint));
        }
        return out;
    }

private:
    std::string m_where;
    std::vector<Warning>* m_warnings;
    std::map<std::string, YAML::Mark> m_marks;
};

void readModuleSelection(Reader& r, const YAML::Node& lora, const std::string& key, ModuleSelection& out,
                         bool allowAllLinear) {
    YAML::Node v;
    if (!r.find(lora, "lora", key, v)) return;
    const std::string path = "lora." + key;
    const std::string hint = "a list such as [q_proj, v_proj], or one regex string";
    if (v.IsSequence()) {
        out = ModuleSelection::list(r.nameList(v, path, hint));
    } else if (v.IsScalar()) {
        const std::string text = v.Scalar();
        if (allowAllLinear && equalsIgnoreCase(text, "all-linear"))
            out = ModuleSelection::allLinear();
        else if (!allowAllLinear && text.empty())
            out = ModuleSelection::list({}); // exclude_modules: '' excludes nothing, like []
        else
            out = ModuleSelection::fromRegex(text);
    } else {
        r.fail(v.Mark(), path, "expected a list of module names or a regex, got " + describe(v), hint);
    }
}

template <typename T, typename Convert>
void readPatternMap(Reader& r, const YAML::Node& lora, const std::string& key,
                    std::vector<std::pair<std::string, T>>& out, Convert convert) {
    YAML::Node v;
    if (!r.find(lora, "lora", key, v)) return;
    const std::string path = "lora." + key;
    if (!v.IsMap())
        r.fail(v.Mark(), path, "expected a mapping from pattern to value, got " + describe(v),
               "e.g. '" + key + ":\\n    q_proj: 16'");
    out.clear();
    std::set<std::string> seen;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string pattern = r.scalarText(it->first, path, "a module pattern", "e.g. q_proj");
        if (!seen.insert(pattern).second) r.fail(it->first.Mark(), path + "." + pattern, "duplicate pattern");
        r.record(path + "." + pattern, it->second.Mark());
        out.emplace_back(pattern, convert(it->second, path + "." + pattern));
    }
}

void readLora(Reader& r, const YAML::Node& n, LoraSettings& l) {
    readModuleSelection(r, n, "target_modules", l.targetModules, true);
    readModuleSelection(r, n, "exclude_modules", l.excludeModules, false);
    r.readInt(n, "lora", "r", l.r, "the LoRA rank, e.g. 8");
    r.readDouble(n, "lora", "lora_alpha", l.loraAlpha, "e.g. 16");
    r.readDouble(n, "lora", "lora_dropout", l.loraDropout, "e.g. 0.05");
    r.readBool(n, "lora", "use_rslora", l.useRslora);
    r.readBool(n, "lora", "use_dora", l.useDora);
    r.readEnum(n, "lora", "bias", l.bias);
    r.readEnum(n, "lora", "quantization", l.quantization);
    r.readBool(n, "lora", "quantize_all_linear", l.quantizeAllLinear);
    r.readBool(n, "lora", "double_quant", l.doubleQuant);
    if (YAML::Node v; r.find(n, "lora", "modules_to_save", v)) {
        if (!v.IsSequence())
            r.fail(v.Mark(), "lora.modules_to_save", "expected a list of module names, got " + describe(v),
                   "e.g. [lm_head]");
        l.modulesToSave = r.nameList(v, "lora.modules_to_save", "e.g. lm_head");
    }
    if (YAML::Node v; r.find(n, "lora", "layers_to_transform", v)) {
        const std::string hint = "a layer index or a list of them, e.g. [0, 1, 2]";
        l.layersToTransform.clear();
        if (v.IsSequence()) {
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string item = "lora.layers_to_transform[" + std::to_string(i) + "]";
                r.record(item, v[i].Mark());
                l.layersToTransform.push_back(r.toInt(v[i], item, hint));
            }
        } else {
            l.layersToTransform.push_back(r.toInt(v, "lora.layers_to_transform", hint));
        }
    }
    readPatternMap<int>(r, n, "rank_pattern", l.rankPattern,
                        [&](const YAML::Node& v, const std::string& k) { return r.toInt(v, k, "a rank, e.g. 16"); });
    readPatternMap<double>(r, n, "alpha_pattern", l.alphaPattern, [&](const YAML::Node& v, const std::string& k) {
        return r.toDouble(v, k, "an alpha, e.g. 32");
    });
    if (YAML::Node v; r.find(n, "lora", "init", v)) {
        const std::string hint = "one of default, gaussian, pissa, pissa_niter_<N> (e.g. pissa_niter_16)";
        const std::string text = r.scalarText(v, "lora.init", "an init name", hint);
        if (!parseLoraInit(text, l.init, l.pissaNiter))
            r.fail(v.Mark(), "lora.init", "unknown init " + describe(v), hint);
    }
}

void readData(Reader& r, const YAML::Node& n, DataSettings& d) {
    r.readString(n, "data", "path", d.path, "a .jsonl, .json or .txt file");
    r.readEnum(n, "data", "format", d.format);
    r.readEnum(n, "data", "template", d.chatTemplate);
    r.readString(n, "data", "system_prompt", d.systemPrompt, "a system message, e.g. 'You are a helpful assistant.'");
    if (YAML::Node v; r.find(n, "data", "validation", v)) {
        const std::string hint = "a fraction such as 0.05, or a file path such as 'data/val.jsonl'";
        const std::string text = r.scalarText(v, "data.validation", "a fraction or a path", hint);
        double fraction = 0;
        // A quoted value (tag "!") is always a path, so 'val/0.1' and '0.1' can both be files.
        if (v.Tag() != "!" && YAML::convert<double>::decode(v, fraction)) {
            d.validationFraction = fraction;
            d.validationPath.clear();
        } else {
            d.validationPath = text;
            d.validationFraction = 0;
        }
    }
    r.readInt(n, "data", "max_length", d.maxLength, "tokens per example, e.g. 1024");
    r.readInt(n, "data", "max_prompt_length", d.maxPromptLength, "prompt tokens kept in a long example, e.g. 128");
    if (YAML::Node v; r.find(n, "data", "completion_only_loss", v)) {
        if (v.IsScalar() && equalsIgnoreCase(v.Scalar(), "auto"))
            d.completionOnlyLoss.reset();
        else
            d.completionOnlyLoss = r.toBool(v, "data.completion_only_loss");
    }
    r.readBool(n, "data", "shuffle", d.shuffle);
    r.readInt(n, "data", "shuffle_seed", d.shuffleSeed, "e.g. 42");
    r.readBool(n, "data", "streaming", d.streaming);
    r.readBool(n, "data", "packing", d.packing);
    r.readBool(n, "data", "group_by_length", d.groupByLength);
}

void readTraining(Reader& r, const YAML::Node& n, TrainingSettings& t) {
    const std::string s = "training";
    r.readDouble(n, s, "epochs", t.epochs, "e.g. 3");
    r.readInt(n, s, "max_steps", t.maxSteps, "e.g. 1000; 0 means: train for `epochs`");
    if (t.maxSteps == -1) t.maxSteps = 0; // transformers' "unset"
    r.readInt(n, s, "batch_size", t.batchSize, "e.g. 8");
    r.readInt(n, s, "gradient_accumulation", t.gradientAccumulation, "e.g. 4");
    r.readDouble(n, s, "lr", t.lr, "e.g. 2e-4");
    r.readEnum(n, s, "schedule", t.schedule);
    r.readInt(n, s, "warmup_steps", t.warmupSteps, "e.g. 100");
    r.readDouble(n, s, "warmup_ratio", t.warmupRatio, "e.g. 0.03");
    r.readDouble(n, s, "weight_decay", t.weightDecay, "e.g. 0.01");
    r.readDouble(n, s, "loraplus_lr_ratio", t.loraplusLrRatio, "e.g. 16");
    r.readEnum(n, s, "objective", t.objective);
    r.readDouble(n, s, "dpo_beta", t.dpoBeta, "e.g. 0.1");
    r.readEnum(n, s, "dpo_loss", t.dpoLoss);
    r.readDouble(n, s, "dpo_label_smoothing", t.dpoLabelSmoothing, "e.g. 0.1; 0 = plain DPO");
    r.readDouble(n, s, "orpo_beta", t.orpoBeta, "e.g. 0.1");
    if (YAML::Node v; r.find(n, s, "adam_betas", v)) {
        const std::string hint = "two numbers, e.g. [0.9, 0.999]";
        if (!v.IsSequence() || v.size() != 2)
            r.fail(v.Mark(), "training.adam_betas", "expected a list of two numbers, got " + describe(v), hint);
        for (std::size_t i = 0; i < 2; ++i) {
            const std::string item = "training.adam_betas[" + std::to_string(i) + "]";
            r.record(item, v[i].Mark());
            t.adamBetas[i] = r.toDouble(v[i], item, hint);
        }
    }
    r.readDouble(n, s, "adam_eps", t.adamEps, "e.g. 1e-8");
    r.readDouble(n, s, "max_grad_norm", t.maxGradNorm, "e.g. 1.0; 0 disables clipping");
    r.readInt(n, s, "seed", t.seed, "e.g. 42");
    r.readEnum(n, s, "precision", t.precision);
    r.readBool(n, s, "gradient_checkpointing", t.gradientCheckpointing);
    r.readInt(n, s, "eval_every", t.evalEvery, "steps, e.g. 200; 0 = never");
    r.readInt(n, s, "save_every", t.saveEvery, "steps, e.g. 500; 0 = only at the end");
    r.readInt(n, s, "logging_every", t.loggingEvery, "steps, e.g. 10");
    r.readInt(n, s, "save_total_limit", t.saveTotalLimit, "checkpoints kept, e.g. 3; 0 = keep all");
    r.readInt(n, s, "analysis_every", t.analysisEvery, "steps, e.g. 5; 0 = never");
    r.readString(n, s, "device", t.device, "one of auto, cpu, cuda, cuda:N");
    for (auto& c : t.device) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.readInt(n, s, "threads", t.threads, "CPU threads, e.g. 4; 0 = every physical core");
    r.readBool(n, s, "tf32", t.tf32);
    r.readEnum(n, s, "distributed_backend", t.distributedBackend);
    r.readInt(n, s, "distributed_timeout", t.distributedTimeout, "seconds, e.g. 1800");
    r.readDouble(n, s, "distributed_bucket_mb", t.distributedBucketMb, "MiB, e.g. 25; 0 = one all-reduce after backward");
}

} // namespace

namespace {

// The deepest nesting of flow collections ([...], {...}) outside quotes and comments: yaml-cpp
// parses them recursively, so absurd nesting is refused before it parses.
int flowDepth(const std::string& text, std::size_t& at) {
    int depth = 0, deepest = 0;
    char quote = 0;
    bool comment = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (comment) {
            comment = c != '\n';
        } else if (quote) {
            if (c == '\\' && quote == '"') ++i;
            else if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
            comment = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) {
                deepest = depth;
                at = i;
            }
            if (deepest > kMaxYamlDepth) return deepest;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

// Walks the loaded document: nesting deeper than kMaxYamlDepth, or more than kMaxYamlNodes nodes
// (aliases make a small file expand: "billion laughs"), is an error before any reader recurses.
void checkYamlShape(const YAML::Node& node, int depth, std::size_t& visited, const std::string& where) {
    if (++visited > kMaxYamlNodes)
        throw Error(where, "the YAML document expands to more than " + std::to_string(kMaxYamlNodes) +
                               " nodes; the limit (kMaxYamlNodes) is " + std::to_string(kMaxYamlNodes),
                    "a project file is a few dozen keys; are aliases (*name) nested in each other?");
    if (depth > kMaxYamlDepth)
        throw Error(where, "line " + std::to_string(node.Mark().line + 1) + ": YAML nests more than " +
                               std::to_string(kMaxYamlDepth) + " levels deep; the limit (kMaxYamlDepth) is " +
                               std::to_string(kMaxYamlDepth),
                    "a project file nests three levels (section, key, list)");
    if (node.IsMap()) {
        for (const auto& kv : node) {
            checkYamlShape(kv.first, depth + 1, visited, where);
            checkYamlShape(kv.second, depth + 1, visited, where);
        }
    } else if (node.IsSequence()) {
        for (const auto& item : node) checkYamlShape(item, depth + 1, visited, where);
    }
}

} // namespace

ProjectConfig parseProject(const std::string& yamlText, const std::string& where, std::vector<Warning>* warnings) {
    Reader r(where, warnings);
    const std::size_t firstWarning = warnings ? warnings->size() : 0;
    if (yamlText.size() > kMaxProjectBytes)
        throw Error(where, "the project file is " + std::to_string(yamlText.size()) + " bytes; the limit (kMaxProjectBytes) is " +
                               std::to_string(kMaxProjectBytes) + " bytes (1 MB)",
                    "is this a project file? project.yaml holds a few dozen keys");
    if (std::size_t at = 0; flowDepth(yamlText, at) > kMaxYamlDepth) {
        const auto line = std::count(yamlText.begin(), yamlText.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
        throw Error(where, "line " + std::to_string(line) + ": YAML nests more than " + std::to_string(kMaxYamlDepth) +
                               " levels deep; the limit (kMaxYamlDepth) is " + std::to_string(kMaxYamlDepth),
                    "a project file nests three levels (section, key, list)");
    }
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
        std::size_t visited = 0;
        checkYamlShape(root, 0, visited, where);
    } catch (const YAML::Exception& e) {
        throw Error(r.at(e.mark), "malformed YAML: " + e.msg,
                    "check the indentation (spaces, not tabs), colons and brackets near this place");
    }
    if (root.IsNull())
        throw Error(where, "the project file is empty", "start from resources/examples/project.example.yaml");
    if (!root.IsMap())
        r.fail(root.Mark(), "", "expected a mapping of keys at the top level, got " + describe(root),
               "a project file starts with lines such as 'version: 1' and 'base_model: ...'");
    r.record("", root.Mark());

    ProjectConfig cfg = defaultProject();
    try {
        r.checkKeys(root, "");
        if (YAML::Node v; r.find(root, "", "version", v))
            cfg.version = r.toInt(v, "version", "version: 1");
        else
            r.warn(root.Mark(), "version", "no 'version' key, assuming version 1 (add 'version: 1' at the top)", {});
        // Stop before reading the rest: a file of another version may mean other things by it.
        if (cfg.version != kProjectSchemaVersion) validateProject(cfg, [&](const std::string& k) { return r.locate(k); });
        r.readString(root, "", "base_model", cfg.baseModel, "a Hugging Face model folder, e.g. models/TinyLlama");
        r.readString(root, "", "output_dir", cfg.outputDir, "e.g. runs/my-lora");
        readLora(r, r.section(root, "lora"), cfg.lora);
        readData(r, r.section(root, "data"), cfg.data);
        readTraining(r, r.section(root, "training"), cfg.training);
    } catch (const YAML::Exception& e) { // not expected: typed access above avoids yaml-cpp's throws
        throw Error(r.at(e.mark), std::string("cannot read the project: ") + e.msg);
    }
    validateProject(cfg, [&](const std::string& k) { return r.locate(k); });
    if (warnings) // in file order, not in the order the sections were read
        std::stable_sort(warnings->begin() + static_cast<std::ptrdiff_t>(firstWarning), warnings->end(),
                         [](const Warning& a, const Warning& b) {
                             return std::make_pair(a.line, a.column) < std::make_pair(b.line, b.column);
                         });
    return cfg;
}

ProjectConfig loadProject(const std::string& path, std::vector<Warning>* warnings, std::string* text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open the project file", "check the path and the permissions");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error(path, "cannot read the project file");
    if (text) *text = ss.str();  // also when it does not parse: the caller may keep its comments
    ProjectConfig cfg = parseProject(ss.str(), path, warnings);
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(path), ec);
    cfg.projectDir = (ec ? fs::path(path) : abs).parent_path().lexically_normal().string();
    return cfg;
}

bool isProjectSection(const std::string& name) {
    if (name.empty()) return false;
    for (const auto& s : sections())
        if (s.name == name) return true;
    return false;
}

bool isKnownProjectKey(const std::string& section, const std::string& key) {
    for (const auto& s : sections())
        if (s.name == section) return std::find(s.keys.begin(), s.keys.end(), key) != s.keys.end();
    return false;
}

} // namespace lorastudio

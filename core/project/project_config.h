// ProjectConfig: the in-memory form of project.yaml, one value type describing a whole LoRA run
// (base model, LoRA settings, data, training, output folder). Plain fields the GUI reads and
// writes directly; defaults, validation, enum names and path resolution live beside it.
#pragma once
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

// The schema version this build reads and writes (`version:` in the file).
constexpr int kProjectSchemaVersion = 1;

enum class LoraBias { None, All, LoraOnly };                           // none, all, lora_only
enum class LoraInit { Default, Gaussian, Pissa };                      // PEFT init_lora_weights
enum class DataFormat { Auto, Text, Alpaca, Chat };
enum class ChatTemplate { Auto, ChatML, Llama3, Mistral, Plain, Alpaca };
enum class LrSchedule { Constant, Linear, Cosine };
enum class Precision { Fp32, Bf16, Fp16 };

// Which modules LoRA wraps (or skips), PEFT-style: a list entry matches a module whose name equals
// it or ends with ".entry"; a regex must match the whole module name; all-linear means every
// linear layer except the output head (target_modules only).
struct ModuleSelection {
    enum class Kind { List, Regex, AllLinear };
    Kind kind = Kind::List;
    std::vector<std::string> names; // Kind::List
    std::string regex;              // Kind::Regex

    static ModuleSelection list(std::vector<std::string> names);
    static ModuleSelection fromRegex(std::string regex);
    static ModuleSelection allLinear();
    // True for an empty list or an empty regex (exclude_modules: nothing excluded).
    bool isEmpty() const;
};

struct LoraSettings {
    ModuleSelection targetModules = ModuleSelection::allLinear();
    ModuleSelection excludeModules;                 // empty list: nothing excluded
    int r = 8;
    double loraAlpha = 16;                          // scaling = alpha / r, or alpha / sqrt(r) with rsLoRA
    double loraDropout = 0.05;
    bool useRslora = false;
    LoraBias bias = LoraBias::None;
    std::vector<std::string> modulesToSave;         // trained in full and saved with the adapter
    std::vector<int> layersToTransform;             // empty: every layer
    // pattern -> value, in file order: PEFT uses the first pattern that matches a module name
    // (re.match(rf"(.*\.)?({pattern})$", name)), so order matters and is kept.
    std::vector<std::pair<std::string, int>> rankPattern;
    std::vector<std::pair<std::string, double>> alphaPattern;
    LoraInit init = LoraInit::Default;
    int pissaNiter = 0;                             // Pissa only: 0 = full SVD, N = "pissa_niter_N"
};

struct DataSettings {
    std::string path;                               // as written; see resolveProjectPath
    DataFormat format = DataFormat::Auto;
    ChatTemplate chatTemplate = ChatTemplate::Auto; // `template:` in the file
    double validationFraction = 0;                  // in [0, 1); 0 = no split (unless validationPath)
    std::string validationPath;                     // non-empty: a separate validation file
    int maxLength = 1024;                           // tokens per example
    // Unset: the data layer decides (true for alpaca/chat data, false for plain text).
    std::optional<bool> completionOnlyLoss;
    bool shuffle = true;
    int shuffleSeed = 42;
    bool streaming = false;
    // Pack several examples into each row of max_length tokens (attention and positions restart
    // per example, so each example's loss is what it would be alone): far less padding.
    bool packing = false;
    // Unpacked only: batches of similar lengths (transformers' group_by_length), less padding.
    bool groupByLength = false;
};

struct TrainingSettings {
    double epochs = 3;
    int maxSteps = 0;                               // > 0 wins over epochs
    int batchSize = 8;                              // per step, before accumulation
    int gradientAccumulation = 1;
    double lr = 2e-4;
    LrSchedule schedule = LrSchedule::Cosine;
    int warmupSteps = 0;                            // > 0 wins over warmupRatio
    double warmupRatio = 0.03;                      // fraction of the total steps
    double weightDecay = 0;
    double loraplusLrRatio = 0;                     // LoRA+: lora_B (and 1-D) parameters learn at ratio x lr; 0 = off
    std::array<double, 2> adamBetas{0.9, 0.999};
    double adamEps = 1e-8;
    double maxGradNorm = 1.0;                       // 0 disables clipping
    int seed = 42;
    Precision precision = Precision::Fp32;
    bool gradientCheckpointing = false;
    int evalEvery = 200;                            // steps; 0 = never
    int saveEvery = 500;                            // steps; 0 = only at the end
    int loggingEvery = 10;                          // steps
    int saveTotalLimit = 0;                         // newest N checkpoints kept; 0 = keep all
    int analysisEvery = 5;                          // steps between ΔW spectra snapshots; 0 = never
    std::string device = "auto";                    // auto, cpu, cuda, cuda:N
    int threads = 0;                                // CPU threads for compute; 0 = every physical core
    bool tf32 = false;                              // CUDA: TensorFloat-32 for fp32 matmuls (faster, ~1e-3)
};

struct ProjectConfig {
    int version = kProjectSchemaVersion;
    std::string baseModel;                          // as written (relative text is kept on save)
    LoraSettings lora;
    DataSettings data;
    TrainingSettings training;
    std::string outputDir = "output";
    // Folder relative paths resolve against: set by loadProject to the file's folder. Not saved
    // and not compared by operator== (the same project may live in two places).
    std::string projectDir;
};

// A project with every default and no base model (the GUI's "New project").
ProjectConfig defaultProject();

bool operator==(const ModuleSelection& a, const ModuleSelection& b);
bool operator==(const LoraSettings& a, const LoraSettings& b);
bool operator==(const DataSettings& a, const DataSettings& b);
bool operator==(const TrainingSettings& a, const TrainingSettings& b);
bool operator==(const ProjectConfig& a, const ProjectConfig& b);
inline bool operator!=(const ModuleSelection& a, const ModuleSelection& b) { return !(a == b); }
inline bool operator!=(const LoraSettings& a, const LoraSettings& b) { return !(a == b); }
inline bool operator!=(const DataSettings& a, const DataSettings& b) { return !(a == b); }
inline bool operator!=(const TrainingSettings& a, const TrainingSettings& b) { return !(a == b); }
inline bool operator!=(const ProjectConfig& a, const ProjectConfig& b) { return !(a == b); }

// Checks every value against its allowed range or set; throws lorastudio::Error naming the key
// (e.g. "training.lr: must be > 0, got 0 (hint: e.g. 2e-4)") on the first problem.
void validateProject(const ProjectConfig& config);
// Same, with `locate(keyPath)` giving the "file:line:col" to put in front of a message.
void validateProject(const ProjectConfig& config, const std::function<std::string(const std::string&)>& locate);

// A path as written in the project, made usable: absolute paths stay, "~/" expands to $HOME,
// relative paths join config.projectDir (the current folder when that is empty). "" stays "".
std::string resolveProjectPath(const ProjectConfig& config, const std::string& written);
std::string resolvedBaseModel(const ProjectConfig& config);
std::string resolvedDataPath(const ProjectConfig& config);
std::string resolvedValidationPath(const ProjectConfig& config);
std::string resolvedOutputDir(const ProjectConfig& config);

// Enum <-> the names used in the file. Names are matched case-insensitively; some enums accept
// aliases (e.g. "bfloat16" for bf16), but enumName always gives the canonical one.
template <typename E> struct EnumEntry {
    E value;
    const char* name;
};
const std::vector<EnumEntry<LoraBias>>& enumEntries(LoraBias);
const std::vector<EnumEntry<DataFormat>>& enumEntries(DataFormat);
const std::vector<EnumEntry<ChatTemplate>>& enumEntries(ChatTemplate);
const std::vector<EnumEntry<LrSchedule>>& enumEntries(LrSchedule);
const std::vector<EnumEntry<Precision>>& enumEntries(Precision);
bool equalsIgnoreCase(const std::string& a, const std::string& b);

template <typename E> std::string enumName(E value) {
    for (const auto& e : enumEntries(E{}))
        if (e.value == value) return e.name;
    return {};
}
template <typename E> std::optional<E> enumFromName(const std::string& name) {
    for (const auto& e : enumEntries(E{}))
        if (equalsIgnoreCase(name, e.name)) return e.value;
    return std::nullopt;
}
// The canonical names, in a stable order (for combo boxes and hints).
template <typename E> std::vector<std::string> enumNames() {
    std::vector<std::string> out;
    for (const auto& e : enumEntries(E{}))
        if (enumName(e.value) == e.name) out.push_back(e.name); // skips aliases
    return out;
}

// LoRA init as written in the file: "default", "gaussian", "pissa" or "pissa_niter_N".
std::string loraInitName(LoraInit init, int pissaNiter);
// Parses the above (and PEFT's `true`, given as "true"); false when not recognised.
bool parseLoraInit(const std::string& text, LoraInit& init, int& pissaNiter);

// True for "auto", "cpu", "cuda" and "cuda:N".
bool isValidDevice(const std::string& device);

} // namespace lorastudio

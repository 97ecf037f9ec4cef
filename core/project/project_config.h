// ProjectConfig: the in-memory form of project.yaml, one value type describing a whole LoRA run
// (base model, LoRA settings, data, training, output folder). Plain fields the GUI reads and
// writes directly; defaults, validation, enum names and path resolution live beside it.
#pragma once
#include "common/enum_names.h"
#include "config/lora_settings.h"

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

// The schema version this build reads and writes (`version:` in the file).
constexpr int kProjectSchemaVersion = 1;

// ShareGpt: {"conversations": [{"from": "human", "value": ...}]} records, read as chat.
enum class DataFormat { Auto, Text, Alpaca, Chat, ShareGpt };
// Model: the tokenizer's own Jinja chat_template (tokenizer_config.json), rendered natively.
enum class ChatTemplate { Auto, ChatML, Llama3, Mistral, Plain, Alpaca, Model };
enum class LrSchedule { Constant, Linear, Cosine };
enum class Precision { Fp32, Bf16, Fp16 };
// Data-parallel process group: auto = Gloo on the CPU, NCCL on CUDA where the build has it.
enum class DistributedBackend { Auto, Gloo, Nccl };

struct DataSettings {
    std::string path;                               // as written; see resolveProjectPath
    DataFormat format = DataFormat::Auto;
    ChatTemplate chatTemplate = ChatTemplate::Auto; // `template:` in the file
    // A system message for the chat and Alpaca records that bring none; empty = none.
    std::string systemPrompt;
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
    // Data-parallel jobs only (torchrun's environment, or --nproc-per-node): the process group,
    // and how long any rank waits for the others in a collective before the job ends.
    DistributedBackend distributedBackend = DistributedBackend::Auto;
    int distributedTimeout = 1800;                  // seconds
    // Gradient all-reduce buckets, started while backward goes on (PyTorch DDP's bucket_cap_mb);
    // 0 = one buffer after backward.
    double distributedBucketMb = 25;
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

bool operator==(const DataSettings& a, const DataSettings& b);
bool operator==(const TrainingSettings& a, const TrainingSettings& b);
bool operator==(const ProjectConfig& a, const ProjectConfig& b);
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

// The names of the project-only enums (see common/enum_names.h for enumName / enumFromName).
const std::vector<EnumEntry<DataFormat>>& enumEntries(DataFormat);
const std::vector<EnumEntry<ChatTemplate>>& enumEntries(ChatTemplate);
const std::vector<EnumEntry<LrSchedule>>& enumEntries(LrSchedule);
const std::vector<EnumEntry<Precision>>& enumEntries(Precision);
const std::vector<EnumEntry<DistributedBackend>>& enumEntries(DistributedBackend);

// True for "auto", "cpu", "cuda" and "cuda:N".
bool isValidDevice(const std::string& device);

} // namespace lorastudio

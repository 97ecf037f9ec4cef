// Building a Trainer from a project (model, tokenizer, data, LoRA) and running it. See train_session.h.
#include "train/train_session.h"

#include "lora/target_matching.h"
#include "train/grad_checkpoint.h"

#include "common/error.h"
#include "common/os_process.h"
#include "data/batcher.h"
#include "data/dataset.h"
#include "io/folder_safety.h"
#include "model/bnb_weights.h"
#include "model/loader.h"
#include "project/project_file.h"
#include "runtime/compute_threads.h"
#include "tokenizer/tokenizer.h"
#include "lora/lora_model.h"
#include "train/lora_trainable_set.h"
#include "train/run_log_lines.h"
#include "train/train_checkpoint.h"
#include "train/trainer.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

std::unique_ptr<Trainer> prepare(const ProjectConfig& config, TrainObserver& observer, const TrainerOptions& options) {
    validateProject(config);
    TrainingSetup setup;
    setup.config = config;
    setup.device = resolveTrainingDevice(config.training.device);
    // Data parallel on GPUs: each rank of a machine takes its own ("cuda" / "auto"; cuda:N is kept).
    if (options.collective && setup.device.is_cuda() && config.training.device.rfind("cuda:", 0) != 0)
        setup.device = resolveTrainingDevice("cuda:" + std::to_string(options.localRank));
    setup.precision = planPrecision(config.training.precision, setup.device);
    if (setup.device.is_cuda()) setTf32(config.training.tf32);
    setup.collective = options.collective;
    int threads = options.threads.value_or(config.training.threads);
    // Ranks on one machine share its cores (auto: an equal part each, as torchrun's OMP_NUM_THREADS=1
    // would starve them); an explicit count is kept.
    if (threads == 0 && options.localWorldSize > 1 && !std::getenv("OMP_NUM_THREADS")) {
        // Under srun a task is bound to its own CPUs (--cpus-per-task): those are its share.
        const char* slurmCpus = std::getenv("SLURM_CPUS_PER_TASK");
        threads = slurmCpus ? std::max(1, std::atoi(slurmCpus)) : std::max(1, physicalCoreCount() / options.localWorldSize);
    }
    configureComputeThreads(threads);
    at::manual_seed(static_cast<uint64_t>(config.training.seed));

    const std::string base = resolvedBaseModel(config);
    observer.onLog({LogLevel::Info, loadingDataLine()});
    const Tokenizer tokenizer = Tokenizer::fromFolder(base);
    const DataSettings dataSettings = resolvedDataSettings(config);
    Dataset data = Dataset::load(dataSettings, tokenizer);
    requireDataFitsObjective(data.format(), config.training.objective, dataSettings.path);
    for (const auto& w : data.warnings()) observer.onLog({LogLevel::Warning, w});
    if (!data.badLines().empty())
        observer.onLog({LogLevel::Warning, malformedLinesLine(int64_t(data.badLines().size()))});
    setup.train = data.train();
    setup.validation = data.validation();
    setup.padId = paddingId(tokenizer);

    observer.onLog({LogLevel::Info, loadingModelLine(base)});
    for (const auto& w : folderSafetyWarnings(base)) observer.onLog({LogLevel::Warning, w});
    LoadQuantization quant;
    const bool quantize = config.lora.quantization != BaseQuantization::None;
    if (quantize) {
        quant.format = quantFormat(config.lora.quantization);
        quant.doubleQuant = config.lora.doubleQuant;
        const auto shapes = linearModuleShapes(parseModelConfig((fs::path(base) / "config.json").string()));
        for (const auto& name : quantizedModuleNames(shapes, config.lora)) quant.modules.insert(name);
    }
    LoadedModel loaded = loadCausalLM(base, setup.precision.modelDtype, setup.device, quantize ? &quant : nullptr);
    if (const std::string note = bnbLoadNote(loaded.spec.storedQuantization); !note.empty())
        observer.onLog({LogLevel::Info, noteLine(note)});
    if (quantize) {
        int kept = 0;
        for (const auto& m : linearModules(*loaded.model)) kept += m.layer->quantized() ? 1 : 0;
        observer.onLog({LogLevel::Info, qloraLine(kept, enumName(config.lora.quantization), loaded.spec.storedQuantization.describe())});
    }
    setup.model = loaded.model;
    // LoRA parameters are fp32 whatever the base dtype: they are the optimizer's master weights.
    LoraAttachOptions lora;
    lora.seed = static_cast<uint64_t>(config.training.seed);
    lora.dtype = at::kFloat;
    auto attached = LoraModel::attach(setup.model, config.lora, lora);
    observer.onLog({LogLevel::Info, attached->trainableParametersLine()});
    for (const auto& w : rankWarnings(attached->targets())) observer.onLog({LogLevel::Warning, w});
    setup.trainable = std::make_shared<LoraTrainableSet>(attached, base);
    if (config.training.gradientCheckpointing) {
        setup.model->setLayerRunner(checkpointedLayer);
        observer.onLog({LogLevel::Info, gradientCheckpointingLine()});
    }
    return std::make_unique<Trainer>(std::move(setup), options);
}

template <typename Fn> TrainResult guarded(const Fn& fn) {
    try {
        return fn();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {  // c10::Error, std::bad_alloc, LibTorch's std::runtime_errors
        throw torchErrorToError("training", e);
    }
}

TrainResult resumeWith(const CheckpointMeta& meta, ProjectConfig config, TrainControl& control,
                       TrainObserver& observer, const TrainerOptions& options) {
    auto trainer = prepare(config, observer, options);
    trainer->restore(meta);
    if (meta.state.totalSteps != trainer->totalSteps())
        observer.onLog({LogLevel::Info, totalStepsChangedLine(meta.state.totalSteps, trainer->totalSteps())});
    return trainer->run(control, observer);
}

std::string outputDirFor(const std::string& checkpointDir, const ProjectConfig& snapshot) {
    const fs::path dir = fs::absolute(checkpointDir).lexically_normal();
    const fs::path parent = (dir.has_filename() ? dir : dir.parent_path()).parent_path();
    if (parent.filename() == "checkpoints") return parent.parent_path().string();
    return resolvedOutputDir(snapshot);
}

} // namespace

TrainResult runTraining(const ProjectConfig& config, TrainControl& control, TrainObserver& observer,
                        const TrainerOptions& options) {
    return guarded([&] { return prepare(config, observer, options)->run(control, observer); });
}

TrainResult resumeTraining(const std::string& checkpointDir, TrainControl& control, TrainObserver& observer,
                           const TrainerOptions& options) {
    return guarded([&] {
        CheckpointMeta meta = readCheckpointMeta(checkpointDir);
        ProjectConfig config = meta.project;
        config.outputDir = outputDirFor(checkpointDir, meta.project);
        return resumeWith(meta, config, control, observer, options);
    });
}

TrainResult resumeTraining(const std::string& checkpointDir, const ProjectConfig& config, TrainControl& control,
                           TrainObserver& observer, const TrainerOptions& options) {
    return guarded([&] {
        // A checkpoint continues in the run folder it belongs to (an earlier run kept in runs/<name>
        // included), never in the project's newest run.
        ProjectConfig own = config;
        own.outputDir = outputDirFor(checkpointDir, config);
        return resumeWith(readCheckpointMeta(checkpointDir), own, control, observer, options);
    });
}

} // namespace lorastudio

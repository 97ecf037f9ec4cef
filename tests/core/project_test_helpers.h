// Shared by the project tests (test_project, test_project_files): a project that uses every
// feature, and small helpers.
#pragma once
#include "project/project_config.h"
#include "test_support.h"

#include <QString>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace projecttest {

using namespace lorastudio;
namespace fs = std::filesystem;

inline QString q(const std::string& s) { return QString::fromStdString(s); }

// The message of the lorastudio::Error that f throws, or "" when it throws none.
using testsupport::errorOf;

inline std::vector<std::string> listDir(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// A project that uses every feature, with values that differ from the defaults.
inline ProjectConfig richProject() {
    ProjectConfig c = defaultProject();
    c.baseModel = "../models/Llama 3.2 1B";
    c.outputDir = "runs/it's \"quoted\"";
    c.lora.targetModules = ModuleSelection::fromRegex(R"(.*\.(q|k|v|o)_proj$)");
    c.lora.excludeModules = ModuleSelection::list({"lm_head", "model.layers.0.mlp"});
    c.lora.r = 16;
    c.lora.loraAlpha = 32.5;
    c.lora.loraDropout = 0.1;
    c.lora.useRslora = true;
    c.lora.useDora = true;
    c.lora.doubleQuant = false;  // quantization itself stays none: PiSSA below needs dense weights
    c.lora.bias = LoraBias::LoraOnly;
    c.lora.modulesToSave = {"embed_tokens"};
    c.lora.layersToTransform = {0, 3, 7};
    c.lora.rankPattern = {{"z_proj", 4}, {R"(model\.layers\.1\..*)", 32}, {"a_proj", 2}}; // order kept
    c.lora.alphaPattern = {{"q_proj", 64}, {"v_proj", 0.5}};
    c.lora.init = LoraInit::Pissa;
    c.lora.pissaNiter = 4;
    c.data.path = "C:\\data\\train set.jsonl";
    c.data.format = DataFormat::Chat;
    c.data.chatTemplate = ChatTemplate::Llama3;
    c.data.systemPrompt = "You are a careful assistant.\nAnswer in 'one' line.";
    c.data.validationPath = "0.25"; // a file that happens to look like a number
    c.data.maxLength = 4096;
    c.data.completionOnlyLoss = false;
    c.data.shuffle = false;
    c.data.shuffleSeed = 7;
    c.data.streaming = true;
    c.data.packing = true;
    c.data.groupByLength = true;
    c.training.threads = 3;
    c.training.tf32 = true;
    c.training.epochs = 1.5;
    c.training.maxSteps = 1234;
    c.training.batchSize = 2;
    c.training.gradientAccumulation = 16;
    c.training.lr = 0.1 + 0.2; // needs 17 digits to read back exactly
    c.training.schedule = LrSchedule::Linear;
    c.training.warmupSteps = 50;
    c.training.warmupRatio = 0;
    c.training.weightDecay = 0.01;
    c.training.loraplusLrRatio = 16;
    c.training.adamBetas = {0.85, 0.95};
    c.training.adamEps = 1e-6;
    c.training.maxGradNorm = 0;
    c.training.seed = 1;
    c.training.precision = Precision::Bf16;
    c.training.gradientCheckpointing = true;
    c.training.evalEvery = 0;
    c.training.saveEvery = 100;
    c.training.loggingEvery = 1;
    c.training.saveTotalLimit = 4;
    c.training.analysisEvery = 0;
    c.training.device = "cuda:1";
    return c;
}

} // namespace projecttest

// The tests' short, realistic training project on the demo (Qt-free; test_trainer, test_device_paths).
#pragma once
#include "project/project_config.h"
#include "test_support.h"

#include <string>

namespace testsupport {

inline std::string demoModel() { return sourceDir() + "/resources/demo/model"; }
inline std::string demoData() { return sourceDir() + "/resources/demo/instructions.jsonl"; }

// LoRA r=4 on all linear layers of the demo GPT-2, dropout on, 6 steps of batch 4, an evaluation and
// a checkpoint every 3 steps, on the CPU, output in `out`.
inline lorastudio::ProjectConfig demoProject(const std::string& out, const std::string& data = demoData()) {
    lorastudio::ProjectConfig c = lorastudio::defaultProject();
    c.baseModel = demoModel();
    c.data.path = data;
    c.data.validationFraction = 0.1;
    c.data.maxLength = 256;
    c.lora.r = 4;
    c.lora.loraAlpha = 8;
    c.lora.loraDropout = 0.1;
    c.training.maxSteps = 6;
    c.training.batchSize = 4;
    c.training.lr = 2e-3;
    c.training.schedule = lorastudio::LrSchedule::Cosine;
    c.training.warmupSteps = 2;
    c.training.weightDecay = 0.01;
    c.training.maxGradNorm = 1.0;
    c.training.evalEvery = 3;
    c.training.saveEvery = 3;
    c.training.loggingEvery = 1;
    c.training.analysisEvery = 0; // tests that want spectra ask for them
    c.training.device = "cpu";
    c.training.seed = 7;
    c.outputDir = out;
    return c;
}

} // namespace testsupport

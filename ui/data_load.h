// The Data page's background load, with no widgets: previewData for the first examples, then
// Dataset::load for the statistics and every bad line, polled for progress and cancelled through
// a shared flag. Runs on a worker thread; the result is handed to the GUI thread whole.
#pragma once
#include "data/dataset.h"
#include "project/project_config.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lorastudio::ui {

struct DataLoadResult {
    QString error;                 // non-empty: nothing else is valid
    DataPreview preview;
    bool haveStats = false;        // Dataset::load finished
    QString statsError;            // Dataset::load failed after the preview worked
    DataStats trainStats;
    int64_t validationExamples = 0;
    std::vector<int32_t> lengths;  // train and validation examples
    std::vector<BadLine> badLines; // every bad line (from Dataset::load when it ran)
    std::vector<std::string> warnings;
};

// Shared between the GUI and the worker: the GUI polls the bytes read and sets `cancel`.
struct DataLoadProgress {
    std::atomic<int64_t> done{0};
    std::atomic<int64_t> total{0};
    std::atomic<bool> cancel{false};
};

// Reads the project's data with the tokenizer of `modelFolder`. Errors end up in the result;
// a cancelled Dataset::load leaves haveStats false.
std::shared_ptr<DataLoadResult> loadData(const ProjectConfig& config, const QString& modelFolder,
                                         const std::shared_ptr<DataLoadProgress>& job, int previewExamples);

} // namespace lorastudio::ui

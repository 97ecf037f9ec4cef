// See data_load.h.
#include "data/dataset.h"
#include "data_load.h"
#include "error_text.h"

#include "tokenizer/tokenizer.h"

namespace lorastudio::ui {

namespace {

struct Cancelled {};

} // namespace

std::shared_ptr<DataLoadResult> loadData(const ProjectConfig& config, const QString& modelFolder,
                                         const std::shared_ptr<DataLoadProgress>& job, int previewExamples) {
    auto result = std::make_shared<DataLoadResult>();
    try {
        const Tokenizer tokenizer = Tokenizer::fromFolder(modelFolder.toStdString());
        const DataSettings settings = resolvedDataSettings(config);
        result->preview = previewData(settings, tokenizer, previewExamples);
        result->badLines = result->preview.badLines;
        result->warnings = result->preview.warnings;
        try {
            const Dataset dataset = Dataset::load(settings, tokenizer, [&job](int64_t done, int64_t total) {
                if (job->cancel) throw Cancelled{};
                job->done = done;
                job->total = total;
            });
            result->haveStats = true;
            result->trainStats = dataset.train().stats();
            result->validationExamples = dataset.validation().size();
            result->lengths = result->trainStats.tokenLengths;
            const auto& v = dataset.validation().stats().tokenLengths;
            result->lengths.insert(result->lengths.end(), v.begin(), v.end());
            result->badLines = dataset.badLines();
            result->warnings = dataset.warnings();
        } catch (const Cancelled&) {
        } catch (const std::exception& e) {
            result->statsError = errorText(e);
        }
    } catch (const std::exception& e) {
        result->error = errorText(e);
    }
    return result;
}

} // namespace lorastudio::ui

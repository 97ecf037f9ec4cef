// Dataset: a project's training data made ready for training. Reads data.path (and the validation
// file), settles the format and template, tokenizes with completion-only masks, truncates, splits
// off validation examples, and collects malformed lines and warnings for the GUI and the CLI.
#pragma once
#include "data/data_file.h"
#include "data/example_set.h"
#include "config/data_settings.h"
#include "config/training_settings.h"
#include "tokenizer/tokenizer.h"

#include <functional>
#include <string>
#include <vector>

namespace lorastudio {

// Called now and then while a file is read: bytes done and bytes in all (of the current file).
using DataProgress = std::function<void(int64_t done, int64_t total)>;

class Dataset {
public:
    // settings.path and settings.validationPath are used as given (already resolved).
    // Throws Error when a file cannot be read or holds no valid record.
    //  - format Auto: the first valid record's keys decide (messages / conversations / instruction+output / text).
    //  - completionOnlyLoss unset: true for Alpaca and chat data, false for text.
    //  - validation: validationPath when set, else a seeded validationFraction of the training
    //    file (round(fraction * n) examples, at least 1, at most n - 1), else none.
    //  - streaming: the file is scanned once (every record tokenized for the statistics, then
    //    dropped) and each example is read back and tokenized again when it is used. Order, split
    //    and batches are the same as without streaming.
    // A project's: Dataset::load(resolvedDataSettings(config), ...) (core/project).
    static Dataset load(const DataSettings& settings, const Tokenizer& tokenizer, const DataProgress& progress = {});

    DataFormat format() const { return m_format; }          // resolved: never Auto
    ChatTemplate chatTemplate() const { return m_template; } // what renders Alpaca/chat records
    bool completionOnlyLoss() const { return m_completionOnly; }
    bool streaming() const { return m_streaming; }

    const ExampleSet& train() const { return m_train; }
    const ExampleSet& validation() const { return m_validation; } // may be empty
    // Tokens of the longest example of either split as a batch holds it (cut to max_length).
    int32_t longestExample() const;

    // Malformed records of both files, in file order (training file first).
    const std::vector<BadLine>& badLines() const { return m_badLines; }
    // Things the user should know (template fallback, truncation, skipped lines), one line each.
    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    Dataset() = default;

    DataFormat m_format = DataFormat::Text;
    ChatTemplate m_template = ChatTemplate::Alpaca;
    bool m_completionOnly = false;
    bool m_streaming = false;
    ExampleSet m_train;
    ExampleSet m_validation;
    std::vector<BadLine> m_badLines;
    std::vector<std::string> m_warnings;
};

// A quick look at a data file before loading it: the first `count` valid records of
// settings.path, rendered and tokenized as Dataset::load would, plus the bad lines met on the way.
// Throws Error when the file cannot be read or has no valid record among the lines read.
struct DataPreview {
    DataFormat format = DataFormat::Text;
    ChatTemplate chatTemplate = ChatTemplate::Alpaca;
    bool completionOnlyLoss = false;
    std::vector<PreviewExample> examples;
    std::vector<BadLine> badLines;
    std::vector<std::string> warnings;
};
// Preference pairs train with DPO or ORPO and those only with pairs: throws Error naming data.path
// (the format found there) otherwise.
void requireDataFitsObjective(DataFormat format, Objective objective, const std::string& dataPath);

DataPreview previewData(const DataSettings& settings, const Tokenizer& tokenizer, int count);

} // namespace lorastudio

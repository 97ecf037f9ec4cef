// Internal to core/data: the records of one data file, either tokenized in memory or as places in
// the file (streaming) plus what the statistics need. Shared by the ExampleSets cut from it.
#pragma once
#include "data/chat_template.h"
#include "data/data_file.h"
#include "data/example_encoder.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

// Renders and tokenizes records the same way for every record of a dataset.
struct RecordEncoder {
    RenderOptions options;
    ExampleEncoder encoder;

    // maskWarnings (may be null): the model template's mask fallback warnings for this record.
    // A preference pair: both sequences, the rejected one in rejectedIds/rejectedLabels.
    TokenizedExample encode(const DataRecord& record, std::vector<std::string>* maskWarnings = nullptr) const {
        TokenizedExample ex = encoder.encode(renderRecord(record, options, maskWarnings));
        if (record.isPair()) {
            TokenizedExample r = encoder.encode(renderRecord(record.rejected.front(), options, maskWarnings));
            ex.fullLength = std::max(ex.fullLength, r.fullLength);
            ex.rejectedIds = std::move(r.inputIds);
            ex.rejectedLabels = std::move(r.labels);
        }
        return ex;
    }
};

struct ExampleStore {
    ExampleStore(std::string path, RecordEncoder encoder) : path(std::move(path)), encoder(std::move(encoder)) {}

    std::string path;
    RecordEncoder encoder;
    std::vector<RecordPlace> places;          // per record
    std::vector<int32_t> fullLengths;         // per record, before truncation
    std::vector<int32_t> trainedTokens;       // per record, after truncation
    std::vector<TokenizedExample> examples;   // in-memory mode; empty when streaming
    std::unique_ptr<RecordFile> file;         // streaming mode

    bool streaming() const { return file != nullptr; }
    int64_t size() const { return static_cast<int64_t>(places.size()); }
    TokenizedExample example(int64_t record) const {
        if (!streaming()) return examples[static_cast<std::size_t>(record)];
        return encoder.encode(file->read(places[static_cast<std::size_t>(record)]));
    }
};

} // namespace lorastudio

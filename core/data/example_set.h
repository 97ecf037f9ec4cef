// ExampleSet: the tokenized examples of one split (train or validation), held in memory or read
// back from the file on demand (streaming), with token-length statistics and a preview.
// Copies are cheap: the examples themselves are shared.
#pragma once
#include "data/example_encoder.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

struct ExampleStore; // example_store.h

struct DataStats {
    int64_t examples = 0;
    std::vector<int32_t> tokenLengths; // per example in set order, before truncation (the GUI's histogram)
    int32_t maxLength = 0;             // the limit examples were cut to
    int32_t maxPromptLength = 0;       // > 0: long examples' prompts were cut to their last tokens first
    int64_t truncated = 0;             // examples longer than maxLength
    int64_t totalTokens = 0;           // after truncation
    int64_t trainedTokens = 0;         // after truncation: tokens whose label counts in the loss
    int64_t withoutTrainedTokens = 0;  // examples left with nothing to learn after truncation

    int32_t shortest() const;          // 0 for an empty set
    int32_t longest() const;
    // The longest example as a batch holds it (cut to maxLength): no unpacked batch is longer.
    int32_t longestTruncated() const;
    double meanLength() const;
    // tokenLengths cut to maxLength: what each example holds in a batch.
    std::vector<int32_t> truncatedLengths() const;
};

// One example as the GUI shows it: decoded runs of tokens flagged trained / not trained.
struct PreviewExample {
    std::string path;
    int64_t line = 0;
    std::vector<PreviewSegment> segments; // after truncation (a preference pair: the chosen sequence)
    std::vector<PreviewSegment> rejectedSegments; // a preference pair's rejected sequence; empty otherwise
    int32_t fullLength = 0;               // tokens before truncation
    bool truncated = false;
};

// The preview of one tokenized example from `path`:`line`.
PreviewExample previewExample(const TokenizedExample& example, const Tokenizer& tokenizer, const std::string& path,
                              int64_t line);

class ExampleSet {
public:
    ExampleSet() = default; // empty

    int64_t size() const { return static_cast<int64_t>(m_records.size()); }
    bool empty() const { return m_records.empty(); }
    // Example i (0 <= i < size()), in file order. Streaming: read from the file and tokenized again.
    TokenizedExample example(int64_t i) const;
    // The file and line example i came from.
    int64_t line(int64_t i) const;
    const std::string& path() const;
    const DataStats& stats() const { return m_stats; }
    // The first `count` examples.
    std::vector<PreviewExample> preview(int64_t count) const;

private:
    friend class Dataset;
    ExampleSet(std::shared_ptr<const ExampleStore> store, std::vector<int64_t> records);

    std::shared_ptr<const ExampleStore> m_store;
    std::vector<int64_t> m_records; // indices into the store, ascending (file order)
    DataStats m_stats;
};

} // namespace lorastudio

// See example_set.h.
#include "data/example_set.h"

#include "common/error.h"
#include "data/example_store.h"

#include <algorithm>
#include <numeric>

namespace lorastudio {

int32_t DataStats::shortest() const {
    return tokenLengths.empty() ? 0 : *std::min_element(tokenLengths.begin(), tokenLengths.end());
}

int32_t DataStats::longest() const {
    return tokenLengths.empty() ? 0 : *std::max_element(tokenLengths.begin(), tokenLengths.end());
}

int32_t DataStats::longestTruncated() const {
    const int32_t n = longest();
    return maxLength > 0 ? std::min(n, maxLength) : n;
}

double DataStats::meanLength() const {
    if (tokenLengths.empty()) return 0;
    return std::accumulate(tokenLengths.begin(), tokenLengths.end(), 0.0) / static_cast<double>(tokenLengths.size());
}

std::vector<int32_t> DataStats::truncatedLengths() const {
    std::vector<int32_t> out;
    out.reserve(tokenLengths.size());
    for (int32_t n : tokenLengths) out.push_back(maxLength > 0 ? std::min(n, maxLength) : n);
    return out;
}

ExampleSet::ExampleSet(std::shared_ptr<const ExampleStore> store, std::vector<int64_t> records)
    : m_store(std::move(store)), m_records(std::move(records)) {
    const int32_t maxLength = m_store->encoder.encoder.maxLength();
    m_stats.examples = size();
    m_stats.maxLength = maxLength;
    m_stats.maxPromptLength = m_store->encoder.encoder.maxPromptLength();
    m_stats.tokenLengths.reserve(m_records.size());
    for (int64_t r : m_records) {
        const int32_t full = m_store->fullLengths[static_cast<std::size_t>(r)];
        const int32_t trained = m_store->trainedTokens[static_cast<std::size_t>(r)];
        m_stats.tokenLengths.push_back(full);
        m_stats.totalTokens += std::min(full, maxLength);
        m_stats.trainedTokens += trained;
        if (full > maxLength) ++m_stats.truncated;
        if (trained == 0) ++m_stats.withoutTrainedTokens;
    }
}

TokenizedExample ExampleSet::example(int64_t i) const {
    if (i < 0 || i >= size())
        throw Error("ExampleSet", "example " + std::to_string(i) + " out of range (size " + std::to_string(size()) + ")");
    return m_store->example(m_records[static_cast<std::size_t>(i)]);
}

int64_t ExampleSet::line(int64_t i) const {
    if (i < 0 || i >= size()) return 0;
    return m_store->places[static_cast<std::size_t>(m_records[static_cast<std::size_t>(i)])].line;
}

const std::string& ExampleSet::path() const {
    static const std::string none;
    return m_store ? m_store->path : none;
}

PreviewExample previewExample(const TokenizedExample& ex, const Tokenizer& tokenizer, const std::string& path,
                              int64_t line) {
    PreviewExample p;
    p.path = path;
    p.line = line;
    p.segments = previewSegments(ex, tokenizer);
    if (ex.isPair()) p.rejectedSegments = previewSegments(ex.rejectedExample(), tokenizer);
    p.fullLength = ex.fullLength;
    p.truncated = ex.truncated();
    return p;
}

std::vector<PreviewExample> ExampleSet::preview(int64_t count) const {
    std::vector<PreviewExample> out;
    for (int64_t i = 0; i < std::min(count, size()); ++i) {
        out.push_back(previewExample(example(i), m_store->encoder.encoder.tokenizer(), path(), line(i)));
    }
    return out;
}

} // namespace lorastudio

// See batcher.h.
#include "data/batcher.h"

#include "common/error.h"
#include "tokenizer/tokenizer.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace lorastudio {

int32_t paddingId(const Tokenizer& tokenizer) {
    if (auto pad = tokenizer.padId()) return *pad;
    if (auto eos = tokenizer.eosId()) return *eos;
    return 0;
}

Batch collate(const std::vector<TokenizedExample>& examples, int32_t padId) {
    if (examples.empty()) throw Error("collate", "empty batch");
    const int64_t b = static_cast<int64_t>(examples.size());
    int64_t t = 1;
    for (const auto& ex : examples) t = std::max<int64_t>(t, static_cast<int64_t>(ex.inputIds.size()));

    Batch batch;
    batch.inputIds = at::full({b, t}, padId, at::kLong);
    batch.attentionMask = at::zeros({b, t}, at::kLong);
    batch.labels = at::full({b, t}, kIgnoreIndex, at::kLong);
    auto ids = batch.inputIds.accessor<int64_t, 2>();
    auto mask = batch.attentionMask.accessor<int64_t, 2>();
    auto labels = batch.labels.accessor<int64_t, 2>();
    for (int64_t i = 0; i < b; ++i) {
        const auto& ex = examples[static_cast<std::size_t>(i)];
        for (std::size_t j = 0; j < ex.inputIds.size(); ++j) {
            ids[i][static_cast<int64_t>(j)] = ex.inputIds[j];
            mask[i][static_cast<int64_t>(j)] = 1;
            labels[i][static_cast<int64_t>(j)] = ex.labels[j];
            if (ex.labels[j] != kIgnoreIndex) ++batch.trainedTokens;
        }
    }
    return batch;
}

DataLoader::DataLoader(ExampleSet examples, int batchSize, bool shuffle, int64_t seed, int32_t padId)
    : m_examples(std::move(examples)), m_batchSize(batchSize), m_shuffle(shuffle), m_seed(seed), m_padId(padId) {
    if (batchSize <= 0) throw Error("training.batch_size", "must be > 0, got " + std::to_string(batchSize));
    m_position.datasetSize = m_examples.size();
}

int64_t DataLoader::batchesPerEpoch() const { return (m_examples.size() + m_batchSize - 1) / m_batchSize; }

void DataLoader::seek(const DataPosition& position) {
    const int64_t n = m_examples.size();
    if (position.datasetSize != 0 && position.datasetSize != n)
        throw Error("data position", "the checkpoint was saved with " + std::to_string(position.datasetSize) +
                                         " examples, but the data now has " + std::to_string(n),
                    "resume with the same data file and data settings, or start a new run");
    if (position.index > n)
        throw Error("data position", "index " + std::to_string(position.index) + " is past the " + std::to_string(n) +
                                         " examples", "the checkpoint does not belong to this data");
    m_position = DataPosition{position.epoch, position.index, n};
    if (m_position.index == n) m_position = DataPosition{position.epoch + 1, 0, n};
}

const std::vector<int64_t>& DataLoader::order() {
    if (m_orderEpoch != m_position.epoch) {
        m_order = epochOrder(m_examples.size(), m_shuffle, m_seed, m_position.epoch);
        m_orderEpoch = m_position.epoch;
    }
    return m_order;
}

Batch DataLoader::next() {
    const int64_t n = m_examples.size();
    if (n == 0) throw Error("data", "no examples to make a batch of", "check the data file");
    const auto& ord = order();
    const int64_t begin = m_position.index;
    const int64_t end = std::min(n, begin + m_batchSize);
    std::vector<TokenizedExample> examples;
    std::vector<int64_t> indices;
    for (int64_t k = begin; k < end; ++k) {
        indices.push_back(ord[static_cast<std::size_t>(k)]);
        examples.push_back(m_examples.example(indices.back()));
    }
    Batch batch = collate(examples, m_padId);
    batch.exampleIndices = std::move(indices);
    batch.epoch = m_position.epoch;
    m_position.index = end;
    if (end == n) m_position = DataPosition{m_position.epoch + 1, 0, n};
    return batch;
}

} // namespace lorastudio

// See batcher.h.
#include "data/batcher.h"

#include "common/error.h"
#include "data/packing.h"
#include "tokenizer/tokenizer.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace lorastudio {

int32_t paddingId(const Tokenizer& tokenizer) {
    if (auto pad = tokenizer.padId()) return *pad;
    if (auto eos = tokenizer.eosId()) return *eos;
    return 0;
}

Batch collate(const std::vector<TokenizedExample>& input, int32_t padId) {
    if (input.empty()) throw Error("collate", "empty batch");
    // Preference pairs: the chosen rows, then the rejected ones in the same order.
    const bool pairs = input.front().isPair();
    std::vector<TokenizedExample> rejected;
    if (pairs)
        for (const auto& ex : input) {
            if (!ex.isPair()) throw Error("collate", "a batch mixes preference pairs and single examples");
            rejected.push_back(ex.rejectedExample());
        }
    const std::vector<TokenizedExample>& chosen = input;
    auto row = [&](std::size_t i) -> const TokenizedExample& { return i < chosen.size() ? chosen[i] : rejected[i - chosen.size()]; };
    const int64_t b = static_cast<int64_t>(input.size() + rejected.size());
    int64_t t = 1;
    for (const auto& ex : input) t = std::max<int64_t>(t, ex.rowLength());

    Batch batch;
    batch.pairs = pairs ? static_cast<int64_t>(input.size()) : 0;
    batch.inputIds = at::full({b, t}, padId, at::kLong);
    batch.attentionMask = at::zeros({b, t}, at::kLong);
    batch.labels = at::full({b, t}, kIgnoreIndex, at::kLong);
    auto ids = batch.inputIds.accessor<int64_t, 2>();
    auto mask = batch.attentionMask.accessor<int64_t, 2>();
    auto labels = batch.labels.accessor<int64_t, 2>();
    for (int64_t i = 0; i < b; ++i) {
        const auto& ex = row(static_cast<std::size_t>(i));
        for (std::size_t j = 0; j < ex.inputIds.size(); ++j) {
            ids[i][static_cast<int64_t>(j)] = ex.inputIds[j];
            mask[i][static_cast<int64_t>(j)] = 1;
            labels[i][static_cast<int64_t>(j)] = ex.labels[j];
            if (ex.labels[j] != kIgnoreIndex) ++batch.trainedTokens;
        }
    }
    return batch;
}

Batch collatePacked(const std::vector<std::vector<TokenizedExample>>& rows, int32_t padId) {
    if (rows.empty()) throw Error("collate", "empty batch");
    const int64_t b = static_cast<int64_t>(rows.size());
    int64_t t = 1;
    for (const auto& row : rows) {
        int64_t len = 0;
        for (const auto& ex : row) len += static_cast<int64_t>(ex.inputIds.size());
        t = std::max(t, len);
    }
    Batch batch;
    batch.inputIds = at::full({b, t}, padId, at::kLong);
    batch.attentionMask = at::zeros({b, t}, at::kLong);
    batch.labels = at::full({b, t}, kIgnoreIndex, at::kLong);
    batch.positionIds = at::zeros({b, t}, at::kLong);
    auto ids = batch.inputIds.accessor<int64_t, 2>();
    auto mask = batch.attentionMask.accessor<int64_t, 2>();
    auto labels = batch.labels.accessor<int64_t, 2>();
    auto pos = batch.positionIds.accessor<int64_t, 2>();
    for (int64_t i = 0; i < b; ++i) {
        int64_t col = 0, segment = 0;
        for (const auto& ex : rows[static_cast<std::size_t>(i)]) {
            if (ex.isPair()) throw Error("collate", "preference pairs cannot be packed", "set data.packing: false");
            ++segment;
            for (std::size_t j = 0; j < ex.inputIds.size(); ++j, ++col) {
                ids[i][col] = ex.inputIds[j];
                mask[i][col] = segment;
                pos[i][col] = static_cast<int64_t>(j);
                // Position 0 of an example is never a target: nothing of it came before.
                const int64_t label = j == 0 ? kIgnoreIndex : ex.labels[j];
                labels[i][col] = label;
                if (label != kIgnoreIndex) ++batch.trainedTokens;
            }
        }
    }
    return batch;
}

DataLoader::DataLoader(ExampleSet examples, int batchSize, bool shuffle, int64_t seed, int32_t padId,
                       BatchingOptions batching, DataShard shard)
    : m_examples(std::move(examples)), m_batchSize(batchSize), m_shuffle(shuffle), m_seed(seed), m_padId(padId),
      m_batching(batching), m_shard(shard) {
    if (batchSize <= 0) throw Error("training.batch_size", "must be > 0, got " + std::to_string(batchSize));
    if (shard.worldSize < 1 || shard.rank < 0 || shard.rank >= shard.worldSize)
        throw Error("data-parallel shard", "rank " + std::to_string(shard.rank) + " of world size " +
                                               std::to_string(shard.worldSize) + " is not a place in the job");
    if (m_batching.packing || m_batching.groupByLength) {
        m_lengths = m_examples.stats().truncatedLengths();
        if (static_cast<int64_t>(m_lengths.size()) != m_examples.size())
            throw Error("data", "token lengths are missing for some examples");
    }
    if (m_batching.packing) {
        if (m_batching.rowLength <= 0) throw Error("data.max_length", "packing needs a row length > 0");
        m_rows = packExamples(m_lengths, m_batching.rowLength);
    }
    m_position.datasetSize = unitsPerEpoch();
}

int64_t DataLoader::unitsPerEpoch() const {
    return m_batching.packing ? static_cast<int64_t>(m_rows.size()) : m_examples.size();
}

int64_t DataLoader::batchesPerEpoch() const { return (unitsPerEpoch() + globalBatchSize() - 1) / globalBatchSize(); }

void DataLoader::seek(const DataPosition& position) {
    const int64_t n = unitsPerEpoch();
    const char* unit = m_batching.packing ? " packed rows" : " examples";
    if (position.datasetSize != 0 && position.datasetSize != n)
        throw Error("data position", "the checkpoint was saved with " + std::to_string(position.datasetSize) +
                                         unit + ", but the data now has " + std::to_string(n),
                    "resume with the same data file and data settings, or start a new run");
    if (position.index > n)
        throw Error("data position", "index " + std::to_string(position.index) + " is past the " + std::to_string(n) +
                                         " examples", "the checkpoint does not belong to this data");
    m_position = DataPosition{position.epoch, position.index, n};
    if (m_position.index == n) m_position = DataPosition{position.epoch + 1, 0, n};
}

const std::vector<int64_t>& DataLoader::order() {
    if (m_orderEpoch != m_position.epoch) {
        m_order = epochOrder(unitsPerEpoch(), m_shuffle, m_seed, m_position.epoch);
        // Mega-batches of the global batch, so that every world size groups the same way.
        if (m_batching.groupByLength && !m_batching.packing)
            m_order = groupByLength(m_order, m_lengths, static_cast<int>(globalBatchSize()));
        m_orderEpoch = m_position.epoch;
    }
    return m_order;
}

Batch DataLoader::next() {
    const int64_t n = unitsPerEpoch();
    if (n == 0) throw Error("data", "no examples to make a batch of", "check the data file");
    const auto& ord = order();
    const int64_t begin = m_position.index;
    const int64_t end = std::min(n, begin + globalBatchSize());
    const int64_t first = begin + m_shard.rank, stride = m_shard.worldSize;
    std::vector<int64_t> indices;
    Batch batch;
    if (first >= end) {
        // Nothing of this short global batch for this rank.
    } else if (m_batching.packing) {
        std::vector<std::vector<TokenizedExample>> rows;
        for (int64_t k = first; k < end; k += stride) {
            rows.emplace_back();
            for (int64_t i : m_rows[static_cast<std::size_t>(ord[static_cast<std::size_t>(k)])]) {
                indices.push_back(i);
                rows.back().push_back(m_examples.example(i));
            }
        }
        batch = collatePacked(rows, m_padId);
    } else {
        std::vector<TokenizedExample> examples;
        for (int64_t k = first; k < end; k += stride) {
            indices.push_back(ord[static_cast<std::size_t>(k)]);
            examples.push_back(m_examples.example(indices.back()));
        }
        batch = collate(examples, m_padId);
    }
    batch.exampleIndices = std::move(indices);
    batch.epoch = m_position.epoch;
    m_position.index = end;
    if (end == n) m_position = DataPosition{m_position.epoch + 1, 0, n};
    return batch;
}

} // namespace lorastudio

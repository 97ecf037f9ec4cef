// Batches for training: collation of tokenized examples into right-padded tensors, and
// DataLoader, which walks a seeded epoch order batch by batch and can stop and resume at a
// DataPosition. The only part of core/data that needs LibTorch.
#pragma once
#include "data/data_order.h"
#include "data/example_set.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace lorastudio {

class Tokenizer;

struct Batch {
    at::Tensor inputIds;      // [B, T] int64, right-padded with the pad id
    at::Tensor attentionMask; // [B, T] int64: 1 for tokens, 0 for padding
    at::Tensor labels;        // [B, T] int64: token id where trained, -100 on masked prompt and padding
    std::vector<int64_t> exampleIndices; // [B] indices into the ExampleSet
    int64_t trainedTokens = 0;           // labels != -100
    int64_t epoch = 0;                   // the epoch the batch belongs to
};

// The id padding uses: the tokenizer's pad token, else its EOS, else 0. (Padding is masked out of
// attention and loss, so the id only has to exist.)
int32_t paddingId(const Tokenizer& tokenizer);

// examples [B] of lengths T_b -> Batch with T = max T_b (at least 1). B must be > 0.
Batch collate(const std::vector<TokenizedExample>& examples, int32_t padId);

class DataLoader {
public:
    // batchSize > 0. shuffle: a new seeded permutation each epoch (epochOrder); else file order.
    DataLoader(ExampleSet examples, int batchSize, bool shuffle, int64_t seed, int32_t padId);

    // ceil(size / batchSize): the last batch of an epoch may be smaller; batches never span epochs.
    int64_t batchesPerEpoch() const;
    // Where next() continues (index is never == size: the end of an epoch reads as the next one).
    DataPosition position() const { return m_position; }
    // Continue from a saved position. Throws Error when it was saved for another number of
    // examples or lies outside the data.
    void seek(const DataPosition& position);
    // The next batch, starting the next epoch when the current one is done.
    Batch next();

    const ExampleSet& examples() const { return m_examples; }

private:
    const std::vector<int64_t>& order();

    ExampleSet m_examples;
    int m_batchSize;
    bool m_shuffle;
    int64_t m_seed;
    int32_t m_padId;
    DataPosition m_position;
    int64_t m_orderEpoch = -1;
    std::vector<int64_t> m_order;
};

} // namespace lorastudio

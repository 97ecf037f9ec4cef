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
    // [B, T] int64: 1 for tokens, 0 for padding. Packed rows: the example's number in its row
    // (1, 2, ...), so attention stays inside each example (model/attention.h).
    at::Tensor attentionMask;
    at::Tensor labels;        // [B, T] int64: token id where trained, -100 on masked prompt and padding
    at::Tensor positionIds;   // packed rows only: [B, T] int64, restarting at 0 for each example
    std::vector<int64_t> exampleIndices; // indices into the ExampleSet, row by row
    int64_t trainedTokens = 0;           // labels != -100
    int64_t epoch = 0;                   // the epoch the batch belongs to
};

// The id padding uses: the tokenizer's pad token, else its EOS, else 0. (Padding is masked out of
// attention and loss, so the id only has to exist.)
int32_t paddingId(const Tokenizer& tokenizer);

// examples [B] of lengths T_b -> Batch with T = max T_b (at least 1). B must be > 0.
Batch collate(const std::vector<TokenizedExample>& examples, int32_t padId);
// rows [B] of examples each -> one packed Batch, T = the longest row. An example's first label is
// -100 (it would be predicted from the example before it), so every example's loss is the one it
// has alone.
Batch collatePacked(const std::vector<std::vector<TokenizedExample>>& rows, int32_t padId);

// How the loader makes batches: unpacked rows (optionally grouped by length) or packed rows.
struct BatchingOptions {
    bool packing = false;
    bool groupByLength = false;  // unpacked only
    int64_t rowLength = 0;       // packing: tokens per row (data.max_length, which examples are cut to)
};

class DataLoader {
public:
    // batchSize > 0. shuffle: a new seeded permutation each epoch (epochOrder); else file order.
    DataLoader(ExampleSet examples, int batchSize, bool shuffle, int64_t seed, int32_t padId,
               BatchingOptions batching = {});

    // What an epoch walks over: examples, or packed rows (each a list of examples).
    int64_t unitsPerEpoch() const;
    // ceil(units / batchSize): the last batch of an epoch may be smaller; batches never span epochs.
    int64_t batchesPerEpoch() const;
    // Where next() continues (index is never == size: the end of an epoch reads as the next one).
    DataPosition position() const { return m_position; }
    // Continue from a saved position. Throws Error when it was saved for another number of
    // examples or lies outside the data.
    void seek(const DataPosition& position);
    // The next batch, starting the next epoch when the current one is done.
    Batch next();

    const ExampleSet& examples() const { return m_examples; }
    const std::vector<std::vector<int64_t>>& packedRows() const { return m_rows; }

private:
    const std::vector<int64_t>& order();

    ExampleSet m_examples;
    int m_batchSize;
    bool m_shuffle;
    int64_t m_seed;
    int32_t m_padId;
    BatchingOptions m_batching;
    std::vector<int32_t> m_lengths;            // per example, after truncation
    std::vector<std::vector<int64_t>> m_rows;  // packing: the rows, fixed for the whole run
    DataPosition m_position;
    int64_t m_orderEpoch = -1;
    std::vector<int64_t> m_order;
};

} // namespace lorastudio

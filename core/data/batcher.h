// Batches for training: collation of tokenized examples into right-padded tensors, and
// DataLoader, which walks a seeded epoch order batch by batch and can stop and resume at a
// DataPosition; in a data-parallel job each rank takes its share of every global batch. The only
// part of core/data that needs LibTorch.
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
    // Preference pairs: rows [0, pairs) are the chosen sequences, rows [pairs, 2 pairs) the
    // rejected ones in the same order; 0 for other data.
    int64_t pairs = 0;

    // A rank of a data-parallel job can get no example of an epoch's short last global batch: its
    // Batch then has no tensors (and takes part in the job's collectives with nothing to add).
    bool empty() const { return !inputIds.defined(); }
};

// The id padding uses: the tokenizer's pad token, else its EOS, else 0. (Padding is masked out of
// attention and loss, so the id only has to exist.)
int32_t paddingId(const Tokenizer& tokenizer);

// examples [B] of lengths T_b -> Batch with T = max T_b (at least 1). B must be > 0. Preference
// pairs (all or none of them): 2B rows, see Batch::pairs.
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

// This process's place in a data-parallel job (PyTorch's DistributedSampler semantics): every
// rank walks the same seeded epoch order in global batches of batchSize x worldSize units, and
// rank r takes the units at r, r + worldSize, r + 2 worldSize, ... of each global batch. So the
// union of the ranks' batches is exactly the batch one process with batchSize x worldSize takes.
struct DataShard {
    int rank = 0;
    int worldSize = 1;
};

class DataLoader {
public:
    // batchSize > 0. shuffle: a new seeded permutation each epoch (epochOrder); else file order.
    // batchSize: per rank. shard: see DataShard (worldSize 1: the whole batch is this process's).
    DataLoader(ExampleSet examples, int batchSize, bool shuffle, int64_t seed, int32_t padId,
               BatchingOptions batching = {}, DataShard shard = {});

    // What an epoch walks over: examples, or packed rows (each a list of examples).
    int64_t unitsPerEpoch() const;
    // batchSize x worldSize: the units one step of the whole job takes.
    int64_t globalBatchSize() const { return static_cast<int64_t>(m_batchSize) * m_shard.worldSize; }
    // ceil(units / globalBatchSize): the last batch of an epoch may be smaller; batches never span
    // epochs.
    int64_t batchesPerEpoch() const;
    // Where next() continues, counted in units of the whole job (so a checkpoint resumes under any
    // world size); index is never == size: the end of an epoch reads as the next one.
    DataPosition position() const { return m_position; }
    // Continue from a saved position. Throws Error when it was saved for another number of
    // examples or lies outside the data.
    void seek(const DataPosition& position);
    // This rank's part of the next global batch (Batch::empty() when the epoch's short last batch
    // has nothing for it), starting the next epoch when the current one is done.
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
    DataShard m_shard;
    std::vector<int32_t> m_lengths;            // per example, after truncation
    std::vector<std::vector<int64_t>> m_rows;  // packing: the rows, fixed for the whole run
    DataPosition m_position;
    int64_t m_orderEpoch = -1;
    std::vector<int64_t> m_order;
};

} // namespace lorastudio

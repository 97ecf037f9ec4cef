// How examples become rows: sequence packing (several examples in one row of max_length tokens,
// best-fit decreasing), length grouping for unpacked batches, and the padding share each way.
// Plain integers, no LibTorch: the data panel and the estimate use it as the loader does.
#pragma once
#include <cstdint>
#include <vector>

namespace lorastudio {

// lengths[i]: tokens of example i after truncation (each <= rowLength). -> rows, each a list of
// example indices whose lengths add up to at most rowLength. Best-fit decreasing: longest first,
// each into the fullest row it still fits. Deterministic; ties keep file order.
std::vector<std::vector<int64_t>> packExamples(const std::vector<int32_t>& lengths, int64_t rowLength);

// transformers' length grouping: `order` cut into mega-batches of 50 x batchSize, each sorted by
// length, longest first, so that a batch holds examples of similar lengths. Stable.
std::vector<int64_t> groupByLength(const std::vector<int64_t>& order, const std::vector<int32_t>& lengths,
                                   int batchSize);

// Tokens and padding of an epoch of batches.
struct PaddingStats {
    int64_t tokens = 0;   // real tokens
    int64_t slots = 0;    // batch rows x row length, summed over batches (what the model computes)
    double paddingShare() const { return slots > 0 ? 1.0 - double(tokens) / double(slots) : 0.0; }
};
// rows: the example indices of each row, in batch order; batches of batchSize rows, each padded to
// its longest row.
PaddingStats paddingOf(const std::vector<std::vector<int64_t>>& rows, const std::vector<int32_t>& lengths,
                       int batchSize);
// Unpacked batches in `order` (optionally grouped by length) / packed rows of rowLength.
PaddingStats unpackedPadding(const std::vector<int32_t>& lengths, int batchSize, bool groupedByLength);
PaddingStats packedPadding(const std::vector<int32_t>& lengths, int batchSize, int64_t rowLength);

} // namespace lorastudio

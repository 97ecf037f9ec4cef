// The order examples are visited in: seeded permutations that are the same on every platform
// (the standard library's distributions are not), the epoch order, and DataPosition, the point in
// that order a checkpoint saves so that a resumed run sees exactly the batches it would have seen.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

// SplitMix64 (Steele, Lea, Flood 2014): small, fast and fully specified.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : m_state(seed) {}
    uint64_t next();
    // Uniform in [0, n), n > 0, without modulo bias (rejection of the short last interval).
    uint64_t below(uint64_t n);

private:
    uint64_t m_state;
};

// Combines two values into a seed (so that epoch e of seed s and the split of seed s differ).
uint64_t mixSeed(uint64_t a, uint64_t b);

// A permutation of 0..n-1 by Fisher-Yates with SplitMix64(seed).
std::vector<int64_t> seededPermutation(int64_t n, uint64_t seed);

// The order of epoch `epoch` over n examples: 0..n-1, or a permutation seeded by (seed, epoch).
std::vector<int64_t> epochOrder(int64_t n, bool shuffle, int64_t seed, int64_t epoch);

// Where a data loader stands: the next example is order(epoch)[index]. datasetSize is the number
// of examples the order was made for (0 = unknown); resuming against another size is an error.
struct DataPosition {
    int64_t epoch = 0;
    int64_t index = 0;
    int64_t datasetSize = 0;

    bool operator==(const DataPosition& o) const {
        return epoch == o.epoch && index == o.index && datasetSize == o.datasetSize;
    }
    bool operator!=(const DataPosition& o) const { return !(*this == o); }
};

// {"epoch": E, "index": I, "dataset_size": N}, for checkpoint files.
nlohmann::json dataPositionToJson(const DataPosition& position);
// Throws Error naming `where` and the key when a key is missing or of the wrong type.
DataPosition dataPositionFromJson(const nlohmann::json& value, const std::string& where);

} // namespace lorastudio

// See data_order.h.
#include "data/data_order.h"

#include "common/error.h"
#include "common/json_file.h"

#include <nlohmann/json.hpp>

#include <numeric>

namespace lorastudio {

uint64_t SplitMix64::next() {
    uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t SplitMix64::below(uint64_t n) {
    // 2^64 mod n values at the bottom would be drawn once more often than the others: skip them.
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t r = next();
        if (r >= threshold) return r % n;
    }
}

uint64_t mixSeed(uint64_t a, uint64_t b) {
    SplitMix64 g(a ^ (b * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull));
    return g.next();
}

std::vector<int64_t> seededPermutation(int64_t n, uint64_t seed) {
    std::vector<int64_t> p(static_cast<std::size_t>(std::max<int64_t>(n, 0)));
    std::iota(p.begin(), p.end(), int64_t{0});
    SplitMix64 g(seed);
    for (int64_t i = n - 1; i > 0; --i) {
        auto j = static_cast<int64_t>(g.below(static_cast<uint64_t>(i) + 1));
        std::swap(p[i], p[j]);
    }
    return p;
}

std::vector<int64_t> epochOrder(int64_t n, bool shuffle, int64_t seed, int64_t epoch) {
    if (!shuffle) {
        std::vector<int64_t> p(static_cast<std::size_t>(std::max<int64_t>(n, 0)));
        std::iota(p.begin(), p.end(), int64_t{0});
        return p;
    }
    return seededPermutation(n, mixSeed(static_cast<uint64_t>(seed), static_cast<uint64_t>(epoch) + 1));
}

nlohmann::json dataPositionToJson(const DataPosition& position) {
    return nlohmann::json{{"epoch", position.epoch}, {"index", position.index}, {"dataset_size", position.datasetSize}};
}

DataPosition dataPositionFromJson(const nlohmann::json& value, const std::string& where) {
    DataPosition p;
    p.epoch = requireKey<int64_t>(value, "epoch", where);
    p.index = requireKey<int64_t>(value, "index", where);
    p.datasetSize = optionalKey<int64_t>(value, "dataset_size", 0, where);
    if (p.epoch < 0 || p.index < 0 || p.datasetSize < 0)
        throw Error(where, "data position has a negative value", "the checkpoint file is damaged");
    return p;
}

} // namespace lorastudio

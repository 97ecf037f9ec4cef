// Packing, length grouping and padding statistics. See packing.h.
#include "data/packing.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace lorastudio {

std::vector<std::vector<int64_t>> packExamples(const std::vector<int32_t>& lengths, int64_t rowLength) {
    std::vector<int64_t> byLength(lengths.size());
    std::iota(byLength.begin(), byLength.end(), 0);
    std::stable_sort(byLength.begin(), byLength.end(),
                     [&](int64_t a, int64_t b) { return lengths[size_t(a)] > lengths[size_t(b)]; });
    std::vector<std::vector<int64_t>> rows;
    std::multimap<int64_t, size_t> free;  // room left -> row; the smallest room that fits wins
    for (int64_t i : byLength) {
        const int64_t len = std::max<int64_t>(1, lengths[size_t(i)]);
        auto it = free.lower_bound(len);
        size_t row;
        int64_t room;
        if (it == free.end()) {
            row = rows.size();
            rows.emplace_back();
            room = rowLength;
        } else {
            row = it->second;
            room = it->first;
            free.erase(it);
        }
        rows[row].push_back(i);
        room -= len;
        if (room > 0) free.emplace(room, row);
    }
    // Rows in the order of their first (longest) example's file position: the same for every run.
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
    return rows;
}

std::vector<int64_t> groupByLength(const std::vector<int64_t>& order, const std::vector<int32_t>& lengths,
                                   int batchSize) {
    std::vector<int64_t> out(order);
    const size_t mega = size_t(std::max(1, batchSize)) * 50;
    for (size_t s = 0; s < out.size(); s += mega) {
        const auto end = out.begin() + static_cast<std::ptrdiff_t>(std::min(out.size(), s + mega));
        std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(s), end, [&](int64_t a, int64_t b) {
            return lengths[size_t(a)] > lengths[size_t(b)];
        });
    }
    return out;
}

PaddingStats paddingOf(const std::vector<std::vector<int64_t>>& rows, const std::vector<int32_t>& lengths,
                       int batchSize) {
    PaddingStats st;
    const size_t b = size_t(std::max(1, batchSize));
    for (size_t s = 0; s < rows.size(); s += b) {
        int64_t longest = 0;
        const size_t e = std::min(rows.size(), s + b);
        for (size_t r = s; r < e; ++r) {
            int64_t len = 0;
            for (int64_t i : rows[r]) len += lengths[size_t(i)];
            st.tokens += len;
            longest = std::max(longest, len);
        }
        st.slots += longest * int64_t(e - s);
    }
    return st;
}

PaddingStats unpackedPadding(const std::vector<int32_t>& lengths, int batchSize, bool groupedByLength) {
    std::vector<int64_t> order(lengths.size());
    std::iota(order.begin(), order.end(), 0);
    if (groupedByLength) order = groupByLength(order, lengths, batchSize);
    std::vector<std::vector<int64_t>> rows;
    rows.reserve(order.size());
    for (int64_t i : order) rows.push_back({i});
    return paddingOf(rows, lengths, batchSize);
}

PaddingStats packedPadding(const std::vector<int32_t>& lengths, int batchSize, int64_t rowLength) {
    return paddingOf(packExamples(lengths, rowLength), lengths, batchSize);
}

} // namespace lorastudio

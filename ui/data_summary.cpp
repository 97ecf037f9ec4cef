// See data_summary.h.
#include "data_summary.h"

namespace lorastudio::ui {

void DataSummary::setLongestExample(std::optional<int64_t> tokens) {
    if (tokens == m_longest) return;
    m_longest = tokens;
    Q_EMIT changed();
}

MemoryOptions sizedForData(const DataSummary* data, MemoryOptions options) {
    if (data && data->longestExample()) options.longestExample = data->longestExample();
    return options;
}

} // namespace lorastudio::ui

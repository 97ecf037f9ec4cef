// DataSummary: what the studio knows of the project's data once the Data page has read it, for the
// views that size the memory estimate: the longest example in tokens. A batch is padded to its
// longest example, so with the data read the estimate is sized for that length instead of
// data.max_length (see MemoryOptions::longestExample). Unknown while a read runs or after one failed.
#pragma once
#include "estimate/memory_estimate.h"

#include <QObject>

#include <cstdint>
#include <optional>

namespace lorastudio::ui {

class DataSummary : public QObject {
    Q_OBJECT
public:
    explicit DataSummary(QObject* parent = nullptr) : QObject(parent) {}

    // Tokens of the longest training or validation example, before truncation to max_length.
    std::optional<int64_t> longestExample() const { return m_longest; }
    void setLongestExample(std::optional<int64_t> tokens);

Q_SIGNALS:
    void changed();

private:
    std::optional<int64_t> m_longest;
};

// `options` sized for the data when `data` (may be null) knows its longest example.
MemoryOptions sizedForData(const DataSummary* data, MemoryOptions options = {});

} // namespace lorastudio::ui

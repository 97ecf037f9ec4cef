// Reading data files record by record without loading them whole: JSONL (one object per line), a
// JSON array of objects (scanned element by element), or plain text (one example per line).
// Malformed records become BadLine entries naming file and line; RecordFile reads one back later.
#pragma once
#include "data/data_record.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lorastudio {

enum class FileLayout { JsonLines, JsonArray, TextLines };

// One record (a JSONL line, a JSON array element, a text line) longer than this is refused as a bad
// line naming the limit: parsing it would take many times its size in memory.
inline constexpr int64_t kMaxRecordBytes = int64_t(64) << 20;  // 64 MB

struct BadLine {
    std::string path;    // the data file
    int64_t line = 0;    // 1-based; for a JSON array, the line where the element starts
    std::string message; // "data.jsonl:17: missing key 'output' (hint: Alpaca records need ...)"
};

// Where a record's text lies in its file: `length` bytes from byte `offset` (for JSONL without the
// line break), starting on line `line`.
struct RecordPlace {
    int64_t line = 0;
    int64_t offset = 0;
    int64_t length = 0;
};

// The layout of a file: .txt is plain text; otherwise a file whose first non-blank byte is '[' is
// a JSON array, anything else JSONL.
FileLayout sniffLayout(const std::string& path);

class DataFileReader {
public:
    // Opens `path`. `format` Auto is settled by the first valid record's keys. Throws Error when the
    // file cannot be opened, or when a .txt file is asked to hold Alpaca or chat records.
    DataFileReader(const std::string& path, DataFormat format);

    // The next valid record and its place; false at the end of the file. Empty lines are skipped
    // silently, malformed records are added to badLines() and skipped.
    bool next(DataRecord& record, RecordPlace& place);

    DataFormat format() const { return m_format; } // Auto until a valid record was read
    FileLayout layout() const { return m_layout; }
    const std::string& path() const { return m_path; }
    const std::vector<BadLine>& badLines() const { return m_badLines; }
    int64_t bytesRead() const { return m_offset; }
    int64_t totalBytes() const { return m_totalBytes; }

private:
    bool nextText(std::string& text, RecordPlace& place); // next non-blank line or array element
    bool nextLine(std::string& text, RecordPlace& place);
    bool nextElement(std::string& text, RecordPlace& place);
    int get();                                             // next byte or -1, counting lines
    bool accept(const std::string& text, const RecordPlace& place, DataRecord& record);
    void bad(const RecordPlace& place, const std::string& problem);

    std::string m_path;
    std::string m_name; // file name for messages
    FileLayout m_layout;
    DataFormat m_format;
    std::ifstream m_in;
    int64_t m_offset = 0;
    int64_t m_line = 1;
    int64_t m_totalBytes = 0;
    bool m_arrayDone = false;
    std::vector<BadLine> m_badLines;
};

// Reads records back by place (streaming mode). Thread-safe: one stream behind a mutex.
class RecordFile {
public:
    // Notes the file's size and modification time: the places were scanned from this version.
    RecordFile(std::string path, FileLayout layout, DataFormat format);
    // Throws Error naming "<path>:<line>" when the file disappeared, or changed (size or modification
    // time) since it was opened, or the record no longer parses: training never reads other data than
    // it scanned without saying so.
    DataRecord read(const RecordPlace& place) const;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    FileLayout m_layout;
    DataFormat m_format;
    mutable std::mutex m_mutex;
    mutable std::ifstream m_in;
    std::uintmax_t m_size = 0;
    std::filesystem::file_time_type m_modified{};
};

} // namespace lorastudio

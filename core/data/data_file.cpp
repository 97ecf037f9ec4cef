// See data_file.h. Byte-at-a-time scanning through the stream buffer keeps memory flat for files of
// any size and lets a JSON array be split into elements without parsing it whole.
#include "data/data_file.h"

#include "common/error.h"
#include "common/json_file.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

bool isSpace(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// "malformed JSON at column 12: <nlohmann's reason>"; with firstLine > 0 (a multi-line JSON array
// element starting on that line) the position also names the file line.
std::string jsonProblem(const nlohmann::json::parse_error& e, const std::string& text, int64_t firstLine) {
    std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    int64_t line = 1, col = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    std::string reason = e.what();
    if (auto p = reason.find("column "); p != std::string::npos) {
        if (auto q = reason.find(": ", p); q != std::string::npos) reason = reason.substr(q + 2);
    }
    std::string at = firstLine > 0 ? "line " + std::to_string(firstLine + line - 1) + ", column " + std::to_string(col)
                                   : "column " + std::to_string(col);
    return "malformed JSON at " + at + ": " + reason + " (hint: each record must be one complete JSON object)";
}

// nlohmann's other parse failure: out_of_range.406, a number too large for a double ("1e999").
std::string numberProblem(const nlohmann::json::exception& e) {
    std::string reason = e.what();
    if (auto p = reason.find("] "); p != std::string::npos) reason = reason.substr(p + 2);
    return "malformed JSON: " + reason + " (hint: a number in the record is out of range)";
}

const char* const kNoKeysHint =
    "records look like {\"text\": ...}, {\"instruction\": ..., \"output\": ...}, {\"messages\": [...]} or "
    "{\"conversations\": [...]}";

} // namespace

FileLayout sniffLayout(const std::string& path) {
    if (lowerExtension(path) == ".txt") return FileLayout::TextLines;
    std::ifstream in(path, std::ios::binary);
    int c;
    int skipped = 0;
    while ((c = in.get()) != EOF) {
        // UTF-8 byte order mark
        if (skipped < 3 && (c == 0xEF || c == 0xBB || c == 0xBF)) {
            ++skipped;
            continue;
        }
        if (isSpace(c)) continue;
        return c == '[' ? FileLayout::JsonArray : FileLayout::JsonLines;
    }
    return FileLayout::JsonLines;
}

DataFileReader::DataFileReader(const std::string& path, DataFormat format)
    : m_path(path), m_name(fs::path(path).filename().string()), m_layout(FileLayout::JsonLines), m_format(format) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(path, fs::exists(path, ec) ? "not a regular file" : "data file does not exist",
                    "check data.path in the project");
    m_in.open(path, std::ios::binary);
    if (!m_in) throw Error(path, "cannot open data file", "check the file's permissions");
    m_totalBytes = static_cast<int64_t>(fs::file_size(path, ec));
    m_layout = sniffLayout(path);
    if (m_layout == FileLayout::TextLines) {
        if (m_format != DataFormat::Auto && m_format != DataFormat::Text)
            throw Error(path, "a .txt file holds plain text (one example per line), but data.format is " + enumName(m_format),
                        "use a .jsonl file for " + enumName(m_format) + " records, or format: text");
        m_format = DataFormat::Text;
    }
    if (m_layout == FileLayout::JsonArray) {
        int c;
        while ((c = get()) != -1 && c != '[') {
        }
    }
}

int DataFileReader::get() {
    int c = m_in.rdbuf()->sbumpc();
    if (c == std::char_traits<char>::eof()) return -1;
    ++m_offset;
    if (c == '\n') ++m_line;
    return c;
}

bool DataFileReader::nextLine(std::string& text, RecordPlace& place) {
    if (m_in.rdbuf()->sgetc() == std::char_traits<char>::eof()) return false;
    text.clear();
    place.line = m_line;
    place.offset = m_offset;
    int c;
    while ((c = get()) != -1 && c != '\n') text.push_back(static_cast<char>(c));
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (place.offset == 0 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        text.erase(0, 3);
        place.offset = 3;
    }
    place.length = static_cast<int64_t>(text.size());
    return true;
}

bool DataFileReader::nextElement(std::string& text, RecordPlace& place) {
    if (m_arrayDone) return false;
    for (;;) {
        int c = m_in.rdbuf()->sgetc();
        if (c == std::char_traits<char>::eof()) {
            m_arrayDone = true;
            bad(RecordPlace{m_line, m_offset, 0}, "unexpected end of file: the JSON array is not closed with ']'");
            return false;
        }
        if (isSpace(c) || c == ',') {
            get();
            continue;
        }
        if (c == ']') {
            get();
            m_arrayDone = true;
            return false;
        }
        break;
    }
    text.clear();
    place.line = m_line;
    place.offset = m_offset;
    int depth = 0;
    bool inString = false, escape = false;
    for (;;) {
        int c = m_in.rdbuf()->sgetc();
        if (c == std::char_traits<char>::eof()) break;
        if (!inString && depth == 0 && (c == ',' || c == ']')) break;
        get();
        text.push_back(static_cast<char>(c));
        if (inString) {
            if (escape) escape = false;
            else if (c == '\\') escape = true;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    while (!text.empty() && isSpace(static_cast<unsigned char>(text.back()))) text.pop_back();
    place.length = static_cast<int64_t>(text.size());
    return true;
}

bool DataFileReader::nextText(std::string& text, RecordPlace& place) {
    for (;;) {
        bool got = m_layout == FileLayout::JsonArray ? nextElement(text, place) : nextLine(text, place);
        if (!got) return false;
        if (!isBlank(text)) return true; // empty lines are skipped silently
    }
}

void DataFileReader::bad(const RecordPlace& place, const std::string& problem) {
    m_badLines.push_back(BadLine{m_path, place.line, m_name + ":" + std::to_string(place.line) + ": " + problem});
}

namespace {
// Why text cannot be a record whatever it holds (a limit it exceeds), or "".
std::string recordLimitProblem(const std::string& text, bool json) {
    if (static_cast<int64_t>(text.size()) > kMaxRecordBytes)
        return "the record is " + std::to_string(text.size() >> 20) + " MB; the limit (kMaxRecordBytes) is " +
               std::to_string(kMaxRecordBytes >> 20) + " MB (hint: split it into several records)";
    if (json && jsonNestingDepth(text, kMaxJsonDepth) > kMaxJsonDepth)
        return "the record nests more than " + std::to_string(kMaxJsonDepth) + " levels deep; the limit (kMaxJsonDepth) is " +
               std::to_string(kMaxJsonDepth) + " (hint: records are objects of strings and lists of messages)";
    return {};
}
} // namespace

bool DataFileReader::accept(const std::string& text, const RecordPlace& place, DataRecord& record) {
    if (std::string problem = recordLimitProblem(text, m_layout != FileLayout::TextLines); !problem.empty()) {
        bad(place, problem);
        return false;
    }
    if (m_layout == FileLayout::TextLines) return textRecord(text, record);
    nlohmann::ordered_json value;
    try {
        value = nlohmann::ordered_json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        bool multiLine = m_layout == FileLayout::JsonArray && text.find('\n') != std::string::npos;
        bad(place, jsonProblem(e, text, multiLine ? place.line : 0));
        return false;
    } catch (const nlohmann::json::exception& e) {  // out_of_range.406: a number too large for a double
        bad(place, numberProblem(e));
        return false;
    }
    DataFormat format = m_format;
    if (format == DataFormat::Auto) {
        auto detected = detectRecordFormat(value);
        if (!detected) {
            bad(place, value.is_object()
                           ? std::string("no 'text', 'instruction'/'output', 'messages', 'conversations' or 'chosen'/'rejected' key (hint: ") + kNoKeysHint + ")"
                           : "expected a JSON object, got " + std::string(value.type_name()) + " (hint: " + kNoKeysHint + ")");
            return false;
        }
        format = *detected;
    }
    std::string problem;
    if (!parseRecord(value, format, record, problem)) {
        bad(place, problem);
        return false;
    }
    m_format = format; // the first valid record settles Auto
    return true;
}

bool DataFileReader::next(DataRecord& record, RecordPlace& place) {
    std::string text;
    while (nextText(text, place)) {
        if (accept(text, place, record)) return true;
    }
    return false;
}

RecordFile::RecordFile(std::string path, FileLayout layout, DataFormat format)
    : m_path(std::move(path)), m_layout(layout), m_format(format), m_in(m_path, std::ios::binary) {
    if (!m_in) throw Error(m_path, "cannot open data file", "check the file's permissions");
    std::error_code ec;
    m_size = std::filesystem::file_size(m_path, ec);
    m_modified = std::filesystem::last_write_time(m_path, ec);
}

DataRecord RecordFile::read(const RecordPlace& place) const {
    std::string text(static_cast<std::size_t>(place.length), '\0');
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        // The open stream would still read a deleted or replaced file's old bytes, and an edited one's
        // new bytes at old places: check the name still holds the version that was scanned.
        const std::string where = m_path + ":" + std::to_string(place.line);
        const char* hint = "training streams records from the data file (data.streaming): put the original back, "
                           "or start the run again so the file is read anew";
        std::error_code ec;
        const auto size = std::filesystem::file_size(m_path, ec);
        if (ec) throw Error(where, "the data file disappeared during training (" + ec.message() + ")", hint);
        const auto modified = std::filesystem::last_write_time(m_path, ec);
        if (size != m_size || (!ec && modified != m_modified))
            throw Error(where, "the data file changed during training (" + std::to_string(m_size) + " bytes when read, " +
                                   std::to_string(size) + " now" + (size == m_size ? ", modified since" : "") + ")",
                        hint);
        m_in.clear();
        m_in.seekg(place.offset);
        m_in.read(text.data(), place.length);
        if (m_in.gcount() != place.length)
            throw Error(m_path + ":" + std::to_string(place.line), "the file is shorter than when it was read",
                        "the data file changed during training; reload the data");
    }
    DataRecord record;
    std::string problem;
    if (std::string limit = recordLimitProblem(text, m_layout != FileLayout::TextLines); !limit.empty()) {
        problem = limit;
    } else if (m_layout == FileLayout::TextLines) {
        if (textRecord(text, record)) return record;
        problem = "empty line";
    } else {
        try {
            if (parseRecord(nlohmann::ordered_json::parse(text), m_format, record, problem)) return record;
        } catch (const nlohmann::json::parse_error& e) {
            problem = jsonProblem(e, text, 0);
        } catch (const nlohmann::json::exception& e) {
            problem = numberProblem(e);
        }
    }
    throw Error(m_path + ":" + std::to_string(place.line), "record changed since the file was read: " + problem,
                "the data file changed during training; reload the data");
}

} // namespace lorastudio

// See json_file.h. nlohmann reports a byte offset; we turn it into line and column for humans.
#include "common/json_file.h"

#include "common/error.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace lorastudio {

static void lineColumn(const std::string& text, std::size_t byte, std::size_t& line, std::size_t& col) {
    line = 1;
    col = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
}

int jsonNestingDepth(const std::string& text, int stopAbove, std::size_t* at) {
    int depth = 0, deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) deepest = depth;
            if (deepest > stopAbove) {
                if (at) *at = i;
                return deepest;
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

nlohmann::json parseJson(const std::string& text, const std::string& where) {
    // nlohmann parses iteratively, but dump() and our readers recurse: refuse absurd nesting first.
    std::size_t deepAt = 0;
    if (jsonNestingDepth(text, kMaxJsonDepth, &deepAt) > kMaxJsonDepth) {
        std::size_t line = 0, col = 0;
        lineColumn(text, deepAt, line, col);
        throw Error(where, "line " + std::to_string(line) + ", column " + std::to_string(col) +
                               ": JSON nests more than " + std::to_string(kMaxJsonDepth) +
                               " levels deep; the limit (kMaxJsonDepth) is " + std::to_string(kMaxJsonDepth),
                    "no real file nests this deep; the file is damaged or hostile");
    }
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        std::size_t line = 0, col = 0;
        lineColumn(text, e.byte > 0 ? e.byte - 1 : 0, line, col);
        std::string reason = e.what();
        // nlohmann's message starts with "[json.exception.parse_error.101] parse error at ...: "
        if (auto p = reason.find(": "); p != std::string::npos) reason = reason.substr(p + 2);
        throw Error(where, "line " + std::to_string(line) + ", column " + std::to_string(col) +
                               ": malformed JSON: " + reason,
                    "the file is cut short or was edited by hand; fix it there, or download it again");
    } catch (const nlohmann::json::exception& e) {  // out_of_range.406: a number too large for a double
        std::string reason = e.what();
        if (auto p = reason.find("] "); p != std::string::npos) reason = reason.substr(p + 2);
        throw Error(where, "malformed JSON: " + reason, "a number in the file is out of range; fix it there");
    }
}

nlohmann::json readJsonFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open file", "check the path");
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(std::max<std::streamoff>(in.tellg(), 0));
    in.seekg(0, std::ios::beg);
    if (size > kMaxJsonFileBytes)
        throw Error(path, "JSON file is " + std::to_string(size >> 20) + " MB; the limit (kMaxJsonFileBytes) is " +
                              std::to_string(kMaxJsonFileBytes >> 20) + " MB",
                    "is this the right file? real config and tokenizer files are far smaller");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parseJson(ss.str(), path);
}

std::string jsonTypeName(const nlohmann::json& v) { return v.type_name(); }

void throwKeyError(const std::string& where, const std::string& key, const std::string& what) {
    // A missing key or one of the wrong type: the file is damaged or was not written by the tool it
    // claims to come from; say what to do about it.
    const std::string missing = "missing required key";
    const bool absent = what.rfind(missing, 0) == 0;
    const bool generic = absent || what.rfind("has the wrong type", 0) == 0;
    throw Error(where, "key '" + key + "' " + (absent ? "is missing" + what.substr(missing.size()) : what),
                generic ? "the file is incomplete or was edited by hand; take it from the original download" : "");
}

} // namespace lorastudio

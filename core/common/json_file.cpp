// See json_file.h. nlohmann reports a byte offset; we turn it into line and column for humans.
#include "common/json_file.h"

#include "common/error.h"

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

nlohmann::json parseJson(const std::string& text, const std::string& where) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        std::size_t line = 0, col = 0;
        lineColumn(text, e.byte > 0 ? e.byte - 1 : 0, line, col);
        std::string reason = e.what();
        // nlohmann's message starts with "[json.exception.parse_error.101] parse error at ...: "
        if (auto p = reason.find(": "); p != std::string::npos) reason = reason.substr(p + 2);
        throw Error(where, "line " + std::to_string(line) + ", column " + std::to_string(col) +
                               ": malformed JSON: " + reason);
    }
}

nlohmann::json readJsonFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open file", "check the path");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parseJson(ss.str(), path);
}

std::string jsonTypeName(const nlohmann::json& v) { return v.type_name(); }

void throwKeyError(const std::string& where, const std::string& key, const std::string& what) {
    throw Error(where, "key '" + key + "' " + what);
}

} // namespace lorastudio

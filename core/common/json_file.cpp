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
                               ": malformed JSON: " + reason,
                    "the file is cut short or was edited by hand; fix it there, or download it again");
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
    // A missing key or one of the wrong type: the file is damaged or was not written by the tool it
    // claims to come from; say what to do about it.
    const std::string missing = "missing required key";
    const bool absent = what.rfind(missing, 0) == 0;
    const bool generic = absent || what.rfind("has the wrong type", 0) == 0;
    throw Error(where, "key '" + key + "' " + (absent ? "is missing" + what.substr(missing.size()) : what),
                generic ? "the file is incomplete or was edited by hand; take it from the original download" : "");
}

} // namespace lorastudio

// The `tojson` filter and the JSON text lists and dicts print as, spaced exactly as the reference
// renderer (and Python's json.dumps) space them: ", " and ": ", or "," and ": " with an indent.
#pragma once
#include "template/jinja_value.h"

#include <optional>
#include <string>
#include <utility>

namespace lorastudio::jinja {

struct JsonOptions {
    int indent = 0;                  // 0: one line
    bool ensureAscii = false;        // non-ASCII as \uXXXX
    bool sortKeys = false;
    std::optional<std::pair<std::string, std::string>> separators; // (item, key)
    bool undefinedAsNull = true;     // false: undefined prints as `undefined` (a list's own text)
    bool functionsAsText = false;    // true: a function prints as its text (a container's own text, e.g. {{ loop }})
};

// Throws std::invalid_argument for a function value (it has no JSON form) unless functionsAsText.
std::string toJsonText(const Value& v, const JsonOptions& options);
// A JSON string literal, quotes included.
std::string jsonQuote(const std::string& s, bool ensureAscii);

} // namespace lorastudio::jinja

// lorastudio::Error is the single error mechanism of core's API: an expected failure (bad input,
// missing file, mismatched shapes) carrying a message that names the file/key/tensor and a hint.
// Core never exits; the CLI and the GUI controller catch Error at their boundary.
#pragma once
#include <stdexcept>
#include <string>

namespace lorastudio {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
    // "<where>: <what> (hint: <hint>)"; where and hint may be empty.
    Error(const std::string& where, const std::string& what, const std::string& hint = {})
        : std::runtime_error(compose(where, what, hint)) {}

private:
    static std::string compose(const std::string& where, const std::string& what, const std::string& hint) {
        std::string s = where.empty() ? what : where + ": " + what;
        if (!hint.empty()) s += " (hint: " + hint + ")";
        return s;
    }
};

} // namespace lorastudio

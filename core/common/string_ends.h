// Suffix test for names (tensor names, GGUF names, checkpoint keys); C++17 has no ends_with.
#pragma once
#include <string>

namespace lorastudio {

inline bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace lorastudio

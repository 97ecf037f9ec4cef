// See module_names.h. Splits on '.', so names are handled component by component and a digit
// inside a component (e.g. "c_fc2", "h1") is never taken for a layer index.
#include "analysis/module_names.h"

#include <vector>

namespace lorastudio {

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = s.find('.', start);
        parts.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

std::string join(const std::vector<std::string>& parts, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t i = begin; i < end; ++i) {
        if (i > begin) out += '.';
        out += parts[i];
    }
    return out;
}

bool isIndex(const std::string& s) {
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

} // namespace

std::string cleanModuleName(const std::string& name) {
    std::string s = name;
    static const std::string prefix = "base_model.model.";
    if (s.compare(0, prefix.size(), prefix) == 0) s = s.substr(prefix.size());
    for (const char* marker : {".lora_A", ".lora_B", ".lora_embedding_A", ".lora_embedding_B", ".lora_magnitude_vector"}) {
        const std::size_t at = s.find(marker);
        if (at != std::string::npos) s = s.substr(0, at);
    }
    return s;
}

ModuleLocation parseModuleName(const std::string& name) {
    const std::string clean = cleanModuleName(name);
    const std::vector<std::string> parts = split(clean);
    ModuleLocation loc;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!isIndex(parts[i])) continue;
        loc.layer = std::stoi(parts[i]);
        loc.stack = join(parts, 0, i);
        loc.kind = i + 1 < parts.size() ? join(parts, i + 1, parts.size()) : clean;
        return loc;
    }
    loc.kind = clean;
    return loc;
}

} // namespace lorastudio

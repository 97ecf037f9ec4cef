// Enum <-> the names used in files (project YAML, PEFT's adapter_config.json). Each enum provides
// enumEntries(E) (found by argument-dependent lookup): the first entry of a value is its canonical
// name, later ones are aliases. Names are matched case-insensitively.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

template <typename E> struct EnumEntry {
    E value;
    const char* name;
};

bool equalsIgnoreCase(const std::string& a, const std::string& b);

template <typename E> std::string enumName(E value) {
    for (const auto& e : enumEntries(E{}))
        if (e.value == value) return e.name;
    return {};
}
template <typename E> std::optional<E> enumFromName(const std::string& name) {
    for (const auto& e : enumEntries(E{}))
        if (equalsIgnoreCase(name, e.name)) return e.value;
    return std::nullopt;
}
// The canonical names, in a stable order (for combo boxes and hints).
template <typename E> std::vector<std::string> enumNames() {
    std::vector<std::string> out;
    for (const auto& e : enumEntries(E{}))
        if (enumName(e.value) == e.name) out.push_back(e.name); // skips aliases
    return out;
}

} // namespace lorastudio

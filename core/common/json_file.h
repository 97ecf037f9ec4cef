// Reading JSON files (config.json, tokenizer.json, index files) with errors that name the file,
// the line and the column, and typed key access with errors that name the key.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace lorastudio {

// Parses a whole file. Throws Error("<path>: line L, column C: <reason>") on failure.
nlohmann::json readJsonFile(const std::string& path);
// Parses text; `where` names the source in messages.
nlohmann::json parseJson(const std::string& text, const std::string& where);

// obj[key] converted to T; throws Error naming `where` and the key when absent or of wrong type.
template <typename T>
T requireKey(const nlohmann::json& obj, const std::string& key, const std::string& where);
// obj[key] as T, or fallback when absent or null; wrong type still throws.
template <typename T>
T optionalKey(const nlohmann::json& obj, const std::string& key, const T& fallback, const std::string& where);

std::string jsonTypeName(const nlohmann::json& v);
[[noreturn]] void throwKeyError(const std::string& where, const std::string& key, const std::string& what);

template <typename T>
T requireKey(const nlohmann::json& obj, const std::string& key, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null())
        throwKeyError(where, key, "missing required key");
    try {
        return obj.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throwKeyError(where, key, "has the wrong type (" + jsonTypeName(obj.at(key)) + ")");
    }
}

template <typename T>
T optionalKey(const nlohmann::json& obj, const std::string& key, const T& fallback, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null()) return fallback;
    try {
        return obj.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throwKeyError(where, key, "has the wrong type (" + jsonTypeName(obj.at(key)) + ")");
    }
}

} // namespace lorastudio

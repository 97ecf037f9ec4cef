// Reading JSON files (config.json, tokenizer.json, index files) with errors that name the file,
// the line and the column, and typed key access with errors that name the key.
#pragma once
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

namespace lorastudio {

// Bounds against hostile files, named in the errors they raise. Real config.json / tokenizer.json /
// index files nest at most ~6 levels and are at most ~50 MB (a 256k-token tokenizer.json).
inline constexpr int kMaxJsonDepth = 128;
inline constexpr std::uint64_t kMaxJsonFileBytes = 512ull << 20;

// The deepest nesting of arrays and objects in text (strings skipped), stopping early once it passes
// `stopAbove`; `at` receives the byte offset where it first went past stopAbove.
int jsonNestingDepth(const std::string& text, int stopAbove, std::size_t* at = nullptr);

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

namespace json_detail {
// v as T. nlohmann converts a float to an integer type with a plain cast, which is undefined for a
// value out of range (1e300): such a value is an error; one in range is truncated, as before.
template <typename T>
T get(const nlohmann::json& v, const std::string& where, const std::string& key) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (v.is_number_float()) {
            const double d = v.get<double>();
            const double hi = std::ldexp(1.0, std::numeric_limits<T>::digits);  // 2^63 for int64_t
            const double lo = std::is_signed_v<T> ? -hi : 0.0;
            if (!(d >= lo && d < hi))  // NaN fails too
                throwKeyError(where, key, "is out of range for an integer (got " + v.dump() + ")");
        } else if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
            throwKeyError(where, key, "is out of range (got " + v.dump() + ")");
        } else if (v.is_number_integer() && !v.is_number_unsigned() && std::is_unsigned_v<T> && v.get<int64_t>() < 0) {
            throwKeyError(where, key, "must not be negative (got " + v.dump() + ")");
        } else if (v.is_number_integer() && !v.is_number_unsigned() &&
                   (v.get<int64_t>() < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
                    (std::is_signed_v<T> && v.get<int64_t>() > static_cast<int64_t>(std::numeric_limits<T>::max()))))
            throwKeyError(where, key, "is out of range (got " + v.dump() + ")");
    }
    return v.get<T>();
}
} // namespace json_detail

template <typename T>
T requireKey(const nlohmann::json& obj, const std::string& key, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null())
        throwKeyError(where, key, "missing required key");
    try {
        return json_detail::get<T>(obj.at(key), where, key);
    } catch (const nlohmann::json::exception&) {
        throwKeyError(where, key, "has the wrong type (" + jsonTypeName(obj.at(key)) + ")");
    }
}

template <typename T>
T optionalKey(const nlohmann::json& obj, const std::string& key, const T& fallback, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null()) return fallback;
    try {
        return json_detail::get<T>(obj.at(key), where, key);
    } catch (const nlohmann::json::exception&) {
        throwKeyError(where, key, "has the wrong type (" + jsonTypeName(obj.at(key)) + ")");
    }
}

} // namespace lorastudio

// Where a piece of tokenizer.json lives ("tokenizer.json" + "pre_tokenizer.pretokenizers[1]"), so that
// every loading error names the file and the key path. Also small typed accessors that use it.
#pragma once
#include "common/error.h"
#include "common/json_file.h"

#include <nlohmann/json.hpp>

#include <string>

namespace lorastudio::tok {

struct JsonSite {
    std::string file; // path of the JSON file
    std::string path; // key path inside it, e.g. "model.merges[12]"; empty at the root

    JsonSite key(const std::string& k) const { return {file, path.empty() ? k : path + "." + k}; }
    JsonSite index(std::size_t i) const { return {file, path + "[" + std::to_string(i) + "]"}; }
    std::string where() const { return path.empty() ? file : file + ": " + path; }

    [[noreturn]] void fail(const std::string& what, const std::string& hint = {}) const {
        throw Error(where(), what, hint);
    }
};

// j[k] when present and not null, else nullptr.
inline const nlohmann::json* findKey(const nlohmann::json& j, const std::string& k) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(k);
    if (it == j.end() || it->is_null()) return nullptr;
    return &*it;
}

template <typename T>
T getOr(const nlohmann::json& j, const std::string& k, const T& fallback, const JsonSite& site) {
    const nlohmann::json* v = findKey(j, k);
    if (!v) return fallback;
    try {
        return json_detail::get<T>(*v, site.where(), k);  // range-checked: no undefined float casts
    } catch (const nlohmann::json::exception&) {
        site.key(k).fail(std::string("has the wrong type (") + v->type_name() + ")");
    }
}

template <typename T>
T getRequired(const nlohmann::json& j, const std::string& k, const JsonSite& site) {
    const nlohmann::json* v = findKey(j, k);
    if (!v) site.key(k).fail("missing required key");
    try {
        return json_detail::get<T>(*v, site.where(), k);  // range-checked: no undefined float casts
    } catch (const nlohmann::json::exception&) {
        site.key(k).fail(std::string("has the wrong type (") + v->type_name() + ")");
    }
}

// The "type" string of a component object; fails naming the site when it is absent.
inline std::string componentType(const nlohmann::json& j, const JsonSite& site) {
    if (!j.is_object()) site.fail(std::string("expected an object, found ") + j.type_name());
    return getRequired<std::string>(j, "type", site);
}

// The largest token id + 1 accepted: the biggest real vocabularies have ~260k tokens; ids index
// tables, so an id of 2^31 - 1 would otherwise allocate tens of GB.
inline constexpr int64_t kMaxVocabSize = int64_t(1) << 24;

// A token id: an integer in [0, kMaxVocabSize); fails naming the limit otherwise.
inline int32_t tokenId(const nlohmann::json& v, const JsonSite& site) {
    if (!v.is_number_integer()) site.fail(std::string("must be an integer token id (it is ") + v.type_name() + ")");
    const bool negative = v.is_number_unsigned() ? false : v.get<int64_t>() < 0;
    if (negative) site.fail("must not be negative");
    if (v.is_number_unsigned() ? v.get<uint64_t>() >= uint64_t(kMaxVocabSize) : v.get<int64_t>() >= kMaxVocabSize)
        site.fail("token id " + v.dump() + " is too large; the limit (kMaxVocabSize) is " + std::to_string(kMaxVocabSize) +
                  " tokens", "the file is damaged or hostile");
    return static_cast<int32_t>(v.get<int64_t>());
}

} // namespace lorastudio::tok

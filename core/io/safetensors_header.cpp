// Parsing and validation of safetensors headers (see safetensors_header.h). Each rule of the
// reference crate has its own message so a user can tell a truncated download from a foreign file.
#include "io/safetensors_header.h"

#include "common/error.h"
#include "common/json_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

namespace lorastudio {
namespace safetensors_detail {

namespace {

// *out = a * b (wrapping); true when the product overflowed. GCC's __builtin_mul_overflow, written
// out because MSVC has no such builtin.
bool mulOverflow(uint64_t a, uint64_t b, uint64_t* out) {
    *out = a * b;
    return b != 0 && a > std::numeric_limits<uint64_t>::max() / b;
}

using Json = nlohmann::json;

std::string tensorWhere(const std::string& name) { return "tensor '" + name + "': "; }

std::string rangeText(uint64_t b, uint64_t e) {
    return "[" + std::to_string(b) + ", " + std::to_string(e) + ")";
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// Known safetensors dtypes that LibTorch 1.13 cannot represent: named separately from typos.
bool isKnownUnsupportedDType(const std::string& name) {
    static const char* kNames[] = {"U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3",
                                   "F6_E3M2", "E8M0", "C64"};
    for (const char* n : kNames)
        if (name == n) return true;
    return false;
}

// Reads a JSON array of non-negative integers (each fitting uint64), or explains what is wrong.
// Returns an empty string on success.
std::string readUnsignedArray(const Json& v, std::vector<uint64_t>& out) {
    if (!v.is_array()) return "is not an array (it is " + std::string(v.type_name()) + ")";
    out.clear();
    for (std::size_t i = 0; i < v.size(); ++i) {
        const Json& e = v[i];
        if (e.is_number_unsigned()) {
            out.push_back(e.get<uint64_t>());
        } else if (e.is_number_integer() && e.get<int64_t>() >= 0) {
            out.push_back(static_cast<uint64_t>(e.get<int64_t>()));  // "-0"
        } else if (e.is_number_integer()) {
            return "element " + std::to_string(i) + " is negative (" + std::to_string(e.get<int64_t>()) + ")";
        } else if (e.is_number_float()) {
            return "element " + std::to_string(i) + " is not an integer or too large (" + e.dump() + ")";
        } else {
            return "element " + std::to_string(i) + " is not a number (it is " + std::string(e.type_name()) + ")";
        }
    }
    return {};
}

// Collects duplicate keys while nlohmann parses (it would silently keep the last one).
// A SAX pass over the header: top-level keys in order and the first duplicate key. (nlohmann's
// callback parser would do this in the DOM pass, but it rescans the parent object after every
// nested object: quadratic in the tensor count, minutes for a hostile 100k-entry header.)
struct DuplicateFinder : nlohmann::json_sax<Json> {
    std::vector<std::set<std::string>> stack;  // keys seen in each open object
    std::string topKey;                         // the current top-level key
    std::vector<std::string> topOrder;          // top-level keys in the order they appear
    std::string duplicate;                      // first duplicate found
    std::string duplicateParent;                // "" for a top-level duplicate, else its top-level key

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
        stack.emplace_back();
        return true;
    }
    bool end_object() override {
        if (!stack.empty()) stack.pop_back();
        return true;
    }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool key(string_t& k) override {
        if (stack.empty()) return true;
        if (stack.size() == 1) {
            topKey = k;
            topOrder.push_back(k);
        }
        if (!stack.back().insert(k).second && duplicate.empty()) {
            duplicate = k;
            duplicateParent = stack.size() == 1 ? std::string() : topKey;
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

void parseMetadata(const Json& v, const std::string& path, std::map<std::string, std::string>& out) {
    if (v.is_null()) return;  // the reference reads null as "no metadata"
    if (!v.is_object())
        throw Error(path, "'__metadata__' is not an object of strings (it is " + std::string(v.type_name()) + ")",
                    "the file was written by a non-conforming tool");
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!it.value().is_string())
            throw Error(path,
                        "'__metadata__' value for key '" + it.key() + "' is not a string (it is " +
                            std::string(it.value().type_name()) + ")",
                        "safetensors metadata maps strings to strings; the file was written by a non-conforming tool");
        out[it.key()] = it.value().get<std::string>();
    }
}

TensorInfo parseEntry(const std::string& name, const Json& v, const std::string& path) {
    const std::string where = tensorWhere(name);
    const std::string hint = "the header is malformed; the file was written by a non-conforming tool";
    if (!v.is_object())
        throw Error(path, where + "entry is not a JSON object (it is " + std::string(v.type_name()) + ")", hint);
    TensorInfo info;
    info.name = name;

    auto dt = v.find("dtype");
    if (dt == v.end()) throw Error(path, where + "missing 'dtype'", hint);
    if (!dt->is_string())
        throw Error(path, where + "'dtype' is not a string (it is " + std::string(dt->type_name()) + ")", hint);
    const std::string dtName = dt->get<std::string>();
    if (!parseDType(dtName, info.dtype)) {
        if (isKnownUnsupportedDType(dtName))
            throw Error(path, where + "dtype '" + dtName + "' is not supported by LoRA Studio",
                        "convert the checkpoint to F32, F16 or BF16");
        throw Error(path, where + "unknown dtype '" + dtName + "'",
                    "expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
    }

    auto sh = v.find("shape");
    if (sh == v.end()) throw Error(path, where + "missing 'shape'", hint);
    std::vector<uint64_t> dims;
    if (std::string why = readUnsignedArray(*sh, dims); !why.empty())
        throw Error(path, where + "'shape' " + why, hint);

    auto off = v.find("data_offsets");
    if (off == v.end()) throw Error(path, where + "missing 'data_offsets'", hint);
    std::vector<uint64_t> offsets;
    if (std::string why = readUnsignedArray(*off, offsets); !why.empty())
        throw Error(path, where + "'data_offsets' " + why, hint);
    if (offsets.size() != 2)
        throw Error(path, where + "'data_offsets' has " + std::to_string(offsets.size()) + " elements, expected 2",
                    hint);
    info.begin = offsets[0];
    info.end = offsets[1];

    // Element count and byte size, with overflow checks (torch needs each dim to fit int64).
    uint64_t count = 1;
    bool overflow = false;
    for (uint64_t d : dims) {
        if (d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) overflow = true;
        if (mulOverflow(count, d, &count)) overflow = true;
    }
    uint64_t nbytes = 0;
    if (mulOverflow(count, static_cast<uint64_t>(dtypeSize(info.dtype)), &nbytes)) overflow = true;
    if (overflow) {
        std::string s = "[";
        for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
        throw Error(path, where + "shape " + s + "] overflows: its byte size does not fit in 64 bits", hint);
    }
    for (uint64_t d : dims) info.shape.push_back(static_cast<int64_t>(d));

    if (info.begin > info.end)
        throw Error(path, where + "data_offsets " + rangeText(info.begin, info.end) + " begin after they end", hint);
    if (info.end - info.begin != nbytes)
        throw Error(path,
                    where + "shape " + shapeText(info.shape) + " of " + dtypeName(info.dtype) + " needs " +
                        std::to_string(nbytes) + " bytes, but data_offsets " + rangeText(info.begin, info.end) +
                        " span " + std::to_string(info.end - info.begin),
                    hint);
    return info;
}

// Ranges in bounds, no overlaps, no gaps, nothing after the last tensor.
void checkLayout(const std::vector<TensorInfo>& tensors, uint64_t dataSize, const std::string& path) {
    for (const TensorInfo& t : tensors) {
        if (t.end > dataSize)
            throw Error(path,
                        tensorWhere(t.name) + "byte range " + rangeText(t.begin, t.end) +
                            " ends past the end of the data region (size " + std::to_string(dataSize) + ")",
                        "the file is truncated; download or copy it again");
    }
    std::vector<const TensorInfo*> order;
    order.reserve(tensors.size());
    for (const TensorInfo& t : tensors) order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const TensorInfo* a, const TensorInfo* b) {
        if (a->begin != b->begin) return a->begin < b->begin;
        if (a->end != b->end) return a->end < b->end;
        return a->name < b->name;
    });
    uint64_t cursor = 0;
    const TensorInfo* last = nullptr;  // the tensor whose range ends at cursor
    for (const TensorInfo* t : order) {
        if (t->begin < cursor)
            throw Error(path,
                        tensorWhere(t->name) + "byte range " + rangeText(t->begin, t->end) + " overlaps tensor '" +
                            last->name + "' " + rangeText(last->begin, last->end),
                        "the header is corrupt; each byte of the data region belongs to exactly one tensor");
        if (t->begin > cursor)
            throw Error(path,
                        "bytes " + rangeText(cursor, t->begin) + " of the data region belong to no tensor (gap before tensor '" +
                            t->name + "')",
                        "the header is corrupt or the file was written by a non-conforming tool");
        cursor = t->end;
        last = t;
    }
    if (cursor != dataSize)
        throw Error(path,
                    std::to_string(dataSize - cursor) + " trailing bytes after the last tensor (data region size " +
                        std::to_string(dataSize) + ", tensors end at " + std::to_string(cursor) + ")",
                    "the file was written by a non-conforming tool or two files were concatenated");
}

} // namespace

std::size_t firstInvalidUtf8(const char* text, std::size_t length) {
    const auto* s = reinterpret_cast<const unsigned char*>(text);
    std::size_t i = 0;
    while (i < length) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t n = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) lo = 0xA0;  // no overlong forms
            if (c == 0xED) hi = 0x9F;  // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
        } else {
            return i;
        }
        if (i + n >= length) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (std::size_t k = 2; k <= n; ++k)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
        i += n + 1;
    }
    return length;
}

ParsedHeader parseHeaderJson(const char* text, std::size_t length, uint64_t dataSize, const std::string& path) {
    if (std::size_t bad = firstInvalidUtf8(text, length); bad != length)
        throw Error(path, "header is not valid UTF-8 (bad byte at file offset " + std::to_string(8 + bad) + ")",
                    "the file is corrupt or not a safetensors file");
    if (length == 0 || text[0] != '{')
        throw Error(path, "header is not a JSON object (it must start with '{')",
                    "the file is corrupt or not a safetensors file");

    std::size_t deepAt = 0;
    if (jsonNestingDepth(std::string(text, length), kMaxJsonDepth, &deepAt) > kMaxJsonDepth)
        throw Error(path, "header nests more than " + std::to_string(kMaxJsonDepth) + " levels deep at file offset " +
                              std::to_string(8 + deepAt) + "; the limit (kMaxJsonDepth) is " + std::to_string(kMaxJsonDepth),
                    "the file is corrupt or not a safetensors file");

    // Keys first (no DOM: a header listing too many tensors is refused before it is built), then
    // the DOM (a plain, linear parse whose errors carry their offset).
    DuplicateFinder dups;
    const bool wellFormed = Json::sax_parse(text, text + length, &dups);
    const std::size_t tensorCount =
        dups.topOrder.size() - static_cast<std::size_t>(std::count(dups.topOrder.begin(), dups.topOrder.end(), "__metadata__"));
    if (wellFormed && tensorCount > kMaxTensorCount)
        throw Error(path, "header lists " + std::to_string(tensorCount) + " tensors; the limit (kMaxTensorCount) is " +
                              std::to_string(kMaxTensorCount) + " tensors per file",
                    "the file is corrupt or hostile; real checkpoints hold a few thousand tensors per shard");
    Json root;
    try {
        root = Json::parse(text, text + length);
    } catch (const Json::parse_error& e) {
        std::string reason = e.what();
        if (auto p = reason.find(": "); p != std::string::npos) reason = reason.substr(p + 2);
        throw Error(path, "header is not valid JSON (near file offset " + std::to_string(8 + (e.byte ? e.byte - 1 : 0)) +
                              "): " + reason,
                    "the file is corrupt or not a safetensors file");
    } catch (const Json::exception& e) {  // out_of_range.406: a number too large for a double
        std::string reason = e.what();
        if (auto p = reason.find("] "); p != std::string::npos) reason = reason.substr(p + 2);
        throw Error(path, "header is not valid JSON: " + reason, "the file is corrupt or not a safetensors file");
    }
    if (!dups.duplicate.empty()) {
        if (dups.duplicateParent.empty())
            throw Error(path, "tensor '" + dups.duplicate + "' is declared twice in the header",
                        "the file was written by a non-conforming tool");
        throw Error(path, "key '" + dups.duplicate + "' appears twice in the header entry '" + dups.duplicateParent + "'",
                    "the file was written by a non-conforming tool");
    }
    if (!root.is_object())
        throw Error(path, "header is not a JSON object (it is " + std::string(root.type_name()) + ")",
                    "the file is corrupt or not a safetensors file");

    ParsedHeader out;
    out.headerSize = length;
    // nlohmann's object is a sorted map; walk the keys in the order the header lists them.
    for (const std::string& key : dups.topOrder) {
        const Json& value = root.at(key);
        if (key == "__metadata__")
            parseMetadata(value, path, out.metadata);
        else
            out.tensors.push_back(parseEntry(key, value, path));
    }
    checkLayout(out.tensors, dataSize, path);
    return out;
}

ParsedHeader parseFile(const uint8_t* bytes, uint64_t size, const std::string& path) {
    if (size < 8)
        throw Error(path,
                    "file is too small (" + std::to_string(size) + " bytes) to hold the 8-byte header length",
                    "the file is empty or truncated; download or copy it again");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];  // little-endian on every host
    if (n > kMaxHeaderSize)
        throw Error(path,
                    "header length " + std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxHeaderSize) +
                        " bytes (kMaxHeaderSize, 100 MB)",
                    "this is not a safetensors file, or its first 8 bytes are corrupt");
    if (n > size - 8)
        throw Error(path,
                    "header length " + std::to_string(n) + " runs past the end of the file (size " +
                        std::to_string(size) + ")",
                    "the file is truncated; download or copy it again");
    return parseHeaderJson(reinterpret_cast<const char*>(bytes + 8), static_cast<std::size_t>(n), size - 8 - n, path);
}

} // namespace safetensors_detail
} // namespace lorastudio

// GGUF metadata values and tensor type sizes. See gguf.h.
#include "io/gguf.h"

#include "common/error.h"
#include "common/enum_names.h"

#include <cstdio>
#include <sstream>

namespace lorastudio::gguf {

const char* valueTypeName(ValueType t) {
    switch (t) {
    case ValueType::U8: return "u8";
    case ValueType::I8: return "i8";
    case ValueType::U16: return "u16";
    case ValueType::I16: return "i16";
    case ValueType::U32: return "u32";
    case ValueType::I32: return "i32";
    case ValueType::F32: return "f32";
    case ValueType::Bool: return "bool";
    case ValueType::String: return "string";
    case ValueType::Array: return "array";
    case ValueType::U64: return "u64";
    case ValueType::I64: return "i64";
    case ValueType::F64: return "f64";
    }
    return "?";
}

const char* tensorTypeName(TensorType t) {
    switch (t) {
    case TensorType::F32: return "F32";
    case TensorType::F16: return "F16";
    case TensorType::Q4_0: return "Q4_0";
    case TensorType::Q5_0: return "Q5_0";
    case TensorType::Q5_1: return "Q5_1";
    case TensorType::Q8_0: return "Q8_0";
    case TensorType::Q4_K: return "Q4_K";
    case TensorType::Q5_K: return "Q5_K";
    case TensorType::Q6_K: return "Q6_K";
    case TensorType::BF16: return "BF16";
    }
    return "?";
}

std::optional<TensorType> parseTensorType(const std::string& s) {
    for (TensorType t : kTensorTypes)
        if (equalsIgnoreCase(s, tensorTypeName(t))) return t;
    return std::nullopt;
}

uint64_t blockValues(TensorType t) {
    switch (t) {
    case TensorType::Q4_0:
    case TensorType::Q5_0:
    case TensorType::Q5_1:
    case TensorType::Q8_0: return kQ8BlockSize;
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K: return 256;
    default: return 1;
    }
}

uint64_t blockBytes(TensorType t) {
    switch (t) {
    case TensorType::F32: return 4;
    case TensorType::F16:
    case TensorType::BF16: return 2;
    case TensorType::Q4_0: return 2 + 16;                // fp16 d, 32 nibbles
    case TensorType::Q5_0: return 2 + 4 + 16;            // fp16 d, the 32 fifth bits, 32 nibbles
    case TensorType::Q5_1: return 2 + 2 + 4 + 16;        // fp16 d and m, the 32 fifth bits, 32 nibbles
    case TensorType::Q8_0: return 2 + kQ8BlockSize;      // fp16 d, 32 int8
    case TensorType::Q4_K: return 2 + 2 + 12 + 128;      // fp16 d, dmin, 8 packed 6-bit scales and mins, 256 nibbles
    case TensorType::Q5_K: return 2 + 2 + 12 + 32 + 128; // as Q4_K, with the 256 fifth bits before the nibbles
    case TensorType::Q6_K: return 128 + 64 + 16 + 2;     // low nibbles, high 2-bit pairs, 16 int8 scales, fp16 d
    }
    return 0;
}

bool canStore(TensorType t, uint64_t ne0) { return ne0 % blockValues(t) == 0; }

uint64_t tensorBytes(TensorType t, const std::vector<uint64_t>& ne) {
    uint64_t n = 1;
    for (uint64_t d : ne) n *= d;
    return n / blockValues(t) * blockBytes(t);
}

std::string TensorInfo::shapeString() const {
    std::string s = "[";
    for (std::size_t i = ne.size(); i-- > 0;) s += std::to_string(ne[i]) + (i ? ", " : "");
    return s + "]";
}

Value Value::u32(uint32_t v) { Value x; x.type = ValueType::U32; x.u = v; return x; }
Value Value::i32(int32_t v) { Value x; x.type = ValueType::I32; x.i = v; return x; }
Value Value::u64(uint64_t v) { Value x; x.type = ValueType::U64; x.u = v; return x; }
Value Value::f32(float v) { Value x; x.type = ValueType::F32; x.f = v; return x; }
Value Value::boolean(bool v) { Value x; x.type = ValueType::Bool; x.u = v ? 1 : 0; return x; }
Value Value::string(std::string v) { Value x; x.type = ValueType::String; x.s = std::move(v); return x; }

namespace {
template <typename T, typename Make>
Value arrayOf(ValueType elemType, const std::vector<T>& v, Make make) {
    Value x;
    x.type = ValueType::Array;
    x.elemType = elemType;
    x.items.reserve(v.size());
    for (const T& e : v) x.items.push_back(make(e));
    return x;
}
} // namespace

Value Value::strings(const std::vector<std::string>& v) { return arrayOf(ValueType::String, v, &Value::string); }
Value Value::floats(const std::vector<float>& v) { return arrayOf(ValueType::F32, v, &Value::f32); }
Value Value::ints(const std::vector<int32_t>& v) { return arrayOf(ValueType::I32, v, &Value::i32); }

std::optional<double> Value::number() const {
    switch (type) {
    case ValueType::U8: case ValueType::U16: case ValueType::U32: case ValueType::U64: case ValueType::Bool:
        return static_cast<double>(u);
    case ValueType::I8: case ValueType::I16: case ValueType::I32: case ValueType::I64: return static_cast<double>(i);
    case ValueType::F32: case ValueType::F64: return f;
    default: return std::nullopt;
    }
}

std::string Value::describe(std::size_t maxItems) const {
    if (type == ValueType::String) {
        std::string shown = s.size() > 200 ? s.substr(0, 200) + "…" : s;
        std::string out = "\"";
        for (char c : shown) out += c == '\n' ? std::string("\\n") : std::string(1, c);
        return out + "\"";
    }
    if (type == ValueType::Bool) return u ? "true" : "false";
    if (type == ValueType::F32 || type == ValueType::F64) {
        std::ostringstream os;
        os.precision(type == ValueType::F32 ? 9 : 17);
        os << f;
        return os.str();
    }
    if (type != ValueType::Array) {
        // The integer itself: a round trip through double (number()) is undefined past 2^64 - 1024.
        return type == ValueType::I8 || type == ValueType::I16 || type == ValueType::I32 || type == ValueType::I64
                   ? std::to_string(i) : std::to_string(u);
    }
    std::string out = "[";
    for (std::size_t k = 0; k < items.size() && k < maxItems; ++k) out += (k ? ", " : "") + items[k].describe(maxItems);
    if (items.size() > maxItems) out += ", ... " + std::to_string(items.size() - maxItems) + " more";
    return out + "] (" + valueTypeName(elemType) + " × " + std::to_string(items.size()) + ")";
}

const Value* File::find(const std::string& key) const {
    for (const auto& [k, v] : metadata)
        if (k == key) return &v;
    return nullptr;
}

const TensorInfo* File::tensor(const std::string& name) const {
    for (const auto& t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

std::string File::stringValue(const std::string& key) const {
    const Value* v = find(key);
    return v && v->type == ValueType::String ? v->s : std::string();
}

} // namespace lorastudio::gguf

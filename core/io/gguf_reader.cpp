// GGUF reading with every count, string and range checked against the file. See gguf.h.
#include "io/gguf.h"
#include "io/gguf_quant.h"

#include "common/error.h"
#include "common/os_file.h"

#include <cstring>
#include <set>

namespace lorastudio::gguf {

class MappedBytes {
public:
    explicit MappedBytes(const std::string& path) : file(path) {}
    MappedFile file;
};

namespace {

class Cursor {
public:
    Cursor(const std::string& path, const uint8_t* data, uint64_t size) : m_path(path), m_data(data), m_size(size) {}

    template <typename T>
    T get(const char* what) {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, m_data + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string string(const char* what) {
        const auto n = get<uint64_t>(what);
        need(n, what);
        std::string s(reinterpret_cast<const char*>(m_data + m_pos), n);
        m_pos += n;
        return s;
    }
    // A count of items that each take at least minBytes: more than the rest of the file can hold
    // is a lie (and would otherwise make us allocate it).
    uint64_t count(const char* what, uint64_t minBytes) {
        const auto n = get<uint64_t>(what);
        if (minBytes && n > (m_size - m_pos) / minBytes) fail(std::string(what) + " " + std::to_string(n) + " is more than the file can hold");
        return n;
    }
    uint64_t pos() const { return m_pos; }
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("GGUF " + m_path, what + " (at byte " + std::to_string(m_pos) + ")", "the file is truncated or not a GGUF file");
    }

private:
    void need(uint64_t n, const char* what) const {
        if (n > m_size - m_pos) fail(std::string("the file ends inside ") + what);
    }
    const std::string& m_path;
    const uint8_t* m_data;
    uint64_t m_size;
    uint64_t m_pos = 0;
};

bool knownValueType(uint32_t t) { return t <= static_cast<uint32_t>(ValueType::F64); }

Value scalar(Cursor& c, ValueType type) {
    Value v;
    v.type = type;
    switch (type) {
    case ValueType::U8: v.u = c.get<uint8_t>("a u8 value"); break;
    case ValueType::I8: v.i = c.get<int8_t>("an i8 value"); break;
    case ValueType::U16: v.u = c.get<uint16_t>("a u16 value"); break;
    case ValueType::I16: v.i = c.get<int16_t>("an i16 value"); break;
    case ValueType::U32: v.u = c.get<uint32_t>("a u32 value"); break;
    case ValueType::I32: v.i = c.get<int32_t>("an i32 value"); break;
    case ValueType::F32: v.f = c.get<float>("an f32 value"); break;
    case ValueType::Bool: v.u = c.get<uint8_t>("a bool value"); break;
    case ValueType::String: v.s = c.string("a string value"); break;
    case ValueType::U64: v.u = c.get<uint64_t>("a u64 value"); break;
    case ValueType::I64: v.i = c.get<int64_t>("an i64 value"); break;
    case ValueType::F64: v.f = c.get<double>("an f64 value"); break;
    case ValueType::Array: c.fail("an array of arrays (not supported)");
    }
    return v;
}

Value value(Cursor& c, const std::string& key) {
    const auto t = c.get<uint32_t>("a value type");
    if (!knownValueType(t)) c.fail("key '" + key + "' has unknown value type " + std::to_string(t));
    if (static_cast<ValueType>(t) != ValueType::Array) return scalar(c, static_cast<ValueType>(t));
    Value v;
    v.type = ValueType::Array;
    const auto e = c.get<uint32_t>("an array's element type");
    if (!knownValueType(e) || static_cast<ValueType>(e) == ValueType::Array)
        c.fail("key '" + key + "' is an array of unsupported type " + std::to_string(e));
    v.elemType = static_cast<ValueType>(e);
    const uint64_t n = c.count("an array length", v.elemType == ValueType::String ? 8 : 1);
    v.items.reserve(n);
    for (uint64_t k = 0; k < n; ++k) v.items.push_back(scalar(c, v.elemType));
    return v;
}

bool knownTensorType(uint32_t t) {
    for (TensorType k : kTensorTypes)
        if (t == uint32_t(k)) return true;
    return false;
}

} // namespace

File read(const std::string& path) {
    File f;
    f.path = path;
    auto mapped = std::make_shared<MappedBytes>(path);
    f.fileSize = mapped->file.size();
    Cursor c(path, mapped->file.data(), f.fileSize);
    if (f.fileSize < 4 || std::memcmp(mapped->file.data(), "GGUF", 4) != 0) c.fail("no GGUF magic");
    c.get<uint32_t>("the magic");
    f.version = c.get<uint32_t>("the version");
    if (f.version != 2 && f.version != 3) c.fail("GGUF version " + std::to_string(f.version) + " is not supported (2 or 3)");
    const uint64_t nTensors = c.count("the tensor count", 8 + 4 + 4 + 8);
    const uint64_t nKeys = c.count("the key count", 8 + 4);
    std::set<std::string> keys;
    for (uint64_t k = 0; k < nKeys; ++k) {
        std::string key = c.string("a key");
        if (!keys.insert(key).second) c.fail("key '" + key + "' appears twice");
        Value v = value(c, key);
        f.metadata.emplace_back(std::move(key), std::move(v));
    }
    if (const Value* a = f.find("general.alignment")) {
        const auto n = a->number();
        // Checked as a double first: casting one past uint32's range would be undefined, and a
        // truncated alignment could be 0 (a division by zero below).
        if (!n || !(*n > 0 && *n <= 4294967295.0) || static_cast<uint64_t>(*n) % 8 != 0 ||
            static_cast<double>(static_cast<uint64_t>(*n)) != *n)
            c.fail("general.alignment is not a positive multiple of 8 that fits in 32 bits");
        f.alignment = static_cast<uint32_t>(*n);
    }
    std::set<std::string> names;
    for (uint64_t k = 0; k < nTensors; ++k) {
        TensorInfo t;
        t.name = c.string("a tensor name");
        if (!names.insert(t.name).second) c.fail("tensor '" + t.name + "' appears twice");
        const auto dims = c.get<uint32_t>("a tensor's dimension count");
        if (dims == 0 || dims > 4) c.fail("tensor '" + t.name + "' has " + std::to_string(dims) + " dimensions");
        for (uint32_t d = 0; d < dims; ++d) t.ne.push_back(c.get<uint64_t>("a tensor dimension"));
        const auto type = c.get<uint32_t>("a tensor type");
        if (!knownTensorType(type)) c.fail("tensor '" + t.name + "' has ggml type " + std::to_string(type) + ", which this reader does not decode");
        t.type = static_cast<TensorType>(type);
        t.offset = c.get<uint64_t>("a tensor offset");
        if (t.offset % f.alignment != 0) c.fail("tensor '" + t.name + "' is not aligned to " + std::to_string(f.alignment));
        if (!canStore(t.type, t.ne[0])) c.fail("tensor '" + t.name + "' rows are not whole " + tensorTypeName(t.type) + " blocks");
        f.tensors.push_back(std::move(t));
    }
    f.dataOffset = (c.pos() + f.alignment - 1) / f.alignment * f.alignment;
    for (const auto& t : f.tensors) {
        uint64_t n = 1;
        for (uint64_t d : t.ne) {
            if (d != 0 && n > (uint64_t(1) << 62) / d) c.fail("tensor '" + t.name + "' is impossibly large");
            n *= d;
        }
        if (f.dataOffset > f.fileSize || t.offset > f.fileSize - f.dataOffset || t.bytes() > f.fileSize - f.dataOffset - t.offset)
            c.fail("tensor '" + t.name + "' " + t.shapeString() + " " + tensorTypeName(t.type) + " runs past the end of the file");
    }
    f.bytes = std::move(mapped);
    return f;
}

std::vector<float> readTensor(const File& file, const TensorInfo& info) {
    uint64_t n = 1;
    for (uint64_t d : info.ne) n *= d;
    std::vector<float> out(n);
    if (n == 0) return out;  // a tensor with a zero dimension: nothing to decode (and out.data() may be null)
    decode(info.type, file.bytes->file.data() + file.dataOffset + info.offset, n, out.data());
    return out;
}

} // namespace lorastudio::gguf

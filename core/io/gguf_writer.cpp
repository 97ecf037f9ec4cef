// GGUF writing. See gguf.h.
#include "io/gguf.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <cstring>
#include <ostream>

namespace lorastudio::gguf {
namespace {

template <typename T>
void put(std::ostream& os, T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    os.write(buf, sizeof(T));
}

void putString(std::ostream& os, const std::string& s) {
    put<uint64_t>(os, s.size());
    os.write(s.data(), static_cast<std::streamsize>(s.size()));
}

void putScalar(std::ostream& os, const Value& v, ValueType type) {
    switch (type) {
    case ValueType::U8: put<uint8_t>(os, static_cast<uint8_t>(v.u)); break;
    case ValueType::I8: put<int8_t>(os, static_cast<int8_t>(v.i)); break;
    case ValueType::U16: put<uint16_t>(os, static_cast<uint16_t>(v.u)); break;
    case ValueType::I16: put<int16_t>(os, static_cast<int16_t>(v.i)); break;
    case ValueType::U32: put<uint32_t>(os, static_cast<uint32_t>(v.u)); break;
    case ValueType::I32: put<int32_t>(os, static_cast<int32_t>(v.i)); break;
    case ValueType::F32: put<float>(os, static_cast<float>(v.f)); break;
    case ValueType::Bool: put<uint8_t>(os, v.u ? 1 : 0); break;
    case ValueType::String: putString(os, v.s); break;
    case ValueType::U64: put<uint64_t>(os, v.u); break;
    case ValueType::I64: put<int64_t>(os, v.i); break;
    case ValueType::F64: put<double>(os, v.f); break;
    case ValueType::Array: throw Error("GGUF", "arrays of arrays are not supported");
    }
}

void putValue(std::ostream& os, const Value& v) {
    put<uint32_t>(os, static_cast<uint32_t>(v.type));
    if (v.type != ValueType::Array) return putScalar(os, v, v.type);
    put<uint32_t>(os, static_cast<uint32_t>(v.elemType));
    put<uint64_t>(os, v.items.size());
    for (const Value& item : v.items) putScalar(os, item, v.elemType);
}

uint64_t padded(uint64_t n, uint64_t alignment) { return (n + alignment - 1) / alignment * alignment; }

uint64_t scalarSize(const Value& v, ValueType type) {
    switch (type) {
    case ValueType::U8: case ValueType::I8: case ValueType::Bool: return 1;
    case ValueType::U16: case ValueType::I16: return 2;
    case ValueType::U32: case ValueType::I32: case ValueType::F32: return 4;
    case ValueType::U64: case ValueType::I64: case ValueType::F64: return 8;
    case ValueType::String: return 8 + v.s.size();
    case ValueType::Array: return 0;
    }
    return 0;
}

uint64_t valueSize(const Value& v) {
    if (v.type != ValueType::Array) return 4 + scalarSize(v, v.type);
    uint64_t n = 4 + 4 + 8;
    for (const Value& item : v.items) n += scalarSize(item, v.elemType);
    return n;
}

} // namespace

Writer::Writer(uint32_t alignment) : m_alignment(alignment) {
    if (alignment == 0 || alignment % 8 != 0) throw Error("GGUF", "alignment " + std::to_string(alignment) + " is not a multiple of 8");
    if (alignment != kDefaultAlignment) set("general.alignment", Value::u32(alignment));
}

void Writer::set(const std::string& key, Value value) {
    for (auto& [k, v] : m_metadata)
        if (k == key) {
            v = std::move(value);
            return;
        }
    m_metadata.emplace_back(key, std::move(value));
}

const Value* Writer::find(const std::string& key) const {
    for (const auto& [k, v] : m_metadata)
        if (k == key) return &v;
    return nullptr;
}

void Writer::addTensor(const std::string& name, std::vector<uint64_t> ne, TensorType type, TensorData data) {
    for (const auto& t : m_tensors)
        if (t.name == name) throw Error("GGUF", "tensor '" + name + "' added twice", "this is a bug in the exporter");
    if (ne.empty() || ne.size() > 4) throw Error("GGUF", "tensor '" + name + "' has " + std::to_string(ne.size()) + " dimensions (1 to 4)");
    if (!canStore(type, ne[0]))
        throw Error("GGUF", "tensor '" + name + "' rows of " + std::to_string(ne[0]) + " values are not whole " + tensorTypeName(type) +
                                  " blocks of " + std::to_string(blockValues(type)));
    TensorInfo info;
    info.name = name;
    info.ne = std::move(ne);
    info.type = type;
    info.offset = m_dataBytes;
    m_dataBytes = padded(m_dataBytes + info.bytes(), m_alignment);
    m_tensors.push_back(std::move(info));
    m_data.push_back(std::move(data));
}

uint64_t Writer::fileSize() const {
    uint64_t n = 4 + 4 + 8 + 8;
    for (const auto& [k, v] : m_metadata) n += 8 + k.size() + valueSize(v);
    for (const auto& t : m_tensors) n += 8 + t.name.size() + 4 + 8 * t.ne.size() + 4 + 8;
    return padded(n, m_alignment) + m_dataBytes;
}

void Writer::write(const std::string& path) const {
    writeFileAtomic(path, [&](std::ostream& os) {
        os.write("GGUF", 4);
        put<uint32_t>(os, kVersion);
        put<uint64_t>(os, m_tensors.size());
        put<uint64_t>(os, m_metadata.size());
        for (const auto& [k, v] : m_metadata) {
            putString(os, k);
            putValue(os, v);
        }
        for (const auto& t : m_tensors) {
            putString(os, t.name);
            put<uint32_t>(os, static_cast<uint32_t>(t.ne.size()));
            for (uint64_t d : t.ne) put<uint64_t>(os, d);
            put<uint32_t>(os, static_cast<uint32_t>(t.type));
            put<uint64_t>(os, t.offset);
        }
        const std::string zeros(m_alignment, '\0');
        auto pad = [&] {
            const auto at = static_cast<uint64_t>(os.tellp());
            os.write(zeros.data(), static_cast<std::streamsize>(padded(at, m_alignment) - at));
        };
        pad();
        std::string buffer;
        for (std::size_t i = 0; i < m_tensors.size(); ++i) {
            buffer.clear();
            m_data[i](buffer);
            if (buffer.size() != m_tensors[i].bytes())
                throw Error("GGUF " + path, "tensor '" + m_tensors[i].name + "' produced " + std::to_string(buffer.size()) +
                                                " bytes instead of " + std::to_string(m_tensors[i].bytes()),
                            "this is a bug in the exporter");
            os.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            pad();
        }
        if (!os) throw Error("GGUF " + path, "writing failed", "is the disk full?");
    });
}

} // namespace lorastudio::gguf

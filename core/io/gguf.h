// GGUF v3, the model file format of llama.cpp, Ollama and LM Studio: a header, typed metadata
// key/values, tensor infos, then the tensors' data, each at a multiple of general.alignment
// (default 32) from the start of the data section. Dimensions are listed fastest-first (ggml's
// ne: [in, out] for a PyTorch [out, in] weight). Writing is atomic and streams one tensor at a
// time; reading validates every count, string and tensor range against the file's size.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio::gguf {

inline constexpr uint32_t kVersion = 3;
inline constexpr uint32_t kDefaultAlignment = 32;

enum class ValueType : uint32_t {
    U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
    String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};
const char* valueTypeName(ValueType t);

// The ggml tensor types this project writes and reads (their ggml_type numbers). The block types
// (gguf_quant.h) store rows in blocks of blockValues(t) values, blockBytes(t) bytes each.
enum class TensorType : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q4_K = 12, Q5_K = 13, Q6_K = 14, BF16 = 30
};
inline constexpr TensorType kTensorTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::Q4_0, TensorType::Q5_0,
                                              TensorType::Q5_1, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q5_K,
                                              TensorType::Q6_K, TensorType::BF16};
const char* tensorTypeName(TensorType t);                       // "F32", "F16", "Q4_0", "Q5_0", "Q5_1", "Q8_0", "Q4_K", ...
std::optional<TensorType> parseTensorType(const std::string& s);  // "f32", "F16", "q8_0", ... (any case)
inline constexpr uint64_t kQ8BlockSize = 32;                     // values per Q8_0 block (fp16 scale + 32 int8)
uint64_t blockValues(TensorType t);                              // 1 for F32/F16/BF16, 32 for Q4_0/Q5_0/Q5_1/Q8_0, 256 for Q4_K/Q5_K/Q6_K
uint64_t blockBytes(TensorType t);                               // bytes per block: 4, 2, 18, 22, 24, 34, 144, 176, 210, 2
// Bytes of a tensor with dims ne (fastest first); block types need ne[0] % blockValues == 0 (see canStore).
uint64_t tensorBytes(TensorType t, const std::vector<uint64_t>& ne);
bool canStore(TensorType t, uint64_t ne0);

// One metadata value: a scalar, a string, or an array of one element type (arrays of arrays are
// not used by llama.cpp and not supported here).
struct Value {
    ValueType type = ValueType::U32;
    uint64_t u = 0;      // U8..U64, Bool
    int64_t i = 0;       // I8..I64
    double f = 0;        // F32, F64
    std::string s;       // String
    ValueType elemType = ValueType::U8;  // Array
    std::vector<Value> items;            // Array

    static Value u32(uint32_t v);
    static Value i32(int32_t v);
    static Value u64(uint64_t v);
    static Value f32(float v);
    static Value boolean(bool v);
    static Value string(std::string v);
    static Value strings(const std::vector<std::string>& v);
    static Value floats(const std::vector<float>& v);
    static Value ints(const std::vector<int32_t>& v);

    // As a number (any integer, float or bool type); nullopt for strings and arrays.
    std::optional<double> number() const;
    // For `inspect`: "3", "\"llama\"", "[\"a\", \"b\", ... 49,998 more] (string × 50000)".
    std::string describe(std::size_t maxItems = 8) const;
};

struct TensorInfo {
    std::string name;
    std::vector<uint64_t> ne;    // fastest first
    TensorType type = TensorType::F32;
    uint64_t offset = 0;         // from the start of the data section
    uint64_t bytes() const { return tensorBytes(type, ne); }
    // PyTorch's order of the same dims (slowest first), for messages.
    std::string shapeString() const;
};

// Appends exactly tensorBytes(type, ne) bytes of the tensor's data to `out`.
using TensorData = std::function<void(std::string& out)>;

class Writer {
public:
    explicit Writer(uint32_t alignment = kDefaultAlignment);
    // Keys keep the order of their first set(); setting a key again replaces its value.
    void set(const std::string& key, Value value);
    const Value* find(const std::string& key) const;
    // Error for a duplicate name or a shape the type cannot store (rows not whole blocks).
    void addTensor(const std::string& name, std::vector<uint64_t> ne, TensorType type, TensorData data);
    const std::vector<TensorInfo>& tensors() const { return m_tensors; }
    uint64_t fileSize() const;  // exact size of what write() produces
    // Writes to a temporary sibling, then renames (never a half file under path). Error when a
    // producer appends the wrong number of bytes, or on any I/O failure.
    void write(const std::string& path) const;

private:
    uint32_t m_alignment;
    std::vector<std::pair<std::string, Value>> m_metadata;
    std::vector<TensorInfo> m_tensors;
    std::vector<TensorData> m_data;
    uint64_t m_dataBytes = 0;
};

class MappedBytes;

struct File {
    std::string path;
    std::shared_ptr<const MappedBytes> bytes;  // the mapped file, for readTensor
    uint32_t version = 0;
    uint32_t alignment = kDefaultAlignment;
    uint64_t fileSize = 0;
    uint64_t dataOffset = 0;     // absolute offset of the data section
    std::vector<std::pair<std::string, Value>> metadata;
    std::vector<TensorInfo> tensors;

    const Value* find(const std::string& key) const;
    const TensorInfo* tensor(const std::string& name) const;
    std::string stringValue(const std::string& key) const;  // "" when absent or not a string
};

// Reads the header, metadata and tensor infos. Error naming the file for a wrong magic, an
// unsupported version, counts or strings that run past the end, unknown value or tensor types,
// duplicate names, misaligned offsets, or tensor data beyond the file's end.
File read(const std::string& path);
// One tensor's values as float (every type decoded), in storage order (ne[0] fastest).
std::vector<float> readTensor(const File& file, const TensorInfo& info);

} // namespace lorastudio::gguf

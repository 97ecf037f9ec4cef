// safetensors reading (mmap, zero-copy views, strict validation) and atomic writing.
// Format: 8-byte little-endian header length N, N bytes of JSON header, then the data region.
// Every failure throws lorastudio::Error naming the file and, where there is one, the tensor.
#pragma once
#include "common/os_file.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

// "F32" <-> DType; the size of one element in bytes; the matching torch scalar type.
const char* dtypeName(DType d);
bool parseDType(const std::string& name, DType& out);
std::size_t dtypeSize(DType d);
c10::ScalarType toScalarType(DType d);
DType fromScalarType(c10::ScalarType t);  // throws Error for types safetensors cannot hold

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0;  // byte offsets relative to the start of the data region
    uint64_t end = 0;
};

// One memory-mapped .safetensors file. Immutable after open(); safe to share across threads.
class SafetensorsFile : public std::enable_shared_from_this<SafetensorsFile> {
public:
    // Maps and validates the file: header bound, JSON, dtypes, shapes vs byte ranges, ranges in
    // bounds, no overlaps, full coverage of the data region.
    static std::shared_ptr<SafetensorsFile> open(const std::string& path);
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    const std::string& path() const { return m_path; }
    const std::vector<TensorInfo>& tensors() const { return m_tensors; }  // in header order
    const TensorInfo* find(const std::string& name) const;                // nullptr if absent
    bool contains(const std::string& name) const { return find(name) != nullptr; }
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    uint64_t fileSize() const { return m_file.size(); }

    // A CPU tensor viewing the mapped bytes (no copy; it keeps the mapping alive). Read-only in
    // spirit: clone() or .to() before writing. Throws Error if the name is absent.
    at::Tensor tensor(const std::string& name) const;
    // Raw bytes of one tensor.
    const uint8_t* data(const TensorInfo& info) const { return m_data + info.begin; }
    // Drops the tensor's mapped pages from this process's resident set (they stay in the page
    // cache and fault back in on the next read). A loader calls it after copying a tensor, so
    // peak RSS stays near the size of the copies instead of twice the checkpoint.
    void releasePages(const TensorInfo& info) const;

private:
    SafetensorsFile() = default;
    std::string m_path;
    MappedFile m_file;
    const uint8_t* m_data = nullptr;  // start of the data region
    std::vector<TensorInfo> m_tensors;
    std::map<std::string, std::size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

// All tensors of a checkpoint: a single file, or shards named by model.safetensors.index.json
// (its weight_map). Tensor names are unique across shards. With an index, the weight_map is the
// list of tensors (each must be in its shard; shard tensors it does not name are not exposed), and
// metadata() is the first shard's __metadata__ plus the index's "metadata" (e.g. total_size).
class Checkpoint {
public:
    // path: a .safetensors file, a *.safetensors.index.json, or a model folder holding
    // model.safetensors or model.safetensors.index.json (adapter_model.safetensors also accepted).
    static Checkpoint open(const std::string& path);

    std::vector<std::string> names() const;  // sorted
    bool contains(const std::string& name) const;
    const TensorInfo* find(const std::string& name) const;
    at::Tensor tensor(const std::string& name) const;  // zero-copy view, see SafetensorsFile
    void releasePages(const std::string& name) const;  // see SafetensorsFile::releasePages
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    const std::vector<std::shared_ptr<SafetensorsFile>>& files() const { return m_files; }
    uint64_t totalBytes() const;

private:
    static Checkpoint openIndex(const std::string& indexPath);
    std::vector<std::shared_ptr<SafetensorsFile>> m_files;
    std::map<std::string, std::size_t> m_owner;  // tensor name -> index in m_files
    std::map<std::string, std::string> m_metadata;
};

// Writes tensors (any device/dtype safetensors can hold; made contiguous and moved to CPU one at a
// time) with __metadata__ (omitted when empty), atomically (temporary name, then rename). Names
// must be unique. The layout is the reference library's (safetensors 0.4): data ordered by dtype
// alignment descending, then name; compact JSON header, __metadata__ first, space-padded to a
// multiple of 8 bytes; so re-saving a file written by Python reproduces it byte for byte, except
// that we write __metadata__ keys sorted where the reference uses (random) hash-map order.
void writeSafetensors(const std::string& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace lorastudio

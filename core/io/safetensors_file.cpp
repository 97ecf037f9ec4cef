// SafetensorsFile: maps a .safetensors file read-only and hands out zero-copy CPU tensors that keep
// the mapping alive (a copy only when a tensor's bytes are misaligned for its dtype).
#include "io/safetensors.h"
#include "io/safetensors_header.h"

#include "common/error.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <cstring>
#include <filesystem>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors data is little-endian; this reader maps it directly and needs a little-endian host"
#endif

namespace lorastudio {

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(path, "is a folder, not a .safetensors file", "use Checkpoint::open for a model folder");
    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->m_path = path;
    file->m_file = MappedFile(path);  // from here the destructor unmaps, also when validation throws
    const uint64_t size = file->m_file.size();
    if (size < 8)  // nothing or too little mapped; give the format's own message
        safetensors_detail::parseFile(nullptr, size, path);

    const uint8_t* bytes = file->m_file.data();
    safetensors_detail::ParsedHeader header = safetensors_detail::parseFile(bytes, size, path);
    file->m_data = bytes + 8 + header.headerSize;
    file->m_tensors = std::move(header.tensors);
    file->m_metadata = std::move(header.metadata);
    for (std::size_t i = 0; i < file->m_tensors.size(); ++i) file->m_index[file->m_tensors[i].name] = i;
    return file;
}

SafetensorsFile::~SafetensorsFile() = default;

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

void SafetensorsFile::releasePages(const TensorInfo& info) const {
    m_file.releasePages(m_data + info.begin, static_cast<std::size_t>(info.end - info.begin));
}

at::Tensor SafetensorsFile::tensor(const std::string& name) const {
    const TensorInfo* info = find(name);
    if (!info)
        throw Error(m_path, "tensor '" + name + "' is not in this file",
                    "check the tensor name (the file has " + std::to_string(m_tensors.size()) + " tensors)");
    const auto options = at::TensorOptions().dtype(toScalarType(info->dtype)).device(at::kCPU);
    if (info->end == info->begin) return at::empty(info->shape, options);  // no bytes to view

    const uint8_t* ptr = data(*info);
    const std::size_t elem = dtypeSize(info->dtype);
    if (reinterpret_cast<std::uintptr_t>(ptr) % elem != 0) {
        // Misaligned for its dtype (a file not laid out by the reference writer): copy.
        at::Tensor copy = at::empty(info->shape, options);
        std::memcpy(copy.data_ptr(), ptr, info->end - info->begin);
        return copy;
    }
    // The deleter owns a reference to this file, so the mapping outlives every view of it.
    std::shared_ptr<const SafetensorsFile> keepAlive = shared_from_this();
    return at::from_blob(const_cast<uint8_t*>(ptr), info->shape, [keepAlive](void*) {}, options);
}

} // namespace lorastudio

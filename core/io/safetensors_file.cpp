// SafetensorsFile: maps a .safetensors file read-only and hands out zero-copy CPU tensors that keep
// the mapping alive (a copy only when a tensor's bytes are misaligned for its dtype).
#include "io/safetensors.h"
#include "io/safetensors_header.h"

#include "common/error.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors data is little-endian; this reader maps it directly and needs a little-endian host"
#endif

namespace lorastudio {

namespace {

// Closes a file descriptor on every path out of open().
struct FdGuard {
    int fd = -1;
    ~FdGuard() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
    FdGuard fd;
    fd.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd.fd < 0) {
        const int err = errno;
        throw Error(path, std::string("cannot open file: ") + std::strerror(err),
                    err == ENOENT ? "check the path" : "check the file's permissions");
    }
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) throw Error(path, std::string("cannot stat file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        throw Error(path, "is a folder, not a .safetensors file", "use Checkpoint::open for a model folder");
    if (!S_ISREG(st.st_mode)) throw Error(path, "is not a regular file");

    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->m_path = path;
    file->m_size = static_cast<uint64_t>(st.st_size);
    if (file->m_size < 8)  // mmap of an empty file fails; give the format's own message
        safetensors_detail::parseFile(nullptr, file->m_size, path);

    void* map = ::mmap(nullptr, file->m_size, PROT_READ, MAP_PRIVATE, fd.fd, 0);
    if (map == MAP_FAILED)
        throw Error(path, std::string("cannot map file into memory: ") + std::strerror(errno),
                    "is the address space or memory limit too small?");
    file->m_map = map;  // from here the destructor unmaps, also when validation throws

    const auto* bytes = static_cast<const uint8_t*>(map);
    safetensors_detail::ParsedHeader header = safetensors_detail::parseFile(bytes, file->m_size, path);
    file->m_data = bytes + 8 + header.headerSize;
    file->m_tensors = std::move(header.tensors);
    file->m_metadata = std::move(header.metadata);
    for (std::size_t i = 0; i < file->m_tensors.size(); ++i) file->m_index[file->m_tensors[i].name] = i;
    return file;
}

SafetensorsFile::~SafetensorsFile() {
    if (m_map) ::munmap(m_map, m_size);
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

void SafetensorsFile::releasePages(const TensorInfo& info) const {
    // Only whole pages inside the tensor's byte range: neighbours keep theirs.
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(m_data + info.begin);
    const auto end = reinterpret_cast<std::uintptr_t>(m_data + info.end);
    const std::uintptr_t first = (begin + page - 1) / page * page;
    const std::uintptr_t last = end / page * page;
    if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
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

// See os_file.h. One POSIX branch (Linux, macOS) and one Win32 branch; Windows paths go through
// std::filesystem::path to the wide-char API, the same conversion the rest of core's file I/O uses.
#include "common/os_file.h"

#include "common/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

#ifdef _WIN32
// FormatMessage text of a GetLastError() code, without the trailing newline.
std::string windowsMessage(DWORD code) {
    return std::system_category().message(static_cast<int>(code));
}

// Closes a HANDLE on every path out of the constructor.
struct HandleGuard {
    HANDLE h = INVALID_HANDLE_VALUE;
    ~HandleGuard() {
        if (h != INVALID_HANDLE_VALUE && h != nullptr) ::CloseHandle(h);
    }
};
#else
// Closes a file descriptor on every path out of the constructor.
struct FdGuard {
    int fd = -1;
    ~FdGuard() {
        if (fd >= 0) ::close(fd);
    }
};
#endif

} // namespace

#ifdef _WIN32

MappedFile::MappedFile(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(fs::path(path), ec)) throw Error(path, "is a folder, not a file");
    HandleGuard file;
    file.h = ::CreateFileW(fs::path(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file.h == INVALID_HANDLE_VALUE) {
        const DWORD err = ::GetLastError();
        const bool missing = err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND;
        throw Error(path, "cannot open file: " + windowsMessage(err),
                    missing ? "check the path" : "check the file's permissions");
    }
    if (::GetFileType(file.h) != FILE_TYPE_DISK) throw Error(path, "is not a regular file");
    LARGE_INTEGER size{};
    if (!::GetFileSizeEx(file.h, &size)) throw Error(path, "cannot stat file: " + windowsMessage(::GetLastError()));
    m_size = static_cast<uint64_t>(size.QuadPart);
    if (m_size == 0) return;  // CreateFileMapping refuses an empty file; nothing to map
    HandleGuard mapping;
    mapping.h = ::CreateFileMappingW(file.h, nullptr, PAGE_READONLY, 0, 0, nullptr);
    if (mapping.h == nullptr)
        throw Error(path, "cannot map file into memory: " + windowsMessage(::GetLastError()),
                    "is the address space or memory limit too small?");
    void* view = ::MapViewOfFile(mapping.h, FILE_MAP_READ, 0, 0, 0);
    if (view == nullptr)
        throw Error(path, "cannot map file into memory: " + windowsMessage(::GetLastError()),
                    "is the address space or memory limit too small?");
    m_map = view;
    m_mapping = mapping.h;  // the view keeps the file open; the mapping handle is closed in reset()
    mapping.h = nullptr;
}

void MappedFile::reset() noexcept {
    if (m_map) ::UnmapViewOfFile(m_map);
    if (m_mapping) ::CloseHandle(static_cast<HANDLE>(m_mapping));
    m_map = nullptr;
    m_mapping = nullptr;
    m_size = 0;
}

std::size_t memoryPageSize() {
    SYSTEM_INFO info{};
    ::GetSystemInfo(&info);
    return info.dwPageSize;
}

#else

MappedFile::MappedFile(const std::string& path) {
    FdGuard fd;
    fd.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd.fd < 0) {
        const int err = errno;
        throw Error(path, std::string("cannot open file: ") + std::strerror(err),
                    err == ENOENT ? "check the path" : "check the file's permissions");
    }
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) throw Error(path, std::string("cannot stat file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw Error(path, "is a folder, not a file");
    if (!S_ISREG(st.st_mode)) throw Error(path, "is not a regular file");
    m_size = static_cast<uint64_t>(st.st_size);
    if (m_size == 0) return;  // mmap of an empty file fails; nothing to map
    void* map = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd.fd, 0);
    if (map == MAP_FAILED)
        throw Error(path, std::string("cannot map file into memory: ") + std::strerror(errno),
                    "is the address space or memory limit too small?");
    m_map = map;
}

void MappedFile::reset() noexcept {
    if (m_map) ::munmap(m_map, m_size);
    m_map = nullptr;
    m_size = 0;
}

std::size_t memoryPageSize() {
    const long page = ::sysconf(_SC_PAGESIZE);
    return page > 0 ? static_cast<std::size_t>(page) : 4096;
}

#endif

MappedFile::~MappedFile() { reset(); }

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this == &other) return *this;
    reset();
    m_map = other.m_map;
    m_size = other.m_size;
    other.m_map = nullptr;
    other.m_size = 0;
#ifdef _WIN32
    m_mapping = other.m_mapping;
    other.m_mapping = nullptr;
#endif
    return *this;
}

void MappedFile::releasePages(const uint8_t* begin, std::size_t bytes) const {
    // Only whole pages inside the range: neighbours keep theirs.
    static const std::uintptr_t page = memoryPageSize();
    const auto from = reinterpret_cast<std::uintptr_t>(begin);
    const std::uintptr_t first = (from + page - 1) / page * page;
    const std::uintptr_t last = (from + bytes) / page * page;
    if (last <= first) return;
#ifdef _WIN32
    // On pages that are not locked, VirtualUnlock removes them from the working set (and reports
    // ERROR_NOT_LOCKED, which is expected here).
    ::VirtualUnlock(reinterpret_cast<void*>(first), last - first);
#else
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
#endif
}

#ifdef _WIN32

void syncFile(const std::string& path) {
    // FlushFileBuffers needs a handle with write access.
    HandleGuard file;
    file.h = ::CreateFileW(fs::path(path).c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file.h != INVALID_HANDLE_VALUE) ::FlushFileBuffers(file.h);
}

void syncFolder(const std::string&) {}

void replaceFile(const std::string& source, const std::string& target, std::error_code& ec) {
    ec.clear();
    if (!::MoveFileExW(fs::path(source).c_str(), fs::path(target).c_str(),
                       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        ec = std::error_code(static_cast<int>(::GetLastError()), std::system_category());
}

#else

void syncFile(const std::string& path) {
    FdGuard fd;
    fd.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd.fd >= 0) ::fsync(fd.fd);
}

void syncFolder(const std::string& folder) {
    FdGuard fd;
    fd.fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd.fd >= 0) ::fsync(fd.fd);
}

void replaceFile(const std::string& source, const std::string& target, std::error_code& ec) {
    fs::rename(source, target, ec);
}

#endif

} // namespace lorastudio

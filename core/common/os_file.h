// File operations that differ between POSIX and Windows: a read-only memory map of a whole file,
// flushing a file or folder to disk, and replacing a file by another in one step. No torch, no
// yaml-cpp and no windows.h here, so os_file.cpp can be syntax-checked alone for either system.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

namespace lorastudio {

// A whole file mapped read-only; unmapped by the destructor. Move-only.
class MappedFile {
public:
    MappedFile() = default;
    // Throws lorastudio::Error naming path when the file cannot be opened, is a folder or not a
    // regular file, or cannot be mapped. An empty file is not mapped: data() is null, size() 0.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return static_cast<const uint8_t*>(m_map); }
    uint64_t size() const { return m_size; }

    // Hints that [begin, begin + bytes) is not needed for now: whole pages inside the range are
    // dropped from the process's resident set (POSIX madvise(MADV_DONTNEED), Windows VirtualUnlock)
    // and read again from the file if touched. Neighbouring bytes keep their pages. Never fails.
    void releasePages(const uint8_t* begin, std::size_t bytes) const;

private:
    void reset() noexcept;

    void* m_map = nullptr;
    uint64_t m_size = 0;
#ifdef _WIN32
    void* m_mapping = nullptr;  // HANDLE of the file mapping object
#endif
};

// The system's memory page size in bytes.
std::size_t memoryPageSize();

// Flushes a written file's data to disk (fsync / FlushFileBuffers). Best effort: errors are ignored,
// as the rename that follows reports the failures that matter.
void syncFile(const std::string& path);

// Makes a rename or new entry in folder durable (fsync of the folder on POSIX). Best effort; a
// no-op on Windows, where replaceFile() writes through.
void syncFolder(const std::string& folder);

// Replaces target by source in one step (rename(2) / MoveFileExW with MOVEFILE_REPLACE_EXISTING |
// MOVEFILE_WRITE_THROUGH). Both must be in the same folder. Sets ec on failure.
void replaceFile(const std::string& source, const std::string& target, std::error_code& ec);

} // namespace lorastudio

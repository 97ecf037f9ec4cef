// See atomic_file.h. A rename within one folder is atomic (rename(2), MoveFileExW); syncFile makes the
// data durable first. The system calls live in common/os_file.cpp.
#include "common/atomic_file.h"

#include "common/error.h"
#include "common/os_file.h"
#include "common/os_process.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace lorastudio {

std::string temporarySibling(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    return path + ".tmp-" + std::to_string(processId()) + "-" + std::to_string(counter++);
}

void writeFileAtomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
    const std::string tmp = temporarySibling(path);
    try {
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            if (!out)
                throw Error(path, std::string("cannot create temporary file: ") + std::strerror(errno),
                            "check that the folder exists and is writable");
            write(out);
            out.flush();
            if (!out)
                throw Error(path, "write failed", "is the disk full?");
        }
        syncFile(tmp);
        std::error_code ec;
        replaceFile(tmp, path, ec);
        if (ec) throw Error(path, "cannot rename temporary file into place: " + ec.message());
        syncFolder(fs::path(path).parent_path().string());
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

void writeFileAtomic(const std::string& path, const std::string& bytes) {
    writeFileAtomic(path, [&](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

} // namespace lorastudio

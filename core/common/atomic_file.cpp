// See atomic_file.h. POSIX rename() within one folder is atomic; fsync makes the data durable first.
#include "common/atomic_file.h"

#include "common/error.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace lorastudio {

std::string temporarySibling(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

static void fsyncPath(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
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
        fsyncPath(tmp);
        std::error_code ec;
        fs::rename(tmp, path, ec);
        if (ec) throw Error(path, "cannot rename temporary file into place: " + ec.message());
        const fs::path parent = fs::path(path).parent_path();
        fsyncPath(parent.empty() ? std::string(".") : parent.string());
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

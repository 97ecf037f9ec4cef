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

bool isDiskFull(int err) {
#ifdef EDQUOT
    if (err == EDQUOT) return true;
#endif
    return err == ENOSPC;
}

std::string writeFailureText(int err) {
    if (isDiskFull(err)) return "the disk is full (no space left on device)";
    return std::string("write failed: ") + (err != 0 ? std::strerror(err) : "unknown error");
}

std::string diskFullHint() {
    return "free some space on that disk or choose a folder on another one; files written before are unchanged";
}

void removeStaleTemporaries(const std::string& path) {
    const fs::path target(path);
    const std::string prefix = target.filename().string() + ".tmp-";
    std::error_code ec;
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        // "<pid>-<n>": only a dead process's file; a live writer (another studio, a CLI run) keeps its own.
        const std::string rest = name.substr(prefix.size());
        const auto dash = rest.find('-');
        if (dash == std::string::npos || dash == 0) continue;
        int64_t pid = 0;
        bool digits = true;
        for (size_t i = 0; i < dash; ++i) {
            if (rest[i] < '0' || rest[i] > '9') digits = false;
            else pid = pid * 10 + (rest[i] - '0');
        }
        if (!digits || pid == processId() || processAlive(pid)) continue;
        std::error_code ignored;
        fs::remove(it->path(), ignored);
    }
}

void writeFileAtomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
    removeStaleTemporaries(path);
    const std::string tmp = temporarySibling(path);
    try {
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            if (!out) {
                const int err = errno;
                throw Error(path, "cannot create temporary file: " + (isDiskFull(err) ? writeFailureText(err) : std::strerror(err)),
                            isDiskFull(err) ? diskFullHint() : "check that the folder exists and is writable");
            }
            errno = 0;
            write(out);
            out.flush();
            if (out) out.close();
            if (!out) {
                const int err = errno;
                throw Error(path, writeFailureText(err), isDiskFull(err) ? diskFullHint() : "is the disk full or the folder read-only?");
            }
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

// Staging folders and free-space checks for exports. See export_folder.h.
#include "lora/export_folder.h"

#include "common/error.h"
#include "common/os_process.h"

#include <atomic>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {
constexpr uint64_t kSpaceMargin = 16ull << 20; // config files, headers, file system slack

std::string uniqueSuffix() {
    static std::atomic<int> counter{0};
    return std::to_string(processId()) + "-" + std::to_string(counter++);
}

// Staging folders ".<name>.tmp-<pid>-<n>" (and their ".old" asides) of a process that no longer runs:
// an export killed mid-write. A live process's staging folder (another export at work) is left alone.
void removeStaleStaging(const fs::path& target) {
    const std::string prefix = "." + target.filename().string() + ".tmp-";
    std::error_code ec;
    for (fs::directory_iterator it(target.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        int64_t pid = 0;
        size_t i = prefix.size();
        for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) pid = pid * 10 + (name[i] - '0');
        if (i == prefix.size() || i == name.size() || name[i] != '-') continue;
        if (pid == processId() || processAlive(pid)) continue;
        std::error_code ignored;
        fs::remove_all(it->path(), ignored);
    }
}
} // namespace

std::string humanBytes(uint64_t bytes) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

void requireFreeSpace(const std::string& folder, uint64_t bytes, const std::string& what) {
    std::error_code ec;
    const auto info = fs::space(folder, ec);
    if (ec) throw Error(folder, "cannot query free disk space: " + ec.message());
    if (info.available < bytes + kSpaceMargin)
        throw Error(folder, "not enough free disk space to write the " + what + ": need " +
                                humanBytes(bytes + kSpaceMargin) + ", " + humanBytes(info.available) + " available",
                    "free some space or choose a folder on another disk");
}

StagingFolder::StagingFolder(const std::string& target, uint64_t neededBytes, bool overwrite,
                             const std::string& what)
    : m_what(what), m_overwrite(overwrite) {
    fs::path t = fs::absolute(fs::path(target)).lexically_normal();
    if (!t.has_filename()) t = t.parent_path(); // "out/" -> "out"
    m_target = t.string();
    std::error_code ec;
    if (fs::exists(t, ec)) {
        if (!fs::is_directory(t, ec))
            throw Error(m_target, "exists and is not a folder", "choose a folder name for the " + what);
        if (!overwrite)
            throw Error(m_target, "already exists", "choose another folder or allow overwriting");
    }
    fs::create_directories(t.parent_path(), ec);
    if (ec) throw Error(t.parent_path().string(), "cannot create the folder: " + ec.message());
    removeStaleStaging(t);
    requireFreeSpace(t.parent_path().string(), neededBytes, what);
    m_staging = (t.parent_path() / ("." + t.filename().string() + ".tmp-" + uniqueSuffix())).string();
    fs::create_directory(m_staging, ec);
    if (ec) throw Error(m_staging, "cannot create the staging folder: " + ec.message(), "is the folder writable?");
}

StagingFolder::~StagingFolder() {
    if (m_committed) return;
    std::error_code ec;
    fs::remove_all(m_staging, ec);
}

void StagingFolder::commit() {
    if (m_committed) return;
    std::error_code ec;
    std::string aside;
    if (fs::exists(m_target, ec)) {
        if (!m_overwrite) throw Error(m_target, "appeared while the " + m_what + " was being written");
        aside = m_staging + ".old";
        fs::rename(m_target, aside, ec);
        if (ec) throw Error(m_target, "cannot move the existing folder aside: " + ec.message());
    }
    fs::rename(m_staging, m_target, ec);
    if (ec) {
        if (!aside.empty()) {
            std::error_code ignored;
            fs::rename(aside, m_target, ignored); // put the old one back
        }
        throw Error(m_target, "cannot rename the finished " + m_what + " into place: " + ec.message());
    }
    m_committed = true;
    if (!aside.empty()) fs::remove_all(aside, ec);
}

} // namespace lorastudio

// Earlier runs kept under output_dir/runs. See run_archive.h.
#include "train/run_archive.h"

#include "common/error.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

const char* const kParts[] = {"metrics.jsonl", "checkpoints", "adapter"};

int countCheckpoints(const fs::path& dir) {
    std::error_code ec;
    int n = 0;
    for (fs::directory_iterator it(dir / "checkpoints", ec), end; !ec && it != end; it.increment(ec))
        n += it->is_directory(ec) && it->path().filename().string().rfind("step-", 0) == 0;
    return n;
}

RunFolder describe(const fs::path& dir, const std::string& name) {
    std::error_code ec;
    RunFolder r;
    r.name = name;
    r.path = dir.string();
    r.hasMetrics = fs::is_regular_file(dir / "metrics.jsonl", ec);
    r.checkpoints = countCheckpoints(dir);
    r.hasAdapter = fs::is_directory(dir / "adapter", ec);
    return r;
}

// run-YYYYMMDD-HHMMSS (local time) of when the run last wrote its metrics, else now.
std::string runName(const fs::path& outputDir) {
    std::error_code ec;
    std::time_t when = std::time(nullptr);
    const auto stamp = fs::last_write_time(outputDir / "metrics.jsonl", ec);
    if (!ec) {
        // file_clock to system_clock: the offset between the two clocks now.
        const auto sys = std::chrono::system_clock::now() +
                         std::chrono::duration_cast<std::chrono::system_clock::duration>(stamp - fs::file_time_type::clock::now());
        when = std::chrono::system_clock::to_time_t(sys);
    }
    std::tm local{};
#ifdef _WIN32
    localtime_s(&local, &when);
#else
    localtime_r(&when, &local);
#endif
    char buf[32];
    std::strftime(buf, sizeof buf, "run-%Y%m%d-%H%M%S", &local);
    return buf;
}

} // namespace

bool holdsRun(const std::string& outputDir) {
    const RunFolder r = describe(outputDir, "");
    return r.hasMetrics || r.checkpoints > 0 || r.hasAdapter;
}

std::string archiveRun(const std::string& outputDir) {
    if (!holdsRun(outputDir)) return {};
    const fs::path out(outputDir);
    const fs::path runs = out / "runs";
    std::error_code ec;
    fs::create_directories(runs, ec);
    if (ec) throw Error(runs.string(), "cannot create the folder for earlier runs: " + ec.message(),
                        "make the output folder writable, or set output_dir to another folder");
    const std::string base = runName(out);
    fs::path target;
    for (int i = 1;; ++i) {
        target = runs / (i == 1 ? base : base + "-" + std::to_string(i));
        if (fs::create_directory(target, ec)) break;  // false: taken (another run of that second)
        if (ec) throw Error(target.string(), "cannot create the folder for the earlier run: " + ec.message());
    }
    for (const char* part : kParts) {
        const fs::path from = out / part;
        if (!fs::exists(from, ec)) continue;
        fs::rename(from, target / part, ec);
        if (ec)
            throw Error(from.string(), "cannot move the earlier run into " + target.string() + ": " + ec.message(),
                        "nothing was deleted; move or delete it yourself, or set output_dir to another folder");
    }
    return target.string();
}

std::vector<RunFolder> listRuns(const std::string& outputDir) {
    std::vector<RunFolder> out;
    if (holdsRun(outputDir)) out.push_back(describe(outputDir, ""));
    std::vector<RunFolder> earlier;
    std::error_code ec;
    for (fs::directory_iterator it(fs::path(outputDir) / "runs", ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) earlier.push_back(describe(it->path(), it->path().filename().string()));
    std::sort(earlier.begin(), earlier.end(), [](const RunFolder& a, const RunFolder& b) { return a.name > b.name; });
    out.insert(out.end(), earlier.begin(), earlier.end());
    return out;
}

void deleteRun(const std::string& outputDir, const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\\') != std::string::npos)
        throw Error(name, "not the name of an earlier run", "one of the folders in output_dir/runs");
    const fs::path dir = fs::path(outputDir) / "runs" / name;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(dir.string(), "no such run");
    fs::remove_all(dir, ec);
    if (ec) throw Error(dir.string(), "cannot delete the run: " + ec.message());
}

} // namespace lorastudio

// Implementation of the small test helpers (std::filesystem only, no Qt, no torch).
#include "test_support.h"

#include "common/error.h"
#include "common/os_process.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace testsupport {

std::string fixturesDir() {
    if (const char* env = std::getenv("LORASTUDIO_FIXTURES"); env && *env) return env;
    return fs::weakly_canonical(LORASTUDIO_FIXTURES_DIR).string();
}

std::string sourceDir() { return LORASTUDIO_SOURCE_DIR; }

std::string makeTempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    fs::path p = fs::temp_directory_path() /
                 ("lorastudio-test-" + tag + "-" + std::to_string(lorastudio::processId()) + "-" + std::to_string(counter++));
    fs::remove_all(p);
    fs::create_directories(p);
    return p.string();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const lorastudio::Error& e) {
        return e.what();
    }
    return {};
}

} // namespace testsupport

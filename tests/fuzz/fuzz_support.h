// Shared by the libFuzzer harnesses: splitting one input into several files, a private scratch
// folder, and the contract every parser must keep under hostile input: return, or throw
// lorastudio::Error. Any other exception escaping a parser is a finding (abort), as are the crashes,
// leaks and undefined behaviour the sanitizers report.
#pragma once
#include "common/error.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fuzz {

// Inputs holding several files separate them with this line (the seeds and dictionaries use it).
inline const std::string kSplit = "\n@@FILE@@\n";

inline std::vector<std::string> split(const uint8_t* data, size_t size, size_t maxParts) {
    const std::string all(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> parts;
    size_t from = 0;
    while (parts.size() + 1 < maxParts) {
        const size_t at = all.find(kSplit, from);
        if (at == std::string::npos) break;
        parts.push_back(all.substr(from, at - from));
        from = at + kSplit.size();
    }
    parts.push_back(all.substr(from));
    return parts;
}

// A folder of this process's own (one per fuzzing process), emptied for each input.
inline const std::filesystem::path& scratch() {
    static const std::filesystem::path dir = [] {
        const char* base = std::getenv("LORASTUDIO_FUZZ_TMP");
        std::filesystem::path root = base ? base : (std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp");
        std::filesystem::path d = root / ("lorastudio-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

inline std::filesystem::path freshScratch() {
    const auto& d = scratch();
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(d, ec)) std::filesystem::remove_all(e.path(), ec);
    return d;
}

inline std::string writeFile(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path.string();
}

// Runs f; lorastudio::Error is the expected failure. Anything else escaping is a finding.
template <class F>
void expectCleanFailure(const char* what, F&& f) {
    try {
        f();
    } catch (const lorastudio::Error&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "FINDING: %s threw a non-lorastudio::Error exception: %s\n", what, e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "FINDING: %s threw a non-std exception\n", what);
        std::abort();
    }
}

} // namespace fuzz

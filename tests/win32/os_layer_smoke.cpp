// The OS layer's Win32 branch (core/common/os_file.cpp, os_process.cpp, atomic_file.cpp) checked without
// Windows: built with MinGW-w64 and run under Wine by run_under_wine.sh. Not part of CTest (the other
// tests need LibTorch and Qt, which are not available for Windows on the Linux build machine).
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/os_file.h"
#include "common/os_process.h"
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
using namespace lorastudio;
static int failures = 0;
static void check(bool ok, const char* what) { std::printf("%s %s\n", ok ? "PASS" : "FAIL", what); failures += !ok; }
static std::string errorOf(const std::string& path) {
    try { MappedFile f(path); } catch (const Error& e) { return e.what(); }
    return "";
}
int main() {
    std::filesystem::create_directory("dir");
    writeFileAtomic("a.bin", std::string("first"));
    writeFileAtomic("a.bin", std::string("second version"));   // replaces an existing file
    MappedFile f("a.bin");
    check(f.size() == 14 && std::memcmp(f.data(), "second version", 14) == 0, "map sees the replaced contents");
    MappedFile g = std::move(f);
    check(g.size() == 14 && f.data() == nullptr, "move leaves the source empty");
    g.releasePages(g.data(), g.size());
    check(std::memcmp(g.data(), "second", 6) == 0, "bytes readable after releasePages");
    std::string big(1 << 20, 'x');
    writeFileAtomic("big.bin", big);
    MappedFile b("big.bin");
    b.releasePages(b.data(), b.size());
    check(b.data()[12345] == 'x', "1 MiB map readable after releasing its pages");
    writeFileAtomic("empty.bin", std::string());
    MappedFile e("empty.bin");
    check(e.size() == 0 && e.data() == nullptr, "empty file: no mapping");
    std::string m = errorOf("missing.bin");
    check(m.find("missing.bin: cannot open file") == 0 && m.find("hint: check the path") != std::string::npos, m.c_str());
    m = errorOf("dir");
    check(m.find("is a folder") != std::string::npos, m.c_str());
    int tmpLeft = 0;
    for (auto& entry : std::filesystem::directory_iterator(".")) tmpLeft += entry.path().filename().string().find(".tmp-") != std::string::npos;
    check(tmpLeft == 0, "no temporary files left");
    std::error_code ec;
    replaceFile("nope.bin", "a.bin", ec);
    check(bool(ec), ("replaceFile of a missing source sets ec: " + ec.message()).c_str());
    check(processId() > 0, "processId");
    check(processPeakRssBytes() >= processCurrentRssBytes() && processCurrentRssBytes() > (1 << 20), "peak >= current RSS > 1 MiB");
    check(physicalMemoryBytes() > (int64_t(1) << 30), "physical memory > 1 GiB");
    SharedLibrary k("kernel32.dll");
    check(k.loaded() && k.symbol("GetCurrentProcessId") != nullptr && k.symbol("NoSuchSymbol") == nullptr, "SharedLibrary kernel32");
    check(!SharedLibrary("nvml.dll").loaded(), "no nvml.dll here");
    check(memoryPageSize() == 4096, "page size");
    std::printf("stdoutIsTerminal=%d failures=%d\n", int(stdoutIsTerminal()), failures);
    return failures;
}

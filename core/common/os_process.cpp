// See os_process.h. One POSIX branch (Linux; macOS where noted) and one Win32 branch. psapi is
// linked on Windows for GetProcessMemoryInfo (core/CMakeLists.txt).
#include "common/os_process.h"

#include <cstdio>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <io.h>
#include <psapi.h>
#else
#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#endif

namespace lorastudio {

#ifdef _WIN32

int64_t processId() { return static_cast<int64_t>(::GetCurrentProcessId()); }

namespace {
bool memoryCounters(PROCESS_MEMORY_COUNTERS& counters) {
    counters = {};
    counters.cb = sizeof counters;
    return ::GetProcessMemoryInfo(::GetCurrentProcess(), &counters, sizeof counters) != 0;
}
} // namespace

int64_t processPeakRssBytes() {
    PROCESS_MEMORY_COUNTERS counters;
    return memoryCounters(counters) ? static_cast<int64_t>(counters.PeakWorkingSetSize) : 0;
}

int64_t processCurrentRssBytes() {
    PROCESS_MEMORY_COUNTERS counters;
    return memoryCounters(counters) ? static_cast<int64_t>(counters.WorkingSetSize) : 0;
}

int64_t physicalMemoryBytes() {
    MEMORYSTATUSEX status{};
    status.dwLength = sizeof status;
    return ::GlobalMemoryStatusEx(&status) ? static_cast<int64_t>(status.ullTotalPhys) : 0;
}

bool stdoutIsTerminal() { return ::_isatty(::_fileno(stdout)) != 0; }

SharedLibrary::SharedLibrary(const std::string& name) {
    m_handle = reinterpret_cast<void*>(::LoadLibraryA(name.c_str()));
}

SharedLibrary::~SharedLibrary() {
    if (m_handle) ::FreeLibrary(static_cast<HMODULE>(m_handle));
}

void* SharedLibrary::symbol(const char* name) const {
    if (!m_handle) return nullptr;
    return reinterpret_cast<void*>(::GetProcAddress(static_cast<HMODULE>(m_handle), name));
}

#else

int64_t processId() { return static_cast<int64_t>(::getpid()); }

int64_t processPeakRssBytes() {
    struct rusage usage {};
    if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
#ifdef __APPLE__
    return static_cast<int64_t>(usage.ru_maxrss);  // macOS: bytes
#else
    return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux: kilobytes
#endif
}

int64_t processCurrentRssBytes() {
    std::ifstream statm("/proc/self/statm");
    int64_t pages = 0, resident = 0;
    if (!(statm >> pages >> resident)) return 0;
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    return pageSize > 0 ? resident * pageSize : 0;
}

int64_t physicalMemoryBytes() {
    std::ifstream meminfo("/proc/meminfo");
    std::string line;
    while (std::getline(meminfo, line)) {
        std::istringstream fields(line);
        std::string key;
        int64_t kib = 0;
        if (fields >> key >> kib && key == "MemTotal:") return kib * 1024;
    }
    const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? static_cast<int64_t>(pages) * pageSize : 0;
}

bool stdoutIsTerminal() { return ::isatty(STDOUT_FILENO) != 0; }

SharedLibrary::SharedLibrary(const std::string& name) { m_handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL); }

SharedLibrary::~SharedLibrary() {
    if (m_handle) ::dlclose(m_handle);
}

void* SharedLibrary::symbol(const char* name) const { return m_handle ? ::dlsym(m_handle, name) : nullptr; }

#endif

} // namespace lorastudio

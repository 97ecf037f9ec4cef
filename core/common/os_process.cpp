// See os_process.h. One POSIX branch (Linux; macOS where noted) and one Win32 branch. psapi is
// linked on Windows for GetProcessMemoryInfo (core/CMakeLists.txt).
#include "common/os_process.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <thread>
#include <utility>

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
#include <cerrno>
#include <dlfcn.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#if defined(__linux__)
#include <sched.h>
#endif
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

bool processAlive(int64_t pid) {
    if (pid <= 0) return false;
    HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
    if (!process) return false;
    DWORD code = 0;
    const bool running = ::GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
    ::CloseHandle(process);
    return running;
}

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

int physicalCoreCount() {
    DWORD bytes = 0;
    ::GetLogicalProcessorInformation(nullptr, &bytes);
    std::string buffer(bytes, '\0');
    auto* info = reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION*>(buffer.data());
    int cores = 0;
    if (bytes > 0 && ::GetLogicalProcessorInformation(info, &bytes))
        for (size_t k = 0; k < bytes / sizeof *info; ++k)
            if (info[k].Relationship == RelationProcessorCore) ++cores;
    return cores > 0 ? cores : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void* processSymbol(const char*) { return nullptr; }

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

bool processAlive(int64_t pid) {
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;  // EPERM: alive, another user's
}

SharedLibrary::SharedLibrary(const std::string& name) { m_handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL); }

SharedLibrary::~SharedLibrary() {
    if (m_handle) ::dlclose(m_handle);
}

void* SharedLibrary::symbol(const char* name) const { return m_handle ? ::dlsym(m_handle, name) : nullptr; }

int physicalCoreCount() {
    const int fallback = static_cast<int>(std::thread::hardware_concurrency() > 0 ? std::thread::hardware_concurrency() : 1);
#if defined(__linux__)
    cpu_set_t mask;
    CPU_ZERO(&mask);
    if (sched_getaffinity(0, sizeof mask, &mask) != 0) return fallback;
    std::set<std::pair<int, int>> cores;  // (package, core id)
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &mask)) continue;
        const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
        std::ifstream coreFile(dir + "core_id"), packageFile(dir + "physical_package_id");
        int core = -1, package = 0;
        if (!(coreFile >> core)) core = 100000 + cpu;  // no topology: count the CPU itself
        if (!(packageFile >> package)) package = 0;
        cores.emplace(package, core);
    }
    return cores.empty() ? fallback : static_cast<int>(cores.size());
#else
    return fallback;
#endif
}

void* processSymbol(const char* name) { return ::dlsym(RTLD_DEFAULT, name); }

#endif

} // namespace lorastudio

// Process and machine facts that differ between POSIX and Windows: process id, resident memory,
// physical RAM, whether stdout is a terminal, and loading a shared library at run time. No torch,
// no yaml-cpp and no windows.h here, so os_process.cpp can be syntax-checked alone for either system.
#pragma once
#include <cstdint>
#include <string>

namespace lorastudio {

// The id of this process (getpid / GetCurrentProcessId), e.g. for unique temporary names.
int64_t processId();

// Peak resident set of this process in bytes (getrusage / PeakWorkingSetSize); 0 when unknown.
int64_t processPeakRssBytes();

// Current resident set of this process in bytes (/proc/self/statm / WorkingSetSize); 0 when
// unknown (macOS has no /proc).
int64_t processCurrentRssBytes();

// Installed physical memory in bytes (/proc/meminfo, sysconf / GlobalMemoryStatusEx); 0 when unknown.
int64_t physicalMemoryBytes();

// Physical CPU cores this process may run on (Linux: distinct core ids of the CPUs in its affinity
// mask, so SMT siblings count once; Windows: processor cores); hardware threads when unknown.
int physicalCoreCount();

// The address of a symbol already loaded into the process (dlsym(RTLD_DEFAULT)), or null. Windows:
// null (nothing uses it there).
void* processSymbol(const char* name);

// Whether a process with this id is running (kill(pid, 0) / OpenProcess + GetExitCodeProcess).
bool processAlive(int64_t pid);

// Whether standard output is a terminal (isatty / _isatty), i.e. a progress bar may redraw a line.
bool stdoutIsTerminal();

// A shared library opened at run time (dlopen / LoadLibrary), closed by the destructor. Move-only.
class SharedLibrary {
public:
    // name as the system loader takes it ("libnvidia-ml.so.1", "nvml.dll"); loaded() tells success.
    explicit SharedLibrary(const std::string& name);
    ~SharedLibrary();
    SharedLibrary(SharedLibrary&& other) noexcept : m_handle(other.m_handle) { other.m_handle = nullptr; }
    SharedLibrary& operator=(SharedLibrary&&) = delete;
    SharedLibrary(const SharedLibrary&) = delete;
    SharedLibrary& operator=(const SharedLibrary&) = delete;

    bool loaded() const { return m_handle != nullptr; }
    // The address of an exported symbol, or null when absent or the library is not loaded.
    void* symbol(const char* name) const;

private:
    void* m_handle = nullptr;
};

} // namespace lorastudio

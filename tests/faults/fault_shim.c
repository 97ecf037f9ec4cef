/* LD_PRELOAD fault injection for the fault tests (tests/faults): counts the bytes this process writes
 * to regular files whose path contains LS_FAULT_MATCH and, once more than LS_FAULT_AFTER bytes have
 * gone there, either kills the process (LS_FAULT_MODE=kill: SIGKILL in the middle of a write, as a
 * power cut or the OOM killer would) or fails every further write with ENOSPC (LS_FAULT_MODE=enospc:
 * a full disk, without needing root to mount a small file system). Works for any user.
 * Build: cc -shared -fPIC -O2 -o fault_shim.so fault_shim.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long long g_written = 0;

/* Whether fd is a regular file whose path contains LS_FAULT_MATCH. */
static int watched(int fd) {
    const char* match = getenv("LS_FAULT_MATCH");
    struct stat st;
    if (!match || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return 0;
    path[n] = '\0';
    return strstr(path, match) != NULL;
}

/* How many of `count` bytes may be written now; -1 with errno set when the write must fail. */
static ssize_t allowance(int fd, size_t count) {
    if (count == 0 || !watched(fd)) return (ssize_t)count;
    const char* after = getenv("LS_FAULT_AFTER");
    const char* mode = getenv("LS_FAULT_MODE");
    long long limit = after ? atoll(after) : 0;
    if (g_written + (long long)count <= limit) {
        g_written += (long long)count;
        return (ssize_t)count;
    }
    long long room = limit - g_written;
    if (room < 0) room = 0;
    if (mode && strcmp(mode, "kill") == 0) {
        if (room > 0) { /* write a part first: the file is then truly half written; the retry is killed */
            g_written += room;
            return (ssize_t)room;
        }
        raise(SIGKILL);
    }
    if (room > 0) { /* a short write, as a file system does when it fills up mid-request */
        g_written += room;
        return (ssize_t)room;
    }
    errno = ENOSPC;
    return -1;
}

ssize_t write(int fd, const void* buf, size_t count) {
    static ssize_t (*real)(int, const void*, size_t);
    if (!real) real = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
    ssize_t allowed = allowance(fd, count);
    if (allowed < 0) return -1;
    return real(fd, buf, (size_t)allowed);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
    static ssize_t (*real)(int, const void*, size_t, off_t);
    if (!real) real = (ssize_t(*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
    ssize_t allowed = allowance(fd, count);
    if (allowed < 0) return -1;
    return real(fd, buf, (size_t)allowed, offset);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) { return pwrite64(fd, buf, count, offset); }

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
    static ssize_t (*real)(int, const struct iovec*, int);
    if (!real) real = (ssize_t(*)(int, const struct iovec*, int))dlsym(RTLD_NEXT, "writev");
    size_t total = 0;
    for (int i = 0; i < iovcnt; ++i) total += iov[i].iov_len;
    ssize_t allowed = allowance(fd, total);
    if (allowed < 0) return -1;
    if ((size_t)allowed == total) return real(fd, iov, iovcnt);
    /* a partial allowance: write only the first `allowed` bytes */
    ssize_t done = 0;
    for (int i = 0; i < iovcnt && done < allowed; ++i) {
        size_t part = iov[i].iov_len;
        if ((ssize_t)part > allowed - done) part = (size_t)(allowed - done);
        static ssize_t (*realWrite)(int, const void*, size_t);
        if (!realWrite) realWrite = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
        ssize_t n = realWrite(fd, iov[i].iov_base, part);
        if (n < 0) return done > 0 ? done : -1;
        done += n;
        if ((size_t)n < part) break;
    }
    return done;
}

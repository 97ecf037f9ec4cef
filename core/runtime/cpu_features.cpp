// CPUID queries for the bf16 instructions. See cpu_features.h. Non-x86 builds report none.
#include "runtime/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(_M_X64)
#include <intrin.h>
#endif

namespace lorastudio {

CpuFeatures cpuFeatures() {
    CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    unsigned a1 = 0, b1 = 0, c1 = 0, d1 = 0;
    bool zmmState = false;
    if (__get_cpuid(1, &a1, &b1, &c1, &d1) && ((c1 >> 27) & 1u)) {  // OSXSAVE: XGETBV may be used
        unsigned lo = 0, hi = 0;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        zmmState = (lo & 0xE6u) == 0xE6u;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        f.amxBf16 = (d >> 22) & 1u;
        const unsigned need = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
        f.avx512 = zmmState && (b & need) == need;
        const unsigned maxSub = a;
        if (maxSub >= 1 && __get_cpuid_count(7, 1, &a, &b, &c, &d)) f.avx512bf16 = (a >> 5) & 1u;
    }
#elif defined(_M_X64)
    int r[4] = {0, 0, 0, 0};
    __cpuidex(r, 7, 0);
    f.amxBf16 = (r[3] >> 22) & 1;
    const int maxSub = r[0];
    if (maxSub >= 1) {
        __cpuidex(r, 7, 1);
        f.avx512bf16 = (r[0] >> 5) & 1;
    }
#endif
    return f;
}

std::string describeBf16Support(const CpuFeatures& f) {
    if (f.amxBf16 && f.avx512bf16) return "AMX-BF16 + AVX512-BF16: bf16 training is fast on this CPU";
    if (f.amxBf16) return "AMX-BF16: bf16 training is fast on this CPU";
    if (f.avx512bf16) return "AVX512-BF16: bf16 training is fast on this CPU";
    return "no AVX512-BF16 or AMX: bf16 is emulated here, fp32 is faster on this CPU";
}

} // namespace lorastudio

// The CPU's bf16 abilities, which decide whether bf16 training on the CPU pays: with AMX or
// AVX512-BF16 LibTorch's oneDNN runs bf16 matmuls several times faster than fp32; without them
// bf16 is emulated and slower than fp32.
#pragma once
#include <string>

namespace lorastudio {

struct CpuFeatures {
    bool avx512bf16 = false;  // CPUID.(7,1):EAX[5]
    bool amxBf16 = false;     // CPUID.(7,0):EDX[22]
    bool fastBf16() const { return avx512bf16 || amxBf16; }
};

CpuFeatures cpuFeatures();

// "AMX-BF16, AVX512-BF16: bf16 is fast here" or "no AVX512-BF16 / AMX: fp32 is faster here".
std::string describeBf16Support(const CpuFeatures& f);

} // namespace lorastudio

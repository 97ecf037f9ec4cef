// The CPU's abilities that decide how fast training runs here: bf16 (with AMX or AVX512-BF16
// LibTorch's oneDNN runs bf16 matmuls several times faster than fp32; without them bf16 is
// emulated and slower than fp32) and AVX-512 (which fp32 BLAS kernels may use).
#pragma once
#include <string>

namespace lorastudio {

struct CpuFeatures {
    bool avx512bf16 = false;  // CPUID.(7,1):EAX[5]
    bool amxBf16 = false;     // CPUID.(7,0):EDX[22]
    // AVX512 F, DQ, BW and VL (CPUID.(7,0):EBX[16,17,30,31]) with the ZMM state enabled by the OS
    // (XCR0 bits 1, 2, 5, 6, 7): what OpenBLAS's SkylakeX kernels need.
    bool avx512 = false;
    bool fastBf16() const { return avx512bf16 || amxBf16; }
};

CpuFeatures cpuFeatures();

// "AMX-BF16, AVX512-BF16: bf16 is fast here" or "no AVX512-BF16 / AMX: fp32 is faster here".
std::string describeBf16Support(const CpuFeatures& f);

} // namespace lorastudio

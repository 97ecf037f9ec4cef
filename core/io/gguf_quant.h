// The tensor encodings of GGUF that this project writes: F32, F16 and BF16 (IEEE half and brain
// float, rounded to nearest even as ggml's converters do) and Q8_0 (ggml's blocks of 32 values:
// an fp16 scale d = max|x| / 127, then 32 int8 q = round(x / d), so x ≈ d·q).
#pragma once
#include "io/gguf.h"

#include <cstddef>
#include <string>

namespace lorastudio::gguf {

// Appends the encoding of n floats (n % 32 == 0 for Q8_0) to out.
void encode(TensorType type, const float* values, std::size_t n, std::string& out);
// Decodes n values of `type` from bytes (tensorBytes(type, {n}) of them) into out[0..n).
void decode(TensorType type, const uint8_t* bytes, std::size_t n, float* out);

} // namespace lorastudio::gguf

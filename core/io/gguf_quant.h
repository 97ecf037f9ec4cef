// The tensor encodings of GGUF that this project writes and reads, each row in blocks:
// - F32, F16, BF16 (IEEE half and brain float, rounded to nearest even as ggml's converters do);
// - Q8_0: 32 values, an fp16 scale d = max|x| / 127, then 32 int8 q = round(x / d): x ≈ d·q;
// - Q4_0: 32 values, an fp16 scale d = -m / 8 (m the value of largest magnitude), then 32 4-bit
//   q in 0..15, value j in the low nibble of byte j and value j+16 in its high nibble: x ≈ d·(q − 8);
// - Q5_0: 32 values, an fp16 scale d = -m / 16, the 32 fifth bits (bit j of a little-endian
//   uint32 for value j), then the low 4 bits as in Q4_0: x ≈ d·(q − 16);
// - Q5_1: 32 values, fp16 d and m, the fifth bits and low nibbles as in Q5_0: x ≈ d·q + m;
// - Q4_K: 256 values in 8 sub-blocks of 32, fp16 d and dmin, a 6-bit scale s and min m per
//   sub-block (12 bytes, packed as ggml packs them), 4-bit q: x ≈ d·s·q − dmin·m;
// - Q5_K: as Q4_K with 5-bit q: 32 bytes of fifth bits (value l of 64-value chunk c: bit 2c of byte
//   l for the chunk's first 32, bit 2c+1 for its second), then the low nibbles as Q4_K stores q;
// - Q6_K: 256 values in 16 sub-blocks of 16, 6-bit q (low 4 bits and high 2 bits stored apart),
//   an int8 scale per sub-block and an fp16 d: x ≈ d·s·(q − 32).
// The encoders are our own (a range fit per block; for the K types a search over level spacings,
// each refitted by least squares), not llama.cpp's search; the decoders follow the layouts exactly, so any reader of GGUF reads the same values.
#pragma once
#include "io/gguf.h"

#include <cstddef>
#include <string>

namespace lorastudio::gguf {

// Appends the encoding of n floats (n a multiple of blockValues(type)) to out.
void encode(TensorType type, const float* values, std::size_t n, std::string& out);
// Decodes n values of `type` from bytes (tensorBytes(type, {n}) of them) into out[0..n).
void decode(TensorType type, const uint8_t* bytes, std::size_t n, float* out);

namespace detail {
// One block each (gguf_quant_k.cpp): 256 values <-> blockBytes(type) bytes.
void encodeQ4K(const float* x, std::string& out);
void decodeQ4K(const uint8_t* block, float* y);
void encodeQ5K(const float* x, std::string& out);
void decodeQ5K(const uint8_t* block, float* y);
void encodeQ6K(const float* x, std::string& out);
void decodeQ6K(const uint8_t* block, float* y);
uint16_t halfBits(float x);
float halfValue(uint16_t bits);
uint16_t readHalfBits(const uint8_t* p);  // the fp16 bits stored at p (little-endian, unaligned)
float largestMagnitude(const float* x, std::size_t n);  // the value (with its sign) of largest |x|
} // namespace detail

} // namespace lorastudio::gguf

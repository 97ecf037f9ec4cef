// GGUF tensor encodings. See gguf_quant.h.
#include "io/gguf_quant.h"

#include "common/error.h"

#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lorastudio::gguf {

namespace detail {
uint16_t halfBits(float x) { return c10::Half(x).x; }
float halfValue(uint16_t bits) { return static_cast<float>(c10::Half(bits, c10::Half::from_bits())); }
uint16_t readHalfBits(const uint8_t* p) {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    return bits;
}
float largestMagnitude(const float* x, std::size_t n) {
    float m = 0;
    for (std::size_t j = 0; j < n; ++j)
        if (std::fabs(x[j]) > std::fabs(m)) m = x[j];
    return m;
}
} // namespace detail

namespace {

using detail::halfBits;
using detail::halfValue;
using detail::largestMagnitude;
using detail::readHalfBits;

template <typename T>
void appendRaw(const T& v, std::string& out) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

void encodeQ8(const float* x, std::string& out) {
    float amax = 0;
    for (std::size_t j = 0; j < kQ8BlockSize; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    appendRaw(halfBits(d), out);
    for (std::size_t j = 0; j < kQ8BlockSize; ++j) out.push_back(static_cast<char>(static_cast<int8_t>(std::lround(x[j] * id))));
}

void decodeQ8(const uint8_t* block, float* y) {
    const float d = halfValue(readHalfBits(block));
    for (std::size_t j = 0; j < kQ8BlockSize; ++j) y[j] = d * static_cast<int8_t>(block[2 + j]);
}

// The value of largest magnitude maps to q = 0 (-8 after the offset) exactly; the scale is the
// fp16 value actually stored, so the rounding of q sees what the decoder will multiply by.
void encodeQ4_0(const float* x, std::string& out) {
    const uint16_t dBits = halfBits(largestMagnitude(x, 32) / -8.0f);
    const float d = halfValue(dBits);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    appendRaw(dBits, out);
    auto q = [&](std::size_t j) { return static_cast<uint8_t>(std::clamp<long>(std::lround(x[j] * id) + 8, 0, 15)); };
    for (std::size_t j = 0; j < 16; ++j) out.push_back(static_cast<char>(q(j) | (q(j + 16) << 4)));
}

void decodeQ4_0(const uint8_t* block, float* y) {
    const float d = halfValue(readHalfBits(block));
    for (std::size_t j = 0; j < 16; ++j) {
        y[j] = d * (static_cast<int>(block[2 + j] & 0x0F) - 8);
        y[j + 16] = d * (static_cast<int>(block[2 + j] >> 4) - 8);
    }
}

// As Q4_0, with 5 bits: the value of largest magnitude maps to q = 0 (-16).
void encodeQ5_0(const float* x, std::string& out) {
    const uint16_t dBits = halfBits(largestMagnitude(x, 32) / -16.0f);
    const float d = halfValue(dBits);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    uint8_t q[32];
    uint32_t high = 0;
    for (std::size_t j = 0; j < 32; ++j) {
        q[j] = static_cast<uint8_t>(std::clamp<long>(std::lround(x[j] * id) + 16, 0, 31));
        high |= static_cast<uint32_t>(q[j] >> 4) << j;
    }
    appendRaw(dBits, out);
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((high >> (8 * b)) & 0xFF));
    for (std::size_t j = 0; j < 16; ++j) out.push_back(static_cast<char>((q[j] & 0x0F) | ((q[j + 16] & 0x0F) << 4)));
}

void decodeQ5_0(const uint8_t* block, float* y) {
    const float d = halfValue(readHalfBits(block));
    const uint32_t high = uint32_t(block[2]) | uint32_t(block[3]) << 8 | uint32_t(block[4]) << 16 | uint32_t(block[5]) << 24;
    for (std::size_t j = 0; j < 16; ++j) {
        const int lo = block[6 + j] & 0x0F, hi = block[6 + j] >> 4;
        y[j] = d * ((lo | static_cast<int>(((high >> j) & 1) << 4)) - 16);
        y[j + 16] = d * ((hi | static_cast<int>(((high >> (j + 16)) & 1) << 4)) - 16);
    }
}


// x ≈ d·q + m, q in 0..31: m the smallest value, d the range over 31 steps (both as the fp16 values
// stored); the fifth bits as in Q5_0.
void encodeQ5_1(const float* x, std::string& out) {
    float lo = x[0], hi = x[0];
    for (std::size_t j = 1; j < 32; ++j) lo = std::min(lo, x[j]), hi = std::max(hi, x[j]);
    const uint16_t dBits = halfBits((hi - lo) / 31.0f), mBits = halfBits(lo);
    const float d = halfValue(dBits), m = halfValue(mBits);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    uint8_t q[32];
    uint32_t high = 0;
    for (std::size_t j = 0; j < 32; ++j) {
        q[j] = static_cast<uint8_t>(std::clamp<long>(std::lround((x[j] - m) * id), 0, 31));
        high |= static_cast<uint32_t>(q[j] >> 4) << j;
    }
    appendRaw(dBits, out);
    appendRaw(mBits, out);
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((high >> (8 * b)) & 0xFF));
    for (std::size_t j = 0; j < 16; ++j) out.push_back(static_cast<char>((q[j] & 0x0F) | ((q[j + 16] & 0x0F) << 4)));
}

void decodeQ5_1(const uint8_t* block, float* y) {
    const float d = halfValue(readHalfBits(block)), m = halfValue(readHalfBits(block + 2));
    const uint32_t high = uint32_t(block[4]) | uint32_t(block[5]) << 8 | uint32_t(block[6]) << 16 | uint32_t(block[7]) << 24;
    for (std::size_t j = 0; j < 16; ++j) {
        const int lo = block[8 + j] & 0x0F, hi = block[8 + j] >> 4;
        y[j] = d * (lo | static_cast<int>(((high >> j) & 1) << 4)) + m;
        y[j + 16] = d * (hi | static_cast<int>(((high >> (j + 16)) & 1) << 4)) + m;
    }
}

} // namespace

void encode(TensorType type, const float* values, std::size_t n, std::string& out) {
    const uint64_t per = blockValues(type);
    if (n % per != 0)
        throw Error(std::string("GGUF ") + tensorTypeName(type), std::to_string(n) + " values are not whole blocks of " + std::to_string(per));
    auto blocks = [&](void (*one)(const float*, std::string&)) {
        for (std::size_t b = 0; b < n; b += per) one(values + b, out);
    };
    switch (type) {
    case TensorType::F32: out.append(reinterpret_cast<const char*>(values), n * sizeof(float)); return;
    case TensorType::F16:
        for (std::size_t i = 0; i < n; ++i) appendRaw(halfBits(values[i]), out);
        return;
    case TensorType::BF16:
        for (std::size_t i = 0; i < n; ++i) appendRaw(c10::BFloat16(values[i]).x, out);
        return;
    case TensorType::Q8_0: blocks(encodeQ8); return;
    case TensorType::Q4_0: blocks(encodeQ4_0); return;
    case TensorType::Q5_0: blocks(encodeQ5_0); return;
    case TensorType::Q5_1: blocks(encodeQ5_1); return;
    case TensorType::Q4_K: blocks(detail::encodeQ4K); return;
    case TensorType::Q5_K: blocks(detail::encodeQ5K); return;
    case TensorType::Q6_K: blocks(detail::encodeQ6K); return;
    }
    throw Error("GGUF", "cannot encode tensor type " + std::to_string(static_cast<uint32_t>(type)));
}

void decode(TensorType type, const uint8_t* bytes, std::size_t n, float* out) {
    const uint64_t per = blockValues(type), size = blockBytes(type);
    auto blocks = [&](void (*one)(const uint8_t*, float*)) {
        for (std::size_t b = 0; b < n / per; ++b) one(bytes + b * size, out + b * per);
    };
    switch (type) {
    case TensorType::F32: std::memcpy(out, bytes, n * sizeof(float)); return;
    case TensorType::F16:
    case TensorType::BF16:
        for (std::size_t i = 0; i < n; ++i) {
            const uint16_t bits = readHalfBits(bytes + 2 * i);
            out[i] = type == TensorType::F16 ? halfValue(bits)
                                             : static_cast<float>(c10::BFloat16(bits, c10::BFloat16::from_bits()));
        }
        return;
    case TensorType::Q8_0: blocks(decodeQ8); return;
    case TensorType::Q4_0: blocks(decodeQ4_0); return;
    case TensorType::Q5_0: blocks(decodeQ5_0); return;
    case TensorType::Q5_1: blocks(decodeQ5_1); return;
    case TensorType::Q4_K: blocks(detail::decodeQ4K); return;
    case TensorType::Q5_K: blocks(detail::decodeQ5K); return;
    case TensorType::Q6_K: blocks(detail::decodeQ6K); return;
    }
    throw Error("GGUF", "cannot decode tensor type " + std::to_string(static_cast<uint32_t>(type)));
}

} // namespace lorastudio::gguf

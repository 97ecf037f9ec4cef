// GGUF tensor encodings. See gguf_quant.h.
#include "io/gguf_quant.h"

#include "common/error.h"

#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lorastudio::gguf {
namespace {

template <typename T>
void appendRaw(const T& v, std::string& out) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

uint16_t halfBits(float x) { return c10::Half(x).x; }
float halfValue(uint16_t bits) { return static_cast<float>(c10::Half(bits, c10::Half::from_bits())); }

void encodeQ8(const float* x, std::size_t n, std::string& out) {
    if (n % kQ8BlockSize != 0) throw Error("GGUF Q8_0", std::to_string(n) + " values are not whole blocks of 32");
    for (std::size_t b = 0; b < n; b += kQ8BlockSize) {
        float amax = 0;
        for (std::size_t j = 0; j < kQ8BlockSize; ++j) amax = std::max(amax, std::fabs(x[b + j]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        appendRaw(halfBits(d), out);
        for (std::size_t j = 0; j < kQ8BlockSize; ++j) {
            const auto q = static_cast<int8_t>(std::lround(x[b + j] * id));
            out.push_back(static_cast<char>(q));
        }
    }
}

} // namespace

void encode(TensorType type, const float* values, std::size_t n, std::string& out) {
    switch (type) {
    case TensorType::F32: out.append(reinterpret_cast<const char*>(values), n * sizeof(float)); return;
    case TensorType::F16:
        for (std::size_t i = 0; i < n; ++i) appendRaw(halfBits(values[i]), out);
        return;
    case TensorType::BF16:
        for (std::size_t i = 0; i < n; ++i) appendRaw(c10::BFloat16(values[i]).x, out);
        return;
    case TensorType::Q8_0: encodeQ8(values, n, out); return;
    }
    throw Error("GGUF", "cannot encode tensor type " + std::to_string(static_cast<uint32_t>(type)));
}

void decode(TensorType type, const uint8_t* bytes, std::size_t n, float* out) {
    switch (type) {
    case TensorType::F32: std::memcpy(out, bytes, n * sizeof(float)); return;
    case TensorType::F16:
    case TensorType::BF16:
        for (std::size_t i = 0; i < n; ++i) {
            uint16_t bits;
            std::memcpy(&bits, bytes + 2 * i, 2);
            out[i] = type == TensorType::F16 ? halfValue(bits)
                                             : static_cast<float>(c10::BFloat16(bits, c10::BFloat16::from_bits()));
        }
        return;
    case TensorType::Q8_0:
        for (std::size_t b = 0; b < n / kQ8BlockSize; ++b) {
            const uint8_t* block = bytes + b * (2 + kQ8BlockSize);
            uint16_t bits;
            std::memcpy(&bits, block, 2);
            const float d = halfValue(bits);
            for (std::size_t j = 0; j < kQ8BlockSize; ++j) out[b * kQ8BlockSize + j] = d * static_cast<int8_t>(block[2 + j]);
        }
        return;
    }
    throw Error("GGUF", "cannot decode tensor type " + std::to_string(static_cast<uint32_t>(type)));
}

} // namespace lorastudio::gguf

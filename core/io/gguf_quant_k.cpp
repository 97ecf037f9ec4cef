// GGUF's K-quant blocks Q4_K and Q6_K (256 values each). See gguf_quant.h for the formats.
#include "io/gguf_quant.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lorastudio::gguf::detail {
namespace {

constexpr int kSuper = 256;

void appendHalf(float v, std::string& out) {
    const uint16_t bits = halfBits(v);
    out.append(reinterpret_cast<const char*>(&bits), 2);
}

uint8_t nearestIn(float v, int lo, int hi) { return static_cast<uint8_t>(std::clamp<long>(std::lround(v), lo, hi)); }

// Squared error of x against scale·clamp(round((x − off) / scale), 0, top) + off.
double affineError(const float* x, int n, float top, float scale, float off) {
    const float inv = 1.0f / scale;
    double e = 0;
    for (int i = 0; i < n; ++i) {
        const float q = std::min(std::max(std::nearbyint((x[i] - off) * inv), 0.0f), top);
        const float d = x[i] - (scale * q + off);
        e += d * d;
    }
    return e;
}

// Least squares (scale, offset) for the levels q = clamp(round(iscale·(x − lo)), 0, top); offset <= 0
// (the K types' offsets are never positive). False when no positive scale fits.
bool fitLevels(const float* x, int n, float top, float lo, float iscale, float& scale, float& off) {
    double sq = 0, sqq = 0, sx = 0, sqx = 0;
    for (int i = 0; i < n; ++i) {
        const float q = std::min(std::max(std::nearbyint(iscale * (x[i] - lo)), 0.0f), top);
        sq += q, sqq += q * q, sx += x[i], sqx += q * x[i];
    }
    const double det = n * sqq - sq * sq;
    if (det <= 0) return false;
    double s = (n * sqx - sq * sx) / det, o = (sx - s * sq) / n;
    if (o > 0) o = 0, s = sqq > 0 ? sqx / sqq : 0;
    if (s <= 0) return false;
    scale = static_cast<float>(s), off = static_cast<float>(o);
    return true;
}

// x ≈ scale·q − minv with q in 0..top (15 or 31), minv >= 0: the range fit (top steps over the
// range), and spacings around it (top ± 0.6 steps, in tenths) each refitted by least squares for
// its levels; the best kept, then refined while the squared error falls.
void fitAffine(const float* x, int n, float top, float& scale, float& minv) {
    float lo = 0, hi = x[0];
    for (int i = 0; i < n; ++i) lo = std::min(lo, x[i]), hi = std::max(hi, x[i]);
    minv = -lo;
    scale = hi > lo ? (hi - lo) / top : 0.0f;
    if (scale == 0.0f) return;
    float off = lo;
    double best = affineError(x, n, top, scale, off);
    for (int step = -6; step <= 6; ++step) {
        float s = 0, o = 0;
        if (!fitLevels(x, n, top, lo, (top + 0.1f * step) / (hi - lo), s, o)) continue;
        const double e = affineError(x, n, top, s, o);
        if (e < best) best = e, scale = s, off = o;
    }
    for (int iter = 0; iter < 2; ++iter) {
        float s = 0, o = 0;
        if (!fitLevels(x, n, top, off, 1.0f / scale, s, o)) break;
        const double e = affineError(x, n, top, s, o);
        if (e >= best) break;
        best = e, scale = s, off = o;
    }
    minv = -off;
}

// Sub-block j's 6-bit scale and min in Q4_K's 12 bytes: j < 4 in the low 6 bits of bytes j and
// j+4; j >= 4 as nibbles of byte j+4 with their top 2 bits in the top bits of bytes j-4 and j.
void packScaleMin(uint8_t* s, int j, uint8_t sc, uint8_t m) {
    if (j < 4) {
        s[j] = static_cast<uint8_t>((s[j] & 0xC0) | sc);
        s[j + 4] = static_cast<uint8_t>((s[j + 4] & 0xC0) | m);
    } else {
        s[j + 4] = static_cast<uint8_t>((sc & 0x0F) | ((m & 0x0F) << 4));
        s[j - 4] = static_cast<uint8_t>((s[j - 4] & 0x3F) | ((sc >> 4) << 6));
        s[j] = static_cast<uint8_t>((s[j] & 0x3F) | ((m >> 4) << 6));
    }
}

void unpackScaleMin(const uint8_t* s, int j, int& sc, int& m) {
    if (j < 4) {
        sc = s[j] & 63;
        m = s[j + 4] & 63;
    } else {
        sc = (s[j + 4] & 0x0F) | ((s[j - 4] >> 6) << 4);
        m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
}


// Q4_K and Q5_K: per sub-block of 32 an affine fit, its scale and min as 6-bit multiples of the
// block's fp16 d and dmin, then q in 0..top for the stored scale and min. Returns the 256 q.
void encodeAffineK(const float* x, float top, std::string& out, uint8_t* q) {
    float scale[8], minv[8], maxScale = 0, maxMin = 0;
    for (int j = 0; j < 8; ++j) {
        fitAffine(x + 32 * j, 32, top, scale[j], minv[j]);
        maxScale = std::max(maxScale, scale[j]);
        maxMin = std::max(maxMin, minv[j]);
    }
    const float d = halfValue(halfBits(maxScale / 63.0f)), dmin = halfValue(halfBits(maxMin / 63.0f));
    uint8_t scales[12] = {};
    const int levels = static_cast<int>(top);
    for (int j = 0; j < 8; ++j) {
        const uint8_t sc = d > 0 ? nearestIn(scale[j] / d, 0, 63) : 0, m = dmin > 0 ? nearestIn(minv[j] / dmin, 0, 63) : 0;
        packScaleMin(scales, j, sc, m);
        const float es = d * sc, em = dmin * m;
        for (int i = 0; i < 32; ++i) q[32 * j + i] = es > 0 ? nearestIn((x[32 * j + i] + em) / es, 0, levels) : 0;
    }
    appendHalf(d, out);
    appendHalf(dmin, out);
    out.append(reinterpret_cast<const char*>(scales), sizeof scales);
}

// The low nibbles of Q4_K / Q5_K: 64 values per 32 bytes, sub-block 2c in the low nibbles, 2c+1 in the high.
void appendNibbles(const uint8_t* q, std::string& out) {
    uint8_t qs[128];
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l) qs[32 * c + l] = static_cast<uint8_t>((q[64 * c + l] & 0x0F) | ((q[64 * c + 32 + l] & 0x0F) << 4));
    out.append(reinterpret_cast<const char*>(qs), sizeof qs);
}

// Value i of a Q4_K / Q5_K block (d, dmin, scales at block) with its q: d·s·q − dmin·m.
void decodeAffineK(const uint8_t* block, const uint8_t* q, float* y) {
    const float d = halfValue(readHalfBits(block)), dmin = halfValue(readHalfBits(block + 2));
    for (int j = 0; j < 8; ++j) {
        int sc, m;
        unpackScaleMin(block + 4, j, sc, m);
        const float es = d * sc, em = dmin * m;
        for (int l = 0; l < 32; ++l) y[32 * j + l] = es * q[32 * j + l] - em;
    }
}

// The nibbles back: q[64c + l] low, q[64c + 32 + l] high.
void readNibbles(const uint8_t* qs, uint8_t* q) {
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l) {
            q[64 * c + l] = qs[32 * c + l] & 0x0F;
            q[64 * c + 32 + l] = qs[32 * c + l] >> 4;
        }
}

} // namespace

void encodeQ4K(const float* x, std::string& out) {
    uint8_t q[kSuper];
    encodeAffineK(x, 15.0f, out, q);
    appendNibbles(q, out);
}

void decodeQ4K(const uint8_t* block, float* y) {
    uint8_t q[kSuper];
    readNibbles(block + 16, q);
    decodeAffineK(block, q, y);
}

// Q5_K's fifth bits: value l of chunk c (64 values) in bit 2c of byte l, value 32 + l in bit 2c + 1.
void encodeQ5K(const float* x, std::string& out) {
    uint8_t q[kSuper], qh[32] = {};
    encodeAffineK(x, 31.0f, out, q);
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l) {
            qh[l] |= static_cast<uint8_t>((q[64 * c + l] >> 4) << (2 * c));
            qh[l] |= static_cast<uint8_t>((q[64 * c + 32 + l] >> 4) << (2 * c + 1));
        }
    out.append(reinterpret_cast<const char*>(qh), sizeof qh);
    appendNibbles(q, out);
}

void decodeQ5K(const uint8_t* block, float* y) {
    uint8_t q[kSuper];
    const uint8_t* qh = block + 16;
    readNibbles(block + 48, q);
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l) {
            q[64 * c + l] |= static_cast<uint8_t>(((qh[l] >> (2 * c)) & 1) << 4);
            q[64 * c + 32 + l] |= static_cast<uint8_t>(((qh[l] >> (2 * c + 1)) & 1) << 4);
        }
    decodeAffineK(block, q, y);
}

// x ≈ scale·q with q in -32..31 for one sub-block of 16: the value of largest magnitude m at -32
// (scale m / -32), then spacings around it (m over 31.4 to 32.6 steps, in tenths), each refitted
// by least squares for its levels; the best kept.
float fitScale6(const float* x) {
    const float m = largestMagnitude(x, 16);
    if (m == 0.0f) return 0.0f;
    auto error = [&](float scale) {
        const float inv = 1.0f / scale;
        double e = 0;
        for (int i = 0; i < 16; ++i) {
            const float q = std::min(std::max(std::nearbyint(x[i] * inv), -32.0f), 31.0f);
            const float d = x[i] - scale * q;
            e += d * d;
        }
        return e;
    };
    float best = m / -32.0f;
    double bestError = error(best);
    for (int step = -6; step <= 6; ++step) {
        const float iscale = (-32.0f - 0.1f * step) / m;
        double sqx = 0, sqq = 0;
        for (int i = 0; i < 16; ++i) {
            const float q = std::min(std::max(std::nearbyint(iscale * x[i]), -32.0f), 31.0f);
            sqx += q * x[i], sqq += q * q;
        }
        if (sqq <= 0) continue;
        const float scale = static_cast<float>(sqx / sqq);
        const double e = error(scale);
        if (e < bestError) bestError = e, best = scale;
    }
    return best;
}

// Per sub-block of 16 a scale (fitScale6); the scales are int8 multiples of d, the largest
// magnitude -128.
void encodeQ6K(const float* x, std::string& out) {
    float sub[16], top = 0;
    for (int k = 0; k < 16; ++k) {
        sub[k] = fitScale6(x + 16 * k);
        if (std::fabs(sub[k]) > std::fabs(top)) top = sub[k];
    }
    const float d = halfValue(halfBits(top / -128.0f));
    int8_t scales[16];
    uint8_t q[kSuper], ql[128] = {}, qh[64] = {};
    for (int k = 0; k < 16; ++k) {
        scales[k] = d != 0.0f ? static_cast<int8_t>(std::clamp<long>(std::lround(sub[k] / d), -128, 127)) : 0;
        const float es = d * scales[k];
        for (int i = 0; i < 16; ++i) q[16 * k + i] = static_cast<uint8_t>((es != 0.0f ? nearestIn(x[16 * k + i] / es + 32, 0, 63) : 32));
    }
    // Each half of 128 values: 64 bytes of low nibbles (values l and l+64, then l+32 and l+96) and
    // 32 bytes holding the four values' top 2 bits.
    for (int h = 0; h < 2; ++h)
        for (int l = 0; l < 32; ++l) {
            const uint8_t* v = q + 128 * h;
            ql[64 * h + l] = static_cast<uint8_t>((v[l] & 0x0F) | ((v[l + 64] & 0x0F) << 4));
            ql[64 * h + l + 32] = static_cast<uint8_t>((v[l + 32] & 0x0F) | ((v[l + 96] & 0x0F) << 4));
            qh[32 * h + l] = static_cast<uint8_t>((v[l] >> 4) | ((v[l + 32] >> 4) << 2) | ((v[l + 64] >> 4) << 4) | ((v[l + 96] >> 4) << 6));
        }
    out.append(reinterpret_cast<const char*>(ql), sizeof ql);
    out.append(reinterpret_cast<const char*>(qh), sizeof qh);
    out.append(reinterpret_cast<const char*>(scales), sizeof scales);
    appendHalf(d, out);
}

void decodeQ6K(const uint8_t* block, float* y) {
    const uint8_t* ql = block;
    const uint8_t* qh = block + 128;
    const auto* scales = reinterpret_cast<const int8_t*>(block + 192);
    const float d = halfValue(readHalfBits(block + 208));
    for (int h = 0; h < 2; ++h)
        for (int l = 0; l < 32; ++l) {
            const uint8_t lo0 = ql[64 * h + l], lo1 = ql[64 * h + l + 32], hi = qh[32 * h + l];
            const int q[4] = {(lo0 & 0x0F) | ((hi & 3) << 4), (lo1 & 0x0F) | (((hi >> 2) & 3) << 4),
                              (lo0 >> 4) | (((hi >> 4) & 3) << 4), (lo1 >> 4) | (((hi >> 6) & 3) << 4)};
            for (int k = 0; k < 4; ++k) {
                const int i = 128 * h + 32 * k + l;  // value index; its sub-block of 16 is i / 16
                y[i] = d * scales[i / 16] * (q[k] - 32);
            }
        }
}

} // namespace lorastudio::gguf::detail

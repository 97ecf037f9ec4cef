// NF4 and int8 quantization of frozen weights (see quantized_weight.h), with ATen ops throughout.
#include "quant/quantized_weight.h"

#include "common/error.h"

#include <ATen/ATen.h>

#include <string>

namespace lorastudio {

namespace {
constexpr int64_t kAbsmaxBlock = 256;
}

const std::array<float, 16>& nf4Codebook() {
    // The QLoRA construction: 8 positive and 7 negative quantiles of N(0, 1) (offset 0.9677), an
    // exact zero, each side normalised by its largest magnitude. Values as float32 (tested against
    // the construction in tests/core/test_quant.cpp).
    static const std::array<float, 16> code = {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f,
        -0.18477343022823334f, -0.09105003625154495f, 0.0f, 0.07958029955625534f, 0.16093020141124725f,
        0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f,
        0.7229568362236023f, 1.0f};
    return code;
}

int64_t Nf4Weight::numel() const {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    return n;
}

int64_t Nf4Weight::storageBytes() const {
    int64_t bytes = packed.numel();
    if (doubleQuantized) bytes += absmaxCodes.numel() + absmaxScales.numel() * 4 + 4;
    if (absmaxCodebook.defined()) bytes += absmaxCodebook.numel() * 4;
    else bytes += absmax.numel() * 4;
    return bytes;
}

Nf4Weight quantizeNf4(const at::Tensor& weight, int64_t blockSize, bool doubleQuantize) {
    if (blockSize <= 0 || blockSize % 2 != 0)
        throw Error("nf4", "block size must be a positive even number, got " + std::to_string(blockSize));
    Nf4Weight q;
    q.shape = weight.sizes().vec();
    q.blockSize = blockSize;
    at::Tensor flat = weight.detach().to(at::kFloat).reshape({-1}).contiguous();
    const int64_t n = flat.numel();
    const int64_t blocks = (n + blockSize - 1) / blockSize;
    if (blocks * blockSize != n) flat = at::cat({flat, at::zeros({blocks * blockSize - n}, flat.options())});
    at::Tensor grid = flat.view({blocks, blockSize});
    at::Tensor absmax = grid.abs().amax(1);  // [blocks]
    at::Tensor scaled = grid / absmax.clamp_min(1e-30).unsqueeze(1);
    // Nearest code value by the midpoints between neighbours (ties go to the upper value).
    const auto& code = nf4Codebook();
    std::vector<float> mids;
    for (int i = 0; i + 1 < 16; ++i) mids.push_back(0.5f * (code[i] + code[i + 1]));
    at::Tensor boundaries = at::tensor(mids, at::kFloat).to(flat.device());
    at::Tensor index = at::bucketize(scaled, boundaries, /*out_int32=*/false, /*right=*/true).to(at::kByte);
    index = index.reshape({-1}).narrow(0, 0, n);
    if (n % 2 != 0) index = at::cat({index, at::zeros({1}, index.options())});
    at::Tensor pairs = index.view({-1, 2});
    q.packed = (pairs.select(1, 0).__lshift__(4)).bitwise_or(pairs.select(1, 1)).contiguous();
    if (!doubleQuantize) {
        q.absmax = absmax.contiguous();
        return q;
    }
    q.doubleQuantized = true;
    q.absmaxOffset = absmax.mean().item<float>();
    at::Tensor centred = absmax - q.absmaxOffset;
    const int64_t groups = (blocks + kAbsmaxBlock - 1) / kAbsmaxBlock;
    if (groups * kAbsmaxBlock != blocks) centred = at::cat({centred, at::zeros({groups * kAbsmaxBlock - blocks}, centred.options())});
    at::Tensor g = centred.view({groups, kAbsmaxBlock});
    q.absmaxScales = (g.abs().amax(1) / 127.0).contiguous();
    q.absmaxCodes = (g / q.absmaxScales.clamp_min(1e-30).unsqueeze(1)).round().clamp(-127, 127).to(at::kChar)
                        .reshape({-1}).narrow(0, 0, blocks).contiguous();
    return q;
}

at::Tensor nf4BlockScales(const Nf4Weight& q) {
    if (!q.doubleQuantized) return q.absmax;
    const int64_t blocks = q.absmaxCodes.numel();
    at::Tensor scales = q.absmaxScales.repeat_interleave(kAbsmaxBlock).narrow(0, 0, blocks);
    const at::Tensor codes = q.absmaxCodebook.defined() ? q.absmaxCodebook.index_select(0, q.absmaxCodes.to(at::kLong))
                                                        : q.absmaxCodes.to(at::kFloat);
    return codes * scales + q.absmaxOffset;
}

at::Tensor dequantizeNf4(const Nf4Weight& q, c10::ScalarType dtype) {
    // One lookup per byte: a [256, 2] table of (high, low) code values, then the block scales
    // broadcast over [blocks, blockSize] (no per-value index tensor, no repeated scales).
    const int64_t n = q.numel();
    static const at::Tensor pairTable = [] {
        const auto& code = nf4Codebook();
        std::vector<float> t(512);
        for (int b = 0; b < 256; ++b) {
            t[2 * b] = code[b >> 4];
            t[2 * b + 1] = code[b & 15];
        }
        return at::tensor(t, at::kFloat).view({256, 2});
    }();
    const at::Tensor table = pairTable.device() == q.packed.device() ? pairTable : pairTable.to(q.packed.device());
    at::Tensor values = table.index_select(0, q.packed.to(at::kLong)).view({-1});
    const at::Tensor scales = nf4BlockScales(q);
    const int64_t blocks = scales.numel();
    if (values.numel() < blocks * q.blockSize)
        values = at::cat({values, at::zeros({blocks * q.blockSize - values.numel()}, values.options())});
    values = values.narrow(0, 0, blocks * q.blockSize).view({blocks, q.blockSize}) * scales.unsqueeze(1);
    return values.view({-1}).narrow(0, 0, n).view(q.shape).to(dtype);
}

int64_t Int8Weight::storageBytes() const { return values.numel() + scales.numel() * 4; }

Int8Weight quantizeInt8Rows(const at::Tensor& weight) {
    if (weight.dim() != 2) throw Error("int8", "expected a [out, in] weight, got " + std::to_string(weight.dim()) + " dimensions");
    Int8Weight q;
    at::Tensor w = weight.detach().to(at::kFloat);
    q.scales = (w.abs().amax(1) / 127.0).contiguous();
    q.values = (w / q.scales.clamp_min(1e-30).unsqueeze(1)).round().clamp(-127, 127).to(at::kChar).contiguous();
    return q;
}

at::Tensor dequantizeInt8Rows(const Int8Weight& q, c10::ScalarType dtype) {
    return (q.values.to(at::kFloat) * q.scales.unsqueeze(1)).to(dtype);
}

QuantizedWeight::QuantizedWeight(const at::Tensor& weight, QuantFormat format, bool doubleQuant, bool rowsAreOutputs)
    : m_format(format), m_shape(weight.sizes().vec()) {
    if (weight.dim() != 2) throw Error("quantization", "expected a 2-D weight, got " + std::to_string(weight.dim()) + " dimensions");
    if (format == QuantFormat::Nf4) {
        m_nf4 = quantizeNf4(weight, 64, doubleQuant);
    } else {
        m_transposed = !rowsAreOutputs;
        m_int8 = quantizeInt8Rows(m_transposed ? weight.t() : weight);
    }
}

QuantizedWeight QuantizedWeight::fromNf4(Nf4Weight codes) {
    QuantizedWeight q;
    q.m_format = QuantFormat::Nf4;
    q.m_shape = codes.shape;
    q.m_nf4 = std::move(codes);
    return q;
}

QuantizedWeight QuantizedWeight::fromInt8Rows(Int8Weight codes) {
    QuantizedWeight q;
    q.m_format = QuantFormat::Int8;
    q.m_shape = codes.values.sizes().vec();
    q.m_int8 = std::move(codes);
    return q;
}

at::Tensor QuantizedWeight::dequantize(c10::ScalarType dtype) const {
    if (m_format == QuantFormat::Nf4) return dequantizeNf4(m_nf4, dtype);
    at::Tensor w = dequantizeInt8Rows(m_int8, dtype);
    return m_transposed ? w.t() : w;
}

int64_t QuantizedWeight::storageBytes() const {
    return m_format == QuantFormat::Nf4 ? m_nf4.storageBytes() : m_int8.storageBytes();
}

} // namespace lorastudio

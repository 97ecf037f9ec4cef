// Frozen base weights stored small for QLoRA (LinearLayer::quantizeWeight keeps them so):
// - NF4, the QLoRA paper's 4-bit NormalFloat (Dettmers et al. 2023, as bitsandbytes stores it):
//   each block of 64 consecutive values is scaled by its absmax into [-1, 1] and each value becomes
//   the index of the nearest of 16 code values (quantiles of N(0, 1), normalised, with an exact 0);
//   two indices per byte, the first in the high nibble. Optional double quantization stores the
//   block absmaxes themselves as 8-bit codes in blocks of 256 around their mean (here linear
//   symmetric int8 per block of 256 with an fp32 scale each, not bitsandbytes' 8-bit dynamic map).
// - int8: one absmax scale per output row, values round(w / scale) in [-127, 127].
// Dequantization gives back a dense tensor in the compute dtype, for each matmul.
#pragma once
#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <array>
#include <cstdint>
#include <vector>

namespace lorastudio {

// The 16 NF4 code values, ascending, code[7] == 0, code[0] == -1, code[15] == 1.
const std::array<float, 16>& nf4Codebook();

struct Nf4Weight {
    std::vector<int64_t> shape;       // of the original tensor
    int64_t blockSize = 64;
    at::Tensor packed;                // uint8 [ceil(numel / 2)]: two 4-bit indices per byte, first high
    at::Tensor absmax;                // fp32 [blocks] (empty when doubleQuantized)
    // Double quantization of absmax: int8 codes [blocks], one fp32 scale per 256 codes, and the
    // mean subtracted before (absmax = code * scale + offset). With absmaxCodebook (bitsandbytes'
    // checkpoints: its 8-bit dynamic map, fp32 [256]) the codes are uint8 indices into it:
    // absmax = codebook[code] * scale + offset.
    bool doubleQuantized = false;
    at::Tensor absmaxCodes;           // int8 [blocks], or uint8 [blocks] with absmaxCodebook
    at::Tensor absmaxCodebook;        // undefined, or fp32 [256]
    at::Tensor absmaxScales;          // fp32 [ceil(blocks / 256)]
    float absmaxOffset = 0;

    int64_t numel() const;
    int64_t storageBytes() const;     // packed + the absmax representation
};

Nf4Weight quantizeNf4(const at::Tensor& weight, int64_t blockSize = 64, bool doubleQuantize = false);
at::Tensor dequantizeNf4(const Nf4Weight& q, c10::ScalarType dtype = c10::ScalarType::Float);
// The absmax of each block as dequantization uses it (after double quantization, if any).
at::Tensor nf4BlockScales(const Nf4Weight& q);

struct Int8Weight {
    at::Tensor values;                // int8 [out, in]
    at::Tensor scales;                // fp32 [out]: row absmax / 127
    int64_t storageBytes() const;
};

// weight: [out, in].
Int8Weight quantizeInt8Rows(const at::Tensor& weight);
at::Tensor dequantizeInt8Rows(const Int8Weight& q, c10::ScalarType dtype = c10::ScalarType::Float);

enum class QuantFormat { Nf4, Int8 };

// One frozen weight in either format, for a LinearLayer: dequantize() gives it back dense, in the
// original layout and the requested dtype, on the device the codes live on.
class QuantizedWeight {
public:
    // weight: 2-D. rowsAreOutputs = false (GPT-2 Conv1D, [in, out]): int8 scales per column, so
    // that each output keeps its own scale.
    QuantizedWeight(const at::Tensor& weight, QuantFormat format, bool doubleQuant, bool rowsAreOutputs = true);
    // Codes stored elsewhere (a bitsandbytes checkpoint), taken as they are: weight [out, in].
    static QuantizedWeight fromNf4(Nf4Weight codes);
    static QuantizedWeight fromInt8Rows(Int8Weight codes);
    at::Tensor dequantize(c10::ScalarType dtype) const;
    QuantFormat format() const { return m_format; }
    int64_t storageBytes() const;
    const std::vector<int64_t>& shape() const { return m_shape; }

private:
    QuantizedWeight() = default;
    QuantFormat m_format = QuantFormat::Nf4;
    bool m_transposed = false;  // int8 of a [in, out] weight: quantized as its transpose
    std::vector<int64_t> m_shape;
    Nf4Weight m_nf4;
    Int8Weight m_int8;
};

} // namespace lorastudio

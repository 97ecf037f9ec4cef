// GGUF's 4- to 6-bit blocks without llama.cpp: hand-built Q4_0, Q5_0, Q4_K and Q6_K blocks decode to the
// values the formats define (bytes set here by hand, each value worked out from the layout), our
// encoders' error on normal data stays within what 4 and 6 bits allow, and the q4_k_m / q4_0 recipes
// pick llama.cpp's types per tensor, with the fallbacks for rows that are not whole blocks.
// (test_gguf_llama_cpp checks that a real llama.cpp reads our 4-bit files as we do.)
#include "export/gguf_file_type.h"
#include "io/gguf.h"
#include "io/gguf_quant.h"

#include <ATen/ATen.h>
#include <c10/util/Half.h>

#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <vector>

using namespace lorastudio;
using gguf::TensorType;

namespace {

void putHalf(std::vector<uint8_t>& block, std::size_t at, float v) {
    const uint16_t bits = c10::Half(v).x;
    std::memcpy(block.data() + at, &bits, 2);
}

std::vector<float> decoded(TensorType t, const std::vector<uint8_t>& bytes) {
    std::vector<float> y(bytes.size() / gguf::blockBytes(t) * gguf::blockValues(t));
    gguf::decode(t, bytes.data(), y.size(), y.data());
    return y;
}

// Root-mean-square error of encode -> decode over rms of the input.
double relativeRms(TensorType t, const std::vector<float>& x) {
    std::string bytes;
    gguf::encode(t, x.data(), x.size(), bytes);
    if (bytes.size() != gguf::tensorBytes(t, {x.size()})) return 1e9;
    const auto y = decoded(t, std::vector<uint8_t>(bytes.begin(), bytes.end()));
    double e = 0, s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) e += (x[i] - y[i]) * (x[i] - y[i]), s += x[i] * x[i];
    return std::sqrt(e / s);
}

// Q4_K's and Q5_K's 12 bytes after d and dmin: sub-block 1 scale 3, min 4; sub-block 5 scale 37,
// min 44 (its low bits in byte 8 + 1, its top bits in the top 2 bits of bytes 1 and 5); the rest 0.
void setScalesAndMins(std::vector<uint8_t>& block) {
    uint8_t* s = block.data() + 4;
    s[1] = 3 | (2 << 6);
    s[5] = 4 | (2 << 6);
    s[9] = (37 & 15) | ((44 & 15) << 4);
}

GgufMatrix matrix(const std::string& name, uint64_t row = 4096, int64_t layers = 32, bool tied = false) {
    return GgufMatrix{name, row, layers, tied};
}

} // namespace

class TestGgufQuant : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void blockSizes() {
        QCOMPARE(gguf::tensorBytes(TensorType::Q4_0, {64, 3}), uint64_t(6 * 18));
        QCOMPARE(gguf::tensorBytes(TensorType::Q5_0, {32}), uint64_t(22));
        QCOMPARE(gguf::tensorBytes(TensorType::Q4_K, {512, 2}), uint64_t(4 * 144));
        QCOMPARE(gguf::tensorBytes(TensorType::Q6_K, {256}), uint64_t(210));
        QVERIFY(gguf::canStore(TensorType::Q4_0, 96) && !gguf::canStore(TensorType::Q4_K, 96));
        QCOMPARE(*gguf::parseTensorType("q4_k"), TensorType::Q4_K);
        QVERIFY(testsupport::errorOf([] {
                    gguf::Writer w;
                    w.addTensor("x", {576, 2}, TensorType::Q6_K, [](std::string&) {});
                }).find("not whole Q6_K blocks of 256") != std::string::npos);
    }

    // Q4_0: x = d·(q − 8), value j in byte j's low nibble, value j+16 in its high nibble.
    void q4_0BlockDecodesAsDefined() {
        std::vector<uint8_t> b(18, 0x88);  // every q = 8: zero
        putHalf(b, 0, 0.25f);
        b[2 + 3] = 0xA2;
        const auto y = decoded(TensorType::Q4_0, b);
        QCOMPARE(y[3], 0.25f * (2 - 8));
        QCOMPARE(y[19], 0.25f * (10 - 8));
        QCOMPARE(y[4], 0.0f);
    }

    // Q5_0: x = d·(q − 16), q's fifth bit j in bit j of the little-endian uint32 after d, its
    // low 4 bits as Q4_0's.
    void q5_0BlockDecodesAsDefined() {
        std::vector<uint8_t> b(22, 0);
        putHalf(b, 0, 0.5f);
        b[2] = 1 << 3;                // value 3's fifth bit
        b[4] = 1 << 3;                // bit 19: value 19's fifth bit
        b[6 + 3] = 0x2A;              // value 3: low bits 10 (q = 26); value 19: low bits 2 (q = 18)
        const auto y = decoded(TensorType::Q5_0, b);
        QCOMPARE(y[3], 0.5f * (26 - 16));
        QCOMPARE(y[19], 0.5f * (18 - 16));
        QCOMPARE(y[0], 0.5f * -16);
    }

    // Q5_1: x = d·q + m, d and m fp16, then the fifth bits and low nibbles as Q5_0's.
    void q5_1BlockDecodesAsDefined() {
        std::vector<uint8_t> b(24, 0);
        putHalf(b, 0, 0.25f);
        putHalf(b, 2, -1.0f);
        b[4] = 1 << 3;                // value 3's fifth bit
        b[6] = 1 << 3;                // bit 19: value 19's fifth bit
        b[8 + 3] = 0x2A;              // value 3: low bits 10 (q = 26); value 19: low bits 2 (q = 18)
        const auto y = decoded(TensorType::Q5_1, b);
        QCOMPARE(y[3], 0.25f * 26 - 1.0f);
        QCOMPARE(y[19], 0.25f * 18 - 1.0f);
        QCOMPARE(y[0], -1.0f);
    }

    // Q5_K: Q4_K's d, dmin and scales, then 32 bytes of fifth bits (value l of the 64-value chunk c:
    // bit 2c of byte l for the chunk's first 32, bit 2c+1 for its second), then Q4_K's nibbles.
    void q5KBlockDecodesAsDefined() {
        std::vector<uint8_t> b(176, 0);
        putHalf(b, 0, 1.0f);
        putHalf(b, 2, 0.5f);
        setScalesAndMins(b);
        uint8_t* qh = b.data() + 16;
        qh[0] = 1 << 1;               // value 32 (chunk 0, second half): fifth bit
        qh[3] = 1 << 5;               // value 5·32 + 3 (chunk 2, second half): fifth bit
        uint8_t* qs = b.data() + 48;
        qs[0] = 0x90;                 // value 32: low bits 9 -> q = 25
        qs[64 + 3] = 0x70;            // value 5·32 + 3: low bits 7 -> q = 23; value 4·32 + 3: q = 0
        const auto y = decoded(TensorType::Q5_K, b);
        QCOMPARE(y[32], 1.0f * 3 * 25 - 0.5f * 4);
        QCOMPARE(y[33], -0.5f * 4);
        QCOMPARE(y[5 * 32 + 3], 1.0f * 37 * 23 - 0.5f * 44);
        QCOMPARE(y[4 * 32 + 3], 0.0f);  // sub-block 4: scale and min 0
    }

    // Q4_K: d, dmin, 12 bytes of 6-bit scales/mins (sub-blocks 0-3 in the low 6 bits of bytes 0-7;
    // 4-7 as nibbles of bytes 8-11 with their top bits in the top 2 bits of bytes 0-7), then 128
    // bytes: sub-blocks 2c and 2c+1 in the low and high nibbles of bytes 32c..32c+31.
    void q4KBlockDecodesAsDefined() {
        std::vector<uint8_t> b(144, 0);
        putHalf(b, 0, 1.0f);
        putHalf(b, 2, 0.5f);
        setScalesAndMins(b);
        uint8_t* qs = b.data() + 16;
        qs[0] = 0x90;                 // value 32 (sub-block 1, first) q = 9
        qs[64 + 3] = 0x70;            // value 5·32 + 3 (sub-block 5) q = 7; value 4·32 + 3 q = 0
        const auto y = decoded(TensorType::Q4_K, b);
        QCOMPARE(y[32], 1.0f * 3 * 9 - 0.5f * 4);
        QCOMPARE(y[33], -0.5f * 4);
        QCOMPARE(y[5 * 32 + 3], 1.0f * 37 * 7 - 0.5f * 44);
        QCOMPARE(y[4 * 32 + 3], 0.0f);  // sub-block 4: scale 0, min 0
    }

    // Q6_K: 128 bytes of low nibbles, 64 of high 2-bit pairs, 16 int8 scales, d; within each half
    // of 128 values byte l holds values l (low) and l+64 (high), byte l+32 values l+32 and l+96, and
    // qh byte l their top bits in pairs 0, 2, 4, 6 in the order l, l+32, l+64, l+96.
    void q6KBlockDecodesAsDefined() {
        std::vector<uint8_t> b(210, 0);
        putHalf(b, 208, 0.5f);
        auto* scales = reinterpret_cast<int8_t*>(b.data() + 192);
        scales[9] = -3;
        scales[15] = 2;
        b[64 + 22] = 0x0B;            // value 128 + 22 (sub-block 9): low bits 11
        b[128 + 32 + 22] = 0x02 | (1 << 6);  // its top bits 2 (q = 43); value 128 + 96 + 22's top bits 1
        b[64 + 32 + 22] = 0x30;       // value 128 + 96 + 22 (sub-block 15): low bits 3 (q = 19)
        const auto y = decoded(TensorType::Q6_K, b);
        QCOMPARE(y[150], 0.5f * -3 * (43 - 32));
        QCOMPARE(y[246], 0.5f * 2 * (19 - 32));
        QCOMPARE(y[151], 0.5f * -3 * (0 - 32));
        QCOMPARE(y[0], 0.0f);  // scale 0
    }

    // Normal data: uniform rounding error alone would give about 0.09 (4 bits: a step of about a
    // third of sigma) and 0.018 (6 bits); a layout slip gives more than 1.
    void encodersStayWithinTheirBits() {
        at::manual_seed(3);
        const at::Tensor t = at::randn({256 * 64});
        std::vector<float> x(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        const double q4_0 = relativeRms(TensorType::Q4_0, x), q5_0 = relativeRms(TensorType::Q5_0, x),
                     q5_1 = relativeRms(TensorType::Q5_1, x), q4k = relativeRms(TensorType::Q4_K, x),
                     q5k = relativeRms(TensorType::Q5_K, x), q6k = relativeRms(TensorType::Q6_K, x), q8 = relativeRms(TensorType::Q8_0, x);
        qInfo("relative rms error: Q4_0 %.4f, Q5_0 %.4f, Q5_1 %.4f, Q4_K %.4f, Q5_K %.4f, Q6_K %.4f, Q8_0 %.4f", q4_0, q5_0, q5_1,
              q4k, q5k, q6k, q8);
        QVERIFY(q4_0 < 0.11);
        QVERIFY(q5_0 < 0.055);
        QVERIFY(q5_1 < 0.055);
        QVERIFY(q4k < 0.09);
        QVERIFY(q5k < 0.045);
        QVERIFY(q6k < 0.025);
        QVERIFY(q8 < q6k && q6k < q5k && q5k < q5_0 && q5_0 < q4k);
        // Each Q4_0 value within one step of its block (the largest magnitude is exact).
        std::string bytes;
        gguf::encode(TensorType::Q4_0, x.data(), 32, bytes);
        uint16_t bits;
        std::memcpy(&bits, bytes.data(), 2);
        const float d = std::fabs(static_cast<float>(c10::Half(bits, c10::Half::from_bits())));
        const auto y = decoded(TensorType::Q4_0, std::vector<uint8_t>(bytes.begin(), bytes.end()));
        for (int i = 0; i < 32; ++i) QVERIFY(std::fabs(x[i] - y[i]) <= d * 1.001f);
        // Blocks of one value, zeros, and offsets: no NaN, the constants come back.
        for (const float c : {0.0f, 1.5f, -2.0f}) {
            const std::vector<float> same(256, c);
            for (const TensorType type : {TensorType::Q4_0, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q4_K, TensorType::Q5_K,
                                          TensorType::Q6_K}) {
                std::string out;
                gguf::encode(type, same.data(), same.size(), out);
                const auto back = decoded(type, std::vector<uint8_t>(out.begin(), out.end()));
                for (float v : back) QVERIFY2(std::fabs(v - c) <= 0.01f * std::fabs(c) + 1e-6f, gguf::tensorTypeName(type));
            }
        }
    }

    void q4KMRecipeIsLlamaCpps() {
        const auto q4km = [](const GgufMatrix& m) { return std::string(gguf::tensorTypeName(matrixType(GgufFileType::Q4_K_M, m))); };
        QCOMPARE(q4km(matrix("output.weight")), std::string("Q6_K"));
        QCOMPARE(q4km(matrix("token_embd.weight")), std::string("Q4_K"));
        QCOMPARE(q4km(matrix("token_embd.weight", 4096, 32, true)), std::string("Q6_K"));  // the tied head
        QCOMPARE(q4km(matrix("blk.0.attn_q.weight")), std::string("Q4_K"));
        // 32 layers: more bits in 0-3, 28-31 and every third from 4 (6, 9, ..., 27).
        for (int l = 0; l < 32; ++l) {
            const bool more = l < 4 || l >= 28 || (l - 4) % 3 == 2;
            const std::string want = more ? "Q6_K" : "Q4_K";
            QCOMPARE(q4km(matrix("blk." + std::to_string(l) + ".attn_v.weight")), want);
            QCOMPARE(q4km(matrix("blk." + std::to_string(l) + ".attn_qkv.weight")), want);  // fused: holds v
            QCOMPARE(q4km(matrix("blk." + std::to_string(l) + ".ffn_down.weight")), want);
            QCOMPARE(q4km(matrix("blk." + std::to_string(l) + ".ffn_up.weight")), std::string("Q4_K"));
        }
        // GPT-2's position table is never quantized; the float types keep it as asked.
        QCOMPARE(q4km(matrix("position_embd.weight")), std::string("F32"));
        QCOMPARE(matrixType(GgufFileType::Q8_0, matrix("position_embd.weight")), TensorType::F32);
        QCOMPARE(matrixType(GgufFileType::F16, matrix("position_embd.weight")), TensorType::F16);
        // Rows that are not whole blocks of 256, as llama.cpp's quantizer: Q4_K -> Q5_0, Q6_K -> Q8_0,
        // F16 where the rows are not whole blocks of 32 either.
        TensorType wanted = TensorType::F32;
        QCOMPARE(matrixType(GgufFileType::Q4_K_M, matrix("blk.0.attn_q.weight", 576), &wanted), TensorType::Q5_0);
        QCOMPARE(wanted, TensorType::Q4_K);
        QCOMPARE(matrixType(GgufFileType::Q4_K_M, matrix("output.weight", 576), &wanted), TensorType::Q8_0);
        QCOMPARE(wanted, TensorType::Q6_K);
        QCOMPARE(matrixType(GgufFileType::Q4_K_M, matrix("blk.0.attn_q.weight", 100)), TensorType::F16);
        QCOMPARE(matrixType(GgufFileType::Q4_0, matrix("blk.0.attn_q.weight", 576)), TensorType::Q4_0);
        // Q5_K_M: Q5_K where Q4_K_M has Q4_K (falling back to Q5_1), the same Q6_K choices.
        QCOMPARE(matrixType(GgufFileType::Q5_K_M, matrix("blk.5.attn_q.weight")), TensorType::Q5_K);
        QCOMPARE(matrixType(GgufFileType::Q5_K_M, matrix("blk.0.attn_v.weight")), TensorType::Q6_K);
        QCOMPARE(matrixType(GgufFileType::Q5_K_M, matrix("blk.5.ffn_down.weight")), TensorType::Q5_K);
        QCOMPARE(matrixType(GgufFileType::Q5_K_M, matrix("blk.5.attn_q.weight", 576), &wanted), TensorType::Q5_1);
        QCOMPARE(wanted, TensorType::Q5_K);
        QCOMPARE(matrixType(GgufFileType::Q5_K_M, matrix("output.weight", 576)), TensorType::Q8_0);
        QCOMPARE(matrixType(GgufFileType::Q4_0, matrix("output.weight", 576)), TensorType::Q8_0);
        QCOMPARE(matrixType(GgufFileType::Q8_0, matrix("output.weight", 64)), TensorType::Q8_0);
        QCOMPARE(matrixType(GgufFileType::BF16, matrix("output.weight", 100)), TensorType::BF16);
    }

    void fileTypeNames() {
        QCOMPARE(*parseGgufFileType("Q4_K_M"), GgufFileType::Q4_K_M);
        QVERIFY(!parseGgufFileType("q4_k_s"));
        QCOMPARE(ggufFileTypeList(), std::string("f32, f16, bf16, q8_0, q4_0, q4_k_m or q5_k_m"));
        QCOMPARE(llamaFileType(GgufFileType::Q4_K_M), 15u);
        QCOMPARE(llamaFileType(GgufFileType::Q4_0), 2u);
        QCOMPARE(llamaFileType(GgufFileType::Q5_K_M), 17u);
        QVERIFY(!adapterTensorType(GgufFileType::Q4_K_M) && !adapterTensorType(GgufFileType::Q8_0));
        QCOMPARE(*adapterTensorType(GgufFileType::BF16), TensorType::BF16);
    }
};

QTEST_MAIN(TestGgufQuant)
#include "test_gguf_quant.moc"

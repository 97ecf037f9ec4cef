// NF4 and int8 weights (core/quant): the NF4 code values against the QLoRA paper's construction,
// round trips within the bound the code implies, nearest-value rounding, packing and sizes, double
// quantization of the block scales, per-row int8.
#include "quant/quantized_weight.h"

#include <ATen/ATen.h>

#include <QtTest>

#include <cmath>

using namespace lorastudio;

namespace {

// The standard normal quantile by bisection on erf (1e-15 in [1e-12, 1 - 1e-12]).
double normalQuantile(double p) {
    double lo = -10, hi = 10;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (0.5 * (1 + std::erf(mid / std::sqrt(2.0))) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

} // namespace

class TestQuant : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // QLoRA (Dettmers et al. 2023, appendix E / bitsandbytes' create_normal_map): offset
    // δ = 1/2 (1/32 + 1/30) = 0.9677; 8 positive quantiles of linspace(δ, 1/2, 9) without the last,
    // 7 negative of linspace(δ, 1/2, 8) without the last, and 0; all divided by the largest.
    void codebookIsThePapers() {
        const double offset = 0.9677083;
        std::vector<double> v;
        for (int i = 0; i < 8; ++i) v.push_back(normalQuantile(offset + (0.5 - offset) * i / 8.0));
        for (int i = 0; i < 7; ++i) v.push_back(-normalQuantile(offset + (0.5 - offset) * i / 7.0));
        v.push_back(0);
        std::sort(v.begin(), v.end());
        const double top = v.back();
        const auto& code = nf4Codebook();
        for (int i = 0; i < 16; ++i)
            QVERIFY2(std::abs(code[i] - v[i] / top) < 1e-6, qPrintable(QString("code[%1] %2 vs %3").arg(i).arg(code[i]).arg(v[i] / top)));
        QCOMPARE(code[7], 0.0f);
        QCOMPARE(code[0], -1.0f);
        QCOMPARE(code[15], 1.0f);
    }

    // Every value goes to its nearest code value times its block's absmax; so the error of each is at
    // most half the widest gap between neighbouring codes times that absmax, and exact code values
    // come back exactly.
    void nf4RoundTrip() {
        at::manual_seed(0);
        const at::Tensor w = at::randn({96, 70}) * 0.02;  // 6720 values: 105 blocks, the last full
        const Nf4Weight q = quantizeNf4(w);
        QCOMPARE(q.packed.numel(), w.numel() / 2);
        QCOMPARE(q.absmax.numel(), (w.numel() + 63) / 64);
        QCOMPARE(q.storageBytes(), w.numel() / 2 + 4 * q.absmax.numel());  // 4.5 bits per value
        const at::Tensor back = dequantizeNf4(q);
        QCOMPARE(back.sizes(), w.sizes());
        const auto& code = nf4Codebook();
        double widest = 0;
        for (int i = 0; i + 1 < 16; ++i) widest = std::max(widest, double(code[i + 1] - code[i]));
        const at::Tensor absmax = q.absmax.repeat_interleave(64).narrow(0, 0, w.numel()).view(w.sizes());
        const at::Tensor err = (back - w).abs();
        QVERIFY((err <= absmax * (widest / 2) + 1e-7).all().item<bool>());
        // Nearest: no other code value times the absmax is closer.
        const at::Tensor table = at::tensor(std::vector<float>(code.begin(), code.end()));
        const at::Tensor scaled = (w / absmax).reshape({-1, 1});
        const at::Tensor best = (scaled - table.unsqueeze(0)).abs().amin(1);
        QVERIFY(((back / absmax).reshape({-1}) - scaled.reshape({-1})).abs().le(best + 1e-6).all().item<bool>());
        // Mean relative error of a normal weight: the paper's NF4 is about 10 % of |w| on average.
        const double relative = (err.sum() / w.abs().sum()).item<double>();
        qInfo("nf4 mean |error| / mean |w| = %.4f, max error / absmax = %.4f (bound %.4f)", relative,
              (err / absmax).max().item<double>(), widest / 2);
        QVERIFY(relative < 0.15);
        // Values on the code come back exactly (block absmax 1 by construction).
        const at::Tensor exact = table.repeat(8);  // 128 values, 2 blocks each holding ±1
        QVERIFY(at::equal(dequantizeNf4(quantizeNf4(exact)), exact));
    }

    // Packing as bitsandbytes: first value in the high nibble; an odd count pads the last byte.
    void packingAndOddSizes() {
        const at::Tensor w = at::tensor({1.0f, -1.0f, 0.0f});
        const Nf4Weight q = quantizeNf4(w);
        QCOMPARE(q.packed.numel(), 2);
        QCOMPARE(int(q.packed[0].item<uint8_t>()), (15 << 4) | 0);
        QCOMPARE(int(q.packed[1].item<uint8_t>()) >> 4, 7);
        QVERIFY(at::equal(dequantizeNf4(q), w));
        // An all-zero block: absmax 0, zeros back, no NaN.
        const at::Tensor zeros = at::zeros({64});
        QVERIFY(at::equal(dequantizeNf4(quantizeNf4(zeros)), zeros));
        QVERIFY_THROWS_EXCEPTION(std::exception, quantizeNf4(w, 63));
    }

    // Double quantization: the block absmaxes as int8 around their mean, 256 per scale; fewer bytes,
    // and the dequantized absmax within half a step of the exact one.
    void doubleQuantization() {
        at::manual_seed(1);
        const at::Tensor w = at::randn({512, 256});  // 2048 blocks: 8 groups of 256
        const Nf4Weight plain = quantizeNf4(w), dq = quantizeNf4(w, 64, true);
        QVERIFY(dq.doubleQuantized);
        QCOMPARE(dq.absmaxCodes.numel(), 2048);
        QCOMPARE(dq.absmaxScales.numel(), 8);
        QVERIFY(at::equal(dq.packed, plain.packed));  // the same codes: only the scales are stored smaller
        const double bitsPlain = 8.0 * plain.storageBytes() / w.numel(), bitsDouble = 8.0 * dq.storageBytes() / w.numel();
        qInfo("bits per value: %.3f plain, %.3f double-quantized", bitsPlain, bitsDouble);
        QCOMPARE(bitsPlain, 4.5);
        QVERIFY(bitsDouble < 4.14);
        const at::Tensor step = dq.absmaxScales.repeat_interleave(256);
        QVERIFY(((nf4BlockScales(dq) - plain.absmax).abs() <= step / 2 + 1e-6).all().item<bool>());
        const double extra = ((dequantizeNf4(dq) - w).abs().mean() / (dequantizeNf4(plain) - w).abs().mean()).item<double>();
        qInfo("double quantization raises the mean error by a factor %.4f", extra);
        QVERIFY(extra < 1.05);
    }

    void int8PerRow() {
        at::manual_seed(2);
        at::Tensor w = at::randn({40, 33});
        w[3].zero_();  // a zero row stays zero
        const Int8Weight q = quantizeInt8Rows(w);
        QCOMPARE(q.values.scalar_type(), at::kChar);
        QCOMPARE(q.storageBytes(), 40 * 33 + 40 * 4);
        const at::Tensor back = dequantizeInt8Rows(q);
        QVERIFY(((back - w).abs() <= q.scales.unsqueeze(1) / 2 + 1e-7).all().item<bool>());
        QVERIFY(at::equal(back[3], w[3]));
        QCOMPARE(q.values.abs().amax(1)[0].item<int>(), 127);  // the row's absmax maps to ±127
        QVERIFY_THROWS_EXCEPTION(std::exception, quantizeInt8Rows(at::randn({4})));
    }
};

QTEST_APPLESS_MAIN(TestQuant)
#include "test_quant.moc"

// Tests of core/analysis: the QR route against torch's SVD of the explicitly formed dW (values and
// vectors, r beyond a dimension, rank-deficient and zero factors), the derived numbers on known
// spectra, subspace similarity properties, the name parser, advice, the table, JSON, fixtures.
#include "analysis/adapter_analysis.h"
#include "analysis/analysis_report.h"
#include "analysis/lora_spectrum.h"
#include "analysis/module_names.h"
#include "analysis/spectrum_stats.h"
#include "common/error.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include "test_support.h"

#include <algorithm>
#include <cmath>

using namespace lorastudio;

namespace {

std::vector<double> toVector(const at::Tensor& t) {
    const at::Tensor c = t.to(at::kDouble).contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

// dW = s * B * A formed explicitly in float64: [out, in].
at::Tensor formDelta(const at::Tensor& A, const at::Tensor& B, double s) {
    return B.to(at::kDouble).matmul(A.to(at::kDouble)).mul(s);
}

// torch's singular values of the formed dW, zero-padded to r.
std::vector<double> referenceSigma(const at::Tensor& A, const at::Tensor& B, double s) {
    std::vector<double> v = toVector(at::linalg_svdvals(formDelta(A, B, s)));
    v.resize(static_cast<std::size_t>(A.size(0)), 0.0);
    return v;
}

// max |a - b| relative to max |b| (or absolute when b is all zero).
double maxRelDiff(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return INFINITY;
    double scale = 0.0, diff = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        scale = std::max(scale, std::abs(b[i]));
        diff = std::max(diff, std::abs(a[i] - b[i]));
    }
    return scale > 0.0 ? diff / scale : diff;
}

double maxAbs(const at::Tensor& t) { return t.abs().max().item<double>(); }

// Q [n, k] with orthonormal columns (from a seeded Gaussian).
at::Tensor orthonormal(int64_t n, int64_t k) {
    return std::get<0>(at::linalg_qr(at::randn({n, k}, at::kDouble), "reduced"));
}

// A module whose dW has exactly the singular values `sigma` (r = sigma.size()): B = Q1 diag(sigma), A = Q2^T.
ModuleInput withSpectrum(const std::string& name, const std::vector<double>& sigma, int64_t out, int64_t in) {
    const int64_t r = static_cast<int64_t>(sigma.size());
    const at::Tensor s = at::tensor(sigma, at::kDouble);
    ModuleInput m;
    m.name = name;
    m.B = orthonormal(out, r).mul(s.unsqueeze(0));
    m.A = orthonormal(in, r).t().contiguous();
    m.scaling = 1.0;
    return m;
}

ModuleInput randomModule(const std::string& name, int64_t r, int64_t out, int64_t in, double scaling = 2.0) {
    ModuleInput m;
    m.name = name;
    m.A = at::randn({r, in});
    m.B = at::randn({out, r});
    m.scaling = scaling;
    return m;
}

template <typename F>
std::string errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

bool allFinite(const std::vector<double>& v) {
    for (double x : v)
        if (!std::isfinite(x)) return false;
    return true;
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::manual_seed(1234); }

    void qrRouteMatchesFullSvd_data() {
        QTest::addColumn<int>("r");
        QTest::addColumn<int>("out");
        QTest::addColumn<int>("in");
        QTest::addColumn<double>("scaling");
        QTest::addColumn<bool>("bf16");
        QTest::newRow("r1") << 1 << 8 << 5 << 2.0 << false;
        QTest::newRow("r4 tall") << 4 << 32 << 16 << 2.0 << false;
        QTest::newRow("r8 square") << 8 << 64 << 64 << 0.25 << false;
        QTest::newRow("r16 wide") << 16 << 20 << 70 << 1.0 << false;
        QTest::newRow("r = out = in") << 3 << 3 << 3 << 1.0 << false;
        QTest::newRow("r > out") << 6 << 4 << 9 << 2.0 << false;
        QTest::newRow("r > in") << 10 << 30 << 7 << 2.0 << false;
        QTest::newRow("r > both") << 12 << 5 << 6 << 1.0 << false;
        QTest::newRow("negative scaling") << 5 << 24 << 12 << -0.5 << false;
        QTest::newRow("bf16 inputs") << 8 << 48 << 40 << 2.0 << true;
    }
    void qrRouteMatchesFullSvd() {
        QFETCH(int, r);
        QFETCH(int, out);
        QFETCH(int, in);
        QFETCH(double, scaling);
        QFETCH(bool, bf16);
        at::Tensor A = at::randn({r, in}), B = at::randn({out, r});
        if (bf16) {
            A = A.to(at::kBFloat16);
            B = B.to(at::kBFloat16);
        }
        const LowRankSvd svd = loraSvd(A, B, scaling);
        QCOMPARE(svd.sigma.scalar_type(), at::kDouble);
        QCOMPARE(svd.sigma.size(0), int64_t(r));
        QVERIFY(!svd.U.defined());
        const std::vector<double> got = toVector(svd.sigma), want = referenceSigma(A, B, scaling);
        QVERIFY2(maxRelDiff(got, want) < 1e-12, qPrintable(QString::number(maxRelDiff(got, want))));
        for (std::size_t i = 1; i < got.size(); ++i) QVERIFY(got[i] <= got[i - 1]);
        // Beyond the attainable rank the values are exact zeros, not noise.
        const int k = std::min({r, out, in});
        for (int i = k; i < r; ++i) QCOMPARE(got[static_cast<std::size_t>(i)], 0.0);

        const ModuleReport m = analyzeModule({"m", A, B, scaling, std::nullopt, {}});
        const double frob = formDelta(A, B, scaling).norm().item<double>();
        QVERIFY(std::abs(m.frobeniusNorm - frob) <= 1e-12 * frob);
        QCOMPARE(m.spectralNorm, got[0]);
        QCOMPARE(m.rank, r);
        QCOMPARE(m.outFeatures, int64_t(out));
        QCOMPARE(m.inFeatures, int64_t(in));
    }

    void singularVectorsMatchUpToSign_data() {
        QTest::addColumn<int>("r");
        QTest::addColumn<int>("out");
        QTest::addColumn<int>("in");
        QTest::newRow("r4") << 4 << 40 << 24;
        QTest::newRow("r8 wide") << 8 << 16 << 50;
        QTest::newRow("r > in") << 9 << 20 << 6;
    }
    void singularVectorsMatchUpToSign() {
        QFETCH(int, r);
        QFETCH(int, out);
        QFETCH(int, in);
        const at::Tensor A = at::randn({r, in}), B = at::randn({out, r});
        const LowRankSvd svd = loraSvd(A, B, 1.5, /*withVectors=*/true);
        const int64_t k = std::min<int64_t>({r, out, in});
        QCOMPARE(svd.U.sizes(), (at::IntArrayRef{out, k}));
        QCOMPARE(svd.V.sizes(), (at::IntArrayRef{in, k}));
        const at::Tensor eye = at::eye(k, at::kDouble);
        QVERIFY(maxAbs(svd.U.t().matmul(svd.U) - eye) < 1e-12);
        QVERIFY(maxAbs(svd.V.t().matmul(svd.V) - eye) < 1e-12);

        // U diag(sigma) V^T rebuilds dW: the signs of U and V agree with each other.
        const at::Tensor dW = formDelta(A, B, 1.5);
        const at::Tensor rebuilt = svd.U.mul(svd.sigma.narrow(0, 0, k).unsqueeze(0)).matmul(svd.V.t());
        QVERIFY(maxAbs(rebuilt - dW) < 1e-12 * maxAbs(dW) * out);

        // Each singular pair against torch's: compare the rank-one projectors u u^T and v v^T.
        auto [Ut, St, Vht] = at::linalg_svd(dW, false);
        for (int64_t i = 0; i < k; ++i) {
            const at::Tensor u = svd.U.select(1, i), ut = Ut.select(1, i);
            const at::Tensor v = svd.V.select(1, i), vt = Vht.select(0, i);
            QVERIFY(maxAbs(at::outer(u, u) - at::outer(ut, ut)) < 1e-9);
            QVERIFY(maxAbs(at::outer(v, v) - at::outer(vt, vt)) < 1e-9);
        }
    }

    void rankDeficientFactors() {
        // B [out, 4] of rank 2 (columns 3 and 4 are combinations of 1 and 2), built in float64.
        const at::Tensor b = at::randn({30, 2}, at::kDouble);
        const at::Tensor B = at::cat({b, b.select(1, 0).add(b.select(1, 1)).unsqueeze(1), b.select(1, 0).mul(3).unsqueeze(1)}, 1);
        const at::Tensor A = at::randn({4, 20}, at::kDouble);
        std::vector<double> got = toVector(loraSvd(A, B, 2.0).sigma), want = referenceSigma(A, B, 2.0);
        QVERIFY(maxRelDiff(got, want) < 1e-12);
        QVERIFY(got[1] > 1e-3 * got[0]);
        QVERIFY(got[2] < 1e-13 * got[0]);
        QVERIFY(got[3] < 1e-13 * got[0]);
        ModuleReport m = analyzeModule({"b", A, B, 2.0, std::nullopt, {}});
        QVERIFY(m.k99 <= 2);
        QVERIFY(m.effectiveRank <= 2.0 + 1e-9);

        // A [4, in] of rank 1.
        const at::Tensor a = at::randn({1, 25}, at::kDouble);
        const at::Tensor A1 = at::cat({a, a.mul(-2), a.mul(0.5), a}, 0);
        const at::Tensor B1 = at::randn({12, 4}, at::kDouble);
        got = toVector(loraSvd(A1, B1, 1.0).sigma);
        want = referenceSigma(A1, B1, 1.0);
        QVERIFY(maxRelDiff(got, want) < 1e-12);
        for (int i = 1; i < 4; ++i) QVERIFY(got[static_cast<std::size_t>(i)] < 1e-13 * got[0]);
        m = analyzeModule({"a", A1, B1, 1.0, std::nullopt, {}});
        QCOMPARE(m.k95, 1);
        QVERIFY(std::abs(m.effectiveRank - 1.0) < 1e-9);
    }

    void zeroUpdateAtInitialisation() {
        const at::Tensor A = at::randn({8, 64}), B = at::zeros({48, 8});
        const LowRankSvd svd = loraSvd(A, B, 2.0, /*withVectors=*/true);
        for (double s : toVector(svd.sigma)) QCOMPARE(s, 0.0);
        QVERIFY(at::isfinite(svd.U).all().item<bool>());
        QVERIFY(at::isfinite(svd.V).all().item<bool>());

        const ModuleReport m = analyzeModule({"model.layers.0.self_attn.q_proj", A, B, 2.0, 10.0, {}});
        QVERIFY(m.isZero());
        QCOMPARE(m.effectiveRank, 0.0);
        QCOMPARE(m.k90, 0);
        QCOMPARE(m.k95, 0);
        QCOMPARE(m.k99, 0);
        QCOMPARE(m.frobeniusNorm, 0.0);
        QCOMPARE(m.spectralNorm, 0.0);
        QVERIFY(m.relativeNorm.has_value());
        QCOMPARE(*m.relativeNorm, 0.0);
        QCOMPARE(m.energy, std::vector<double>(8, 0.0));
        QVERIFY(allFinite(m.sigma) && allFinite(m.energy));
        QVERIFY(m.advice.find("nothing learned yet") != std::string::npos);

        // Both factors zero, and the paper's basis of A still defined for a zero B.
        QCOMPARE(analyzeModule({"z", at::zeros({4, 6}), at::zeros({5, 4}), 1.0, std::nullopt, {}}).effectiveRank, 0.0);
        const ModuleComparison c = compareModules({"q", A, B, 2.0, std::nullopt, {}}, {"q", A, B, 2.0, std::nullopt, {}});
        QVERIFY(std::abs(c.fullOverlap - 1.0) < 1e-12);
    }

    void effectiveRankOfKnownSpectra() {
        QVERIFY(std::abs(effectiveRank(std::vector<double>(8, 0.7)) - 8.0) < 1e-12);
        QVERIFY(std::abs(effectiveRank({5.0, 0.0, 0.0, 0.0}) - 1.0) < 1e-15);
        QVERIFY(std::abs(effectiveRank({3.0, 3.0, 0.0, 0.0}) - 2.0) < 1e-12);
        QVERIFY(std::abs(effectiveRank({2.0, 1.0}) - 1.8898815748423097) < 1e-12);  // exp(H(2/3, 1/3))
        QCOMPARE(effectiveRank({0.0, 0.0, 0.0}), 0.0);
        QCOMPARE(effectiveRank({}), 0.0);
        // Scale-invariant, and through the whole pipeline on a constructed dW.
        QVERIFY(std::abs(effectiveRank({20.0, 10.0}) - effectiveRank({2.0, 1.0})) < 1e-12);
        const ModuleReport m = analyzeModule(withSpectrum("eq", std::vector<double>(6, 0.3), 40, 30));
        QVERIFY(std::abs(m.effectiveRank - 6.0) < 1e-9);
    }

    void energyCurve() {
        const std::vector<double> e = cumulativeEnergy({3.0, 2.0, 1.0});
        QCOMPARE(e.size(), std::size_t(3));
        QVERIFY(std::abs(e[0] - 9.0 / 14.0) < 1e-15);
        QVERIFY(std::abs(e[1] - 13.0 / 14.0) < 1e-15);
        QCOMPARE(e[2], 1.0);
        QCOMPARE(directionsFor(e, 0.90), 2);
        QCOMPARE(directionsFor(e, 0.95), 3);

        // Ten equal values: exactly 9 reach 90% (despite rounding), 95% needs all 10.
        const std::vector<double> flat = cumulativeEnergy(std::vector<double>(10, 0.1));
        QCOMPARE(directionsFor(flat, 0.90), 9);
        QCOMPARE(directionsFor(flat, 0.95), 10);
        QCOMPARE(directionsFor(flat, 0.99), 10);

        const ModuleReport m = analyzeModule(randomModule("r", 16, 64, 48));
        QCOMPARE(m.energy.size(), std::size_t(16));
        for (std::size_t i = 0; i < m.energy.size(); ++i) {
            QVERIFY(m.energy[i] >= 0.0 && m.energy[i] <= 1.0);
            if (i) QVERIFY(m.energy[i] >= m.energy[i - 1]);
        }
        QCOMPARE(m.energy.back(), 1.0);
        QVERIFY(m.k90 <= m.k95 && m.k95 <= m.k99 && m.k99 <= 16 && m.k90 >= 1);
        QVERIFY(m.energy[static_cast<std::size_t>(m.k95 - 1)] >= 0.95 - 1e-12);
        if (m.k95 > 1) QVERIFY(m.energy[static_cast<std::size_t>(m.k95 - 2)] < 0.95);
    }

    void baseNormAndRelativeNorm() {
        ModuleInput m = randomModule("transformer.h.0.attn.c_attn", 4, 24, 8);
        const at::Tensor W0 = at::randn({8, 24});  // GPT-2 Conv1D layout [in, out]: only the norm matters
        m.baseWeight = W0;
        const ModuleReport a = analyzeModule(m);
        QVERIFY(a.baseNorm && a.relativeNorm);
        QVERIFY(std::abs(*a.baseNorm - W0.to(at::kDouble).norm().item<double>()) < 1e-9 * *a.baseNorm);
        QVERIFY(std::abs(*a.relativeNorm - a.frobeniusNorm / *a.baseNorm) < 1e-15 * *a.relativeNorm);
        m.baseNorm = 4.0;  // a cached number wins over the tensor
        QCOMPARE(*analyzeModule(m).relativeNorm, a.frobeniusNorm / 4.0);
        m.baseNorm.reset();
        m.baseWeight = W0.to(at::kBFloat16);
        QVERIFY(std::abs(*analyzeModule(m).baseNorm - W0.to(at::kBFloat16).to(at::kDouble).norm().item<double>()) < 1e-9 * *a.baseNorm);
        m.baseWeight = at::randn({8, 23});
        QVERIFY(errorOf([&] { analyzeModule(m); }).find("base weight has 184 elements") != std::string::npos);
        m.baseWeight = at::Tensor();
        QVERIFY(!analyzeModule(m).relativeNorm.has_value());
    }

    void subspaceSimilarityProperties() {
        const at::Tensor A1 = at::randn({8, 64}), A2 = at::randn({4, 64});
        const at::Tensor U1 = loraRowSpace(A1), U2 = loraRowSpace(A2);
        QCOMPARE(U1.sizes(), (at::IntArrayRef{64, 8}));

        const SubspaceSimilarity self = subspaceSimilarity(U1, U1);
        for (int i = 1; i <= 8; ++i) QVERIFY(std::abs(self.at(i, i) - 1.0) < 1e-12);

        const SubspaceSimilarity s12 = subspaceSimilarity(U1, U2), s21 = subspaceSimilarity(U2, U1);
        QCOMPARE(s12.rows, 8);
        QCOMPARE(s12.cols, 4);
        for (int i = 1; i <= 8; ++i)
            for (int j = 1; j <= 4; ++j) {
                QVERIFY(s12.at(i, j) >= 0.0 && s12.at(i, j) <= 1.0);
                QVERIFY(std::abs(s12.at(i, j) - s21.at(j, i)) < 1e-12);
            }

        // Against the definition written out with torch's SVD of A (right singular vectors = rows of Vh).
        const at::Tensor V1 = std::get<2>(at::linalg_svd(A1.to(at::kDouble), false)).t();
        const at::Tensor V2 = std::get<2>(at::linalg_svd(A2.to(at::kDouble), false)).t();
        for (int i = 1; i <= 8; ++i)
            for (int j = 1; j <= 4; ++j) {
                const double direct = V1.narrow(1, 0, i).t().matmul(V2.narrow(1, 0, j)).pow(2).sum().item<double>() / std::min(i, j);
                QVERIFY2(std::abs(s12.at(i, j) - direct) < 1e-10, qPrintable(QString("phi(%1,%2)").arg(i).arg(j)));
            }

        // Rows of A in orthogonal coordinate blocks: phi = 0 everywhere.
        const at::Tensor Ao1 = at::cat({at::randn({4, 16}), at::zeros({4, 16})}, 1);
        const at::Tensor Ao2 = at::cat({at::zeros({6, 16}), at::randn({6, 16})}, 1);
        const SubspaceSimilarity orth = subspaceSimilarity(loraRowSpace(Ao1), loraRowSpace(Ao2));
        for (double v : orth.phi) QVERIFY(v < 1e-12);

        // A2 = M * A1 with M invertible: the same row space, so phi(r, r) = 1 although the order differs.
        const at::Tensor M = at::randn({8, 8}, at::kDouble).add(at::eye(8, at::kDouble).mul(3));
        const SubspaceSimilarity mixed = subspaceSimilarity(U1, loraRowSpace(M.matmul(A1.to(at::kDouble))));
        QVERIFY(std::abs(mixed.at(8, 8) - 1.0) < 1e-10);

        QVERIFY(errorOf([&] { subspaceSimilarity(U1, loraRowSpace(at::randn({4, 32}))); }).find("different spaces") != std::string::npos);
    }

    void compareAdaptersMatchesModules() {
        const ModuleInput q1 = randomModule("model.layers.0.self_attn.q_proj", 8, 32, 32);
        const ModuleInput v1 = randomModule("model.layers.0.self_attn.v_proj", 8, 16, 32);
        ModuleInput q2 = randomModule("base_model.model.model.layers.0.self_attn.q_proj", 4, 32, 32);
        q2.A = q1.A.narrow(0, 0, 4).clone();  // shares 4 of q1's 8 A rows
        const ModuleInput k2 = randomModule("model.layers.0.self_attn.k_proj", 4, 16, 32);

        const AdapterComparison c = compareAdapters({q1, v1}, {q2, k2});
        QCOMPARE(c.modules.size(), std::size_t(1));
        QCOMPARE(c.modules[0].name, q1.name);
        QCOMPARE(c.modules[0].kind, std::string("self_attn.q_proj"));
        QCOMPARE(c.onlyInFirst, std::vector<std::string>{v1.name});
        QCOMPARE(c.onlyInSecond, std::vector<std::string>{k2.name});
        const SubspaceSimilarity& s = c.modules[0].similarity;
        QCOMPARE(s.rows, 8);
        QCOMPARE(s.cols, 4);
        QVERIFY(std::abs(c.modules[0].fullOverlap - 1.0) < 1e-10);  // q2's row space lies inside q1's
        QCOMPARE(c.modules[0].topOverlap, s.at(1, 1));
        QCOMPARE(c.modules[0].fullOverlap, s.at(8, 4));
        QVERIFY(s.at(4, 4) < 0.99);  // q1's top 4 directions are not q2's

        // The update's bases: same A, different full-rank B -> the same input space (right).
        ModuleInput other = q1;
        other.B = at::randn({32, 8});
        const ModuleComparison right = compareModules(q1, other, SubspaceBasis::UpdateRight);
        QVERIFY(std::abs(right.fullOverlap - 1.0) < 1e-10);
        const ModuleComparison left = compareModules(q1, other, SubspaceBasis::UpdateLeft);
        QCOMPARE(left.similarity.rows, 8);
        QVERIFY(left.fullOverlap < 0.99);  // two random 8-dim subspaces of R^32
    }

    void parseModuleNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("layer");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("stack");
        QTest::newRow("gpt2 c_attn") << "transformer.h.0.attn.c_attn" << 0 << "attn.c_attn" << "transformer.h";
        QTest::newRow("gpt2 c_fc") << "transformer.h.11.mlp.c_fc" << 11 << "mlp.c_fc" << "transformer.h";
        QTest::newRow("llama q_proj") << "model.layers.3.self_attn.q_proj" << 3 << "self_attn.q_proj" << "model.layers";
        QTest::newRow("llama down_proj") << "model.layers.31.mlp.down_proj" << 31 << "mlp.down_proj" << "model.layers";
        QTest::newRow("qwen2 v_proj") << "model.layers.0.self_attn.v_proj" << 0 << "self_attn.v_proj" << "model.layers";
        QTest::newRow("peft key") << "base_model.model.model.layers.2.self_attn.k_proj.lora_A.weight" << 2
                                  << "self_attn.k_proj" << "model.layers";
        QTest::newRow("peft live name") << "base_model.model.transformer.h.5.attn.c_proj.lora_B.default.weight" << 5
                                        << "attn.c_proj" << "transformer.h";
        QTest::newRow("moe expert") << "model.layers.10.mlp.experts.3.w1" << 10 << "mlp.experts.3.w1" << "model.layers";
        QTest::newRow("lm_head") << "lm_head" << -1 << "lm_head" << "";
        QTest::newRow("digits inside a component") << "h1.fc2" << -1 << "h1.fc2" << "";
        QTest::newRow("index last") << "model.layers.7" << 7 << "model.layers.7" << "model.layers";
    }
    void parseModuleNames() {
        QFETCH(QString, name);
        QFETCH(int, layer);
        QFETCH(QString, kind);
        QFETCH(QString, stack);
        const ModuleLocation loc = parseModuleName(name.toStdString());
        QCOMPARE(loc.layer, layer);
        QCOMPARE(QString::fromStdString(loc.kind), kind);
        QCOMPARE(QString::fromStdString(loc.stack), stack);
    }

    void adviceStrings() {
        QCOMPARE(moduleAdvice(3, 16, false),
                 std::string("95% of the update's energy is in the top 3 directions: r=4 would do (now r=16)"));
        QCOMPARE(moduleAdvice(1, 8, false),
                 std::string("95% of the update's energy is in the top direction: r=1 would do (now r=8)"));
        QCOMPARE(moduleAdvice(16, 16, false),
                 std::string("95% of the update's energy needs all 16 directions: r=16 is saturated, try r=32"));
        QCOMPARE(moduleAdvice(12, 16, false), std::string("95% of the update's energy is in the top 12 of 16 directions: r=16 fits"));
        QCOMPARE(moduleAdvice(5, 12, false), std::string("95% of the update's energy is in the top 5 directions: r=8 would do (now r=12)"));
        QVERIFY(moduleAdvice(0, 8, true).find("nothing learned yet") != std::string::npos);

        // From constructed spectra: energies 100, 25, 16, then 13 x 0.09 -> 87.9% in the top 2, 99.2% in the top 3.
        std::vector<double> sigma = {10.0, 5.0, 4.0};
        sigma.resize(16, 0.3);
        const ModuleReport steep = analyzeModule(withSpectrum("model.layers.0.self_attn.q_proj", sigma, 48, 40));
        QCOMPARE(steep.k95, 3);
        QCOMPARE(steep.advice, std::string("95% of the update's energy is in the top 3 directions: r=4 would do (now r=16)"));
        const ModuleReport flat = analyzeModule(withSpectrum("model.layers.0.self_attn.v_proj", std::vector<double>(16, 1.0), 48, 40));
        QCOMPARE(flat.k95, 16);
        QCOMPARE(flat.advice, std::string("95% of the update's energy needs all 16 directions: r=16 is saturated, try r=32"));

        AdapterReport r = analyzeAdapter({withSpectrum("model.layers.0.self_attn.q_proj", sigma, 48, 40),
                                          withSpectrum("model.layers.1.self_attn.q_proj", {4.0, 2.0, 0.1, 0.1}, 48, 40)});
        QCOMPARE(r.maxK95, 3);
        QCOMPARE(r.medianK95, 2.5);
        QCOMPARE(r.advice, std::string("95% of the update's energy is in the top 3 directions or fewer in every module "
                                       "(median 2.5): r=4 would do (now r=16)"));
        ModuleInput zero = withSpectrum("model.layers.2.self_attn.q_proj", sigma, 48, 40);
        zero.B.zero_();
        r = analyzeAdapter({withSpectrum("model.layers.0.self_attn.q_proj", std::vector<double>(16, 1.0), 48, 40),
                            withSpectrum("model.layers.1.self_attn.q_proj", sigma, 48, 40), zero});
        QCOMPARE(r.saturatedModules, 1);
        QCOMPARE(r.zeroModules, 1);
        QCOMPARE(r.advice, std::string("r is saturated in 1 of 3 modules (95% of their update's energy needs every "
                                       "direction): try r=32; 1 of 3 modules have not moved from zero"));
        r = analyzeAdapter({zero});
        QVERIFY(r.advice.find("zero in all 1 modules") != std::string::npos);
    }

    void layerKindTable() {
        std::vector<ModuleInput> mods = {randomModule("model.layers.2.self_attn.v_proj", 2, 8, 8),
                                         randomModule("model.layers.0.self_attn.q_proj", 2, 8, 8),
                                         randomModule("lm_head", 2, 8, 8),
                                         randomModule("model.layers.0.self_attn.v_proj", 2, 8, 8),
                                         randomModule("model.layers.1.self_attn.q_proj", 2, 8, 8)};
        const AdapterReport r = analyzeAdapter(mods);
        QCOMPARE(r.table.layers, (std::vector<int>{0, 1, 2}));
        QCOMPARE(r.table.kinds, (std::vector<std::string>{"self_attn.v_proj", "self_attn.q_proj"}));
        QCOMPARE(r.table.cells, (std::vector<int>{3, 1, -1, 4, 0, -1}));
        const std::vector<double> er = r.table.values(r.modules, ModuleMetric::EffectiveRank);
        QCOMPARE(er[0], r.modules[3].effectiveRank);
        QVERIFY(std::isnan(er[2]) && std::isnan(er[5]));
        QVERIFY(std::isnan(r.table.values(r.modules, ModuleMetric::RelativeNorm)[0]));  // no base norms given

        // Two stacks: columns are qualified so that they do not collide.
        const AdapterReport two = analyzeAdapter({randomModule("model.vision_tower.layers.0.q_proj", 2, 8, 8),
                                                  randomModule("model.language_model.layers.0.q_proj", 2, 8, 8)});
        QCOMPARE(two.table.kinds, (std::vector<std::string>{"model.vision_tower.layers.*.q_proj",
                                                            "model.language_model.layers.*.q_proj"}));
        QCOMPARE(two.table.cells, (std::vector<int>{0, 1}));

        QVERIFY(errorOf([&] { analyzeAdapter({mods[1], randomModule("base_model.model.model.layers.0.self_attn.q_proj", 2, 8, 8)}); })
                    .find("appears twice") != std::string::npos);
    }

    void jsonRoundTrip() {
        std::vector<ModuleInput> mods = {randomModule("transformer.h.0.attn.c_attn", 4, 24, 8),
                                         randomModule("transformer.h.1.attn.c_attn", 4, 24, 8)};
        mods[0].baseNorm = 3.25;
        const AdapterReport r = analyzeAdapter(mods);
        const nlohmann::json j = r;
        QVERIFY(j.at("modules").at(1).at("base_norm").is_null());
        QCOMPARE(j.at("modules").at(0).at("layer").get<int>(), 0);
        QCOMPARE(j.at("table").at("kinds").at(0).get<std::string>(), std::string("attn.c_attn"));
        const AdapterReport back = nlohmann::json::parse(j.dump()).get<AdapterReport>();
        QCOMPARE(back.modules.size(), r.modules.size());
        for (std::size_t i = 0; i < r.modules.size(); ++i) {
            const ModuleReport &a = r.modules[i], &b = back.modules[i];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.layer, a.layer);
            QCOMPARE(b.kind, a.kind);
            QCOMPARE(b.rank, a.rank);
            QCOMPARE(b.outFeatures, a.outFeatures);
            QCOMPARE(b.inFeatures, a.inFeatures);
            QCOMPARE(b.scaling, a.scaling);
            QCOMPARE(b.sigma, a.sigma);  // exact: doubles are written with round-trip precision
            QCOMPARE(b.energy, a.energy);
            QCOMPARE(b.effectiveRank, a.effectiveRank);
            QCOMPARE(b.k90, a.k90);
            QCOMPARE(b.k95, a.k95);
            QCOMPARE(b.k99, a.k99);
            QCOMPARE(b.frobeniusNorm, a.frobeniusNorm);
            QCOMPARE(b.spectralNorm, a.spectralNorm);
            QCOMPARE(b.baseNorm, a.baseNorm);
            QCOMPARE(b.relativeNorm, a.relativeNorm);
            QCOMPARE(b.advice, a.advice);
        }
        QCOMPARE(back.table.layers, r.table.layers);
        QCOMPARE(back.table.kinds, r.table.kinds);
        QCOMPARE(back.table.cells, r.table.cells);
        QCOMPARE(back.maxRank, r.maxRank);
        QCOMPARE(back.maxK95, r.maxK95);
        QCOMPARE(back.medianK95, r.medianK95);
        QCOMPARE(back.saturatedModules, r.saturatedModules);
        QCOMPARE(back.zeroModules, r.zeroModules);
        QCOMPARE(back.advice, r.advice);
        QCOMPARE(nlohmann::json(back), j);

        const AdapterComparison c = compareAdapters(mods, {mods[1]}, SubspaceBasis::UpdateRight);
        const nlohmann::json cj = c;
        QCOMPARE(cj.at("basis").get<std::string>(), std::string("update_right"));
        QCOMPARE(cj.at("modules").at(0).at("similarity").at("phi").size(), std::size_t(4));
        const AdapterComparison cb = nlohmann::json::parse(cj.dump()).get<AdapterComparison>();
        QVERIFY(cb.basis == SubspaceBasis::UpdateRight);
        QCOMPARE(cb.modules[0].similarity.phi, c.modules[0].similarity.phi);
        QCOMPARE(cb.onlyInFirst, c.onlyInFirst);
        QCOMPARE(nlohmann::json(cb), cj);

        nlohmann::json broken = j;
        broken["modules"][0].erase("k95");
        QVERIFY(errorOf([&] { broken.get<AdapterReport>(); }).find("k95") != std::string::npos);
        broken = cj;
        broken["modules"][0]["similarity"]["phi"][1].erase(0);
        QVERIFY(errorOf([&] { broken.get<AdapterComparison>(); }).find("phi") != std::string::npos);
    }

    void badInputsAreErrors() {
        const at::Tensor A = at::randn({4, 8});
        QVERIFY(errorOf([&] { loraSvd(A, at::randn({6, 3}), 1.0, false, "module 'q'"); }).find("module 'q'") != std::string::npos);
        QVERIFY(errorOf([&] { loraSvd(A, at::randn({6, 3}), 1.0); }).find("rank") != std::string::npos);
        QVERIFY(errorOf([&] { loraSvd(A.flatten(), at::randn({6, 4}), 1.0); }).find("expected a matrix") != std::string::npos);
        QVERIFY(errorOf([&] { loraSvd(A.to(at::kInt), at::randn({6, 4}), 1.0); }).find("floating") != std::string::npos);
        QVERIFY(errorOf([&] { loraSvd(A, at::randn({6, 4}), NAN); }).find("scaling") != std::string::npos);
        at::Tensor B = at::randn({6, 4});
        B[2][1] = NAN;
        const std::string nan = errorOf([&] { analyzeModule({"model.layers.1.mlp.up_proj", A, B, 1.0, std::nullopt, {}}); });
        QVERIFY2(nan.find("non-finite") != std::string::npos && nan.find("model.layers.1.mlp.up_proj") != std::string::npos,
                 nan.c_str());
        B[2][1] = INFINITY;
        QVERIFY(errorOf([&] { loraSvd(A, B, 1.0); }).find("non-finite") != std::string::npos);

        const std::vector<std::pair<std::string, at::Tensor>> orphan = {
            {"base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", A}};
        QVERIFY(errorOf([&] { pairLoraTensors(orphan, 2.0); }).find("no matching lora_B") != std::string::npos);
    }

    void fixtureAdapters_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("modules");
        QTest::addColumn<QString>("firstKind");
        QTest::newRow("gpt2") << "gpt2" << 2 << "attn.c_attn";
        QTest::newRow("llama") << "llama" << 4 << "self_attn.q_proj";
        QTest::newRow("qwen2") << "qwen2" << 4 << "self_attn.q_proj";
    }
    void fixtureAdapters() {
        QFETCH(QString, model);
        QFETCH(int, modules);
        QFETCH(QString, firstKind);
        const std::string path =
            testsupport::fixturesDir() + "/models/" + model.toStdString() + "/adapter/adapter_model.safetensors";
        const auto file = SafetensorsFile::open(path);
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const TensorInfo& t : file->tensors()) tensors.emplace_back(t.name, file->tensor(t.name));
        const std::vector<ModuleInput> inputs = pairLoraTensors(tensors, 2.0);
        QCOMPARE(int(inputs.size()), modules);

        const AdapterReport r = analyzeAdapter(inputs);
        QCOMPARE(QString::fromStdString(r.table.kinds.at(0)), firstKind);
        QCOMPARE(r.table.layers, (std::vector<int>{0, 1}));
        QCOMPARE(r.maxRank, 4);
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const ModuleReport& m = r.modules[i];
            QCOMPARE(m.rank, 4);
            QCOMPARE(m.sigma.size(), std::size_t(4));
            const std::vector<double> want = referenceSigma(inputs[i].A, inputs[i].B, 2.0);
            QVERIFY2(maxRelDiff(m.sigma, want) < 1e-12, m.name.c_str());
            QVERIFY(!m.advice.empty());
            QVERIFY(allFinite(m.sigma) && std::isfinite(m.effectiveRank));
        }
        const AdapterComparison self = compareAdapters(inputs, inputs);
        QCOMPARE(int(self.modules.size()), modules);
        for (const ModuleComparison& c : self.modules)
            for (int i = 1; i <= c.similarity.rows; ++i) QVERIFY(std::abs(c.similarity.at(i, i) - 1.0) < 1e-10);
        QVERIFY(!nlohmann::json(r).dump().empty());
    }
};

QTEST_APPLESS_MAIN(TestAnalysis)
#include "test_analysis.moc"

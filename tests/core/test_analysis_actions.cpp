// Tests of what the analysis acts on: the rank suggestion rule on known spectra (k, rounding, the
// [1, r] bounds, ties, zero updates), rank_pattern keys that resolve to exactly the intended
// modules under PEFT's rules and ours, resizing (lossless at full rank, the predicted error of a
// known-spectrum truncation, the written adapter reloading with the chosen ranks and scalings),
// the amplification factor against a formed ΔW, the per-layer / per-kind summary, run folders.
#include "analysis/adapter_analysis.h"
#include "analysis/adapter_modules.h"
#include "analysis/adapter_probe.h"
#include "analysis/adapter_resize.h"
#include "analysis/learning_summary.h"
#include "analysis/rank_pattern_keys.h"
#include "analysis/rank_suggestion.h"
#include "analysis/spectrum_stats.h"
#include "common/error.h"
#include "common/json_file.h"
#include "io/safetensors.h"
#include "lora/peft_adapter.h"
#include "lora/target_matching.h"
#include "model/loader.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <QtTest/QtTest>

#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <thread>

using namespace lorastudio;
namespace fs = std::filesystem;
using testsupport::errorOf;

namespace {

at::Tensor orthonormal(int64_t n, int64_t k) {
    return std::get<0>(at::linalg_qr(at::randn({n, k}, at::kDouble), "reduced"));
}

// A module whose s·B·A has exactly the singular values `sigma` (r = sigma.size()), with scaling s.
ModuleInput withSpectrum(const std::string& name, const std::vector<double>& sigma, int64_t out, int64_t in,
                         double s = 1.0) {
    const int64_t r = static_cast<int64_t>(sigma.size());
    ModuleInput m;
    m.name = name;
    m.B = orthonormal(out, r).mul(at::tensor(sigma, at::kDouble).div(s).unsqueeze(0));
    m.A = orthonormal(in, r).t().contiguous();
    m.scaling = s;
    return m;
}

at::Tensor delta(const at::Tensor& A, const at::Tensor& B, double s) {
    return B.to(at::kDouble).matmul(A.to(at::kDouble)).mul(s);
}

double relFrobenius(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).norm().item<double>() / b.norm().item<double>();
}

std::string fixtureAdapter(const std::string& model) { return testsupport::fixturesDir() + "/models/" + model + "/adapter"; }
std::string fixtureModel(const std::string& model) { return testsupport::fixturesDir() + "/models/" + model + "/model"; }

// A copy of the gpt2 fixture adapter with its config edited by `edit` (and tensors by `tensors`).
std::string editedAdapter(const std::string& tag, const std::function<void(nlohmann::json&)>& edit,
                          const std::function<void(std::vector<std::pair<std::string, at::Tensor>>&)>& tensors = {}) {
    const std::string dir = testsupport::makeTempDir(tag);
    nlohmann::json config = readJsonFile(fixtureAdapter("gpt2") + "/adapter_config.json");
    edit(config);
    testsupport::writeFile(dir + "/adapter_config.json", adapterConfigText(config));
    const Checkpoint weights = Checkpoint::open(fixtureAdapter("gpt2"));
    std::vector<std::pair<std::string, at::Tensor>> list;
    for (const auto& name : weights.names()) list.emplace_back(name, weights.tensor(name).clone());
    if (tensors) tensors(list);
    writeSafetensors(dir + "/adapter_model.safetensors", list, {{"format", "pt"}});
    return dir;
}

at::Tensor probeLogits(const std::string& model, const std::string& adapter) {
    LoadedModel lm = loadCausalLM(fixtureModel(model));
    lm.model->eval();
    loadAdapter(lm.model, adapter);
    torch::NoGradGuard noGrad;
    return lm.model->forward(at::arange(24, at::kLong).remainder(97).view({2, 12})).logits;
}

const std::vector<int64_t> kProbeIds = {5, 17, 2, 88, 40, 3, 61, 9, 70, 12, 33, 1};

const std::vector<std::string> kNames = {
    "transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_proj",
    "transformer.h.1.attn.c_attn", "transformer.h.1.attn.c_proj", "transformer.h.1.mlp.c_proj",
    "transformer.h.2.attn.c_attn", "transformer.h.2.attn.c_proj", "transformer.h.2.mlp.c_proj"};

// Every name resolves to its wanted (rank, alpha); every key selects the same names under both rules.
void checkResolution(const LoraSettings& s, const std::map<std::string, RankAlpha>& want,
                     const std::vector<std::string>& names) {
    for (const auto& name : names) {
        const RankAlpha got = rankAndAlphaFor(name, s);
        QVERIFY2(got.r == want.at(name).r && got.alpha == want.at(name).alpha,
                 (name + ": r " + std::to_string(got.r) + ", alpha " + std::to_string(got.alpha)).c_str());
    }
    for (const auto& [key, r] : s.rankPattern) {
        (void)r;
        QCOMPARE(namesSelectedBy(key, names, false), namesSelectedBy(key, names, true));
        QVERIFY2(!namesSelectedBy(key, names, false).empty(), key.c_str());
    }
}

} // namespace

class TestAnalysisActions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::manual_seed(4321); }

    // The rule: smallest k with sum_{i<=k} σ² >= share·sum σ², rounded up to 2^j, within [1, r].
    void suggestionRule() {
        // σ² = 16, 4, 1, 1, 0.25, 0.25: total 22.5; prefix 16 (71.1%), 20 (88.9%), 21 (93.3%), 22 (97.8%), 22.25, 22.5.
        const std::vector<double> sigma = {4, 2, 1, 1, 0.5, 0.5};
        QCOMPARE(directionsFor(cumulativeEnergy(sigma), 0.70), 1);
        QCOMPARE(suggestedRank(sigma, 0.70, 6), 1);                  // k = 1: the lower bound
        QCOMPARE(suggestedRank(sigma, 0.90, 6), 4);                  // k = 3 -> 4
        QCOMPARE(suggestedRank(sigma, 0.90, 6, /*roundUp=*/false), 3);
        QCOMPARE(suggestedRank(sigma, 0.95, 6), 4);                  // k = 4 -> 4
        QCOMPARE(suggestedRank(sigma, 0.99, 6), 6);                  // k = 5 -> 8, capped at r = 6
        QCOMPARE(suggestedRank(sigma, 1.00, 6), 6);
        QCOMPARE(suggestedRank(sigma, 20.0 / 22.5, 6), 2);           // exactly at the threshold: reached
        // Ties: 10 equal values, 90% -> k = 9 (not 10, despite rounding in the running sum) -> 16 -> r = 10.
        QCOMPARE(directionsFor(cumulativeEnergy(std::vector<double>(10, 0.3)), 0.9), 9);
        QCOMPARE(suggestedRank(std::vector<double>(10, 0.3), 0.9, 10), 10);
        QCOMPARE(suggestedRank(std::vector<double>(10, 0.3), 0.5, 10), 8);  // k = 5 -> 8
        // Zero spectra: nothing to measure, r kept; exact zeros past the rank never count.
        QCOMPARE(suggestedRank(std::vector<double>(8, 0.0), 0.95, 8), 8);
        QCOMPARE(suggestedRank({3, 0, 0, 0}, 0.99, 4), 1);
        QCOMPARE(energyKept({3, 1}, 1), 0.9);
        QCOMPARE(energyKept({0, 0}, 1), 1.0);
        QVERIFY(std::abs(truncationError({3, 1}, 1) - std::sqrt(0.1)) < 1e-15);
        QCOMPARE(truncationError({3, 1}, 2), 0.0);
    }

    void suggestRanksOnAReport() {
        AdapterReport report = analyzeAdapter({withSpectrum("model.layers.0.self_attn.q_proj", {4, 2, 1, 1, 0.5, 0.5, 0, 0}, 40, 24),
                                               withSpectrum("model.layers.0.self_attn.v_proj", {1, 1, 1, 1, 1, 1, 1, 1}, 16, 24, 2.0),
                                               withSpectrum("model.layers.1.self_attn.q_proj", std::vector<double>(8, 0.0), 40, 24)});
        const RankSuggestion s = suggestRanks(report, 0.95);
        QCOMPARE(s.modules.size(), std::size_t(3));
        QCOMPARE(s.modules[0].directions, 4);
        QCOMPARE(s.modules[0].suggested, 4);
        QVERIFY(std::abs(s.modules[0].energyKept - 22.0 / 22.5) < 1e-12);
        QCOMPARE(s.modules[0].parametersSaved, int64_t(4 * (40 + 24)));
        QCOMPARE(s.modules[1].directions, 8);  // flat spectrum: saturated
        QCOMPARE(s.modules[1].suggested, 8);
        QCOMPARE(s.modules[1].parametersSaved, int64_t(0));
        QVERIFY(s.modules[2].zero);
        QCOMPARE(s.modules[2].suggested, 8);
        QCOMPARE(s.zeroModules, 1);
        QCOMPARE(s.parametersBefore, int64_t(8 * 64 + 8 * 40 + 8 * 64));
        QCOMPARE(s.parametersAfter, s.parametersBefore - 4 * 64);
        QVERIFY(errorOf([&] { suggestRanks(report, 0.0); }).find("not in (0, 1]") != std::string::npos);
        QVERIFY(errorOf([&] { suggestRanks(report, 1.5); }).find("not in (0, 1]") != std::string::npos);
        QVERIFY(nlohmann::json(s).dump().find("\"suggested_rank\":4") != std::string::npos);
    }

    // Keys: one per (stack, kind, rank, alpha), the kind alone when it covers every layer.
    void patternKeysResolveExactly() {
        LoraSettings s;
        s.r = 8;
        s.loraAlpha = 16;
        std::vector<ModuleRankAlpha> wanted;
        const std::map<std::string, int> ranks = {
            {kNames[0], 8}, {kNames[1], 4}, {kNames[2], 2}, {kNames[3], 4}, {kNames[4], 4},
            {kNames[5], 4}, {kNames[6], 4}, {kNames[7], 4}, {kNames[8], 2}};
        std::map<std::string, RankAlpha> want;
        for (const auto& [name, r] : ranks) {
            wanted.push_back({name, r, 16});
            want[name] = {r, 16};
        }
        const LoraSettings out = withModuleRanks(s, wanted, kNames);
        const std::vector<std::pair<std::string, int>> keys = {
            {"attn\\.c_proj", 4}, {"h\\.(1|2)\\.attn\\.c_attn", 4}, {"h\\.1\\.mlp\\.c_proj", 4}, {"h\\.(0|2)\\.mlp\\.c_proj", 2}};
        QCOMPARE(out.rankPattern, keys);
        QVERIFY(out.alphaPattern.empty());
        QCOMPARE(out.r, 8);
        checkResolution(out, want, kNames);
        QCOMPARE(namesSelectedBy("h\\.(1|2)\\.attn\\.c_attn", kNames, false), (std::vector<std::string>{kNames[3], kNames[6]}));
    }

    // PEFT looks an alpha up under the rank key that matched: a rank key must carry the alpha an
    // old alpha_pattern key gave; modules the old keys reach keep theirs.
    void patternKeysKeepAlphas() {
        LoraSettings s;
        s.r = 8;
        s.loraAlpha = 16;
        s.alphaPattern = {{"mlp\\.c_proj", 32}};
        s.rankPattern = {{"h\\.0\\.attn\\.c_attn", 16}};  // replaced
        std::map<std::string, RankAlpha> want;
        for (const auto& n : kNames) want[n] = rankAndAlphaFor(n, s);
        QCOMPARE(want[kNames[0]].r, 16);
        QCOMPARE(want[kNames[2]].alpha, 32.0);
        want[kNames[2]].r = 2;  // one mlp.c_proj shrinks, keeping alpha 32
        const LoraSettings out = withModuleRanks(s, {{kNames[2], 2, 32}}, kNames);
        checkResolution(out, want, kNames);
        QCOMPARE(out.alphaPattern.front(), (std::pair<std::string, double>{"h\\.0\\.mlp\\.c_proj", 32}));
        QCOMPARE(out.alphaPattern.back(), (std::pair<std::string, double>{"mlp\\.c_proj", 32}));
    }

    // Two stacks with the same tail (a vision tower inside the model) need the anchored form;
    // a one-component name (lm_head) is keyed by its full name (PEFT's fallback).
    void patternKeysForAwkwardNames() {
        const std::vector<std::string> names = {"model.layers.0.q_proj", "model.layers.1.q_proj", "model.vision.layers.0.q_proj",
                                                "lm_head"};
        LoraSettings s;
        s.r = 8;
        s.loraAlpha = 8;
        const LoraSettings out = withModuleRanks(s, {{names[0], 2, 8}, {names[3], 4, 8}}, names);
        std::map<std::string, RankAlpha> want = {{names[0], {2, 8}}, {names[1], {8, 8}}, {names[2], {8, 8}}, {names[3], {4, 8}}};
        checkResolution(out, want, names);
        QCOMPARE(out.rankPattern.front().first, std::string("lm_head"));  // rank 4 before rank 2
        QCOMPARE(out.rankPattern.back().first, std::string("(?<=^model\\.)layers\\.0\\.q_proj"));
        // The fallback itself: no key matches "lm_head" as a regex, its full name is looked up.
        LoraSettings exact;
        exact.rankPattern = {{"lm_head", 3}};
        QCOMPARE(rankAndAlphaFor("lm_head", exact).r, 3);
        QCOMPARE(escapePattern("a.b-c_1"), std::string("a\\.b\\-c_1"));
    }

    void applySuggestionToAProject() {
        AdapterReport report = analyzeAdapter({withSpectrum(kNames[0], {4, 0.1, 0.1, 0.1}, 24, 8),
                                               withSpectrum(kNames[3], {1, 1, 1, 1}, 24, 8)});
        const RankSuggestion suggestion = suggestRanks(report, 0.95);
        LoraSettings project;
        project.r = 4;
        project.loraAlpha = 8;
        std::vector<std::string> targets = {kNames[0], kNames[1], kNames[3], kNames[4]};
        const LoraSettings out = applyRankSuggestion(project, suggestion, targets);
        QCOMPARE(rankAndAlphaFor(kNames[0], out).r, 1);
        QCOMPARE(rankAndAlphaFor(kNames[1], out).r, 4);  // a target the adapter did not have: unchanged
        QCOMPARE(rankAndAlphaFor(kNames[3], out).r, 4);
        QCOMPARE(out.rankPattern, (std::vector<std::pair<std::string, int>>{{"h\\.0\\.attn\\.c_attn", 1}}));
        targets.erase(targets.begin());
        QVERIFY(errorOf([&] { applyRankSuggestion(project, suggestion, targets); }).find("not adapted by the project") !=
                std::string::npos);
    }

    // s'·B'·A' = U_k Σ_k V_kᵀ: lossless at full rank, the Eckart-Young error below it.
    void truncationOfAKnownSpectrum() {
        const std::vector<double> sigma = {5, 3, 2, 1, 0.5, 0.25};
        const ModuleInput m = withSpectrum("m", sigma, 30, 20, 2.0);
        const at::Tensor dW = delta(m.A, m.B, m.scaling);
        for (int k = 1; k <= 6; ++k) {
            const double newScaling = 16.0 / k;
            auto [a, b] = truncateLora(m.A, m.B, m.scaling, k, newScaling);
            QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{k, 20}));
            QCOMPARE(b.sizes().vec(), (std::vector<int64_t>{30, k}));
            const double err = relFrobenius(delta(a, b, newScaling), dW);
            QVERIFY2(std::abs(err - truncationError(sigma, k)) < 1e-12, std::to_string(k).c_str());
            // The scale is split evenly: the columns of B' and the rows of A' have equal norms.
            QVERIFY(relFrobenius(b.norm(2, {0}), a.norm(2, {1})) < 1e-12);
        }
        auto [a, b] = truncateLora(m.A, m.B, m.scaling, 6, -0.5);  // a negative scaling is absorbed too
        QVERIFY(relFrobenius(delta(a, b, -0.5), dW) < 1e-13);
        // Asking for more than min(out, in, r) directions pads with zeros.
        const ModuleInput thin = withSpectrum("thin", {2, 1}, 3, 2);
        auto [a8, b8] = truncateLora(thin.A, thin.B, 1.0, 8, 0.25);
        QCOMPARE(a8.size(0), int64_t(8));
        QVERIFY(relFrobenius(delta(a8, b8, 0.25), delta(thin.A, thin.B, 1.0)) < 1e-13);
        QCOMPARE(a8.narrow(0, 2, 6).abs().max().item<double>(), 0.0);
        QVERIFY(!errorOf([&] { truncateLora(m.A, m.B, 1.0, 0, 1.0); }).empty());
    }

    // Full rank: the same adapter, to fp32 precision (products and logits), through our loader.
    void resizeToFullRankIsLossless() {
        const std::string out = testsupport::makeTempDir("resize-full") + "/adapter";
        ResizeOptions options;
        options.rank = 64;
        const ResizeResult r = resizeAdapter(fixtureAdapter("gpt2"), out, options);
        QCOMPARE(r.maxRank, 4);
        for (const ModuleResize& m : r.modules) {
            QCOMPARE(m.newRank, 4);
            QVERIFY(m.relativeError < 1e-12);
        }
        const auto before = adapterModuleInputs(fixtureAdapter("gpt2")), after = adapterModuleInputs(out);
        QCOMPARE(after.size(), before.size());
        for (std::size_t i = 0; i < before.size(); ++i)
            QVERIFY(relFrobenius(delta(after[i].A, after[i].B, after[i].scaling), delta(before[i].A, before[i].B, before[i].scaling)) < 1e-6);
        QVERIFY((probeLogits("gpt2", out) - probeLogits("gpt2", fixtureAdapter("gpt2"))).abs().max().item<double>() < 1e-5);
        const ProbeComparison p = compareOnProbeIds(fixtureModel("gpt2"), fixtureAdapter("gpt2"), out, kProbeIds);
        QCOMPARE(p.tokens, int64_t(kProbeIds.size()));
        QVERIFY(p.maxAbsLogitDiff < 1e-5);
        QVERIFY(errorOf([&] { resizeAdapter(fixtureAdapter("gpt2"), out, options); }).find("exists") != std::string::npos);
    }

    // rsLoRA, an alpha_pattern and a rank_pattern in the original: the resized adapter's ranks come
    // out as chosen, r is the largest, and each module's s'·B'·A' is the truncation with its error.
    void resizeKeepsScalesAndPredictsTheError() {
        const std::string in = editedAdapter("resize-src", [](nlohmann::json& c) {
            c["use_rslora"] = true;
            c["alpha_pattern"] = {{"h\\.1\\.attn\\.c_attn", 20}};
        });
        const std::string out = testsupport::makeTempDir("resize-energy") + "/adapter";
        ResizeOptions options;
        options.energy = 0.6;
        options.roundUp = false;
        const ResizeResult r = resizeAdapter(in, out, options);
        const auto before = adapterModuleInputs(in), after = adapterModuleInputs(out);
        const AdapterConfig written = readAdapterConfig(out, Architecture::Gpt2);
        QVERIFY(written.settings.useRslora);
        int largest = 0;
        for (std::size_t i = 0; i < before.size(); ++i) {
            const ModuleReport m = analyzeModule(before[i]);
            const int k = suggestedRank(m.sigma, 0.6, m.rank, false);
            QCOMPARE(r.modules[i].newRank, k);
            QCOMPARE(int(after[i].A.size(0)), k);
            QCOMPARE(rankAndAlphaFor(after[i].name, written.settings).r, k);
            QCOMPARE(rankAndAlphaFor(after[i].name, written.settings).alpha, i == 1 ? 20.0 : 8.0);
            const double err = relFrobenius(delta(after[i].A, after[i].B, after[i].scaling), delta(before[i].A, before[i].B, before[i].scaling));
            QVERIFY2(std::abs(err - truncationError(m.sigma, k)) < 1e-6, after[i].name.c_str());
            QVERIFY(std::abs(r.modules[i].relativeError - truncationError(m.sigma, k)) < 1e-12);
            largest = std::max(largest, k);
        }
        QCOMPARE(written.settings.r, largest);
        QVERIFY(r.parametersAfter < r.parametersBefore);
        // It loads in our loader and computes something close but not equal.
        const ProbeComparison p = compareOnProbeIds(fixtureModel("gpt2"), in, out, kProbeIds);
        QVERIFY(p.maxAbsLogitDiff > 1e-6);
    }

    void resizeRefusals() {
        const std::string out = testsupport::makeTempDir("resize-bad") + "/adapter";
        ResizeOptions none;
        QVERIFY(errorOf([&] { resizeAdapter(fixtureAdapter("gpt2"), out, none); }).find("either") != std::string::npos);
        ResizeOptions both;
        both.energy = 0.9;
        both.rank = 2;
        QVERIFY(!errorOf([&] { resizeAdapter(fixtureAdapter("gpt2"), out, both); }).empty());
        ResizeOptions ok;
        ok.rank = 2;
        const std::string dora = testsupport::sourceDir() + "/tests/fixtures/dora/gpt2/adapter";
        QVERIFY(errorOf([&] { resizeAdapter(dora, out, ok); }).find("DoRA") != std::string::npos);
        QVERIFY(!fs::exists(out));
    }

    // ||ΔW||_F / ||Uᵀ W0 V||_F against the formed ΔW's SVD; Conv1D's [in, out] W0 read transposed.
    void amplificationFactor() {
        ModuleInput m = withSpectrum("transformer.h.0.attn.c_attn", {3, 2, 1, 0.5}, 24, 16, 0.5);
        const at::Tensor W0 = at::randn({24, 16}, at::kDouble);
        const at::Tensor dW = delta(m.A, m.B, m.scaling);
        auto [U, S, Vh] = at::linalg_svd(dW, false);
        const at::Tensor Uk = U.narrow(1, 0, 4), Vk = Vh.narrow(0, 0, 4).t();
        const double want = dW.norm().item<double>() / Uk.t().matmul(W0).matmul(Vk).norm().item<double>();
        m.baseWeight = W0;
        const ModuleReport a = analyzeModule(m);
        QVERIFY(a.amplification.has_value());
        QVERIFY(std::abs(*a.amplification - want) < 1e-10 * want);
        m.baseWeight = W0.t().contiguous();
        m.baseTransposed = true;
        QVERIFY(std::abs(*analyzeModule(m).amplification - want) < 1e-10 * want);
        m.baseWeight = at::randn({24 * 16});  // not a matrix: the norm only
        QVERIFY(!analyzeModule(m).amplification.has_value());
        QVERIFY(analyzeModule(m).relativeNorm.has_value());
        const AdapterReport r = analyzeAdapter({withSpectrum("x.0.q", {1, 1}, 4, 4)});
        QVERIFY(!r.modules[0].amplification.has_value());
        QVERIFY(nlohmann::json(a).contains("amplification"));
        QCOMPARE(*nlohmann::json(a).get<ModuleReport>().amplification, *a.amplification);
    }

    void learningSummary() {
        std::vector<ModuleInput> mods = {withSpectrum("model.layers.0.self_attn.q_proj", {3, 0, 0, 0}, 8, 8),
                                         withSpectrum("model.layers.0.mlp.down_proj", {1, 0, 0, 0}, 8, 8),
                                         withSpectrum("model.layers.1.self_attn.q_proj", {2, 2, 2, 2}, 8, 8),
                                         withSpectrum("lm_head", {1, 1, 1, 1}, 8, 8)};
        const LearningSummary s = summarizeLearning(analyzeAdapter(mods));
        // ||ΔW||² = 9, 1, 16, 4 (total 30); effective ranks 1, 1, 4, 4 (total 10).
        QCOMPARE(s.squaredNorm, 30.0);
        QCOMPARE(s.byLayer.size(), std::size_t(3));
        QCOMPARE(s.byLayer[0].group, std::string("0"));
        QVERIFY(std::abs(s.byLayer[0].normShare - 10.0 / 30) < 1e-12);
        QVERIFY(std::abs(s.byLayer[0].rankShare - 0.2) < 1e-12);
        QVERIFY(std::abs(s.byLayer[1].normShare - 16.0 / 30) < 1e-12);
        QCOMPARE(s.byLayer[2].group, std::string("no layer"));
        QCOMPARE(s.byKind.size(), std::size_t(3));
        QCOMPARE(s.byKind[0].group, std::string("self_attn.q_proj"));
        QCOMPARE(s.byKind[0].modules, 2);
        QVERIFY(std::abs(s.byKind[0].normShare - 25.0 / 30) < 1e-12);
        QCOMPARE(s.byKind[2].group, std::string("lm_head"));
        double sum = 0.0;
        for (const auto& g : s.byKind) sum += g.normShare;
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
        QVERIFY(!s.byKind[0].amplification.has_value());
        // Amplification: the median of the group's modules.
        for (auto& m : mods) m.baseWeight = at::randn({8, 8}, at::kDouble);
        const AdapterReport withBase = analyzeAdapter(mods);
        const LearningSummary b = summarizeLearning(withBase);
        QCOMPARE(*b.byKind[0].amplification, 0.5 * (*withBase.modules[0].amplification + *withBase.modules[2].amplification));
        QVERIFY(nlohmann::json(b).dump().find("by_layer") != std::string::npos);
        // A zero adapter: no shares, no division by zero.
        const LearningSummary zero = summarizeLearning(analyzeAdapter({withSpectrum("model.layers.0.q", {0, 0}, 4, 4)}));
        QCOMPARE(zero.byLayer[0].normShare, 0.0);
    }

    // A run folder stands for its newest adapter or checkpoint.
    void runFolders() {
        const std::string run = testsupport::makeTempDir("run");
        QVERIFY(errorOf([&] { latestAdapterFolder(run); }).find("neither an adapter folder") != std::string::npos);
        fs::create_directories(run + "/checkpoints");
        fs::copy(fixtureAdapter("gpt2"), run + "/checkpoints/step-3", fs::copy_options::recursive);
        QCOMPARE(latestAdapterFolder(run), run + "/checkpoints/step-3");
        fs::copy(fixtureAdapter("gpt2"), run + "/adapter", fs::copy_options::recursive);
        fs::copy(fixtureAdapter("gpt2"), run + "/checkpoints/step-6", fs::copy_options::recursive);
        const auto now = fs::file_time_type::clock::now();
        fs::last_write_time(run + "/checkpoints/step-3/adapter_model.safetensors", now - std::chrono::seconds(30));
        fs::last_write_time(run + "/checkpoints/step-6/adapter_model.safetensors", now - std::chrono::seconds(20));
        fs::last_write_time(run + "/adapter/adapter_model.safetensors", now - std::chrono::seconds(10));
        QCOMPARE(latestAdapterFolder(run), run + "/adapter");
        fs::last_write_time(run + "/checkpoints/step-6/adapter_model.safetensors", now);
        QCOMPARE(latestAdapterFolder(run), run + "/checkpoints/step-6");
        QCOMPARE(latestAdapterFolder(run + "/adapter"), run + "/adapter");
    }
};

QTEST_APPLESS_MAIN(TestAnalysisActions)
#include "test_analysis_actions.moc"

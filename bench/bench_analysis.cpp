// Cost of the adapter analysis (figures only, not a test): a 7B-like adapter, L layers x
// {q,k,v,o}_proj on d x d with r = 16 and r = 64, analysed through the QR route, compared with one
// module's naive full SVD of the formed d x d update. Usage: bench_analysis [layers] [d] [naive: 0|1]
#include "analysis/adapter_analysis.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Median of `repeats` runs of f, in seconds.
template <typename F>
double timeIt(int repeats, F&& f) {
    std::vector<double> t;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        t.push_back(secondsSince(t0));
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

std::vector<lorastudio::ModuleInput> makeAdapter(int layers, int64_t d, int64_t r) {
    std::vector<lorastudio::ModuleInput> mods;
    for (int l = 0; l < layers; ++l)
        for (const char* kind : {"q_proj", "k_proj", "v_proj", "o_proj"}) {
            lorastudio::ModuleInput m;
            m.name = "model.layers." + std::to_string(l) + ".self_attn." + kind;
            m.A = at::randn({r, d}).mul(1.0 / std::sqrt(double(d)));  // float32, as trained
            m.B = at::randn({d, r}).mul(1e-3);
            m.scaling = 16.0 / double(r);
            m.baseNorm = 64.0;
            mods.push_back(std::move(m));
        }
    return mods;
}

} // namespace

int main(int argc, char** argv) {
    const int layers = argc > 1 ? std::atoi(argv[1]) : 32;
    const int64_t d = argc > 2 ? std::atoll(argv[2]) : 4096;
    const bool naive = argc > 3 ? std::atoi(argv[3]) != 0 : true;
    at::manual_seed(0);
    std::printf("adapter: %d layers x {q,k,v,o}_proj, %lld x %lld, float32 factors; torch threads: %d\n", layers,
                static_cast<long long>(d), static_cast<long long>(d), at::get_num_threads());
    try {
        for (int64_t r : {16, 64}) {
            const auto mods = makeAdapter(layers, d, r);
            lorastudio::analyzeAdapter(mods);  // warm-up (allocator, LAPACK workspaces)
            lorastudio::AdapterReport report;
            const double tAnalyze = timeIt(3, [&] { report = lorastudio::analyzeAdapter(mods); });
            const double tCompareA = timeIt(3, [&] { lorastudio::compareAdapters(mods, mods); });
            const double tCompareV =
                timeIt(1, [&] { lorastudio::compareAdapters(mods, mods, lorastudio::SubspaceBasis::UpdateRight); });
            std::printf("r=%-3lld analyzeAdapter (%zu modules): %8.1f ms  (%.2f ms/module)\n", static_cast<long long>(r),
                        mods.size(), 1e3 * tAnalyze, 1e3 * tAnalyze / double(mods.size()));
            std::printf("      compareAdapters lora_a:        %8.1f ms   update_right: %8.1f ms\n", 1e3 * tCompareA,
                        1e3 * tCompareV);
            std::printf("      advice: %s\n", report.advice.c_str());
            if (naive && r == 16) {
                // The naive route for one module: form dW [d, d] in float64, then its full spectrum.
                const auto& m = mods.front();
                double sigma0 = 0.0;
                const double tNaive64 = timeIt(1, [&] {
                    const at::Tensor dW = m.B.to(at::kDouble).matmul(m.A.to(at::kDouble)).mul(m.scaling);
                    sigma0 = at::linalg_svdvals(dW)[0].item<double>();
                });
                const double tNaive32 = timeIt(1, [&] {
                    const at::Tensor dW = m.B.matmul(m.A).mul(m.scaling);
                    at::linalg_svdvals(dW)[0].item<float>();
                });
                const double tOne = timeIt(5, [&] { lorastudio::analyzeModule(m); });
                std::printf("      one module: QR route %.2f ms; naive SVD of the formed %lldx%lld: float64 %.2f s "
                            "(%.0fx slower), float32 %.2f s; sigma_1 %.9g (QR) vs %.9g (naive)\n",
                            1e3 * tOne, static_cast<long long>(d), static_cast<long long>(d), tNaive64,
                            tNaive64 / tOne, tNaive32, report.modules.front().sigma.front(), sigma0);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_analysis: %s\n", e.what());
        return 1;
    }
    return 0;
}

// See spectrum_stats.h. Sums run in double over at most a few hundred values: no care needed
// beyond skipping zeros in the entropy and guarding the all-zero spectrum.
#include "analysis/spectrum_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace lorastudio {

double effectiveRank(const std::vector<double>& sigma) {
    double l1 = 0.0;
    for (double s : sigma) l1 += std::abs(s);
    if (!(l1 > 0.0)) return 0.0;
    double h = 0.0;
    for (double s : sigma) {
        const double p = std::abs(s) / l1;
        if (p > 0.0) h -= p * std::log(p);
    }
    return std::exp(h);
}

std::vector<double> cumulativeEnergy(const std::vector<double>& sigma) {
    std::vector<double> energy(sigma.size(), 0.0);
    double total = 0.0;
    for (double s : sigma) total += s * s;
    if (!(total > 0.0)) return energy;
    double acc = 0.0;
    for (std::size_t i = 0; i < sigma.size(); ++i) {
        acc += sigma[i] * sigma[i];
        energy[i] = std::min(1.0, acc / total);
    }
    energy.back() = 1.0;  // exactly, whatever the rounding of the running sum
    return energy;
}

int directionsFor(const std::vector<double>& energy, double fraction) {
    if (energy.empty() || !(energy.back() > 0.0)) return 0;
    const double target = fraction * (1.0 - 1e-12);
    for (std::size_t i = 0; i < energy.size(); ++i)
        if (energy[i] >= target) return static_cast<int>(i) + 1;
    return static_cast<int>(energy.size());
}

int nextPowerOfTwo(int k) {
    int p = 1;
    while (p < k) p *= 2;
    return p;
}

int suggestedRank(const std::vector<double>& sigma, double share, int rank, bool roundUp) {
    const int k = directionsFor(cumulativeEnergy(sigma), share);
    if (k == 0) return rank;  // zero update: no evidence either way
    return std::clamp(roundUp ? nextPowerOfTwo(k) : k, 1, std::max(1, rank));
}

namespace {

// (sum_{i<=k} sigma_i^2, sum_{i>k} sigma_i^2)
std::pair<double, double> headAndTail(const std::vector<double>& sigma, int k) {
    double head = 0.0, tail = 0.0;
    for (std::size_t i = 0; i < sigma.size(); ++i) (static_cast<int>(i) < k ? head : tail) += sigma[i] * sigma[i];
    return {head, tail};
}

} // namespace

double energyKept(const std::vector<double>& sigma, int k) {
    const auto [head, tail] = headAndTail(sigma, k);
    return head + tail > 0.0 ? head / (head + tail) : 1.0;
}

double truncationError(const std::vector<double>& sigma, int k) {
    const auto [head, tail] = headAndTail(sigma, k);
    return head + tail > 0.0 ? std::sqrt(tail / (head + tail)) : 0.0;
}

namespace {

std::string directions(int k) { return k == 1 ? "direction" : "directions"; }

std::string format(const char* fmt, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

} // namespace

std::string moduleAdvice(int k95, int rank, bool zero) {
    const std::string r = std::to_string(rank);
    if (zero) return "the update is zero (B still at its initial zeros): nothing learned yet";
    if (k95 >= rank)
        return "95% of the update's energy needs all " + r + " " + directions(rank) + ": r=" + r +
               " is saturated, try r=" + std::to_string(2 * rank);
    const int p = nextPowerOfTwo(k95);
    if (p < rank) {
        const std::string top = k95 == 1 ? "the top direction" : "the top " + std::to_string(k95) + " directions";
        return "95% of the update's energy is in " + top + ": r=" + std::to_string(p) + " would do (now r=" + r + ")";
    }
    return "95% of the update's energy is in the top " + std::to_string(k95) + " of " + r + " directions: r=" + r +
           " fits";
}

std::string adapterAdvice(int moduleCount, int zeroModules, int saturatedModules, int maxSaturatedRank,
                          int maxK95, double medianK95, int maxRank) {
    if (moduleCount == 0) return "no LoRA modules to analyse";
    if (zeroModules == moduleCount)
        return "the update is zero in all " + std::to_string(moduleCount) +
               " modules (B still at its initial zeros): nothing learned yet";
    const std::string of = " of " + std::to_string(moduleCount) + " modules";
    std::string line;
    if (saturatedModules > 0) {
        line = "r is saturated in " + std::to_string(saturatedModules) + of +
               " (95% of their update's energy needs every direction): try r=" + std::to_string(2 * maxSaturatedRank);
    } else {
        const int p = nextPowerOfTwo(maxK95);
        line = "95% of the update's energy is in the top " + std::to_string(maxK95) + " " + directions(maxK95) +
               " or fewer in every module (median " + format("%g", medianK95) + "): ";
        line += p < maxRank ? "r=" + std::to_string(p) + " would do (now r=" + std::to_string(maxRank) + ")"
                            : "r=" + std::to_string(maxRank) + " fits";
    }
    if (zeroModules > 0) line += "; " + std::to_string(zeroModules) + of + " have not moved from zero";
    return line;
}

} // namespace lorastudio

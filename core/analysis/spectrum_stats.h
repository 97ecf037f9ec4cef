// Numbers derived from a spectrum (singular values, descending) of a LoRA update, and the advice
// strings built from them. Pure functions on std::vector<double>; no torch. Every function is
// defined (no NaN) for an all-zero spectrum, the state of an update whose B is still zero.
#pragma once
#include <string>
#include <vector>

namespace lorastudio {

// Effective rank after O. Roy and M. Vetterli, "The effective rank: A measure of effective
// dimensionality", EUSIPCO 2007, pp. 606-610:
//   p_i = sigma_i / sum_j sigma_j,  H = -sum_i p_i ln p_i (with 0 ln 0 = 0),  erank = exp(H).
// r equal nonzero values -> r; one nonzero value -> 1; all zero -> 0 (by our convention).
double effectiveRank(const std::vector<double>& sigma);

// energy[k-1] = sum_{i<=k} sigma_i^2 / sum_i sigma_i^2 for k = 1..n; non-decreasing, ends at 1.
// All zeros when the spectrum is all zero (nothing to capture).
std::vector<double> cumulativeEnergy(const std::vector<double>& sigma);

// The smallest k with energy[k-1] >= fraction (up to a relative 1e-12 so that e.g. 9 of 10 equal
// values do reach 90%); 0 when the energy curve is all zero.
int directionsFor(const std::vector<double>& energy, double fraction);

// The smallest power of two >= k (k >= 1).
int nextPowerOfTwo(int k);

// The rank suggestion rule (docs/insight.md): k = directionsFor(cumulativeEnergy(sigma), share),
// the smallest k keeping `share` of sum sigma_i^2 (a tie at the threshold counts as reached, up to
// a relative 1e-12); rounded up to a power of two when roundUp, then clamped into [1, rank]. An
// all-zero spectrum has nothing to measure: it returns `rank` (the module keeps its r).
// share must lie in (0, 1]; rank >= 1.
int suggestedRank(const std::vector<double>& sigma, double share, int rank, bool roundUp = true);

// sum_{i<=k} sigma_i^2 / sum sigma_i^2: the energy a rank-k truncation keeps; 1 for a zero spectrum.
double energyKept(const std::vector<double>& sigma, int k);

// ||dW - dW_k||_F / ||dW||_F = sqrt(sum_{i>k} sigma_i^2 / sum sigma_i^2) (Eckart-Young): the error
// of the best rank-k approximation, from the tail directly (no 1 - x cancellation); 0 for a zero spectrum.
double truncationError(const std::vector<double>& sigma, int k);

// One line about one module, from its k95 and rank r:
//   zero update          -> "the update is zero (B still at its initial zeros): nothing learned yet"
//   k95 == r             -> "95% of the update's energy needs all 16 directions: r=16 is saturated, try r=32"
//   pow2(k95) < r        -> "95% of the update's energy is in the top 3 directions: r=4 would do (now r=16)"
//   otherwise            -> "95% of the update's energy is in the top 12 of 16 directions: r=16 fits"
std::string moduleAdvice(int k95, int rank, bool zero);

// One line about a whole adapter: saturated modules first (suggest 2x the largest saturated r),
// else the power of two >= the largest k95 over the modules, with the median k95; notes modules
// whose update is still zero.
std::string adapterAdvice(int moduleCount, int zeroModules, int saturatedModules, int maxSaturatedRank,
                          int maxK95, double medianK95, int maxRank);

} // namespace lorastudio

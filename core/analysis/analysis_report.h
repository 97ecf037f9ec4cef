// What an adapter learned, as plain value types (no torch): the spectrum of each LoRA update
// dW = s*B*A and the numbers derived from it, a layer x module-kind table for heatmaps, subspace
// similarity grids between two adapters, and their JSON form. The GUI and the CLI include only this.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

// The spectrum of one update and what follows from it (see spectrum_stats.h for definitions).
struct ModuleReport {
    std::string name;            // module name as given, e.g. "model.layers.3.self_attn.q_proj"
    int layer = -1;              // parsed from the name (module_names.h); -1 when there is none
    std::string kind;            // e.g. "self_attn.q_proj"
    int rank = 0;                // r: rows of A, columns of B
    int64_t outFeatures = 0;     // rows of B
    int64_t inFeatures = 0;      // columns of A
    double scaling = 1.0;        // s
    std::vector<double> sigma;   // [r] singular values of s*B*A, descending; exact zeros past min(out, in, r)
    std::vector<double> energy;  // [r] energy[k-1] = sum_{i<=k} sigma_i^2 / sum sigma^2; all 0 for a zero update
    double effectiveRank = 0.0;  // Roy & Vetterli exp-entropy; 0 for a zero update
    int k90 = 0, k95 = 0, k99 = 0;  // smallest k reaching 90/95/99% of the energy; 0 for a zero update
    double frobeniusNorm = 0.0;  // ||dW||_F = sqrt(sum sigma^2)
    double spectralNorm = 0.0;   // ||dW||_2 = sigma_1
    std::optional<double> baseNorm;      // ||W0||_F when known
    std::optional<double> relativeNorm;  // ||dW||_F / ||W0||_F when baseNorm is known and > 0
    // ||dW||_F / ||U^T W0 V||_F (LoRA paper, Hu et al. 2021, Sec. 7.3), U, V: the singular vectors
    // of dW (min(out, in, r) of them); only when W0 itself was given and dW is not zero. How much
    // dW amplifies directions W0 barely uses: large = the update brings in something new.
    std::optional<double> amplification;
    std::string advice;          // one line, e.g. "95% of the update's energy is in the top 3 directions: r=4 would do (now r=16)"

    bool isZero() const { return frobeniusNorm == 0.0; }
};

// What the heatmap shows per cell.
enum class ModuleMetric { EffectiveRank, K90, K95, K99, FrobeniusNorm, RelativeNorm, SpectralNorm };
const char* metricName(ModuleMetric m);  // "effective_rank", "k95", ...

// Layers (rows, ascending) x module kinds (columns, in first-seen order). Modules without a
// layer index (e.g. lm_head) are not in the table. When the adapter spans several layer stacks
// (e.g. a vision tower and a language model), a column is named "<stack>.*.<kind>".
struct LayerKindTable {
    std::vector<int> layers;
    std::vector<std::string> kinds;
    std::vector<int> cells;  // [layers.size() * kinds.size()], row-major: index into the module list, or -1

    int cell(std::size_t row, std::size_t col) const { return cells[row * kinds.size() + col]; }
    // The metric per cell, row-major; NaN where there is no module (or no base norm for RelativeNorm).
    std::vector<double> values(const std::vector<ModuleReport>& modules, ModuleMetric metric) const;
};

struct AdapterReport {
    std::vector<ModuleReport> modules;  // in input order
    LayerKindTable table;
    int maxRank = 0;            // largest r over the modules
    int maxK95 = 0;             // largest k95 over the modules (the rank every module would need)
    double medianK95 = 0.0;     // over modules whose update is not zero
    int saturatedModules = 0;   // k95 == r: all r directions are needed
    int zeroModules = 0;        // the update is exactly zero (B still at its zero initialisation)
    std::string advice;         // one line for the whole adapter
};

// phi(i, j) for i in 1..rows, j in 1..cols (LoRA paper, Hu et al. 2021, Sec. 7.2, Eq. 4):
// phi(i, j) = ||U1[:, :i]^T U2[:, :j]||_F^2 / min(i, j), in [0, 1].
struct SubspaceSimilarity {
    int rows = 0, cols = 0;
    std::vector<double> phi;  // [rows * cols], row-major, phi(i, j) at (i-1)*cols + (j-1)

    double at(int i, int j) const { return phi[static_cast<std::size_t>(i - 1) * cols + (j - 1)]; }  // 1-based
};

// Which subspace of each module is compared.
enum class SubspaceBasis {
    LoraA,        // the row space of A [r, in], ordered by A's singular values (the paper's choice)
    UpdateRight,  // right singular vectors of dW (input space), ordered by dW's singular values
    UpdateLeft,   // left singular vectors of dW (output space)
};
const char* basisName(SubspaceBasis b);  // "lora_a", "update_right", "update_left"

struct ModuleComparison {
    std::string name;
    int layer = -1;
    std::string kind;
    SubspaceSimilarity similarity;  // rows: first adapter, cols: second
    double topOverlap = 0.0;        // phi(1, 1): do the strongest directions agree?
    double fullOverlap = 0.0;       // phi(rows, cols): share of the smaller whole subspace inside the larger
};

struct AdapterComparison {
    SubspaceBasis basis = SubspaceBasis::LoraA;
    std::vector<ModuleComparison> modules;   // modules present in both, in the first adapter's order
    std::vector<std::string> onlyInFirst;
    std::vector<std::string> onlyInSecond;
};

// JSON (snake_case keys). from_json throws lorastudio::Error naming the missing/mistyped key.
void to_json(nlohmann::json& j, const ModuleReport& m);
void from_json(const nlohmann::json& j, ModuleReport& m);
void to_json(nlohmann::json& j, const LayerKindTable& t);
void from_json(const nlohmann::json& j, LayerKindTable& t);
void to_json(nlohmann::json& j, const AdapterReport& r);
void from_json(const nlohmann::json& j, AdapterReport& r);
void to_json(nlohmann::json& j, const SubspaceSimilarity& s);  // {"rows", "cols", "phi": [[...] per i]}
void from_json(const nlohmann::json& j, SubspaceSimilarity& s);
void to_json(nlohmann::json& j, const ModuleComparison& m);
void from_json(const nlohmann::json& j, ModuleComparison& m);
void to_json(nlohmann::json& j, const AdapterComparison& c);
void from_json(const nlohmann::json& j, AdapterComparison& c);

} // namespace lorastudio

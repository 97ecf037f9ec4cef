// TrainingSettings: how a run trains (steps, batch, optimizer and schedule, precision, device and
// threads, checkpoints and evaluation, the data-parallel process group). Owned by core/train,
// which reads them; the project file, the studio and the CLI write them. No YAML, Qt or LibTorch.
#pragma once
#include "common/enum_names.h"

#include <array>
#include <string>
#include <vector>

namespace lorastudio {

enum class LrSchedule { Constant, Linear, Cosine };
enum class Precision { Fp32, Bf16, Fp16 };
// Data-parallel process group: auto = Gloo on the CPU, NCCL on CUDA where the build has it.
enum class DistributedBackend { Auto, Gloo, Nccl };
// What a run optimizes: the next-token loss on the answers (supervised fine-tuning), or on
// preference pairs (data.format preference) Direct Preference Optimization, with the base model (the
// adapters switched off) as the reference, or ORPO (reference-free: next-token loss on the chosen
// sequences plus an odds-ratio term).
enum class Objective { Sft, Dpo, Orpo };
// DPO's loss on the pair's margin h = (log pi_c - log ref_c) - (log pi_r - log ref_r): sigmoid
// -log sigmoid(beta h) (the DPO paper; with label smoothing eps, conservative DPO), or IPO's
// (h - 1 / (2 beta))^2 on log-probabilities averaged over each answer's tokens.
enum class DpoLoss { Sigmoid, Ipo };

struct TrainingSettings {
    double epochs = 3;
    int maxSteps = 0;                               // > 0 wins over epochs
    int batchSize = 8;                              // per step, before accumulation
    int gradientAccumulation = 1;
    double lr = 2e-4;
    LrSchedule schedule = LrSchedule::Cosine;
    int warmupSteps = 0;                            // > 0 wins over warmupRatio
    double warmupRatio = 0.03;                      // fraction of the total steps
    double weightDecay = 0;
    double loraplusLrRatio = 0;                     // LoRA+: lora_B (and 1-D) parameters learn at ratio x lr; 0 = off
    Objective objective = Objective::Sft;
    double dpoBeta = 0.1;                           // DPO: how far from the reference the policy may move (higher: less)
    DpoLoss dpoLoss = DpoLoss::Sigmoid;
    double dpoLabelSmoothing = 0;                   // DPO sigmoid: assumed share of flipped pairs, in [0, 0.5)
    double orpoBeta = 0.1;                          // ORPO: the odds-ratio term's weight (the paper's lambda)
    std::array<double, 2> adamBetas{0.9, 0.999};
    double adamEps = 1e-8;
    double maxGradNorm = 1.0;                       // 0 disables clipping
    int seed = 42;
    Precision precision = Precision::Fp32;
    bool gradientCheckpointing = false;
    int evalEvery = 200;                            // steps; 0 = never
    int saveEvery = 500;                            // steps; 0 = only at the end
    int loggingEvery = 10;                          // steps
    int saveTotalLimit = 0;                         // newest N checkpoints kept; 0 = keep all
    int analysisEvery = 5;                          // steps between ΔW spectra snapshots; 0 = never
    std::string device = "auto";                    // auto, cpu, cuda, cuda:N
    int threads = 0;                                // CPU threads for compute; 0 = every physical core
    bool tf32 = false;                              // CUDA: TensorFloat-32 for fp32 matmuls (faster, ~1e-3)
    // Data-parallel jobs only (torchrun's environment, or --nproc-per-node): the process group,
    // and how long any rank waits for the others in a collective before the job ends.
    DistributedBackend distributedBackend = DistributedBackend::Auto;
    int distributedTimeout = 1800;                  // seconds
    // Gradient all-reduce buckets, started while backward goes on (PyTorch DDP's bucket_cap_mb);
    // 0 = one buffer after backward.
    double distributedBucketMb = 25;
};

bool operator==(const TrainingSettings& a, const TrainingSettings& b);
inline bool operator!=(const TrainingSettings& a, const TrainingSettings& b) { return !(a == b); }

// Names (see common/enum_names.h for enumName / enumFromName): the first entry of a value is its
// canonical name, later ones are aliases.
const std::vector<EnumEntry<LrSchedule>>& enumEntries(LrSchedule);
const std::vector<EnumEntry<Precision>>& enumEntries(Precision);
const std::vector<EnumEntry<DistributedBackend>>& enumEntries(DistributedBackend);
const std::vector<EnumEntry<Objective>>& enumEntries(Objective);
// DPO or ORPO: the objectives that train on preference pairs.
inline bool isPreferenceObjective(Objective o) { return o == Objective::Dpo || o == Objective::Orpo; }
const std::vector<EnumEntry<DpoLoss>>& enumEntries(DpoLoss);

// True for "auto", "cpu", "cuda" and "cuda:N".
bool isValidDevice(const std::string& device);

} // namespace lorastudio

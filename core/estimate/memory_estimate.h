// Peak memory of a LoRA training run, from config.json and the project settings alone, in well under
// a millisecond: weights, LoRA parameters, gradients, AdamW states, activations kept for backward,
// logits and loss buffers, and framework overhead, each in bytes, with per-module and per-layer
// breakdowns. CPU figures are peak RSS (calibrated by bench/bench_memory); CUDA figures are the
// caching allocator's peak reservation plus the CUDA context (not measured here, see the .cpp).
#pragma once
#include "estimate/activation_model.h"
#include "estimate/parameter_count.h"
#include "model/model_spec.h"
#include "project/project_config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

enum class MemoryDevice { Cpu, Cuda };
enum class CpuAllocator { Mimalloc, Glibc };
const char* memoryDeviceName(MemoryDevice d);

struct MemoryOptions {
    // Unset: from training.device ("cpu", "cuda[:N]"; "auto" = CUDA when this build sees a GPU).
    std::optional<MemoryDevice> device;
    // Unset: what the model uses there: eager on CPU; SDPA on CUDA when LibTorch has it (>= 2.1).
    std::optional<AttentionKind> attention;
    // CPU only: the allocator of the training process. Unset: mimalloc when this build links it
    // (runtime/process_setup.h), else glibc's malloc. mimalloc reuses what is freed and its peak
    // RSS follows the live tensors; glibc's default heap keeps freed blocks below its dynamic mmap
    // threshold and grows to about twice the activations (both measured, bench_memory).
    std::optional<CpuAllocator> cpuAllocator;
    // CPU only. Unset: a bare process with LibTorch loaded (157 MiB, measured: the CLI). A front end
    // that trains inside its own process (the studio: Qt, fonts, plots, a loaded dataset) passes its
    // resident size before its first run instead, so that its own memory is counted once.
    std::optional<int64_t> processBaselineBytes;
    // Tokens of the longest example the training data holds, cut to data.max_length. A batch is
    // padded to its longest example, so no step is longer: the estimate is sized for this length
    // instead of max_length (unless data.packing, whose rows fill up to max_length). Unset: every
    // example is taken as max_length long, the worst case for any data.
    std::optional<int64_t> longestExample;
    // Ranks of a data-parallel job. The estimate is per rank (each holds the whole model and its
    // batch_size), plus the all-reduce's flat gradient buffers and the process group's own memory.
    int worldSize = 1;
};

// Bytes of one module: its base weights, LoRA A+B, and the gradients + AdamW states of whatever
// trains in it.
struct ModuleMemory {
    std::string name;
    int64_t weightBytes = 0;
    int64_t loraBytes = 0;
    int64_t trainingStateBytes = 0;
};

struct MemoryComponent {
    std::string name;
    int64_t bytes = 0;
};

struct MemoryEstimate {
    MemoryDevice device = MemoryDevice::Cpu;
    AttentionKind attention = AttentionKind::Eager;
    int64_t batch = 0;           // per rank (DPO, ORPO: preference pairs)
    // Sequences per micro-batch: batch, or for DPO and ORPO 2 x batch (each pair's chosen and rejected rows;
    // the reference pass before the policy's holds no activations for backward).
    int64_t rows = 0;
    int64_t sequence = 0;        // max_length (GPT-2: at most n_positions), or the data's longest example
    bool sequenceFromData = false; // sequence is MemoryOptions::longestExample (shorter than max_length)
    int worldSize = 1;           // data-parallel ranks, each holding what this estimate counts
    int64_t globalBatch = 0;     // batch x gradient_accumulation x worldSize: examples per optimizer step
    int weightDtypeBytes = 4;    // fp32: 4; bf16 / fp16: 2 (weights load, and compute, in that dtype)

    // Components, bytes. total = the sum.
    int64_t weights = 0;          // base parameters in their load dtype (tied counted once)
    int64_t loraParameters = 0;   // LoRA A and B, fp32
    int64_t gradients = 0;        // one per trainable value (LoRA fp32; biases / saved modules: load dtype)
    int64_t optimizerStates = 0;  // AdamW exp_avg + exp_avg_sq, the parameter's dtype
    int64_t activations = 0;      // tensors kept for backward at the peak moment
    int64_t logits = 0;           // logits + loss buffers (and their gradients) at the peak moment
    int64_t workspace = 0;        // other working memory at the peak (gradients in flight)
    int64_t collective = 0;       // data parallel: the process group (threads, buffers) and the fp32 gradient buckets
    int64_t overhead = 0;         // CPU: process baseline + allocator slack; CUDA: context, cuBLAS, allocator
    int64_t total = 0;

    std::string peakPhase;        // "loss backward", "layer backward", "forward", "recompute"
    ParameterCounts counts;
    std::vector<ModuleMemory> modules;        // every module with parameters, registration order
    std::vector<LayerActivations> layers;     // kept per decoder layer (full step, no checkpointing)
    int64_t checkpointKeptPerLayer = 0;       // with gradient checkpointing: one layer input

    std::vector<MemoryComponent> components() const;  // the named components above, in order
};

// Throws Error for the same mistakes as countParameters (targets matching nothing, ...).
MemoryEstimate estimateMemory(const ModelSpec& spec, const ProjectConfig& project, const MemoryOptions& options = {});

// "512 B", "3.1 KiB", "1.23 GiB" (binary units, 3 significant digits).
// Bytes one quantized weight of `numel` values (`rows` output rows) takes under lora.quantization
// (nf4: half a byte per value plus the block scales, plain or double-quantized; int8: a byte per
// value plus a scale per row), as core/quant stores it.
int64_t quantizedWeightBytes(const LoraSettings& lora, int64_t numel, int64_t rows);

std::string formatBytes(int64_t bytes);

} // namespace lorastudio

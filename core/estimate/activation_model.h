// What a LoRA training step keeps alive for backward, tensor by tensor, derived from how LoRA
// Studio's GPT-2 and Llama-family forwards call ATen (and checked against LibTorch's allocations by
// bench/bench_memory): per decoder layer, for the output head and the loss, plus the working memory
// of the loss backward and of one layer's backward. Plain arithmetic, no torch.
#pragma once
#include "lora/target_matching.h"
#include "model/model_spec.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace lorastudio {

// How attention is computed. Eager materialises B x heads x T x T scores and keeps the fp32
// probabilities for backward; SDPA (flash / memory-efficient kernels) keeps only q, k, v, the
// output and a log-sum-exp per row.
enum class AttentionKind { Eager, Sdpa };
const char* attentionKindName(AttentionKind k);

struct ActivationSetup {
    int64_t batch = 1;
    int64_t sequence = 1;
    int computeBytes = 4;          // activation dtype: 4 (fp32) or 2 (bf16 / fp16)
    int loraBytes = 4;             // LoRA A/B dtype (fp32 master weights)
    double loraDropout = 0;        // > 0: every adapter keeps its dropout mask and dropped input
    AttentionKind attention = AttentionKind::Eager;
    // LibTorch 1.x: mean() keeps its input for backward (derivatives.yaml saved `self` before 2.0),
    // so every RMSNorm also keeps x^2 in fp32. 2.x keeps only the sizes.
    bool meanKeepsInput = true;
    bool cudaChunks = false;       // the loss's chunk size as on CUDA (larger) or on the CPU
};

// Where gradients start to flow: every module with a trainable tensor.
struct TrainableSites {
    std::vector<LoraTarget> lora;          // wrapped modules with rank
    std::set<std::string> fullModules;     // modules whose weight trains (modules_to_save)
    std::set<std::string> biasModules;     // modules whose bias trains (bias modes)
    bool embeddingsTrainable = false;      // the input embedding itself trains
};

// One tensor (or a group of equal ones). Texts are static: no allocation per estimate.
struct SavedTensor {
    const char* what = "";    // "input in fp32", "LoRA dropout mask", "attention probabilities (fp32)"
    int64_t bytes = 0;
    const char* module = "";  // layer-relative module it belongs to ("self_attn.q_proj"), or ""
    bool mlpHalf = false;     // kept from the post-attention norm on: freed before attention's backward
};

// Bytes of a list of tensors; with a limit, only tensors smaller than it.
int64_t totalBytes(const std::vector<SavedTensor>& tensors, int64_t below = -1);

struct LayerActivations {
    int64_t layer = 0;
    std::vector<SavedTensor> saved;  // kept from this layer's forward until its backward
    int64_t savedBytes = 0;
    int64_t mlpHalfBytes = 0;        // of savedBytes, what the MLP half keeps
    // Working tensors at the layer's peaks, each a list so that an allocator model can size them.
    // Attention runs while the MLP half is not kept yet (forward) or already freed (backward).
    std::vector<SavedTensor> forwardAttentionWork;   // with grad, beyond what is kept (scores)
    std::vector<SavedTensor> forwardMlpWork;         // with grad, beyond what is kept (GELU temps)
    std::vector<SavedTensor> backwardAttentionWork;  // gradients in flight, incoming one included
    std::vector<SavedTensor> backwardMlpWork;
    std::vector<SavedTensor> noGradWork;             // its forward without grad (checkpointing's first pass)
};

struct ActivationPlan {
    std::vector<LayerActivations> layers;  // one per decoder layer (empty `saved` before the first
                                           // layer with something trainable)
    int64_t layerInputBytes = 0;   // one layer input [B, T, C] (what checkpointing keeps per layer)
    std::vector<SavedTensor> head;         // final norm / lm_head inputs kept for backward
    SavedTensor logits;                    // what the loss keeps until backward ([B*(T-1), C], no logits)
    std::vector<SavedTensor> lossForward;  // that + one chunk's buffers inside the loss forward
    std::vector<SavedTensor> lossBackward; // that + the loss backward's buffers
};

ActivationPlan planActivations(const ModelSpec& spec, const ActivationSetup& setup, const TrainableSites& sites);

} // namespace lorastudio

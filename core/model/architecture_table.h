// The architecture table: one entry per architecture family holding everything LoRA Studio knows
// about it apart from its module code (as llama.cpp's llama-arch keeps names and tensor layouts in one
// place): Hugging Face names, module layout, PEFT's and the studio's targets, the loader's leftovers,
// the activation model's stages, GGUF names, config reader and factory. Nothing else branches on it.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace c10 {
struct TensorOptions;
}

namespace lorastudio {

enum class Architecture { Gpt2, Llama, Mistral, Qwen2, Qwen3, Gemma2, Gemma3, Phi3, StableLm };

struct ModelSpec;
struct ParameterInfo;
class CausalLM;

// Where a projection sits in a decoder layer's forward, for core/estimate's activation model: the
// stage (0 first norm, 1 q/k/v, 2 attention, 3 output projection, 4 second norm, 5 MLP input
// projections, 6 MLP activation, 7 MLP output projection) and the tensor it reads (modules reading
// the same tensor share it).
struct LayerModuleStage {
    const char* suffix;  // inside the layer, e.g. "self_attn.q_proj"
    int stage;
    const char* input;   // "" for norms
};

enum class NormKind { LayerNorm, RmsNorm };

// What the activation model needs to know about one decoder layer.
struct ActivationLayout {
    NormKind norm = NormKind::RmsNorm;
    const char* attentionNorm = "input_layernorm";      // stage 0
    const char* mlpNorm = "post_attention_layernorm";   // stage 4
    bool rotary = true;           // RoPE: q and k are new tensors after rotation; cos/sin tables
    bool fusedQkvViews = false;   // GPT-2: q, k, v are views of one projection (k always needs grad)
    bool gatedMlp = true;         // act(gate) * up (SwiGLU, GeGLU) rather than act(fc)
    int outputNorms = 0;          // Gemma: norms on the attention and MLP outputs too
    const char* kProjection = "self_attn.k_proj";  // the projection whose training makes k need grad
    std::vector<LayerModuleStage> modules;
};

// llama.cpp's names for an architecture (gguf-py's constants) and its graph's name.
struct GgufTensorName {
    const char* hf;    // suffix after the layer prefix (or the whole name for globals)
    const char* gguf;
};
struct GgufLayout {
    std::string architecture;
    std::vector<GgufTensorName> layer, global;
    bool permuteQk = false;  // llama.cpp's "llama" graph rotates adjacent pairs: q/k rows permuted
    // What llama.cpp's graph does otherwise than transformers (export/gguf_arch.cpp acts on it):
    bool tanhGelu = false;          // the graph's activation: the tanh GELU (gpt2, gemma2/3), else SiLU
    bool normsPlusOne = false;      // Gemma: transformers' RMSNorm multiplies by 1 + w, llama.cpp's by w
    // Gemma: llama.cpp scales q by 1/sqrt(head_dim), or at this layer count (the 27B) by
    // 1/sqrt(hidden / heads); transformers' query_pre_attn_scalar^-1/2 is folded into q. 0: no fold.
    int64_t queryScaleLayers = 0;
    bool slidingWindow = false;     // the graph runs a sliding window placed by a period (gemma2/3); else a warning
    bool softcaps = false;          // the graph always soft-caps scores and logits (gemma2); else it never does
    bool headIsEmbedding = false;   // the graph's head is always token_embd (gemma2/3): an untied head is refused
    bool outputRequired = false;    // no fallback to token_embd (stablelm): a tied head is written as output.weight
};

struct ArchitectureInfo {
    Architecture id;
    std::vector<std::string> classNames;   // config "architectures" values; [0] is the canonical one
    std::vector<std::string> modelTypes;   // config "model_type" values (configs without "architectures")
    std::string layerPrefix;               // "model.layers." (decoder layer i is prefix + i)
    std::string omittedCheckpointPrefix;   // GPT-2: published checkpoints drop "transformer."
    std::vector<std::string> embeddingModules;  // last name components: "wte", "wpe" / "embed_tokens"
    bool fanInFanOut = false;              // weights stored [in, out] (GPT-2 Conv1D), the head excepted
    bool learnedPositions = false;         // a position table: no position at or past maxPositions
    std::vector<std::string> peftDefaultTargets;  // PEFT's TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING
    std::vector<std::string> presetQv;            // the studio's "attention q, v" preset
    std::vector<std::string> presetAttention;     // the studio's "all attention" preset
    std::vector<std::string> ignoredTensorSuffixes;  // checkpoint leftovers that are not parameters
    ActivationLayout activation;
    GgufLayout gguf;
    // Fills spec's family fields from config.json (the caller sets architecture, model_type, special
    // tokens and dtype); Error naming `where` and the key.
    void (*readConfig)(const nlohmann::json& config, ModelSpec& spec, const std::string& where);
    // Every parameter in registration order (named_parameters()).
    std::vector<ParameterInfo> (*parameters)(const ModelSpec& spec);
    // A model with uninitialised parameters.
    std::shared_ptr<CausalLM> (*create)(const ModelSpec& spec, const c10::TensorOptions& options);
};

// All families, in the order their class names are listed to users.
const std::vector<ArchitectureInfo>& architectureTable();
const ArchitectureInfo& architectureInfo(Architecture a);
// nullptr when no family has that class name / model_type.
const ArchitectureInfo* findArchitectureByClass(const std::string& className);
const ArchitectureInfo* findArchitectureByModelType(const std::string& modelType);

} // namespace lorastudio

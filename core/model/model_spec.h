// ModelSpec: what config.json says about a causal LM, as plain data (no torch). Used to build the
// modules, to list every expected tensor with its shape before loading, and later for exact
// parameter counts and memory estimates without touching the weights.
#pragma once
#include "model/architecture_table.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

// The Hugging Face class name ("GPT2LMHeadModel", ...) and all supported names (architecture_table.h).
const char* architectureName(Architecture a);
std::vector<std::string> supportedArchitectures();

enum class Activation { Silu, Gelu, GeluNew, GeluTanh, Relu };
const char* activationName(Activation a);

// Rotary position embedding frequency scaling (config.json "rope_scaling").
enum class RopeType { Default, Linear, Llama3, LongRope };
const char* ropeTypeName(RopeType t);

struct RopeScaling {
    RopeType type = RopeType::Default;
    double factor = 1.0;                   // linear, llama3
    double lowFreqFactor = 1.0;            // llama3
    double highFreqFactor = 4.0;           // llama3
    int64_t originalMaxPositions = 8192;   // llama3, longrope: original_max_position_embeddings
    // longrope (Phi-3): per-frequency divisors for sequences up to originalMaxPositions (short) and
    // longer ones (long), rotaryDim / 2 each; cos and sin are scaled by attentionFactor.
    std::vector<double> shortFactor, longFactor;
    double attentionFactor = 1.0;
};

// Linear weights a checkpoint stores quantized: config.json's quantization_config with quant_method
// "bitsandbytes" (the Hub's "-bnb-4bit" / "-8bit" folders; model/bnb_weights.h reads the tensors).
struct StoredQuantization {
    std::string format;                   // "nf4", "fp4" or "int8"; empty: the weights are dense
    bool doubleQuant = false;             // 4-bit absmax values quantized again (blocks of 256)
    std::vector<std::string> skipModules; // left dense: a module whose name contains one ("lm_head")
    bool any() const { return !format.empty(); }
    // Whether bitsandbytes stored this linear module (full name) quantized.
    bool covers(const std::string& module) const;
    std::string describe() const;         // "nf4, double quantization", "8-bit", ...; empty: none
};
StoredQuantization storedQuantizationOf(const nlohmann::json& config);

struct ModelSpec {
    Architecture architecture = Architecture::Llama;
    std::string modelType;  // config "model_type", informational
    int64_t vocabSize = 0;
    int64_t hiddenSize = 0;
    int64_t numLayers = 0;
    int64_t numHeads = 0;
    int64_t numKvHeads = 0;      // == numHeads without grouped-query attention
    int64_t headDim = 0;         // hiddenSize / numHeads unless config says otherwise (Qwen3)
    int64_t intermediateSize = 0;
    int64_t maxPositions = 0;    // GPT-2: n_positions (size of the learned table)
    double normEps = 1e-5;       // LayerNorm (GPT-2) or RMSNorm epsilon
    double ropeTheta = 10000.0;  // unused by GPT-2
    RopeScaling ropeScaling;
    double partialRotaryFactor = 1.0;  // Phi-4-mini: RoPE rotates the first int(headDim * factor) dims
    int64_t slidingWindow = 0;   // Mistral, Gemma; 0 = full causal attention
    // Per layer, true = that layer uses the sliding window (Gemma's layer_types); empty: every
    // layer does when slidingWindow > 0 (Mistral).
    std::vector<bool> slidingLayers;
    bool tieWordEmbeddings = false;
    bool qkvBias = false;        // biases on q/k/v projections (GPT-2: c_attn)
    bool outputBias = false;     // bias on the attention output projection (o_proj / c_proj)
    bool mlpBias = false;
    bool qkNorm = false;         // Qwen3, Gemma 3: per-head RMSNorm on q and k before RoPE
    double queryPreAttnScalar = 0;  // Gemma: scores scaled by query_pre_attn_scalar^-0.5; 0: headDim
    double attnLogitSoftcap = 0;    // Gemma 2: scores = cap * tanh(scores / cap) before the mask; 0: none
    double finalLogitSoftcap = 0;   // Gemma 2: logits = cap * tanh(logits / cap); 0: none
    double ropeLocalTheta = 0;      // Gemma 3: RoPE base of the sliding layers (no scaling); 0: as global
    Activation activation = Activation::Silu;
    // GPT-2 only: scale scores by 1/sqrt(headDim) (scale_attn_weights) and additionally by
    // 1/(layer+1) (scale_attn_by_inverse_layer_idx).
    bool scaleAttnWeights = true;
    bool scaleAttnByInverseLayerIdx = false;
    int64_t bosTokenId = -1;              // -1: none
    std::vector<int64_t> eosTokenIds;     // may be empty
    int64_t padTokenId = -1;              // -1: none
    std::string torchDtype;               // "float32", "bfloat16", "float16" or empty
    std::string configPath;               // where it was read from (for messages)
    StoredQuantization storedQuantization;  // linear weights the checkpoint stores quantized

    // The architecture table's entry for this spec's family.
    const ArchitectureInfo& family() const { return architectureInfo(architecture); }
    bool slidingLayer(int64_t layer) const {
        return slidingWindow > 0 && (slidingLayers.empty() || slidingLayers.at(static_cast<std::size_t>(layer)));
    }
    int64_t rotaryDim() const { return static_cast<int64_t>(static_cast<double>(headDim) * partialRotaryFactor); }
    int64_t qDim() const { return numHeads * headDim; }
    int64_t kvDim() const { return numKvHeads * headDim; }
};

// Reads and validates config.json. Throws Error naming the file and key (missing key, wrong type,
// unknown architecture with the supported list, unsupported rope_scaling, inconsistent sizes).
ModelSpec parseModelConfig(const std::string& configJsonPath);
// Same from text already read; `where` names the source in messages.
ModelSpec parseModelConfigText(const std::string& jsonText, const std::string& where);

// One tensor of the model, named as in the Hugging Face state_dict.
struct ParameterInfo {
    std::string name;              // e.g. "model.layers.0.self_attn.q_proj.weight"
    std::vector<int64_t> shape;    // HF layout ([out, in] for nn.Linear, [in, out] for Conv1D)
    std::string tiedTo;            // non-empty: shares storage with that parameter, may be absent
                                   // from checkpoints (lm_head.weight with tied embeddings)
};

// Every parameter of the model in registration order (the order of named_parameters()).
std::vector<ParameterInfo> expectedParameters(const ModelSpec& spec);
// Number of distinct parameter values (tied tensors counted once).
int64_t parameterCount(const ModelSpec& spec);
// "[176, 64]"
std::string shapeString(const std::vector<int64_t>& shape);

} // namespace lorastudio

// The architecture table's entries. See architecture_table.h. Names follow transformers' modules,
// PEFT's target mapping (peft/utils/constants.py) and llama.cpp's gguf-py constants; no code of theirs.
#include "model/architecture_table.h"

#include "common/error.h"
#include "model/gemma.h"
#include "model/gpt2.h"
#include "model/llama.h"
#include "model/phi3.h"
#include "model/stablelm.h"

namespace lorastudio {

namespace {

// Llama-style layer names, model.layers.N.<hf> -> blk.N.<gguf>: attention (with its input norm and
// the q/k norms of Qwen3 and Gemma 3), the gated MLP, and the Llama layer between them.
const std::vector<GgufTensorName> kAttentionGguf = {
    {"input_layernorm.weight", "attn_norm.weight"},
    {"self_attn.q_proj.weight", "attn_q.weight"},        {"self_attn.q_proj.bias", "attn_q.bias"},
    {"self_attn.k_proj.weight", "attn_k.weight"},        {"self_attn.k_proj.bias", "attn_k.bias"},
    {"self_attn.v_proj.weight", "attn_v.weight"},        {"self_attn.v_proj.bias", "attn_v.bias"},
    {"self_attn.o_proj.weight", "attn_output.weight"},   {"self_attn.o_proj.bias", "attn_output.bias"},
    {"self_attn.q_norm.weight", "attn_q_norm.weight"},   {"self_attn.k_norm.weight", "attn_k_norm.weight"},
};
const std::vector<GgufTensorName> kGatedMlpGguf = {
    {"mlp.gate_proj.weight", "ffn_gate.weight"},         {"mlp.gate_proj.bias", "ffn_gate.bias"},
    {"mlp.up_proj.weight", "ffn_up.weight"},             {"mlp.up_proj.bias", "ffn_up.bias"},
    {"mlp.down_proj.weight", "ffn_down.weight"},         {"mlp.down_proj.bias", "ffn_down.bias"},
};

// Attention, the given norms between, the gated MLP.
std::vector<GgufTensorName> attentionNormsMlp(std::vector<GgufTensorName> norms) {
    std::vector<GgufTensorName> layer = kAttentionGguf;
    layer.insert(layer.end(), norms.begin(), norms.end());
    layer.insert(layer.end(), kGatedMlpGguf.begin(), kGatedMlpGguf.end());
    return layer;
}

const std::vector<GgufTensorName> kLlamaGgufLayer = attentionNormsMlp({{"post_attention_layernorm.weight", "ffn_norm.weight"}});
const std::vector<GgufTensorName> kLlamaGgufGlobal = {
    {"model.embed_tokens.weight", "token_embd.weight"},
    {"model.norm.weight", "output_norm.weight"},
    {"lm_head.weight", "output.weight"},
};

// The Llama family's layer in the activation model's stages.
const std::vector<LayerModuleStage> kLlamaStages = {
    {"input_layernorm", 0, ""},          {"self_attn.q_proj", 1, "attention input"},
    {"self_attn.k_proj", 1, "attention input"}, {"self_attn.v_proj", 1, "attention input"},
    {"self_attn.q_norm", 2, ""},         {"self_attn.k_norm", 2, ""},
    {"self_attn.o_proj", 3, "attention output"}, {"post_attention_layernorm", 4, ""},
    {"mlp.gate_proj", 5, "MLP input"},   {"mlp.up_proj", 5, "MLP input"},
    {"mlp.down_proj", 7, "MLP product"},
};

ArchitectureInfo gpt2() {
    ArchitectureInfo a;
    a.id = Architecture::Gpt2;
    a.classNames = {"GPT2LMHeadModel"};
    a.modelTypes = {"gpt2"};
    a.layerPrefix = "transformer.h.";
    a.omittedCheckpointPrefix = "transformer.";
    a.embeddingModules = {"wte", "wpe"};
    a.fanInFanOut = true;
    a.learnedPositions = true;
    a.peftDefaultTargets = {"c_attn"};
    a.presetQv = {"c_attn"};
    a.presetAttention = {"c_attn", "attn.c_proj"};
    a.ignoredTensorSuffixes = {".attn.bias", ".attn.masked_bias"};
    a.activation.norm = NormKind::LayerNorm;
    a.activation.attentionNorm = "ln_1";
    a.activation.mlpNorm = "ln_2";
    a.activation.rotary = false;
    a.activation.fusedQkvViews = true;
    a.activation.gatedMlp = false;
    a.activation.kProjection = "attn.c_attn";
    a.activation.modules = {
        {"ln_1", 0, ""}, {"attn.c_attn", 1, "attention input"}, {"attn.c_proj", 3, "attention output"},
        {"ln_2", 4, ""}, {"mlp.c_fc", 5, "MLP input"},          {"mlp.c_proj", 7, "GELU output"},
    };
    a.gguf.architecture = "gpt2";
    a.gguf.tanhGelu = true;
    a.gguf.layer = {
        {"ln_1.weight", "attn_norm.weight"},            {"ln_1.bias", "attn_norm.bias"},
        {"attn.c_attn.weight", "attn_qkv.weight"},      {"attn.c_attn.bias", "attn_qkv.bias"},
        {"attn.c_proj.weight", "attn_output.weight"},   {"attn.c_proj.bias", "attn_output.bias"},
        {"ln_2.weight", "ffn_norm.weight"},             {"ln_2.bias", "ffn_norm.bias"},
        {"mlp.c_fc.weight", "ffn_up.weight"},           {"mlp.c_fc.bias", "ffn_up.bias"},
        {"mlp.c_proj.weight", "ffn_down.weight"},       {"mlp.c_proj.bias", "ffn_down.bias"},
    };
    a.gguf.global = {
        {"transformer.wte.weight", "token_embd.weight"},
        {"transformer.wpe.weight", "position_embd.weight"},
        {"transformer.ln_f.weight", "output_norm.weight"},
        {"transformer.ln_f.bias", "output_norm.bias"},
        {"lm_head.weight", "output.weight"},
    };
    a.readConfig = readGpt2Config;
    a.parameters = gpt2Parameters;
    a.create = createGpt2;
    return a;
}

// What Llama, Mistral, Qwen2 and Qwen3 share: layout, names, targets, the module.
ArchitectureInfo llamaLike(Architecture id, const char* className, const char* modelType, const char* ggufName,
                           bool permuteQk, void (*readConfig)(const nlohmann::json&, ModelSpec&, const std::string&)) {
    ArchitectureInfo a;
    a.id = id;
    a.classNames = {className};
    a.modelTypes = {modelType};
    a.layerPrefix = "model.layers.";
    a.embeddingModules = {"embed_tokens"};
    a.peftDefaultTargets = {"q_proj", "v_proj"};
    a.presetQv = {"q_proj", "v_proj"};
    a.presetAttention = {"q_proj", "k_proj", "v_proj", "o_proj"};
    a.ignoredTensorSuffixes = {".rotary_emb.inv_freq"};
    a.activation.modules = kLlamaStages;
    a.gguf.architecture = ggufName;
    a.gguf.layer = kLlamaGgufLayer;
    a.gguf.global = kLlamaGgufGlobal;
    a.gguf.permuteQk = permuteQk;
    a.readConfig = readConfig;
    a.parameters = llamaParameters;
    a.create = createLlama;
    return a;
}

// Gemma 2 and Gemma 3 (text): sandwich norms, GeGLU, tied head.
ArchitectureInfo gemma(Architecture id, const char* className, const char* modelType,
                       void (*readConfig)(const nlohmann::json&, ModelSpec&, const std::string&)) {
    ArchitectureInfo a;
    a.id = id;
    a.classNames = {className};
    a.modelTypes = {modelType};
    a.layerPrefix = "model.layers.";
    a.embeddingModules = {"embed_tokens"};
    a.peftDefaultTargets = {"q_proj", "v_proj"};
    a.presetQv = {"q_proj", "v_proj"};
    a.presetAttention = {"q_proj", "k_proj", "v_proj", "o_proj"};
    a.activation.mlpNorm = "pre_feedforward_layernorm";
    a.activation.outputNorms = 2;
    a.activation.modules = {
        {"input_layernorm", 0, ""},          {"self_attn.q_proj", 1, "attention input"},
        {"self_attn.k_proj", 1, "attention input"}, {"self_attn.v_proj", 1, "attention input"},
        {"self_attn.q_norm", 2, ""},         {"self_attn.k_norm", 2, ""},
        {"self_attn.o_proj", 3, "attention output"}, {"post_attention_layernorm", 3, ""},
        {"pre_feedforward_layernorm", 4, ""}, {"mlp.gate_proj", 5, "MLP input"},
        {"mlp.up_proj", 5, "MLP input"},     {"mlp.down_proj", 7, "MLP product"},
        {"post_feedforward_layernorm", 7, ""},
    };
    // llama.cpp's gemma2 / gemma3 graphs: the sandwich norms have names of their own.
    a.gguf.architecture = id == Architecture::Gemma2 ? "gemma2" : "gemma3";
    a.gguf.layer = attentionNormsMlp({
        {"post_attention_layernorm.weight", "post_attention_norm.weight"},
        {"pre_feedforward_layernorm.weight", "ffn_norm.weight"},
        {"post_feedforward_layernorm.weight", "post_ffw_norm.weight"},
    });
    a.gguf.global = {{"model.embed_tokens.weight", "token_embd.weight"}, {"model.norm.weight", "output_norm.weight"}};
    a.gguf.tanhGelu = true;
    a.gguf.normsPlusOne = true;
    a.gguf.queryScaleLayers = id == Architecture::Gemma2 ? 46 : 62;
    a.gguf.slidingWindow = true;
    a.gguf.softcaps = id == Architecture::Gemma2;
    a.gguf.headIsEmbedding = true;
    a.readConfig = readConfig;
    a.parameters = gemmaParameters;
    a.create = createGemma;
    return a;
}

// Phi-3 / Phi-4-mini: fused qkv_proj and gate_up_proj.
ArchitectureInfo phi3() {
    ArchitectureInfo a;
    a.id = Architecture::Phi3;
    a.classNames = {"Phi3ForCausalLM"};
    a.modelTypes = {"phi3"};
    a.layerPrefix = "model.layers.";
    a.embeddingModules = {"embed_tokens"};
    a.peftDefaultTargets = {};  // PEFT 0.17 has no phi3 entry: target_modules must be given
    a.presetQv = {"qkv_proj"};  // q and v live in one projection
    a.presetAttention = {"qkv_proj", "o_proj"};
    a.ignoredTensorSuffixes = {".rotary_emb.inv_freq"};
    a.activation.kProjection = "self_attn.qkv_proj";
    a.activation.modules = {
        {"input_layernorm", 0, ""}, {"self_attn.qkv_proj", 1, "attention input"},
        {"self_attn.o_proj", 3, "attention output"}, {"post_attention_layernorm", 4, ""},
        {"mlp.gate_up_proj", 5, "MLP input"}, {"mlp.down_proj", 7, "MLP product"},
    };
    // llama.cpp's phi3 graph keeps both fusions: attn_qkv, and ffn_up holding gate then up.
    a.gguf.architecture = "phi3";
    a.gguf.layer = {
        {"input_layernorm.weight", "attn_norm.weight"},
        {"self_attn.qkv_proj.weight", "attn_qkv.weight"},
        {"self_attn.o_proj.weight", "attn_output.weight"},
        {"post_attention_layernorm.weight", "ffn_norm.weight"},
        {"mlp.gate_up_proj.weight", "ffn_up.weight"},
        {"mlp.down_proj.weight", "ffn_down.weight"},
    };
    a.gguf.global = kLlamaGgufGlobal;
    a.readConfig = readPhi3Config;
    a.parameters = phi3Parameters;
    a.create = createPhi3;
    return a;
}

// StableLM: the Llama layout and names with LayerNorm (weight and bias) and partial RoPE.
ArchitectureInfo stableLm() {
    ArchitectureInfo a;
    a.id = Architecture::StableLm;
    a.classNames = {"StableLmForCausalLM"};
    a.modelTypes = {"stablelm"};
    a.layerPrefix = "model.layers.";
    a.embeddingModules = {"embed_tokens"};
    a.peftDefaultTargets = {"q_proj", "v_proj"};
    a.presetQv = {"q_proj", "v_proj"};
    a.presetAttention = {"q_proj", "k_proj", "v_proj", "o_proj"};
    a.ignoredTensorSuffixes = {".rotary_emb.inv_freq"};
    a.activation.norm = NormKind::LayerNorm;
    a.activation.modules = kLlamaStages;
    // llama.cpp's stablelm graph: the Llama names plus the LayerNorm biases.
    a.gguf.architecture = "stablelm";
    a.gguf.layer = kLlamaGgufLayer;
    a.gguf.layer.push_back({"input_layernorm.bias", "attn_norm.bias"});
    a.gguf.layer.push_back({"post_attention_layernorm.bias", "ffn_norm.bias"});
    a.gguf.global = kLlamaGgufGlobal;
    a.gguf.global.push_back({"model.norm.bias", "output_norm.bias"});
    a.gguf.outputRequired = true;
    a.readConfig = readStableLmConfig;
    a.parameters = stableLmParameters;
    a.create = createStableLm;
    return a;
}

std::vector<ArchitectureInfo> makeTable() {
    std::vector<ArchitectureInfo> t;
    t.push_back(gpt2());
    // llama.cpp's "llama" graph (Llama, Mistral) rotates adjacent pairs: q/k rows are permuted;
    // qwen2/qwen3 use its NeoX rotation (halves, as transformers).
    t.push_back(llamaLike(Architecture::Llama, "LlamaForCausalLM", "llama", "llama", true, readLlamaConfig));
    t.push_back(llamaLike(Architecture::Mistral, "MistralForCausalLM", "mistral", "llama", true, readMistralConfig));
    t.push_back(llamaLike(Architecture::Qwen2, "Qwen2ForCausalLM", "qwen2", "qwen2", false, readQwen2Config));
    t.push_back(llamaLike(Architecture::Qwen3, "Qwen3ForCausalLM", "qwen3", "qwen3", false, readQwen3Config));
    t.push_back(gemma(Architecture::Gemma2, "Gemma2ForCausalLM", "gemma2", readGemma2Config));
    t.push_back(gemma(Architecture::Gemma3, "Gemma3ForCausalLM", "gemma3_text", readGemma3Config));
    t.push_back(phi3());
    t.push_back(stableLm());
    return t;
}

} // namespace

const std::vector<ArchitectureInfo>& architectureTable() {
    static const std::vector<ArchitectureInfo> table = makeTable();
    return table;
}

const ArchitectureInfo& architectureInfo(Architecture a) {
    for (const auto& family : architectureTable())
        if (family.id == a) return family;
    throw Error("architecture table", "internal: no entry for architecture " + std::to_string(static_cast<int>(a)));
}

const ArchitectureInfo* findArchitectureByClass(const std::string& className) {
    for (const auto& family : architectureTable())
        for (const auto& name : family.classNames)
            if (name == className) return &family;
    return nullptr;
}

const ArchitectureInfo* findArchitectureByModelType(const std::string& modelType) {
    for (const auto& family : architectureTable())
        for (const auto& type : family.modelTypes)
            if (type == modelType) return &family;
    return nullptr;
}

} // namespace lorastudio

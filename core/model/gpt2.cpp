// GPT-2 forward, mirroring transformers' GPT2LMHeadModel (eager attention). See gpt2.h.
#include "model/gpt2.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"
#include "model/kv_cache.h"

#include <torch/nn/modules/container/modulelist.h>

#include <cmath>

namespace lorastudio {

Gpt2Attention::Gpt2Attention(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options)
    : m_layer(layerIndex), m_heads(spec.numHeads), m_headDim(spec.headDim) {
    const int64_t C = spec.hiddenSize;
    m_scoreDivisor = spec.scaleAttnWeights ? std::sqrt(static_cast<double>(m_headDim)) : 1.0;
    if (spec.scaleAttnByInverseLayerIdx) m_scoreDivisor *= static_cast<double>(layerIndex + 1);
    m_cAttn = register_module("c_attn", std::make_shared<LinearLayer>(C, 3 * C, true, true, options));
    m_cProj = register_module("c_proj", std::make_shared<LinearLayer>(C, C, true, true, options));
}

at::Tensor Gpt2Attention::forward(const at::Tensor& x, const ForwardContext& ctx) {
    const int64_t B = x.size(0), T = x.size(1), C = x.size(2);
    auto qkv = m_cAttn->forward(x).split(C, 2);  // 3 x [B, T, C]
    auto heads = [&](const at::Tensor& t) { return t.view({B, T, m_heads, m_headDim}).transpose(1, 2); };
    auto q = heads(qkv[0]), k = heads(qkv[1]), v = heads(qkv[2]);  // [B, H, T, D]
    if (ctx.cache) std::tie(k, v) = ctx.cache->append(m_layer, k, v);  // [B, H, S, D]
    auto out = scaledDotProductAttention(q, k, v, ctx.mask, m_scoreDivisor, ctx.backend);
    return m_cProj->forward(out.transpose(1, 2).reshape({B, T, C}));
}

Gpt2Mlp::Gpt2Mlp(const ModelSpec& spec, const at::TensorOptions& options) : m_act(spec.activation) {
    m_cFc = register_module("c_fc", std::make_shared<LinearLayer>(spec.hiddenSize, spec.intermediateSize, true,
                                                                  true, options));
    m_cProj = register_module("c_proj", std::make_shared<LinearLayer>(spec.intermediateSize, spec.hiddenSize,
                                                                      true, true, options));
}

at::Tensor Gpt2Mlp::forward(const at::Tensor& x) {
    return m_cProj->forward(applyActivation(m_act, m_cFc->forward(x)));
}

Gpt2Block::Gpt2Block(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options) {
    m_ln1 = register_module("ln_1", std::make_shared<LayerNormLayer>(spec.hiddenSize, spec.normEps, options));
    m_attn = register_module("attn", std::make_shared<Gpt2Attention>(spec, layerIndex, options));
    m_ln2 = register_module("ln_2", std::make_shared<LayerNormLayer>(spec.hiddenSize, spec.normEps, options));
    m_mlp = register_module("mlp", std::make_shared<Gpt2Mlp>(spec, options));
}

at::Tensor Gpt2Block::forward(const at::Tensor& x, const ForwardContext& ctx) {
    auto h = x + m_attn->forward(m_ln1->forward(x), ctx);
    return h + m_mlp->forward(m_ln2->forward(h));
}

Gpt2Model::Gpt2Model(const ModelSpec& spec, const at::TensorOptions& options) {
    m_wte = register_module("wte", std::make_shared<EmbeddingLayer>(spec.vocabSize, spec.hiddenSize, options));
    m_wpe = register_module("wpe", std::make_shared<EmbeddingLayer>(spec.maxPositions, spec.hiddenSize, options));
    torch::nn::ModuleList blocks;
    for (int64_t l = 0; l < spec.numLayers; ++l) {
        m_blocks.push_back(std::make_shared<Gpt2Block>(spec, l, options));
        blocks->push_back(m_blocks.back());
    }
    register_module("h", blocks);
    m_lnF = register_module("ln_f", std::make_shared<LayerNormLayer>(spec.hiddenSize, spec.normEps, options));
}

at::Tensor Gpt2Model::forward(const at::Tensor& ids, const ForwardContext& ctx, std::vector<at::Tensor>* hidden) {
    auto h = m_wte->forward(ids) + m_wpe->forward(ctx.positionIds);  // [B, T, C]
    for (auto& block : m_blocks) {
        if (hidden) hidden->push_back(h);
        // The layer function holds the block and a copy of the context: a checkpointing runner
        // calls it again during backward.
        h = ctx.runLayer([block, ctx](const at::Tensor& x) { return block->forward(x, ctx); }, h);
    }
    h = m_lnF->forward(h);
    if (hidden) hidden->push_back(h);
    return h;
}

void readGpt2Config(const nlohmann::json& j, ModelSpec& s, const std::string& where) {
    s.vocabSize = positiveKey(j, "vocab_size", where);
    s.hiddenSize = positiveKey(j, "n_embd", where);
    s.numLayers = positiveKey(j, "n_layer", where);
    s.numHeads = positiveKey(j, "n_head", where);
    s.maxPositions = optionalPositive(j, "n_positions", 1024, where);
    s.intermediateSize = optionalPositive(j, "n_inner", 4 * s.hiddenSize, where);
    s.normEps = optionalKey<double>(j, "layer_norm_epsilon", 1e-5, where);
    s.activation = parseActivation(optionalKey<std::string>(j, "activation_function", "gelu_new", where),
                                   "activation_function", where);
    s.tieWordEmbeddings = optionalKey<bool>(j, "tie_word_embeddings", true, where);
    s.scaleAttnWeights = optionalKey<bool>(j, "scale_attn_weights", true, where);
    s.scaleAttnByInverseLayerIdx = optionalKey<bool>(j, "scale_attn_by_inverse_layer_idx", false, where);
    if (s.hiddenSize % s.numHeads != 0)
        throw Error(where, "n_embd (" + std::to_string(s.hiddenSize) + ") is not divisible by n_head (" +
                               std::to_string(s.numHeads) + ")");
    s.numKvHeads = s.numHeads;
    s.headDim = s.hiddenSize / s.numHeads;
    s.qkvBias = s.outputBias = s.mlpBias = true;
    // GPT2Config's defaults (50256) only make sense for the real GPT-2 vocabulary.
    if (s.vocabSize > 50256) {
        s.bosTokenId = 50256;
        s.eosTokenIds = {50256};
    }
}

std::vector<ParameterInfo> gpt2Parameters(const ModelSpec& s) {
    std::vector<ParameterInfo> out;
    auto add = [&out](std::string name, std::vector<int64_t> shape, std::string tiedTo = {}) {
        out.push_back({std::move(name), std::move(shape), std::move(tiedTo)});
    };
    const int64_t C = s.hiddenSize, V = s.vocabSize, I = s.intermediateSize;
    add("transformer.wte.weight", {V, C});
    add("transformer.wpe.weight", {s.maxPositions, C});
    for (int64_t l = 0; l < s.numLayers; ++l) {
        const std::string p = "transformer.h." + std::to_string(l) + ".";
        add(p + "ln_1.weight", {C});
        add(p + "ln_1.bias", {C});
        add(p + "attn.c_attn.weight", {C, 3 * C});  // Conv1D: [in, out]
        add(p + "attn.c_attn.bias", {3 * C});
        add(p + "attn.c_proj.weight", {C, C});
        add(p + "attn.c_proj.bias", {C});
        add(p + "ln_2.weight", {C});
        add(p + "ln_2.bias", {C});
        add(p + "mlp.c_fc.weight", {C, I});
        add(p + "mlp.c_fc.bias", {I});
        add(p + "mlp.c_proj.weight", {I, C});
        add(p + "mlp.c_proj.bias", {C});
    }
    add("transformer.ln_f.weight", {C});
    add("transformer.ln_f.bias", {C});
    add("lm_head.weight", {V, C}, s.tieWordEmbeddings ? "transformer.wte.weight" : "");
    return out;
}

std::shared_ptr<CausalLM> createGpt2(const ModelSpec& spec, const at::TensorOptions& options) {
    return std::make_shared<Gpt2LMHeadModel>(spec, options);
}

} // namespace lorastudio

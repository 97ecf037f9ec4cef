// CausalLM: the common face of every architecture. A torch::nn::Module whose named_parameters()
// equal the Hugging Face state_dict names, with one forward for training, scoring and decoding.
#pragma once
#include "model/attention.h"
#include "model/layer_function.h"
#include "model/linear_layer.h"
#include "model/model_spec.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <vector>

namespace lorastudio {

class KVCache;

struct CausalLMOutput {
    at::Tensor logits;                      // [B, T, V] in the compute dtype
    // With outputHiddenStates: numLayers + 1 tensors [B, T, C]; [0] = embedding output,
    // [l] = output of layer l-1, last = after the final norm (transformers' convention).
    std::vector<at::Tensor> hiddenStates;
};

// Per-forward state shared by all layers, built once by CausalLM::prepareForward.
struct ForwardContext {
    at::Tensor positionIds;   // [B, T] int64
    AttentionMask mask;       // which keys each query sees
    AttentionMask slidingMask;  // the sliding-window layers' mask when only some layers slide (Gemma)
    KVCache* cache = nullptr;
    int64_t past = 0;         // tokens already in the cache
    AttentionBackend backend = AttentionBackend::Auto;
    at::Tensor cos, sin;      // RoPE tables [B, T, headDim] (Llama family only)
    LayerRunner layerRunner;  // empty: call each layer directly (always so with a KV cache)

    // Runs layer(x) through layerRunner when one is set and there is no cache.
    at::Tensor runLayer(const LayerFunction& layer, const at::Tensor& x) const {
        return layerRunner && !cache ? layerRunner(layer, x) : layer(x);
    }
};

class CausalLM : public torch::nn::Module {
public:
    explicit CausalLM(ModelSpec spec) : m_spec(std::move(spec)) {}
    const ModelSpec& spec() const { return m_spec; }

    // inputIds: [B, T] int64.
    // attentionMask: [B, past + T] (1 = token, 0 = padding) or undefined (all tokens).
    // positionIds: [B, T] or undefined (then past .. past+T-1, as transformers' forward does).
    // cache: if given, keys/values of these tokens are appended and attention covers the cache.
    // -> logits [B, T, V] (+ hidden states on request)
    virtual CausalLMOutput forward(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                                   const at::Tensor& positionIds = {}, KVCache* cache = nullptr,
                                   bool outputHiddenStates = false) = 0;

    // The final hidden states [B, T, C] (after the last norm), without the output head: for losses
    // that apply the head chunk by chunk (train/chunked_loss.h). No cache.
    virtual at::Tensor forwardHidden(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                                     const at::Tensor& positionIds = {}) = 0;
    // The output head (lm_head): [.., C] -> [.., V].
    virtual LinearLayer& outputHead() = 0;
    // Whether generate() must drop its KV cache and run the whole sequence again before the step
    // that brings it to totalLength tokens (Phi-3's LongRoPE switching to its long factors).
    virtual bool dropsCacheAt(int64_t cachedLength, int64_t totalLength) const {
        (void)cachedLength;
        (void)totalLength;
        return false;
    }

    void setAttentionBackend(AttentionBackend b) { m_backend = b; }
    // Wraps every decoder layer call (e.g. gradient checkpointing); an empty runner removes it.
    void setLayerRunner(LayerRunner runner) { m_layerRunner = std::move(runner); }
    AttentionBackend attentionBackend() const { return m_backend; }

    // The dtype and device the parameters live in.
    at::ScalarType dtype();
    at::Device device();

protected:
    // Validates the inputs (Error naming the argument and shapes) and fills positions and mask.
    ForwardContext prepareForward(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                  const at::Tensor& positionIds, KVCache* cache) const;

    ModelSpec m_spec;
    AttentionBackend m_backend = AttentionBackend::Auto;
    LayerRunner m_layerRunner;
};

// A model of spec's architecture with uninitialised parameters of the given dtype/device.
std::shared_ptr<CausalLM> createCausalLM(const ModelSpec& spec, const at::TensorOptions& options);

// Fills every parameter with seeded random values: N(0, stddev) for matrices and biases,
// 1 + N(0, stddev) for norm weights. For tests and benchmarks.
void initRandom(CausalLM& model, uint64_t seed, double stddev = 0.02);

} // namespace lorastudio

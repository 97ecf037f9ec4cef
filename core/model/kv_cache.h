// KVCache: per-layer keys and values of the tokens seen so far, for incremental decoding.
// Storage grows geometrically, so appending one token per step does not copy the whole history.
#pragma once
#include <ATen/ATen.h>

#include <utility>
#include <vector>

namespace lorastudio {

class KVCache {
public:
    explicit KVCache(int64_t numLayers = 0) : m_layers(static_cast<std::size_t>(numLayers)) {}

    // Tokens cached so far (as of layer 0; all layers agree after a full forward).
    int64_t length() const { return m_layers.empty() ? 0 : m_layers.front().length; }
    int64_t numLayers() const { return static_cast<int64_t>(m_layers.size()); }
    void reset();

    // k, v: [B, Hkv, T, D] of the new tokens -> all keys/values [B, Hkv, past + T, D] (views).
    std::pair<at::Tensor, at::Tensor> append(int64_t layer, const at::Tensor& k, const at::Tensor& v);

private:
    struct Layer {
        at::Tensor keys;    // [B, Hkv, capacity, D]
        at::Tensor values;
        int64_t length = 0;
    };
    std::vector<Layer> m_layers;
};

} // namespace lorastudio

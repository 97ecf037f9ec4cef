// KVCache with geometric growth. See kv_cache.h.
#include "model/kv_cache.h"

#include "common/error.h"

#include <algorithm>

namespace lorastudio {

void KVCache::reset() {
    for (auto& l : m_layers) l = Layer{};
}

std::pair<at::Tensor, at::Tensor> KVCache::append(int64_t layer, const at::Tensor& k, const at::Tensor& v) {
    if (layer < 0 || layer >= numLayers())
        throw Error("KVCache", "layer " + std::to_string(layer) + " out of range (cache has " +
                                   std::to_string(numLayers()) + " layers)",
                    "create the cache with the model's number of layers");
    Layer& l = m_layers[static_cast<std::size_t>(layer)];
    const int64_t t = k.size(2);
    const int64_t needed = l.length + t;
    if (!l.keys.defined() || l.keys.size(2) < needed) {
        const int64_t capacity = std::max<int64_t>(needed, l.keys.defined() ? 2 * l.keys.size(2) : needed + 64);
        auto shape = k.sizes().vec();
        shape[2] = capacity;
        auto keys = at::empty(shape, k.options());
        auto values = at::empty(shape, v.options());
        if (l.length > 0) {
            keys.narrow(2, 0, l.length).copy_(l.keys.narrow(2, 0, l.length));
            values.narrow(2, 0, l.length).copy_(l.values.narrow(2, 0, l.length));
        }
        l.keys = keys;
        l.values = values;
    }
    l.keys.narrow(2, l.length, t).copy_(k);
    l.values.narrow(2, l.length, t).copy_(v);
    l.length = needed;
    return {l.keys.narrow(2, 0, l.length), l.values.narrow(2, 0, l.length)};
}

} // namespace lorastudio

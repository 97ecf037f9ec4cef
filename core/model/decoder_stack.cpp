// The parameter lists of the shared decoder stack. See decoder_stack.h.
#include "model/decoder_stack.h"

namespace lorastudio {

void ParameterList::add(std::string name, std::vector<int64_t> shape, std::string tiedTo) {
    m_items.push_back({std::move(name), std::move(shape), std::move(tiedTo)});
}

void ParameterList::linear(const std::string& name, int64_t in, int64_t out, bool bias) {
    add(name + ".weight", {out, in});
    if (bias) add(name + ".bias", {out});
}

void ParameterList::attention(const std::string& prefix, const ModelSpec& spec) {
    const int64_t C = spec.hiddenSize;
    linear(prefix + "q_proj", C, spec.qDim(), spec.qkvBias);
    linear(prefix + "k_proj", C, spec.kvDim(), spec.qkvBias);
    linear(prefix + "v_proj", C, spec.kvDim(), spec.qkvBias);
    linear(prefix + "o_proj", spec.qDim(), C, spec.outputBias);
    if (spec.qkNorm) {
        add(prefix + "q_norm.weight", {spec.headDim});
        add(prefix + "k_norm.weight", {spec.headDim});
    }
}

std::vector<ParameterInfo> decoderStackParameters(
    const ModelSpec& spec, bool normBias,
    const std::function<void(ParameterList& list, const std::string& prefix)>& layerParameters) {
    const int64_t C = spec.hiddenSize, V = spec.vocabSize;
    ParameterList list;
    list.add("model.embed_tokens.weight", {V, C});
    for (int64_t l = 0; l < spec.numLayers; ++l) layerParameters(list, "model.layers." + std::to_string(l) + ".");
    list.add("model.norm.weight", {C});
    if (normBias) list.add("model.norm.bias", {C});
    list.add("lm_head.weight", {V, C}, spec.tieWordEmbeddings ? "model.embed_tokens.weight" : "");
    return list.take();
}

} // namespace lorastudio

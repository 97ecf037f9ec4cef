// GGUF lookups over the architecture table, and what each llama.cpp graph needs. See gguf_arch.h.
#include "export/gguf_arch.h"

#include "common/error.h"
#include "common/string_ends.h"
#include "model/rope.h"

#include <cmath>
#include <cstdlib>
#include <utility>

namespace lorastudio {
namespace {

const char* const kWhere = "GGUF export";
const char* const kSafetensorsHint = "export the merged model as safetensors instead";

std::optional<std::string> lookUp(const std::string& name, const std::string& layerPrefix, const GgufLayout& layout) {
    for (const auto& p : layout.global)
        if (name == p.hf) return std::string(p.gguf);
    if (name.compare(0, layerPrefix.size(), layerPrefix) != 0) return std::nullopt;
    const auto dot = name.find('.', layerPrefix.size());
    if (dot == std::string::npos || dot == layerPrefix.size()) return std::nullopt;
    const std::string index = name.substr(layerPrefix.size(), dot - layerPrefix.size());
    if (index.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const std::string rest = name.substr(dot + 1);
    for (const auto& p : layout.layer)
        if (rest == p.hf) return "blk." + index + "." + p.gguf;
    return std::nullopt;
}

// llama.cpp's q scale is 1/sqrt(head_dim), or at the layout's 27B layer count 1/sqrt(hidden / heads)
// (integer division, as llama.cpp); transformers' query_pre_attn_scalar^-1/2. The published configs
// agree with llama.cpp (factor 1); any other ratio is folded into q.
double queryFold(const ModelSpec& spec) {
    const GgufLayout& layout = spec.family().gguf;
    if (layout.queryScaleLayers == 0) return 1;
    const double divisor = spec.numLayers == layout.queryScaleLayers ? static_cast<double>(spec.hiddenSize / spec.numHeads)
                                                                     : static_cast<double>(spec.headDim);
    return std::sqrt(divisor / spec.queryPreAttnScalar);
}

// llama.cpp marks layer i sliding when i % p < p - 1 for a period p (0: every layer) read from
// {arch}.attention.sliding_window_pattern. The period that gives this model's layers, if one does.
std::optional<uint32_t> slidingPeriod(const ModelSpec& spec) {
    for (int64_t p = 0; p <= spec.numLayers; ++p) {
        bool same = true;
        for (int64_t i = 0; i < spec.numLayers && same; ++i)
            same = spec.slidingLayer(i) == (p == 0 || i % p < p - 1);
        if (same) return static_cast<uint32_t>(p);
    }
    return std::nullopt;
}

// The head, the sliding window and soft-capping against what the graph hard-codes.
void checkGraphShape(const ModelSpec& spec, std::vector<std::string>& warnings) {
    const GgufLayout& layout = spec.family().gguf;
    const std::string graph = "llama.cpp's " + layout.architecture + " graph";
    const std::string config = " (" + spec.configPath + ")";
    if (layout.headIsEmbedding && !spec.tieWordEmbeddings)
        throw Error(kWhere, graph + " always uses the embedding as the output head; this model's config" + config +
                                " sets tie_word_embeddings false", kSafetensorsHint);
    if (layout.slidingWindow && spec.slidingWindow <= 0)
        throw Error(kWhere, graph + " expects a sliding window; this model's config" + config + " has none", kSafetensorsHint);
    if (layout.slidingWindow && !slidingPeriod(spec))
        throw Error(kWhere, "llama.cpp places sliding-window layers by one repeating period; this model's layer_types" + config +
                                " follow none", kSafetensorsHint);
    // The other graphs attend over everything.
    if (!layout.slidingWindow && spec.slidingWindow > 0 && spec.slidingWindow < spec.maxPositions)
        warnings.push_back("llama.cpp attends over the whole context where this model has a sliding window of " +
                           std::to_string(spec.slidingWindow) + " tokens: outputs agree up to that length only");
    const bool capped = spec.attnLogitSoftcap > 0 || spec.finalLogitSoftcap > 0;
    if (layout.softcaps && (spec.attnLogitSoftcap <= 0 || spec.finalLogitSoftcap <= 0))
        throw Error(kWhere, graph + " always soft-caps attention scores and logits; this model's config" + config +
                                " turns attn_logit_softcapping or final_logit_softcapping off", kSafetensorsHint);
    if (!layout.softcaps && capped)
        throw Error(kWhere, graph + " has no soft-capping; this model's config" + config + " sets it", kSafetensorsHint);
}

void checkActivation(const ModelSpec& spec) {
    const GgufLayout& layout = spec.family().gguf;
    const bool tanhGelu = spec.activation == Activation::GeluNew || spec.activation == Activation::GeluTanh;
    if (layout.tanhGelu ? !tanhGelu : spec.activation != Activation::Silu)
        throw Error(kWhere, "llama.cpp's " + layout.architecture + " graph uses " + (layout.tanhGelu ? "the tanh GELU" : "SiLU") +
                                "; this model uses " + activationName(spec.activation),
                    kSafetensorsHint);
}

void writeRopeKeys(const ModelSpec& spec, const std::string& a, gguf::Writer& w) {
    using gguf::Value;
    w.set(a + ".rope.freq_base", Value::f32(static_cast<float>(spec.ropeTheta)));
    w.set(a + ".rope.dimension_count", Value::u32(static_cast<uint32_t>(spec.rotaryDim())));
    if (spec.ropeScaling.type == RopeType::Linear) {
        w.set(a + ".rope.scaling.type", Value::string("linear"));
        w.set(a + ".rope.scaling.factor", Value::f32(static_cast<float>(spec.ropeScaling.factor)));
    }
    if (spec.ropeScaling.type == RopeType::LongRope) {
        // The factor tensors carry the scaling; llama.cpp picks long ones for contexts past the original.
        w.set(a + ".rope.scaling.original_context_length", Value::u32(static_cast<uint32_t>(spec.ropeScaling.originalMaxPositions)));
        w.set(a + ".rope.scaling.attn_factor", Value::f32(static_cast<float>(spec.ropeScaling.attentionFactor)));
    }
    if (spec.ropeLocalTheta > 0) w.set(a + ".rope.freq_base_swa", Value::f32(static_cast<float>(spec.ropeLocalTheta)));
}

void writeWindowAndCaps(const ModelSpec& spec, const std::string& a, gguf::Writer& w) {
    using gguf::Value;
    const GgufLayout& layout = spec.family().gguf;
    if (layout.slidingWindow) {
        w.set(a + ".attention.sliding_window", Value::u32(static_cast<uint32_t>(spec.slidingWindow)));
        if (const auto period = slidingPeriod(spec)) w.set(a + ".attention.sliding_window_pattern", Value::u32(*period));
    }
    if (layout.softcaps) {
        w.set(a + ".attn_logit_softcapping", Value::f32(static_cast<float>(spec.attnLogitSoftcap)));
        w.set(a + ".final_logit_softcapping", Value::f32(static_cast<float>(spec.finalLogitSoftcap)));
    }
}

std::vector<float> asFloats(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

} // namespace

std::string ggufArchitecture(const ModelSpec& spec) { return spec.family().gguf.architecture; }

std::optional<std::string> ggufTensorName(const ModelSpec& spec, const std::string& hfName) {
    const ArchitectureInfo& family = spec.family();
    // Published GPT-2 checkpoints name tensors without "transformer."; the model's names have it.
    const std::string& omitted = family.omittedCheckpointPrefix;
    const bool prefixed = omitted.empty() || hfName.rfind(omitted, 0) == 0 || hfName == "lm_head.weight";
    return lookUp(prefixed ? hfName : omitted + hfName, family.layerPrefix, family.gguf);
}

std::optional<int64_t> qkPermuteHeads(const ModelSpec& spec, const std::string& hfName) {
    // Only llama.cpp's "llama" graph rotates adjacent pairs; the others rotate halves, as transformers.
    if (!spec.family().gguf.permuteQk) return std::nullopt;
    if (hfName.find(".self_attn.q_proj.") != std::string::npos) return spec.numHeads;
    if (hfName.find(".self_attn.k_proj.") != std::string::npos) return spec.numKvHeads;
    return std::nullopt;
}

GgufValueChange ggufValueChange(const ModelSpec& spec, const std::string& hfName) {
    GgufValueChange c;
    const GgufLayout& layout = spec.family().gguf;
    if (layout.normsPlusOne && endsWith(hfName, "norm.weight")) c.add = 1;
    // With a q norm (Gemma 3) the fold goes on its weight (the norm would undo it on q); else on q.
    const char* foldedInto = spec.qkNorm ? ".self_attn.q_norm.weight" : ".self_attn.q_proj.";
    if (layout.queryScaleLayers > 0 && hfName.find(foldedInto) != std::string::npos) c.scale = queryFold(spec);
    return c;
}

bool ggufWritesTiedOutput(const ModelSpec& spec) { return spec.tieWordEmbeddings && spec.family().gguf.outputRequired; }

void checkGgufSupport(const ModelSpec& spec, std::vector<std::string>& warnings) {
    const GgufLayout& layout = spec.family().gguf;
    if (layout.architecture.empty())
        throw Error(kWhere, std::string(architectureName(spec.architecture)) + " has no GGUF layout", kSafetensorsHint);
    // The checks below are about llama.cpp's graphs, named as llama.cpp names them.
    const std::string& graph = layout.architecture;
    if (graph == "gpt2" && (!spec.scaleAttnWeights || spec.scaleAttnByInverseLayerIdx))
        throw Error(kWhere, "llama.cpp's gpt2 graph always scales attention by 1/sqrt(head_dim); this model's config (" +
                                spec.configPath + ") sets scale_attn_weights or scale_attn_by_inverse_layer_idx otherwise",
                    kSafetensorsHint);
    checkActivation(spec);
    checkGraphShape(spec, warnings);
    if (spec.ropeScaling.type == RopeType::Llama3 && graph != "llama")
        throw Error(kWhere, "Llama-3 RoPE scaling is written for llama.cpp's llama graph only, not " + graph, kSafetensorsHint);
    if (spec.ropeScaling.type == RopeType::LongRope && graph != "phi3")
        throw Error(kWhere, "LongRoPE scaling is written for llama.cpp's phi3 graph only, not " + graph, kSafetensorsHint);
    if (spec.ropeScaling.type == RopeType::LongRope)
        warnings.push_back("llama.cpp picks LongRoPE's long factors by context size (above " +
                           std::to_string(spec.ropeScaling.originalMaxPositions) +
                           " tokens: for every token), transformers by sequence length: outputs agree in contexts up to " +
                           std::to_string(spec.ropeScaling.originalMaxPositions) + " tokens");
    if (spec.rotaryDim() % 2 != 0 && spec.family().activation.rotary)
        throw Error(kWhere, "the rotary dimension " + std::to_string(spec.rotaryDim()) + " is odd; RoPE needs pairs");
}

void writeHyperParameters(const ModelSpec& spec, gguf::Writer& w) {
    using gguf::Value;
    const std::string a = ggufArchitecture(spec);
    w.set("general.architecture", Value::string(a));
    w.set(a + ".context_length", Value::u32(static_cast<uint32_t>(spec.maxPositions)));
    w.set(a + ".embedding_length", Value::u32(static_cast<uint32_t>(spec.hiddenSize)));
    w.set(a + ".block_count", Value::u32(static_cast<uint32_t>(spec.numLayers)));
    w.set(a + ".feed_forward_length", Value::u32(static_cast<uint32_t>(spec.intermediateSize)));
    w.set(a + ".attention.head_count", Value::u32(static_cast<uint32_t>(spec.numHeads)));
    w.set(a + ".vocab_size", Value::u32(static_cast<uint32_t>(spec.vocabSize)));
    // LayerNorm (GPT-2, StableLM) or RMSNorm epsilon.
    const bool layerNorm = spec.family().activation.norm == NormKind::LayerNorm;
    w.set(a + (layerNorm ? ".attention.layer_norm_epsilon" : ".attention.layer_norm_rms_epsilon"),
          Value::f32(static_cast<float>(spec.normEps)));
    if (a == "gpt2") return;  // no RoPE, no grouped heads
    w.set(a + ".attention.head_count_kv", Value::u32(static_cast<uint32_t>(spec.numKvHeads)));
    w.set(a + ".attention.key_length", Value::u32(static_cast<uint32_t>(spec.headDim)));
    w.set(a + ".attention.value_length", Value::u32(static_cast<uint32_t>(spec.headDim)));
    writeRopeKeys(spec, a, w);
    writeWindowAndCaps(spec, a, w);
}

std::vector<GgufExtraTensor> ggufExtraTensors(const ModelSpec& spec) {
    const RopeScaling& r = spec.ropeScaling;
    if (r.type == RopeType::LongRope)
        return {{"rope_factors_long.weight", asFloats(r.longFactor)}, {"rope_factors_short.weight", asFloats(r.shortFactor)}};
    if (r.type != RopeType::Llama3) return {};
    ModelSpec plain = spec;
    plain.ropeScaling = RopeScaling{};
    const at::Tensor factors = (ropeInverseFrequencies(plain) / ropeInverseFrequencies(spec)).to(at::kFloat).contiguous();
    const float* p = factors.data_ptr<float>();
    return {{"rope_freqs.weight", std::vector<float>(p, p + factors.numel())}};
}

} // namespace lorastudio

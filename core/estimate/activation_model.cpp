// Saved-for-backward tensors of one LoRA training step, from first principles. See
// activation_model.h. N = B*T tokens, e = compute dtype bytes, f = 4 (fp32), TT = B*H*T*T.
//
// What autograd keeps (LibTorch derivatives.yaml: an op saves only what the gradients of its
// inputs that require grad need; frozen projections therefore keep nothing of their input):
//
// Llama-family decoder layer (core/model/llama.cpp), per token:
//   input_layernorm       x in fp32 (pow and mul keep it; in fp32 that is the layer input itself),
//                         x^2 in fp32 (mean keeps its input, LibTorch 1.x only), rsqrt (1 float)
//   q/k/v LoRA            the normed input once (shared by the adapters), or per adapter its fp32
//                         cast (bf16 base) or dropout mask + dropped input; lora_A output (r)
//   eager attention       q and k reshaped for the batched matmul (copies: the RoPE outputs are
//                         transposed), v reshaped (copy), softmax probabilities fp32 [B,H,T,T]
//                         (+ their cast back to bf16); the mask is shared by all layers
//   SDPA attention        q, k, v (expanded to all heads under GQA), output, log-sum-exp
//   o_proj LoRA           attention output [qDim] as above
//   post_attention_norm   as input_layernorm
//   MLP                   gate output (SiLU keeps its input), SiLU output and up output (the
//                         product keeps both factors): 3 x intermediate
//   down_proj LoRA        the product [intermediate]
// GPT-2 block (core/model/gpt2.cpp):
//   ln_1                  input (native_layer_norm keeps it) + mean, rstd
//   c_attn LoRA           ln_1 output once, or per adapter mask + dropped input
//   eager attention       q, k, v copies (views of c_attn's output, reshaped), probabilities fp32
//   c_proj LoRA           attention output
//   ln_2                  input + mean, rstd
//   MLP gelu_new          written out as transformers does: c_fc output (pow keeps it), tanh output,
//                         0.5*x and 1+tanh (their product keeps both): 4 x intermediate
//   c_proj (mlp) LoRA     GELU output
// Gemma: as the Llama family, plus its norms on the attention and MLP outputs (as input_layernorm)
// and, with soft-capped scores (always eager), the tanh output [B,H,T,T]. Per family the module
// stages and these layout facts come from the architecture table (model/architecture_table.h).
// Loss (core/train/chunked_loss.cpp): no [B, T, V] logits. A frozen head keeps only the loss's
// gradient for the hidden states [B*(T-1), C]; the chunk's [chunk, V] blocks live inside the loss.
// Checked against the bytes LibTorch 1.13 allocates (bench_memory --trace): within 0.5% per layer.
#include "estimate/activation_model.h"

#include "model/loss_chunk.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lorastudio {

const char* attentionKindName(AttentionKind k) { return k == AttentionKind::Eager ? "eager" : "sdpa"; }

int64_t totalBytes(const std::vector<SavedTensor>& tensors, int64_t below) {
    int64_t n = 0;
    for (const auto& t : tensors)
        if (below < 0 || t.bytes < below) n += t.bytes;
    return n;
}

namespace {

using LayerModule = LayerModuleStage;  // the architecture table's stages of a layer's modules

std::string layerPrefix(const ModelSpec& spec, int64_t layer) {
    return spec.family().layerPrefix + std::to_string(layer) + ".";
}

// The decoder layer a module name lies in and the rest of the name after "<layers>.<i>."
// ("" for the layer itself); -1 outside the layers.
int64_t splitLayer(const ModelSpec& spec, std::string_view name, std::string_view& rest) {
    const std::string_view layers = spec.family().layerPrefix;
    if (name.substr(0, layers.size()) != layers) return -1;
    std::size_t j = layers.size();
    int64_t index = 0;
    while (j < name.size() && name[j] >= '0' && name[j] <= '9') index = index * 10 + (name[j++] - '0');
    if (j == layers.size() || (j < name.size() && name[j] != '.')) return -1;
    rest = j < name.size() ? name.substr(j + 1) : std::string_view();
    return index;
}

// Earliest stage of a layer that a trainable module touches; `rest` is its name inside the layer
// (it may be a parent such as "mlp", or "" for the whole layer). -1: nothing known.
int stageOf(std::string_view rest, const std::vector<LayerModule>& modules) {
    if (rest.empty()) return 0;
    // a equals b, or a is a dotted prefix of b ("mlp" of "mlp.c_fc")
    auto within = [](std::string_view a, std::string_view b) {
        return b.size() > a.size() && b.substr(0, a.size()) == a && b[a.size()] == '.';
    };
    int best = -1;
    for (const auto& m : modules) {
        const std::string_view suffix = m.suffix;
        if (suffix == rest || within(rest, suffix) || within(suffix, rest))
            best = best < 0 ? m.stage : std::min(best, m.stage);
    }
    return best;
}

class LayerBuilder {
public:
    LayerBuilder(const ModelSpec& spec, const ActivationSetup& s, const TrainableSites& sites)
        : m_spec(spec), m_s(s), m_sites(sites), m_n(s.batch * s.sequence) {
        for (const auto& t : sites.lora) m_lora[t.name] = &t;
    }

    int64_t tokens() const { return m_n; }

    // Inputs kept for the trainable projections among `modules` that read `input` (of width
    // `width`): the input itself once, or LoRA's own dropout / cast copies; lora_A outputs.
    void projectionInputs(std::vector<SavedTensor>& out, const std::string& prefix, const std::vector<LayerModule>& modules,
                          const char* input, int64_t width) const {
        const int e = m_s.computeBytes, lb = m_s.loraBytes;
        bool sharedInput = false;
        for (const auto& m : modules) {
            if (std::strcmp(m.input, input) != 0) continue;
            const std::string name = prefix + m.suffix;
            if (m_sites.fullModules.count(name)) sharedInput = true;  // weight gradient needs x
            auto found = m_lora.find(name);
            if (found == m_lora.end()) continue;
            if (m_s.loraDropout > 0) {
                out.push_back({"LoRA dropout mask", lb * width * m_n, m.suffix});
                out.push_back({"LoRA dropped input", lb * width * m_n, m.suffix});
            } else if (lb != e) {
                out.push_back({"LoRA input cast to the LoRA dtype", lb * width * m_n, m.suffix});
            } else {
                sharedInput = true;
            }
            out.push_back({"lora_A output", static_cast<int64_t>(lb) * found->second->r * m_n, m.suffix});
        }
        if (sharedInput) out.push_back({input, e * width * m_n});
    }

    LayerActivations layer(int64_t index, int firstStage) const {
        const ActivationLayout& layout = m_spec.family().activation;
        const bool layerNorm = layout.norm == NormKind::LayerNorm;
        const std::string prefix = layerPrefix(m_spec, index);
        const auto& modules = layout.modules;
        const int64_t N = m_n, C = m_spec.hiddenSize, I = m_spec.intermediateSize, H = m_spec.numHeads;
        const int64_t T = m_s.sequence, qDim = m_spec.qDim(), kvDim = m_spec.kvDim();
        const int64_t tt = m_s.batch * H * T * T;
        const int e = m_s.computeBytes, f = 4;
        LayerActivations L;
        L.layer = index;
        auto add = [&](int stage, const char* what, int64_t bytes, const char* module = "") {
            if (stage >= firstStage && bytes > 0) L.saved.push_back({what, bytes, module, stage >= 4});
        };
        auto projections = [&](int stage, const char* input, int64_t width) {
            if (stage < firstStage) return;
            const std::size_t from = L.saved.size();
            projectionInputs(L.saved, prefix, modules, input, width);
            for (std::size_t i = from; i < L.saved.size(); ++i) L.saved[i].mlpHalf = stage >= 4;
        };
        auto norm = [&](int stage, const char* name) {
            if (layerNorm) {
                add(stage, "input", e * C * N, name);
                add(stage, "mean and rstd (fp32)", 2 * f * N, name);
            } else {
                add(stage, "input in fp32", f * C * N, name);
                if (m_s.meanKeepsInput) add(stage, "x^2 (fp32, kept by mean)", f * C * N, name);
                add(stage, "rsqrt (fp32)", f * N, name);
            }
        };
        // Does k need grad here? (In the first trainable layer the q copy is kept only for k's grad.)
        const std::string kProj = prefix + layout.kProjection;
        const bool kNeedsGrad =
            layout.fusedQkvViews || firstStage == 0 || m_lora.count(kProj) || m_sites.fullModules.count(kProj);

        norm(0, layout.attentionNorm);
        projections(1, "attention input", C);
        // Soft-capped scores (Gemma 2) always take the eager path (model/attention.h).
        const bool eager = m_s.attention == AttentionKind::Eager || m_spec.attnLogitSoftcap > 0;
        if (eager) {
            if (m_spec.attnLogitSoftcap > 0) add(2, "soft-capped scores (tanh output)", e * tt);
            if (kNeedsGrad) add(2, "q reshaped for the scores matmul", e * qDim * N);
            add(2, "k reshaped for the scores matmul", e * kvDim * N);
            add(2, "v reshaped for the output matmul", e * kvDim * N);
            add(2, "attention probabilities (fp32)", f * tt);
            if (e != f) add(2, "attention probabilities cast back", e * tt);
        } else {
            const bool views = layout.fusedQkvViews;
            const int64_t rep = views ? 1 : H / std::max<int64_t>(1, m_spec.numKvHeads);
            add(2, views ? "q, k, v (views of one projection's output)" : "q after RoPE", views ? 3 * e * C * N : e * qDim * N);
            if (!views) {
                add(2, rep > 1 ? "k expanded to all heads" : "k after RoPE", e * (rep > 1 ? qDim : kvDim) * N);
                add(2, rep > 1 ? "v expanded to all heads" : "v", e * (rep > 1 ? qDim : kvDim) * N);
            }
            add(2, "attention output", e * qDim * N);
            add(2, "log-sum-exp (fp32)", f * H * N);
        }
        projections(3, "attention output", qDim);
        if (layout.outputNorms > 0) norm(3, "attention output norm");
        norm(4, layout.mlpNorm);
        projections(5, "MLP input", C);
        const bool geluNew = m_spec.activation == Activation::GeluNew;
        if (!layout.gatedMlp) {
            add(6, "MLP input projection output", e * I * N);
            if (geluNew) {
                add(6, "gelu_new tanh output", e * I * N);
                add(6, "gelu_new 0.5*x", e * I * N);
                add(6, "gelu_new 1+tanh", e * I * N);
            }
            projections(7, "GELU output", I);
        } else {
            add(6, "gate_proj output", e * I * N);
            add(6, "activation output", e * I * N);
            add(6, "up_proj output", e * I * N);
            projections(7, "MLP product", I);
        }
        if (layout.outputNorms > 0) norm(7, "MLP output norm");
        for (const auto& s : L.saved) {
            L.savedBytes += s.bytes;
            if (s.mlpHalf) L.mlpHalfBytes += s.bytes;
        }

        // Working memory (LibTorch 1.13 CPU, bench_memory --trace). Forward with grad, beyond what
        // is kept: eager scores and their masked copy exist together before the softmax (+ the fp32
        // copy for a 16-bit softmax); the MLP's elementwise temporaries live until the expression
        // ends (gelu_new: 9 of them, 4 kept; SwiGLU: the product).
        const bool inGrad = firstStage <= 7;
        using List = std::vector<SavedTensor>;
        auto repeat = [](const char* name, int n, int64_t bytes) {
            return List(static_cast<std::size_t>(n), SavedTensor{name, bytes});
        };
        auto larger = [](const List& a, const List& b) { return totalBytes(a) >= totalBytes(b) ? a : b; };
        const SavedTensor incoming{"incoming gradient", e * C * N};
        List fwdAttention;
        if (eager) {
            fwdAttention = {{"attention scores", e * tt}};
            if (e != f) fwdAttention.push_back({"attention scores in fp32", f * tt});
        }
        const List fwdMlp = repeat("MLP temporary", !layout.gatedMlp && geluNew ? 5 : 1, e * I * N);
        if (inGrad) {
            L.forwardAttentionWork = fwdAttention;
            L.forwardMlpWork = fwdMlp;
        }
        // Forward without grad (checkpointing's first pass, layers before anything trains): one op
        // group's tensors at once, plus the layer's input and output.
        List ngAttention = {{"q", e * qDim * N}, {"k", e * kvDim * N}, {"v", e * kvDim * N}};
        if (eager) {
            ngAttention.push_back({"attention scores", e * tt});
            ngAttention.push_back({"attention probabilities", e * tt});
            if (e != f) ngAttention.push_back({"attention scores in fp32", f * tt});
        } else {
            ngAttention.push_back({"attention output", e * qDim * N});
        }
        const List ngMlp = repeat("MLP temporary", !layout.gatedMlp ? (geluNew ? 9 : 2) : 4, e * I * N);
        L.noGradWork = larger(ngAttention, ngMlp);
        L.noGradWork.push_back({"layer input", e * C * N});
        L.noGradWork.push_back({"layer output", e * C * N});
        // Backward: the incoming gradient [N, C], plus: eager attention, the gradients of the
        // probabilities and of the scores (fp32); SDPA, grads of q, k, v and an fp32 accumulator;
        // MLP, the product's gradient and both factors' (3 x I; gelu_new's chain holds more).
        List bwdAttention = eager ? repeat("attention gradient (fp32)", 2, f * tt)
                                  : List{{"q, k, v gradients", 3 * e * qDim * N}, {"dq accumulator (fp32)", f * qDim * N}};
        const List bwdMlp = repeat("MLP gradient", !layout.gatedMlp && geluNew ? 5 : 3, e * I * N);
        if (inGrad) {
            L.backwardAttentionWork = bwdAttention;
            L.backwardAttentionWork.push_back(incoming);
            L.backwardMlpWork = bwdMlp;
            L.backwardMlpWork.push_back(incoming);
        }
        return L;
    }

private:
    const ModelSpec& m_spec;
    const ActivationSetup& m_s;
    const TrainableSites& m_sites;
    int64_t m_n;
    std::unordered_map<std::string, const LoraTarget*> m_lora;
};

} // namespace

ActivationPlan planActivations(const ModelSpec& spec, const ActivationSetup& setup, const TrainableSites& sites) {
    ActivationPlan plan;
    const ActivationLayout& layout = spec.family().activation;
    const auto& modules = layout.modules;
    const int e = setup.computeBytes, f = 4;
    LayerBuilder builder(spec, setup, sites);
    const int64_t N = builder.tokens(), C = spec.hiddenSize, V = spec.vocabSize;

    // Every trainable name with its layer and stage; gradients flow from the first one on.
    std::vector<std::string> names;
    for (const auto& t : sites.lora) names.push_back(t.name);
    names.insert(names.end(), sites.fullModules.begin(), sites.fullModules.end());
    names.insert(names.end(), sites.biasModules.begin(), sites.biasModules.end());
    int64_t firstLayer = sites.embeddingsTrainable ? 0 : spec.numLayers;
    std::map<int64_t, int> firstStage;  // layer -> earliest trainable stage
    for (const auto& name : names) {
        std::string_view rest;
        const int64_t l = splitLayer(spec, name, rest);
        const int stage = l >= 0 && l < spec.numLayers ? stageOf(rest, modules) : -1;
        if (stage < 0) continue;
        firstLayer = std::min(firstLayer, l);
        auto it = firstStage.find(l);
        firstStage[l] = it == firstStage.end() ? stage : std::min(it->second, stage);
    }
    plan.layerInputBytes = e * C * N;
    for (int64_t l = 0; l < spec.numLayers; ++l) {
        int stage = 8;  // nothing kept
        if (l > firstLayer || (l == firstLayer && sites.embeddingsTrainable)) stage = 0;
        else if (l == firstLayer) stage = firstStage[l];
        plan.layers.push_back(builder.layer(l, stage));
    }

    // Output head: the final norm keeps its input once anything before it trains; a trainable
    // lm_head keeps the normed hidden state (LoRA: per adapter as in a layer).
    if (firstLayer < spec.numLayers) {
        if (layout.norm == NormKind::LayerNorm) {
            plan.head.push_back({"final norm input", e * C * N});
        } else {
            plan.head.push_back({"final norm input in fp32", f * C * N});
            if (setup.meanKeepsInput) plan.head.push_back({"final norm x^2 (fp32, kept by mean)", f * C * N});
        }
        if (layout.rotary) plan.head.push_back({"RoPE cos and sin (shared by all layers)", 2 * e * spec.headDim * N});
        if (layout.rotary && spec.ropeLocalTheta > 0)
            plan.head.push_back({"RoPE cos and sin of the sliding layers", 2 * e * spec.headDim * N});
    }
    static const std::vector<LayerModule> headModules = {{kOutputHeadName, 8, "final hidden state"}};
    builder.projectionInputs(plan.head, "", headModules, "final hidden state", C);

    // The chunked loss (train/chunked_loss.cpp) on the B*(T-1) positions that predict a token.
    bool headTrains = sites.fullModules.count(kOutputHeadName) > 0 || sites.biasModules.count(kOutputHeadName) > 0;
    for (const auto& t : sites.lora) headTrains = headTrains || t.name == kOutputHeadName;
    const int64_t P = setup.batch * std::max<int64_t>(0, setup.sequence - 1);
    const int64_t chunk = std::min<int64_t>(P, lossChunkTokens(V, setup.cudaChunks));
    const SavedTensor hiddenCopy{"shifted hidden states [B*(T-1), C]", e * P * C};
    const SavedTensor chunkLogits{"one chunk's logits [chunk, V]", e * chunk * V};
    const SavedTensor chunkFp32{"one chunk's fp32 [chunk, V] block", f * chunk * V};
    if (!headTrains) {
        // Frozen head: the forward keeps d(loss)/d(hidden) [B*(T-1), C] and nothing else; per chunk
        // the logits (+ an fp32 copy when 16-bit) and logsumexp's two fp32 temporaries.
        plan.logits = {"loss gradient for the hidden states", e * P * C};
        plan.lossForward = {plan.logits, hiddenCopy, chunkLogits, chunkFp32, chunkFp32};
        if (e != f) plan.lossForward.push_back(chunkFp32);
        plan.lossBackward = {plan.logits, {"scaled gradient", e * P * C}};
    } else {
        // A head that trains: each chunk is checkpointed (keeps the hidden states) and recomputed in
        // backward: logits, log-softmax and its two gradients for one chunk at a time.
        plan.logits = {"hidden states kept for the loss recompute", e * P * C};
        plan.lossForward = {plan.logits, chunkLogits, chunkFp32, chunkFp32};
        plan.lossBackward = {plan.logits, chunkLogits, chunkFp32, chunkFp32, chunkFp32};
        if (e != f) plan.lossBackward.push_back(chunkFp32);
    }
    return plan;
}

} // namespace lorastudio

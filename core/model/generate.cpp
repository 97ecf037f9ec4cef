// generate(): prefill once, then one token per step through the KV cache. See generate.h.
#include "model/generate.h"

#include "common/error.h"
#include "model/kv_cache.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <limits>

namespace lorastudio {

at::Tensor processSamplingLogits(const at::Tensor& logits, double temperature, int64_t topK, double topP) {
    auto scores = logits;
    const double minusInf = -std::numeric_limits<double>::infinity();
    if (temperature != 1.0) scores = scores / temperature;
    if (topK > 0) {
        const int64_t k = std::min<int64_t>(topK, scores.size(-1));
        auto kth = std::get<0>(at::topk(scores, k, -1)).narrow(-1, k - 1, 1);  // [B, 1]
        scores = scores.masked_fill(scores < kth, minusInf);
    }
    if (topP < 1.0) {
        // Drop the low tail whose cumulative probability stays within 1 - topP; keep at least one.
        auto [sorted, indices] = at::sort(scores, -1, /*descending=*/false);
        auto cumulative = at::softmax(sorted, -1).cumsum(-1);
        auto removeSorted = cumulative <= (1.0 - topP);
        removeSorted.narrow(-1, removeSorted.size(-1) - 1, 1).fill_(false);
        auto remove = removeSorted.scatter(1, indices, removeSorted);
        scores = scores.masked_fill(remove, minusInf);
    }
    return scores;
}

namespace {

GenerateResult generateInInferenceMode(CausalLM& model, const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                       const GenerateOptions& options) {
    const ModelSpec& spec = model.spec();
    if (!inputIds.defined() || inputIds.dim() != 2 || inputIds.size(1) == 0)
        throw Error("generate", "input_ids must be [B, T] with T > 0");
    if (options.maxNewTokens < 0 || options.temperature < 0 || options.topK < 0 || !(options.topP > 0) ||
        options.topP > 1)
        throw Error("generate", "invalid options (need maxNewTokens >= 0, temperature >= 0, topK >= 0, 0 < topP <= 1)");
    const int64_t B = inputIds.size(0), T = inputIds.size(1);
    if (spec.family().learnedPositions && T + options.maxNewTokens > spec.maxPositions)
        throw Error("generate", "prompt (" + std::to_string(T) + ") + max new tokens (" +
                                    std::to_string(options.maxNewTokens) + ") exceeds n_positions (" +
                                    std::to_string(spec.maxPositions) + ")",
                    "shorten the prompt or generate fewer tokens");

    c10::InferenceMode inference;
    const auto device = model.device();
    const auto longOpts = at::TensorOptions().dtype(at::kLong).device(device);
    auto ids = inputIds.to(device, at::kLong);
    auto mask = attentionMask.defined() ? attentionMask.to(device, at::kLong) : at::ones({B, T}, longOpts);
    if (mask.sizes() != ids.sizes()) throw Error("generate", "attention_mask must have the shape of input_ids");

    const std::vector<int64_t>& eosIds = options.eosTokenIds.empty() ? spec.eosTokenIds : options.eosTokenIds;
    int64_t pad = options.padTokenId >= 0 ? options.padTokenId
                  : spec.padTokenId >= 0  ? spec.padTokenId
                  : !eosIds.empty()       ? eosIds.front()
                                          : 0;
    at::Tensor eos = eosIds.empty() ? at::Tensor() : at::tensor(eosIds, at::kLong).to(device);

    auto gen = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    KVCache cache(spec.numLayers);
    GenerateResult result;
    auto sequences = ids;
    auto unfinished = at::ones({B}, longOpts);
    // Prefill positions as transformers: cumsum(mask) - 1 with padding at 1.
    auto positions = (mask.cumsum(-1) - 1).masked_fill(mask.eq(0), 1);
    auto stepInput = ids;

    for (int64_t step = 0; step < options.maxNewTokens; ++step) {
        if (cache.length() > 0 && model.dropsCacheAt(cache.length(), sequences.size(1))) {
            cache.reset();  // the whole sequence again, as a prefill
            stepInput = sequences;
            positions = (mask.cumsum(-1) - 1).masked_fill(mask.eq(0), 1);
        }
        auto logits = model.forward(stepInput, mask, positions, &cache).logits;  // [B, t, V]
        auto next = logits.select(1, logits.size(1) - 1).to(at::kFloat);         // [B, V]
        at::Tensor scores, tokens;
        if (options.temperature == 0.0) {
            scores = next;
            tokens = next.argmax(-1);
        } else {
            scores = processSamplingLogits(next, options.temperature, options.topK, options.topP);
            auto probs = at::softmax(scores, -1).to(at::kCPU);
            tokens = at::multinomial(probs, 1, false, gen).squeeze(1).to(device);
        }
        if (options.returnScores) result.scores.push_back(scores);
        tokens = tokens * unfinished + pad * (1 - unfinished);  // finished rows keep emitting pad
        sequences = at::cat({sequences, tokens.unsqueeze(1)}, 1);
        if (options.onToken && !options.onToken(step, tokens.to(at::kCPU))) break;
        if (options.stopOnEos && eos.defined()) {
            unfinished = unfinished * at::isin(tokens, eos).logical_not().to(at::kLong);
            if (unfinished.max().item<int64_t>() == 0) break;
        }
        // The new token's position is the count of real tokens before it.
        positions = mask.sum(-1, /*keepdim=*/true);
        mask = at::cat({mask, at::ones({B, 1}, longOpts)}, 1);
        stepInput = tokens.unsqueeze(1);
    }
    result.sequences = sequences;
    return result;
}

} // namespace

GenerateResult generate(CausalLM& model, const at::Tensor& inputIds, const at::Tensor& attentionMask,
                        const GenerateOptions& options) {
    GenerateResult inference = generateInInferenceMode(model, inputIds, attentionMask, options);
    // Inference-mode tensors cannot enter autograd later (e.g. generated ids fed to a training
    // step), so hand back ordinary copies.
    GenerateResult result;
    result.sequences = inference.sequences.clone();
    for (const auto& s : inference.scores) result.scores.push_back(s.clone());
    return result;
}

} // namespace lorastudio

// Text generation with the KV cache: greedy (temperature 0) or temperature / top-k / top-p
// sampling with a seeded generator, stopping on EOS, left padding supported. Mirrors
// transformers' generate() so greedy outputs match it token for token.
#pragma once
#include "model/causal_lm.h"

#include <ATen/ATen.h>

#include <functional>
#include <vector>

namespace lorastudio {

struct GenerateOptions {
    int64_t maxNewTokens = 64;
    double temperature = 0.0;   // 0: greedy (argmax); otherwise logits / temperature, then sample
    int64_t topK = 0;           // sampling: keep the k best tokens (0 = off)
    double topP = 1.0;          // sampling: keep the smallest set with probability >= topP (1 = off)
    uint64_t seed = 0;          // sampling generator seed (sampling runs on the CPU: same on any device)
    bool stopOnEos = true;
    std::vector<int64_t> eosTokenIds;  // empty: the spec's eos ids
    int64_t padTokenId = -1;           // written after a row finished; -1: spec pad, else first eos, else 0
    bool returnScores = false;
    // After every step with the chosen tokens [B] (int64, CPU). Return false to stop.
    std::function<bool(int64_t step, const at::Tensor& tokens)> onToken;
};

struct GenerateResult {
    at::Tensor sequences;            // [B, T + n] int64, the prompt followed by n new tokens
    std::vector<at::Tensor> scores;  // with returnScores: n x [B, V] fp32, the processed logits
                                     // the token was chosen from (greedy: the raw logits)
};

// inputIds: [B, T] int64; attentionMask: [B, T] (0 marks left padding) or undefined.
// Positions follow transformers: cumsum(mask) - 1, padding positions set to 1.
GenerateResult generate(CausalLM& model, const at::Tensor& inputIds, const at::Tensor& attentionMask,
                        const GenerateOptions& options);

// The logits processing of one sampling step (temperature, top-k, top-p), exposed for tests.
// logits: [B, V] fp32 -> [B, V] with removed tokens at -inf.
at::Tensor processSamplingLogits(const at::Tensor& logits, double temperature, int64_t topK, double topP);

} // namespace lorastudio

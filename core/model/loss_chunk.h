// How many tokens one chunk of the training loss holds (train/chunked_loss.h): a chunk's fp32
// [tokens, V] block takes at most kLossChunkBytes*, so no [B, T, V] tensor exists. Torch-free: the
// memory estimate sizes the loss with it too.
#pragma once
#include <algorithm>
#include <cstdint>

namespace lorastudio {

constexpr int64_t kLossChunkBytesCpu = 64LL << 20;
constexpr int64_t kLossChunkBytesCuda = 256LL << 20;

// max(16, budget / (4 V)) tokens.
constexpr int64_t lossChunkTokens(int64_t vocab, bool cuda) {
    return std::max<int64_t>(16, (cuda ? kLossChunkBytesCuda : kLossChunkBytesCpu) / (4 * std::max<int64_t>(1, vocab)));
}

} // namespace lorastudio

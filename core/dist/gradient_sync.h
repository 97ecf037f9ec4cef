// The data-parallel gradient all-reduce, bucketed and overlapped with the backward pass, the way
// PyTorch DDP's reducer does it: the LoRA parameters are cut into flat fp32 buckets in reverse
// order (the last layers' gradients are computed first), a gradient hook copies each parameter's
// finished gradient into its bucket, and a bucket whose parameters have all arrived starts its
// all-reduce at once, while backward goes on through the earlier layers. Buckets start in bucket
// order on every rank (a ready bucket waits for the ones before it), so the ranks' collectives
// always pair up. With gradient accumulation only the step's last backward pass is armed (the
// earlier ones accumulate locally, as DDP's no_sync).
#pragma once
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace lorastudio {

class Collective;
class PendingCollective;

class GradientSync {
public:
    // params: the trainable tensors (leaves that require grad), in forward order. bucketBytes:
    // the cap of a bucket (DDP: 25 MiB), the first one at most 1 MiB so that the first all-reduce
    // starts early; 0 = one bucket, reduced after backward (no overlap).
    GradientSync(Collective& collective, std::vector<at::Tensor> params, int64_t bucketBytes);
    ~GradientSync();
    GradientSync(const GradientSync&) = delete;
    GradientSync& operator=(const GradientSync&) = delete;

    // Before the backward pass that completes the step's gradients.
    void arm();
    // After it (also when this rank had no backward to run): a parameter whose gradient did not
    // arrive goes in as its .grad holds it (zeros when undefined), the buckets not started yet
    // start, every bucket is awaited, and each .grad becomes the sum over the ranks.
    void finish();

    struct Stats {
        int buckets = 0;
        int64_t bytes = 0;
        int startedDuringBackward = 0;  // of the last step's buckets
    };
    Stats stats() const;

private:
    struct Slot {
        int bucket = 0;
        int64_t offset = 0;
        bool arrived = false;
    };
    struct Bucket {
        at::Tensor flat;  // fp32, on the device the collective reduces on
        std::vector<int> members;
        int pending = 0;
        std::unique_ptr<PendingCollective> work;
    };
    void reset();
    void onGradient(int index, const at::Tensor& grad);
    void fill(int index, const at::Tensor& incoming);
    void startReady(bool duringBackward);

    Collective& m_collective;
    std::vector<at::Tensor> m_params;
    std::vector<Slot> m_slots;
    std::vector<Bucket> m_buckets;
    std::vector<unsigned> m_hooks;
    int m_nextToStart = 0;
    bool m_armed = false;
    int64_t m_bytes = 0;
    int m_startedDuringBackward = 0;
    mutable std::mutex m_mutex;  // hooks run on the autograd engine's thread for CUDA tensors
};

} // namespace lorastudio

// See gradient_sync.h.
#include "dist/gradient_sync.h"

#include "common/error.h"
#include "dist/collective.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <utility>

namespace lorastudio {

namespace {
constexpr int64_t kFirstBucketBytes = int64_t(1) << 20;  // DDP's first bucket: 1 MiB
}

GradientSync::GradientSync(Collective& collective, std::vector<at::Tensor> params, int64_t bucketBytes)
    : m_collective(collective), m_params(std::move(params)) {
    const int n = static_cast<int>(m_params.size());
    m_slots.resize(n);
    // Reverse order: backward finishes the last layers first.
    int64_t cap = bucketBytes <= 0 ? INT64_MAX : std::min(bucketBytes, kFirstBucketBytes);
    int64_t filled = 0;
    for (int i = n - 1; i >= 0; --i) {
        const int64_t bytes = m_params[i].numel() * int64_t(sizeof(float));
        if (m_buckets.empty() || (filled > 0 && filled + bytes > cap)) {
            if (!m_buckets.empty()) cap = bucketBytes <= 0 ? INT64_MAX : bucketBytes;
            m_buckets.emplace_back();
            filled = 0;
        }
        m_slots[i] = {static_cast<int>(m_buckets.size()) - 1, filled / int64_t(sizeof(float)), false};
        m_buckets.back().members.push_back(i);
        filled += bytes;
    }
    const auto device = [&](const at::Tensor& p) { return collective.reducesOnDevice() ? p.device() : at::Device(at::kCPU); };
    for (auto& b : m_buckets) {
        int64_t numel = 0;
        for (int i : b.members) numel += m_params[i].numel();
        b.flat = at::zeros({numel}, at::dtype(at::kFloat).device(device(m_params[b.members.front()])));
        m_bytes += numel * int64_t(sizeof(float));
    }
    if (bucketBytes <= 0) return;  // no hooks: finish() fills the one bucket from .grad
    for (int i = 0; i < n; ++i)
        m_hooks.push_back(m_params[i].register_hook([this, i](const at::Tensor& grad) { onGradient(i, grad); }));
}

GradientSync::~GradientSync() {
    for (std::size_t i = 0; i < m_hooks.size(); ++i) m_params[i].remove_hook(m_hooks[i]);
}

void GradientSync::reset() {
    for (auto& s : m_slots) s.arrived = false;
    for (auto& b : m_buckets) b.pending = static_cast<int>(b.members.size());
    m_nextToStart = 0;
    m_startedDuringBackward = 0;
}

void GradientSync::arm() {
    std::lock_guard<std::mutex> lock(m_mutex);
    reset();
    m_armed = !m_hooks.empty();
}

// The parameter's gradient for the step: what earlier micro-batches accumulated plus `incoming`.
void GradientSync::fill(int index, const at::Tensor& incoming) {
    const at::Tensor& p = m_params[index];
    Slot& s = m_slots[index];
    if (s.arrived)
        throw Error("data-parallel gradient all-reduce", "a LoRA parameter's gradient arrived twice in one backward pass",
                    "a parameter used twice in the forward pass: report it with the project");
    Bucket& b = m_buckets[s.bucket];
    at::Tensor view = b.flat.narrow(0, s.offset, p.numel());
    at::NoGradGuard noGrad;
    const at::Tensor& held = p.grad();
    if (incoming.defined()) {
        view.copy_(incoming.reshape({-1}));
        if (held.defined()) view.add_(held.reshape({-1}).to(view.device(), at::kFloat));
    } else if (held.defined()) {
        view.copy_(held.reshape({-1}));
    } else {
        view.zero_();
    }
    s.arrived = true;
    --b.pending;
}

void GradientSync::onGradient(int index, const at::Tensor& grad) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_armed) return;
    fill(index, grad);
    startReady(true);
}

void GradientSync::startReady(bool duringBackward) {
    while (m_nextToStart < static_cast<int>(m_buckets.size()) && m_buckets[m_nextToStart].pending == 0) {
        Bucket& b = m_buckets[m_nextToStart++];
        b.work = m_collective.startAllReduceSum(b.flat, "gradient all-reduce");
        if (duringBackward) ++m_startedDuringBackward;
    }
}

void GradientSync::finish() {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_armed) reset();  // no hooks, or no armed backward this step: everything from .grad
    m_armed = false;
    for (int i = 0; i < static_cast<int>(m_params.size()); ++i)
        if (!m_slots[i].arrived) fill(i, at::Tensor());
    startReady(false);
    at::NoGradGuard noGrad;
    for (auto& b : m_buckets) {
        b.work->wait();
        b.work.reset();
        for (int i : b.members) {
            at::Tensor& p = m_params[i];
            const at::Tensor sum = b.flat.narrow(0, m_slots[i].offset, p.numel()).view(p.sizes());
            // A copy, never a view of the bucket: the next step refills the bucket while .grad
            // may still accumulate into its own memory.
            p.mutable_grad() = sum.to(p.device(), p.scalar_type(), false, true);
        }
    }
}

GradientSync::Stats GradientSync::stats() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return {static_cast<int>(m_buckets.size()), m_bytes, m_startedDuringBackward};
}

} // namespace lorastudio

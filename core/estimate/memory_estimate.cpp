// The memory estimate: persistent state (weights, LoRA, gradients, AdamW) plus the largest of the
// step's phases (forward, loss backward, a layer's backward, recompute under checkpointing), plus
// overhead. See memory_estimate.h and activation_model.cpp for what each tensor is.
//
// Policies (what the trainer does, and so what is counted):
//  - weights load in the precision's dtype (fp32, or bf16 / fp16) and compute runs in it;
//  - LoRA A/B are fp32 master weights (LoraAttachOptions::dtype = kFloat), their inputs cast to fp32;
//  - biases and modules_to_save train in place, in the load dtype (no copy, unlike PEFT);
//  - AdamW keeps exp_avg and exp_avg_sq in the parameter's dtype; gradients are counted in full;
//  - the caller holds the logits until backward ends; gradient accumulation does not change the
//    peak (one micro-batch of batch_size x max_length lives at a time);
//  - gradient checkpointing keeps every decoder layer's input and recomputes one layer at a time.
//
// CPU overhead (LibTorch 1.13, OpenBLAS, glibc; bench_memory): the process baseline with LibTorch
// loaded and BLAS threads started is 157 MiB. With glibc's default dynamic mmap threshold, tensors
// freed after the first step stay in the heap and later steps do not reuse all of it: the peak RSS
// grows by about as much again as the step's transient tensors (factor 0.87-1.16 over the bench's
// configurations); with configureCpuAllocatorForTraining() it follows the live tensors (+1-3%).
//
// CUDA (not measured here: no GPU on the build machines): no baseline RSS, but the CUDA context
// (~500 MiB with lazy module loading, outside the allocator), cuBLAS workspaces (up to 32 MiB on
// Hopper, inside the allocator), and the caching allocator's rounding: requests round up to 512 B,
// requests under 1 MiB share 2 MiB blocks, larger ones come from 20 MiB segments or are rounded up
// to 2 MiB, and freed blocks are cached, so the reserved peak typically exceeds the allocated peak
// by 5-15%: 10% of the step's transient tensors is added. The tensor accounting is LibTorch 2.x's
// (mean() keeps no input).
#include "estimate/memory_estimate.h"

#include "common/error.h"
#include "model/attention.h"

#include <ATen/Context.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace lorastudio {

namespace {

constexpr int64_t kMiB = 1024 * 1024;
// Measured by bench_memory: VmRSS of a process with LibTorch 1.13 loaded and one small matmul done.
constexpr int64_t kCpuBaselineBytes = 157 * kMiB;
// glibc default: extra RSS per byte of transient tensors (bench_memory calibration).
constexpr double kCpuDefaultMallocSlack = 1.0;
// Tuned allocator: what remains (autograd graph, OpenBLAS buffers touched by larger GEMMs).
constexpr double kCpuTunedMallocSlack = 0.02;
constexpr int64_t kCudaContextBytes = 512 * kMiB;
constexpr int64_t kCudaBlasWorkspaceBytes = 32 * kMiB;
constexpr double kCudaAllocatorSlack = 0.10;

bool g_cpuAllocatorConfigured = false;

std::string parentOf(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? std::string() : name.substr(0, dot);
}

int64_t numel(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

MemoryDevice resolveDevice(const std::string& device) {
    if (device.rfind("cuda", 0) == 0) return MemoryDevice::Cuda;
    if (device == "auto") return at::hasCUDA() ? MemoryDevice::Cuda : MemoryDevice::Cpu;
    return MemoryDevice::Cpu;
}

// One candidate for the peak: what is alive besides the persistent state.
struct Phase {
    const char* name;
    int64_t activations = 0;
    int64_t logits = 0;
    int64_t workspace = 0;
    int64_t sum() const { return activations + logits + workspace; }
};

} // namespace

const char* memoryDeviceName(MemoryDevice d) { return d == MemoryDevice::Cpu ? "cpu" : "cuda"; }

bool configureCpuAllocatorForTraining() {
#if defined(__GLIBC__)
    // A fixed threshold also turns off glibc's dynamic raising of it (up to 32 MiB), which is what
    // lets freed activations pile up in the heap.
    g_cpuAllocatorConfigured = mallopt(M_MMAP_THRESHOLD, 1 << 20) == 1;
#endif
    return g_cpuAllocatorConfigured;
}

bool cpuAllocatorConfigured() { return g_cpuAllocatorConfigured; }

std::vector<MemoryComponent> MemoryEstimate::components() const {
    return {{"weights", weights},         {"LoRA parameters", loraParameters}, {"gradients", gradients},
            {"optimizer states", optimizerStates}, {"activations", activations}, {"logits and loss", logits},
            {"working memory", workspace}, {"overhead", overhead}};
}

MemoryEstimate estimateMemory(const ModelSpec& spec, const ProjectConfig& project, const MemoryOptions& options) {
    const TrainingSettings& training = project.training;
    if (training.batchSize < 1) throw Error("training.batch_size", "must be >= 1 for an estimate");
    if (project.data.maxLength < 2) throw Error("data.max_length", "must be >= 2 for an estimate");
    MemoryEstimate m;
    m.counts = countParameters(spec, project.lora);
    m.device = options.device ? *options.device : resolveDevice(training.device);
    const bool cuda = m.device == MemoryDevice::Cuda;
    m.attention = options.attention ? *options.attention
                                    : (cuda && sdpaAvailable() ? AttentionKind::Sdpa : AttentionKind::Eager);
    m.batch = training.batchSize;
    m.sequence = project.data.maxLength;
    if (spec.isGpt2() && spec.maxPositions > 0) m.sequence = std::min<int64_t>(m.sequence, spec.maxPositions);
    m.weightDtypeBytes = training.precision == Precision::Fp32 ? 4 : 2;
    const int wb = m.weightDtypeBytes, lb = 4;

    // What trains, by module.
    TrainableSites sites;
    for (const auto& c : m.counts.modules) {
        LoraTarget t;
        t.name = c.name;
        t.inFeatures = c.inFeatures;
        t.outFeatures = c.outFeatures;
        t.r = c.r;
        t.alpha = c.alpha;
        sites.lora.push_back(t);
    }
    std::map<std::string, std::string> tiedTo;
    for (const auto& p : expectedParameters(spec))
        if (!p.tiedTo.empty()) tiedTo[p.name] = p.tiedTo;
    std::set<std::string> trainedTensors;  // distinct tensors trained in place
    for (const auto& e : m.counts.extra) {
        const std::string module = parentOf(e.name);
        if (e.reason == "modules_to_save") sites.fullModules.insert(module);
        else sites.biasModules.insert(module);
        auto tied = tiedTo.find(e.name);
        const std::string tensor = tied == tiedTo.end() ? e.name : tied->second;
        trainedTensors.insert(tensor);
        const std::string leaf = module.substr(module.rfind('.') + 1);
        if (leaf == "wte" || leaf == "wpe" || leaf == "embed_tokens" || tensor.find("embed_tokens") != std::string::npos ||
            tensor.find(".wte.") != std::string::npos)
            sites.embeddingsTrainable = true;
    }

    // Persistent state.
    std::map<std::string, int64_t> sizeOf;
    for (const auto& p : expectedParameters(spec)) sizeOf[p.name] = numel(p.shape);
    int64_t trainableBase = 0, largestTrainable = 0;
    for (const auto& t : trainedTensors) {
        trainableBase += sizeOf[t];
        largestTrainable = std::max(largestTrainable, sizeOf[t] * wb);
    }
    for (const auto& c : m.counts.modules)
        largestTrainable = std::max(largestTrainable, lb * c.r * std::max(c.inFeatures, c.outFeatures));
    m.weights = m.counts.baseParameters * wb;
    m.loraParameters = m.counts.loraParameters * lb;
    m.gradients = m.loraParameters + trainableBase * wb;
    m.optimizerStates = 2 * m.gradients;

    // Per module: weights, LoRA, training state.
    std::map<std::string, std::size_t> moduleIndex;
    for (const auto& p : expectedParameters(spec)) {
        const std::string module = parentOf(p.name);
        if (!moduleIndex.count(module)) {
            moduleIndex[module] = m.modules.size();
            m.modules.push_back({module, 0, 0, 0});
        }
        ModuleMemory& mm = m.modules[moduleIndex[module]];
        if (p.tiedTo.empty()) mm.weightBytes += numel(p.shape) * wb;
        if (trainedTensors.count(p.name)) mm.trainingStateBytes += 3 * numel(p.shape) * wb;
    }
    for (const auto& c : m.counts.modules) {
        auto it = moduleIndex.find(c.name);
        if (it == moduleIndex.end()) continue;
        m.modules[it->second].loraBytes += c.loraParameters * lb;
        m.modules[it->second].trainingStateBytes += 3 * c.loraParameters * lb;
    }

    // Activations: the largest phase of the step.
    ActivationSetup setup;
    setup.batch = m.batch;
    setup.sequence = m.sequence;
    setup.computeBytes = wb;
    setup.loraBytes = lb;
    setup.loraDropout = project.lora.loraDropout;
    setup.attention = m.attention;
    setup.meanKeepsInput = !cuda && TORCH_VERSION_MAJOR < 2;
    setup.gradientCheckpointing = training.gradientCheckpointing;
    const ActivationPlan plan = planActivations(spec, setup, sites);
    m.layers = plan.layers;
    m.checkpointKeptPerLayer = plan.layerInputBytes;

    std::vector<Phase> phases;
    if (!training.gradientCheckpointing) {
        int64_t cumulative = 0;
        for (const auto& l : plan.layers) {
            cumulative += l.savedBytes;
            phases.push_back({"forward", cumulative, 0, l.savedBytes > 0 ? l.forwardTransient : l.noGradForwardPeak});
            if (l.savedBytes > 0) phases.push_back({"layer backward", cumulative, plan.logitsBytes, l.backwardTransient});
        }
        phases.push_back({"loss forward", cumulative + plan.headSavedBytes, plan.lossForwardPeak, 0});
        phases.push_back({"loss backward", cumulative + plan.headSavedBytes, plan.lossBackwardPeak, 0});
    } else {
        const int64_t layersCount = static_cast<int64_t>(plan.layers.size());
        const int64_t kept = layersCount * plan.layerInputBytes;
        for (int64_t i = 0; i < layersCount; ++i) {
            const auto& l = plan.layers[static_cast<std::size_t>(i)];
            phases.push_back({"forward", i * plan.layerInputBytes, 0, l.noGradForwardPeak});
            if (l.savedBytes > 0)
                phases.push_back({"recompute", (i + 1) * plan.layerInputBytes + l.savedBytes, plan.logitsBytes,
                                  l.backwardTransient});
        }
        phases.push_back({"loss forward", kept + plan.headSavedBytes, plan.lossForwardPeak, 0});
        phases.push_back({"loss backward", kept + plan.headSavedBytes, plan.lossBackwardPeak, 0});
    }
    phases.push_back({"optimizer step", 0, 0, 2 * largestTrainable});
    Phase peak = phases.front();
    for (const auto& p : phases)
        if (p.sum() > peak.sum()) peak = p;
    m.peakPhase = peak.name;
    m.activations = peak.activations;
    m.logits = peak.logits;
    m.workspace = peak.workspace;

    const double dynamic = static_cast<double>(peak.sum());
    if (cuda) {
        m.overhead = kCudaContextBytes + kCudaBlasWorkspaceBytes + static_cast<int64_t>(kCudaAllocatorSlack * dynamic);
    } else {
        const bool tuned = options.tunedCpuAllocator ? *options.tunedCpuAllocator : cpuAllocatorConfigured();
        m.overhead = kCpuBaselineBytes +
                     static_cast<int64_t>((tuned ? kCpuTunedMallocSlack : kCpuDefaultMallocSlack) * dynamic);
    }
    m.total = m.weights + m.loraParameters + m.gradients + m.optimizerStates + m.activations + m.logits +
              m.workspace + m.overhead;
    return m;
}

std::string formatBytes(int64_t bytes) {
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (std::fabs(v) >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buf[32];
    if (u == 0) std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
    else std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 ? "%.0f %s" : std::fabs(v) >= 10 ? "%.1f %s" : "%.2f %s", v,
                       units[u]);
    return buf;
}

} // namespace lorastudio

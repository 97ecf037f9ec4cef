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
// CPU overhead (LibTorch 1.13, OpenBLAS; bench_memory): the process baseline with LibTorch loaded
// and BLAS threads started is 157 MiB, and a training process grows by ~24 MiB more (autograd
// graph, OpenBLAS buffers of larger GEMMs, mimalloc's segments). mimalloc (what LoRA Studio links): freed blocks are
// reused and unused memory goes back after its decommit delay, so the peak RSS is the live peak plus
// a small slack (kMimallocSlack, bench_memory). glibc's malloc (a build without mimalloc) mmaps
// requests from its mmap threshold up and unmaps them when freed; smaller ones come from the heap,
// which keeps what is freed and ends up about twice as large as the most heap-allocated tensor bytes
// ever alive at once (measured 1.2-2.2x, 2.0 used). The threshold rises with every mmapped block
// freed, up to 32 MiB, so nearly every activation of small and mid-sized models is heap-allocated.
//
// CUDA (not measured here: no GPU on the build machines): no baseline RSS, but the CUDA context
// (~500 MiB with lazy module loading, outside the allocator), cuBLAS workspaces (up to 32 MiB on
// Hopper, inside the allocator), and the caching allocator's rounding: requests round up to 512 B,
// requests under 1 MiB share 2 MiB blocks, larger ones come from 20 MiB segments or are rounded up
// to 2 MiB, and freed blocks are cached, so the reserved peak typically exceeds the allocated peak
// by 5-15%: 10% of the step's transient tensors is added. Unknowns: the context size varies with
// the driver and the kernels loaded; cuDNN / flash-attention workspaces are not counted.
// The saved tensors follow this build's LibTorch (1.x: mean() keeps its input; 2.x: not).
#include "estimate/memory_estimate.h"

#include "common/error.h"
#include "model/attention.h"
#include "runtime/process_setup.h"

#include <ATen/Context.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>
#include <unordered_map>
#include <set>


namespace lorastudio {

namespace {

constexpr int64_t kMiB = 1024 * 1024;
// Measured by bench_memory: VmRSS of a process with LibTorch 1.13 loaded and one small matmul done.
constexpr int64_t kCpuBaselineBytes = 157 * kMiB;
// A training process grows by ~12 MiB besides its tensors (autograd graph, OpenBLAS buffers) and
// mimalloc's segments add ~12 MiB of granularity (bench_memory, demo model).
constexpr int64_t kCpuTrainingExtraBytes = 24 * kMiB;
// A rank of a data-parallel job: the TCPStore, Gloo's pairs, their threads and buffers. Measured
// on the demo (batch 4, 6 steps): peak RSS of a rank of 2 ranks 260.3-260.5 MiB, the same run in
// one process 249.1-249.2 MiB (2026-12-05, LibTorch 1.13).
constexpr int64_t kProcessGroupBytes = 12 * kMiB;
// glibc: requests from the mmap threshold up are mmapped and unmapped when freed; smaller ones come
// from the heap. The default threshold rises with every larger mmapped block freed, up to 32 MiB.
constexpr int64_t kGlibcMaxMmapThreshold = 32 * kMiB;
// mimalloc: peak RSS above the live peak, as a share of the step's transient tensors (bench_memory).
constexpr double kMimallocSlack = 0.05;
// Heap size over the most heap-allocated tensor bytes alive at once (bench_memory calibration).
constexpr double kHeapFactor = 2.0;
constexpr int64_t kCudaContextBytes = 512 * kMiB;
constexpr int64_t kCudaBlasWorkspaceBytes = 32 * kMiB;
constexpr double kCudaAllocatorSlack = 0.10;

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
    int64_t small = 0;  // of the above, bytes in tensors below the allocator's mmap threshold
    int64_t sum() const { return activations + logits + workspace; }
};

} // namespace

const char* memoryDeviceName(MemoryDevice d) { return d == MemoryDevice::Cpu ? "cpu" : "cuda"; }


std::vector<MemoryComponent> MemoryEstimate::components() const {
    std::vector<MemoryComponent> c{{"weights", weights},         {"LoRA parameters", loraParameters}, {"gradients", gradients},
                                   {"optimizer states", optimizerStates}, {"activations", activations}, {"logits and loss", logits},
                                   {"working memory", workspace}};
    if (worldSize > 1) c.push_back({"data-parallel group", collective});  // a job's ranks only
    c.push_back({"overhead", overhead});
    return c;
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
                                    : (sdpaAvailable() ? AttentionKind::Sdpa : AttentionKind::Eager);
    m.batch = training.batchSize;
    m.rows = isPreferenceObjective(training.objective) ? 2 * m.batch : m.batch;
    m.worldSize = std::max(1, options.worldSize);
    m.globalBatch = m.batch * std::max(1, training.gradientAccumulation) * m.worldSize;
    m.sequence = project.data.maxLength;
    if (spec.family().learnedPositions && spec.maxPositions > 0) m.sequence = std::min<int64_t>(m.sequence, spec.maxPositions);
    if (options.longestExample && !project.data.packing && *options.longestExample < m.sequence) {
        m.sequence = std::max<int64_t>(1, *options.longestExample);
        m.sequenceFromData = true;
    }
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
    const std::vector<ParameterInfo> params = expectedParameters(spec);
    std::unordered_map<std::string, std::string> tiedTo;
    std::unordered_map<std::string, int64_t> sizeOf;
    for (const auto& p : params) {
        if (m.counts.extra.empty()) break;  // only needed for trainable base tensors
        if (!p.tiedTo.empty()) tiedTo[p.name] = p.tiedTo;
        sizeOf[p.name] = numel(p.shape);
    }
    std::set<std::string> trainedTensors;  // distinct tensors trained in place
    for (const auto& e : m.counts.extra) {
        const std::string module = parentOf(e.name);
        if (e.reason == "modules_to_save") sites.fullModules.insert(module);
        else sites.biasModules.insert(module);
        auto tied = tiedTo.find(e.name);
        const std::string tensor = tied == tiedTo.end() ? e.name : tied->second;
        trainedTensors.insert(tensor);
        const std::string leaf = module.substr(module.rfind('.') + 1);
        const std::string tensorModule = parentOf(tensor);
        const std::string tensorLeaf = tensorModule.substr(tensorModule.rfind('.') + 1);
        for (const auto& embedding : spec.family().embeddingModules)
            if (leaf == embedding || tensorLeaf == embedding) sites.embeddingsTrainable = true;
    }

    // Persistent state.
    int64_t trainableBase = 0, largestTrainable = 0;
    for (const auto& t : trainedTensors) {
        trainableBase += sizeOf[t];
        largestTrainable = std::max(largestTrainable, sizeOf[t] * wb);
    }
    for (const auto& c : m.counts.modules)
        largestTrainable = std::max(largestTrainable, lb * c.r * std::max(c.inFeatures, c.outFeatures));
    // QLoRA: quantized modules store their codes and scales instead of the dense weight.
    std::unordered_map<std::string, int64_t> quantizedBytes;  // weight name -> bytes stored
    int64_t largestDequant = 0;                                // transient bytes of one dequantization
    std::set<std::string> quantizedWeights;
    for (const auto& name : quantizedModuleNames(linearModuleShapes(spec), project.lora))
        quantizedWeights.insert(name + ".weight");
    // A base folder bitsandbytes stored quantized: with QLoRA every module it covers stays as stored
    // (its own format), whatever the targets; without QLoRA everything is dequantized (dense).
    const StoredQuantization& stored = spec.storedQuantization;
    std::set<std::string> storedWeights;
    LoraSettings storedAs = project.lora;
    if (stored.any() && project.lora.quantization != BaseQuantization::None) {
        storedAs.quantization = stored.format == "int8" ? BaseQuantization::Int8 : BaseQuantization::Nf4;
        storedAs.doubleQuant = stored.doubleQuant;
        for (const auto& shape : linearModuleShapes(spec))
            if (!shape.conv1d && !shape.tied && stored.covers(shape.name)) storedWeights.insert(shape.name + ".weight");
    }
    for (const auto& p : params) {
        const bool isStored = storedWeights.count(p.name) > 0;
        if (isStored || quantizedWeights.count(p.name)) {
            const LoraSettings& how = isStored ? storedAs : project.lora;
            const int64_t n = numel(p.shape);
            quantizedBytes[p.name] = quantizedWeightBytes(how, n, spec.family().fanInFanOut ? p.shape.back() : p.shape.front());
            // bitsandbytes' double quantization keeps its 256-entry code map per weight.
            if (isStored && how.quantization == BaseQuantization::Nf4 && how.doubleQuant) quantizedBytes[p.name] += 256 * 4;
            // nf4: byte indices as int64 (4n), the code values and their scaled copy (4n each);
            // int8: the values as fp32 and the scaled copy. Plus the dense copy in the compute dtype.
            const int64_t work = (how.quantization == BaseQuantization::Nf4 ? 12 : 8) * n + (wb == 4 ? 0 : wb * n);
            largestDequant = std::max(largestDequant, work);
        }
    }
    int64_t doraKept = 0, doraWork = 0;  // DoRA: z [B*T, out] kept per module; W + s·B·A temporaries
    if (project.lora.useDora)
        for (const auto& c : m.counts.modules) {
            doraKept += m.rows * m.sequence * c.outFeatures * lb;
            doraWork = std::max(doraWork, 3 * c.inFeatures * c.outFeatures * lb);
        }
    m.weights = m.counts.baseParameters * wb;
    for (const auto& p : params) {
        auto q = quantizedBytes.find(p.name);
        if (q != quantizedBytes.end()) m.weights += q->second - numel(p.shape) * wb;
    }
    m.loraParameters = m.counts.loraParameters * lb;
    m.gradients = m.loraParameters + trainableBase * wb;
    m.optimizerStates = 2 * m.gradients;

    // Per module: weights, LoRA, training state. A module's parameters are adjacent, and LoRA
    // targets come in the same (registration) order.
    std::size_t lora = 0;
    for (const auto& p : params) {
        const std::string_view module = std::string_view(p.name).substr(0, p.name.rfind('.'));
        if (m.modules.empty() || m.modules.back().name != module) {
            m.modules.push_back({std::string(module), 0, 0, 0});
            while (lora < m.counts.modules.size() && m.counts.modules[lora].name == module) {
                m.modules.back().loraBytes += m.counts.modules[lora].loraParameters * lb;
                m.modules.back().trainingStateBytes += 3 * m.counts.modules[lora].loraParameters * lb;
                ++lora;
            }
        }
        ModuleMemory& mm = m.modules.back();
        auto q = quantizedBytes.find(p.name);
        if (p.tiedTo.empty()) mm.weightBytes += q != quantizedBytes.end() ? q->second : numel(p.shape) * wb;
        if (!trainedTensors.empty() && trainedTensors.count(p.name)) mm.trainingStateBytes += 3 * numel(p.shape) * wb;
    }

    // Activations: the largest phase of the step.
    ActivationSetup setup;
    setup.batch = m.rows;
    setup.sequence = m.sequence;
    setup.computeBytes = wb;
    setup.loraBytes = lb;
    setup.loraDropout = project.lora.loraDropout;
    setup.attention = m.attention;
    setup.meanKeepsInput = TORCH_VERSION_MAJOR < 2;  // what this build's autograd saves
    setup.cudaChunks = cuda;
    ActivationPlan plan = planActivations(spec, setup, sites);
    m.checkpointKeptPerLayer = plan.layerInputBytes;

    // glibc serves requests below its mmap threshold from the heap, which keeps what is freed.
    const CpuAllocator allocator =
        options.cpuAllocator ? *options.cpuAllocator : (mimallocInUse() ? CpuAllocator::Mimalloc : CpuAllocator::Glibc);
    const bool glibc = !cuda && allocator == CpuAllocator::Glibc;
    const int64_t threshold = glibc ? kGlibcMaxMmapThreshold : 0;
    auto small = [&](const std::vector<SavedTensor>& t) { return totalBytes(t, threshold); };
    auto smallOne = [&](int64_t bytes) { return bytes < threshold ? bytes : 0; };
    auto smallIf = [&](const std::vector<SavedTensor>& t, bool mlpHalf) {
        int64_t n = 0;
        for (const auto& x : t)
            if (x.mlpHalf == mlpHalf) n += smallOne(x.bytes);
        return n;
    };
    const int64_t head = totalBytes(plan.head), headSmall = small(plan.head);
    const int64_t lossFwd = totalBytes(plan.lossForward), lossBwd = totalBytes(plan.lossBackward);
    const int64_t logits = plan.logits.bytes;
    std::vector<Phase> phases;
    if (!training.gradientCheckpointing) {
        int64_t kept = 0, keptSmall = 0;
        for (const auto& l : plan.layers) {
            const int64_t mlpHalf = l.mlpHalfBytes, mlpHalfSmall = smallIf(l.saved, true);
            if (l.savedBytes == 0) {
                phases.push_back({"forward", kept, 0, totalBytes(l.noGradWork), keptSmall + small(l.noGradWork)});
                continue;
            }
            // attention while the MLP half is not kept yet, then the MLP
            phases.push_back({"forward", kept + l.savedBytes - mlpHalf, 0, totalBytes(l.forwardAttentionWork),
                              keptSmall + small(l.saved) - mlpHalfSmall + small(l.forwardAttentionWork)});
            kept += l.savedBytes;
            keptSmall += small(l.saved);
            phases.push_back({"forward", kept, 0, totalBytes(l.forwardMlpWork), keptSmall + small(l.forwardMlpWork)});
            // backward: the MLP with everything kept, then attention once the MLP half is freed
            phases.push_back({"layer backward", kept, logits, totalBytes(l.backwardMlpWork),
                              keptSmall + smallOne(logits) + small(l.backwardMlpWork)});
            phases.push_back({"layer backward", kept - mlpHalf, logits, totalBytes(l.backwardAttentionWork),
                              keptSmall - mlpHalfSmall + smallOne(logits) + small(l.backwardAttentionWork)});
        }
        phases.push_back({"loss forward", kept + head, lossFwd, 0, keptSmall + headSmall + small(plan.lossForward)});
        phases.push_back({"loss backward", kept + head, lossBwd, 0, keptSmall + headSmall + small(plan.lossBackward)});
    } else {
        const int64_t in = plan.layerInputBytes, inSmall = smallOne(in);
        const int64_t count = static_cast<int64_t>(plan.layers.size());
        for (int64_t i = 0; i < count; ++i) {
            const auto& l = plan.layers[static_cast<std::size_t>(i)];
            phases.push_back({"forward", i * in, 0, totalBytes(l.noGradWork), i * inSmall + small(l.noGradWork)});
            if (l.savedBytes == 0) continue;
            const int64_t base = (i + 1) * in, baseSmall = (i + 1) * inSmall;
            phases.push_back({"recompute", base + l.savedBytes, logits, totalBytes(l.backwardMlpWork),
                              baseSmall + small(l.saved) + smallOne(logits) + small(l.backwardMlpWork)});
            phases.push_back({"recompute", base + l.savedBytes - l.mlpHalfBytes, logits,
                              totalBytes(l.backwardAttentionWork),
                              baseSmall + small(l.saved) - smallIf(l.saved, true) + smallOne(logits) +
                                  small(l.backwardAttentionWork)});
        }
        phases.push_back({"loss forward", count * in + head, lossFwd, 0,
                          count * inSmall + headSmall + small(plan.lossForward)});
        phases.push_back({"loss backward", count * in + head, lossBwd, 0,
                          count * inSmall + headSmall + small(plan.lossBackward)});
    }
    phases.push_back({"optimizer step", 0, 0, 2 * largestTrainable, 2 * smallOne(largestTrainable)});
    // Data parallel: while the buckets' all-reduces run, Gloo's ring keeps receive buffers as large
    // as the buckets, and the summed gradients are copied out of them (core/dist/gradient_sync.cpp).
    if (m.worldSize > 1) phases.push_back({"gradient all-reduce", 0, 0, 2 * 4 * (m.counts.loraParameters + trainableBase), 0});
    Phase peak = phases.front();
    int64_t maxSmall = 0, maxLarge = 0;
    for (const auto& p : phases) {
        if (p.sum() > peak.sum()) peak = p;
        maxSmall = std::max(maxSmall, p.small);
        maxLarge = std::max(maxLarge, p.sum() - p.small);
    }
    m.layers = std::move(plan.layers);
    m.peakPhase = peak.name;
    m.activations = peak.activations;
    m.logits = peak.logits;
    m.workspace = peak.workspace + std::max(largestDequant, doraWork);
    m.activations += training.gradientCheckpointing && !plan.layers.empty()
                         ? doraKept / static_cast<int64_t>(plan.layers.size())
                         : doraKept;

    if (cuda) {
        m.overhead = kCudaContextBytes + kCudaBlasWorkspaceBytes +
                     static_cast<int64_t>(kCudaAllocatorSlack * static_cast<double>(peak.sum()));
    } else {
        // glibc: the heap grows to about kHeapFactor times the most it ever held and keeps it;
        // mmapped tensors come and go. Peak RSS above the persistent state = heap + the largest
        // mmapped set. mimalloc: the live peak and a small slack.
        const int64_t rss = glibc ? static_cast<int64_t>(kHeapFactor * static_cast<double>(maxSmall)) + maxLarge
                                  : static_cast<int64_t>((1.0 + kMimallocSlack) * static_cast<double>(peak.sum()));
        const int64_t baseline = options.processBaselineBytes ? *options.processBaselineBytes : kCpuBaselineBytes;
        m.overhead = baseline + kCpuTrainingExtraBytes + std::max<int64_t>(0, rss - peak.sum());
    }
    // The process group, and the fp32 gradient buckets, alive for the whole run.
    if (m.worldSize > 1) m.collective = kProcessGroupBytes + 4 * (m.counts.loraParameters + trainableBase);
    m.total = m.weights + m.loraParameters + m.gradients + m.optimizerStates + m.activations + m.logits +
              m.workspace + m.collective + m.overhead;
    return m;
}

int64_t quantizedWeightBytes(const LoraSettings& lora, int64_t numel, int64_t rows) {
    if (lora.quantization == BaseQuantization::Int8) return numel + 4 * rows;  // int8 values, fp32 row scales
    const int64_t blocks = (numel + 63) / 64;
    const int64_t scales = lora.doubleQuant ? blocks + 4 * ((blocks + 255) / 256) + 4 : 4 * blocks;
    return (numel + 1) / 2 + scales;
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

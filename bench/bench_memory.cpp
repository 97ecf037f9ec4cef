// Calibration bench for core/estimate's memory model (figures only, not a test): for several model
// shapes and settings, runs real LoRA training steps on CPU (core/lora adapters, next-token loss,
// backward, AdamW on the trainable tensors), each in a fresh child process, and prints
// the estimate beside the measured peak RSS (VmHWM) and the relative error.
// Usage: bench_memory [--quick] [--trace] [--only N]   (--trace: live tensor bytes per phase too)
// The children allocate with this build's allocator (mimalloc where it is linked, as in the apps);
// the loss is the trainer's chunked one. Remaining error: table in docs/memory-estimate.md.
#include "model/causal_lm.h"
#include "model/basic_layers.h"
#include "model/gpt2.h"
#include "model/linear_layer.h"
#include "model/llama.h"
#include "model/loader.h"
#include "model/loss.h"
#include "runtime/process_setup.h"
#include "train/chunked_loss.h"
#include "model/model_spec.h"
#include "model/rope.h"
#include "io/safetensors.h"
#include "estimate/memory_estimate.h"
#include "estimate/parameter_count.h"
#include "lora/lora_model.h"
#include "project/project_config.h"

#include <ATen/ATen.h>
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/optim/adamw.h>
#include <torch/version.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

using namespace lorastudio;

// ---- A CPU allocator that counts live tensor bytes (delegates to the default one) -------------
class CountingAllocator final : public c10::Allocator {
public:
    explicit CountingAllocator(c10::Allocator* base) : m_base(base) { s_self = this; }
    // LibTorch 1.x declares `allocate(size_t) const`, 2.3+ `allocate(size_t)`: both are defined, the
    // one matching the base overrides it (no `override`, so that either version compiles).
    c10::DataPtr allocate(size_t n) const { return countedAllocate(n); }
    c10::DataPtr allocate(size_t n) { return countedAllocate(n); }
    c10::DataPtr countedAllocate(size_t n) const {
        void* p = m_base->raw_allocate(n);
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_sizes[p] = n;
        }
        const int64_t live = m_live.fetch_add(static_cast<int64_t>(n)) + static_cast<int64_t>(n);
        int64_t peak = m_peak.load();
        while (live > peak && !m_peak.compare_exchange_weak(peak, live)) {}
        return {p, p, &CountingAllocator::release, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DeleterFnPtr raw_deleter() const override { return &CountingAllocator::release; }
    // PyTorch >= 2.3 declares this pure virtual; older versions simply have an extra method.
    void copy_data(void* dest, const void* src, std::size_t count) const { std::memcpy(dest, src, count); }

    int64_t live() const { return m_live.load(); }
    int64_t peak() const { return m_peak.load(); }
    void resetPeak() { m_peak.store(m_live.load()); }

private:
    static void release(void* p) {
        size_t n = 0;
        {
            std::lock_guard<std::mutex> lock(s_self->m_mutex);
            auto it = s_self->m_sizes.find(p);
            if (it != s_self->m_sizes.end()) {
                n = it->second;
                s_self->m_sizes.erase(it);
            }
        }
        s_self->m_live.fetch_sub(static_cast<int64_t>(n));
        s_self->m_base->raw_deleter()(p);
    }
    c10::Allocator* m_base;
    mutable std::mutex m_mutex;
    mutable std::unordered_map<void*, size_t> m_sizes;
    mutable std::atomic<int64_t> m_live{0};
    mutable std::atomic<int64_t> m_peak{0};
    static CountingAllocator* s_self;
};
CountingAllocator* CountingAllocator::s_self = nullptr;

// ---- /proc/self/status --------------------------------------------------------------------------
int64_t statusBytes(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const size_t n = std::strlen(key);
    while (std::getline(in, line))
        if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':')
            return std::atoll(line.c_str() + n + 1) * 1024;
    return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0). Returns false where that is not allowed.
bool resetPeakRss() {
    std::ofstream out("/proc/self/clear_refs");
    if (!out) return false;
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

double mib(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// ---- Configurations ------------------------------------------------------------------------------
struct ModelShape {
    std::string name;
    std::string configJson;  // config.json text; empty: the demo model folder
};

std::string gpt2Config(int vocab, int C, int layers, int heads, int positions) {
    std::ostringstream s;
    s << R"({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "activation_function": "gelu_new",)"
      << " \"vocab_size\": " << vocab << ", \"n_embd\": " << C << ", \"n_layer\": " << layers
      << ", \"n_head\": " << heads << ", \"n_positions\": " << positions
      << R"(, "layer_norm_epsilon": 1e-05, "tie_word_embeddings": true})";
    return s.str();
}

std::string llamaConfig(int vocab, int C, int layers, int heads, int kvHeads, int inter, bool tied) {
    std::ostringstream s;
    s << R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",)"
      << " \"vocab_size\": " << vocab << ", \"hidden_size\": " << C << ", \"num_hidden_layers\": " << layers
      << ", \"num_attention_heads\": " << heads << ", \"num_key_value_heads\": " << kvHeads
      << ", \"intermediate_size\": " << inter << ", \"max_position_embeddings\": 2048"
      << ", \"rms_norm_eps\": 1e-06, \"tie_word_embeddings\": " << (tied ? "true" : "false") << "}";
    return s.str();
}

const std::vector<ModelShape>& modelShapes() {
    static const std::vector<ModelShape> shapes = {
        {"demo", ""},
        {"gpt2-25m", gpt2Config(8192, 512, 6, 8, 1024)},
        {"llama-25m", llamaConfig(8000, 512, 6, 8, 8, 1376, false)},
        {"gpt2-100m", gpt2Config(16000, 768, 12, 12, 1024)},
        {"llama-100m", llamaConfig(16000, 768, 12, 12, 4, 2048, false)},
    };
    return shapes;
}

struct BenchConfig {
    std::string model;
    int batch = 4;
    int seq = 128;
    int r = 8;
    double dropout = 0.05;
    std::vector<std::string> targets;  // empty: q/v (Llama) or c_attn (GPT-2)
    bool checkpointing = false;
    bool bf16 = false;
};

std::vector<BenchConfig> benchConfigs(bool quick) {
    std::vector<BenchConfig> c;
    c.push_back({"demo", 4, 128, 8, 0.05, {}, false, false});
    c.push_back({"gpt2-25m", 4, 256, 8, 0.05, {}, false, false});
    c.push_back({"gpt2-25m", 8, 256, 8, 0.05, {}, true, false});
    c.push_back({"llama-25m", 4, 256, 8, 0.0, {}, false, false});
    c.push_back({"llama-25m", 2, 512, 16, 0.05, {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}, false, false});
    if (quick) return c;
    c.push_back({"llama-25m", 8, 256, 8, 0.05, {}, true, false});
    c.push_back({"gpt2-100m", 4, 256, 8, 0.05, {}, false, false});
    c.push_back({"gpt2-100m", 8, 512, 8, 0.05, {}, true, false});
    c.push_back({"llama-100m", 4, 256, 8, 0.05, {}, false, false});
    c.push_back({"llama-100m", 2, 512, 32, 0.1, {"q_proj", "v_proj", "up_proj", "down_proj"}, false, false});
    c.push_back({"llama-100m", 8, 256, 8, 0.05, {}, true, false});
    c.push_back({"llama-25m", 4, 256, 8, 0.05, {}, false, true});
    c.push_back({"llama-25m", 1, 2048, 8, 0.05, {}, false, false});  // attention backward is the peak
    c.push_back({"gpt2-25m", 2, 1024, 8, 0.0, {"c_attn", "c_proj", "c_fc"}, true, false});
    return c;
}

std::string describe(const BenchConfig& c) {
    std::ostringstream s;
    s << c.model << " B" << c.batch << " T" << c.seq << " r" << c.r << " p" << c.dropout;
    if (!c.targets.empty()) s << " t" << c.targets.size();
    if (c.checkpointing) s << " ckpt";
    if (c.bf16) s << " bf16";
    return s.str();
}

// ---- Model folders -------------------------------------------------------------------------------
std::string demoModelFolder() { return std::string(LORASTUDIO_SOURCE_DIR) + "/resources/demo/model"; }

void writeRandomModel(const std::string& folder, const std::string& configJson) {
    std::ofstream(folder + "/config.json") << configJson;
    ModelSpec spec = parseModelConfig(folder + "/config.json");
    auto model = createCausalLM(spec, at::TensorOptions().dtype(at::kFloat));
    initRandom(*model, 1234);
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& p : expectedParameters(spec)) {
        if (!p.tiedTo.empty()) continue;
        tensors.emplace_back(p.name, model->named_parameters()[p.name]);
    }
    writeSafetensors(folder + "/model.safetensors", tensors);
}

// ---- Training step, plain and with per-layer gradient checkpointing -----------------------------
template <typename T> std::shared_ptr<T> findModule(torch::nn::Module& root, const std::string& name) {
    for (const auto& item : root.named_modules("", false))
        if (item.key() == name) return std::dynamic_pointer_cast<T>(item.value());
    return nullptr;
}

// The layer-by-layer walks below call GPT-2's and the Llama family's layer classes directly; other
// families (Gemma's scaled embedding and per-layer RoPE, Phi-3's fused projections, StableLM's
// LayerNorm) are measured by the plain step only.
void requireLayerWalk(const ModelSpec& spec, const char* what) {
    if (spec.architecture == Architecture::Gpt2 || spec.family().create == &createLlama) return;
    throw std::runtime_error(std::string(what) + " walks GPT-2 and Llama-family layers only, not " +
                             architectureName(spec.architecture) + ": run it without checkpointing / trace");
}

// Recomputes each decoder layer during backward, as transformers' gradient checkpointing does: the
// forward keeps only every layer's input; backward re-runs one layer with grad, then backprops it.
at::Tensor checkpointedStep(CausalLM& model, const at::Tensor& ids, CountingAllocator* counter,
                            const std::function<void(const std::string&)>& mark) {
    const ModelSpec& spec = model.spec();
    requireLayerWalk(spec, "the checkpointed step");
    const int64_t B = ids.size(0), T = ids.size(1);
    ForwardContext ctx;
    ctx.positionIds = at::arange(T, at::kLong).unsqueeze(0).expand({B, T});
    ctx.mask = buildAttentionMask({}, B, T, T, spec.slidingWindow, at::kCPU);
    ctx.backend = AttentionBackend::Eager;
    std::vector<std::shared_ptr<torch::nn::Module>> layers;
    const std::string prefix = spec.family().layerPrefix;
    for (int64_t l = 0; l < spec.numLayers; ++l) layers.push_back(findModule<torch::nn::Module>(model, prefix + std::to_string(l)));
    auto runLayer = [&](size_t l, const at::Tensor& x) {
        if (spec.architecture == Architecture::Gpt2) return std::dynamic_pointer_cast<Gpt2Block>(layers[l])->forward(x, ctx);
        return std::dynamic_pointer_cast<LlamaDecoderLayer>(layers[l])->forward(x, ctx);
    };
    at::Tensor h;
    if (spec.architecture == Architecture::Gpt2) {
        h = findModule<EmbeddingLayer>(model, "transformer.wte")->forward(ids) +
            findModule<EmbeddingLayer>(model, "transformer.wpe")->forward(ctx.positionIds);
    } else {
        h = findModule<EmbeddingLayer>(model, "model.embed_tokens")->forward(ids);
        RotaryEmbedding rope(spec);
        std::tie(ctx.cos, ctx.sin) = rope.cosSin(ctx.positionIds, h.scalar_type());
    }
    std::vector<at::Tensor> inputs;
    {
        torch::NoGradGuard noGrad;
        for (size_t l = 0; l < layers.size(); ++l) {
            inputs.push_back(h);
            h = runLayer(l, h);
        }
    }
    auto last = h.detach().requires_grad_(true);
    at::Tensor normed = (spec.architecture == Architecture::Gpt2) ? findModule<LayerNormLayer>(model, "transformer.ln_f")->forward(last)
                                      : findModule<RMSNormLayer>(model, "model.norm")->forward(last);
    mark("ckpt forward");
    auto loss = chunkedNextTokenLoss(normed, *findModule<LinearLayer>(model, "lm_head"), ids);
    mark("ckpt loss");
    loss.backward();
    mark("ckpt loss backward");
    at::Tensor grad = last.grad();
    last = at::Tensor();
    normed = at::Tensor();
    // The loss keeps nothing past its backward; the recomputation follows.
    for (size_t l = layers.size(); l-- > 0;) {
        auto x = inputs[l].detach().requires_grad_(l > 0);
        inputs[l] = at::Tensor();
        const int64_t before = counter ? counter->live() : 0;
        auto y = runLayer(l, x);
        const int64_t kept = counter ? counter->live() - before : 0;
        if (counter) counter->resetPeak();
        const int64_t live = counter ? counter->live() : 0;
        y.backward(grad);
        if (counter && l + 1 == layers.size())
            std::printf("RECOMPUTE layer %zu kept=%lld backward transient=%lld\n", l, static_cast<long long>(kept),
                        static_cast<long long>(counter->peak() - live));
        grad = l > 0 ? x.grad() : at::Tensor();
    }
    mark("ckpt recompute");
    return loss.detach();
}

// Live tensor bytes kept after each layer's forward (with grad), for comparing with the estimate's
// per-layer activations.
void traceLayers(CausalLM& model, const at::Tensor& ids, CountingAllocator& counter) {
    const ModelSpec& spec = model.spec();
    requireLayerWalk(spec, "the layer trace");
    const int64_t B = ids.size(0), T = ids.size(1);
    ForwardContext ctx;
    ctx.positionIds = at::arange(T, at::kLong).unsqueeze(0).expand({B, T});
    ctx.mask = buildAttentionMask({}, B, T, T, spec.slidingWindow, at::kCPU);
    ctx.backend = AttentionBackend::Eager;
    const std::string prefix = spec.family().layerPrefix;
    at::Tensor h;
    if (spec.architecture == Architecture::Gpt2) {
        h = findModule<EmbeddingLayer>(model, "transformer.wte")->forward(ids) +
            findModule<EmbeddingLayer>(model, "transformer.wpe")->forward(ctx.positionIds);
    } else {
        h = findModule<EmbeddingLayer>(model, "model.embed_tokens")->forward(ids);
        RotaryEmbedding rope(spec);
        std::tie(ctx.cos, ctx.sin) = rope.cosSin(ctx.positionIds, h.scalar_type());
    }
    for (int64_t l = 0; l < spec.numLayers; ++l) {
        const int64_t before = counter.live();
        counter.resetPeak();
        auto block = findModule<torch::nn::Module>(model, prefix + std::to_string(l));
        h = (spec.architecture == Architecture::Gpt2) ? std::dynamic_pointer_cast<Gpt2Block>(block)->forward(h, ctx)
                          : std::dynamic_pointer_cast<LlamaDecoderLayer>(block)->forward(h, ctx);
        std::printf("LAYER %lld kept=%lld transient=%lld\n", static_cast<long long>(l),
                    static_cast<long long>(counter.live() - before),
                    static_cast<long long>(counter.peak() - counter.live()));
    }
}

// The project a configuration stands for (what the estimate reads).
ProjectConfig projectFor(const BenchConfig& c, const ModelSpec& spec) {
    ProjectConfig p = defaultProject();
    std::vector<std::string> targets = c.targets;
    if (targets.empty()) targets = spec.family().peftDefaultTargets;
    p.lora.targetModules = ModuleSelection::list(targets);
    p.lora.r = c.r;
    p.lora.loraAlpha = 2 * c.r;
    p.lora.loraDropout = c.dropout;
    p.data.maxLength = c.seq;
    p.training.batchSize = c.batch;
    p.training.precision = c.bf16 ? Precision::Bf16 : Precision::Fp32;
    p.training.gradientCheckpointing = c.checkpointing;
    p.training.device = "cpu";
    return p;
}

// ---- Child: one configuration --------------------------------------------------------------------
int runChild(const BenchConfig& cfg, const std::string& folder, bool trace) {
    static CountingAllocator counter(c10::GetCPUAllocator());
    c10::SetAllocator(c10::DeviceType::CPU, &counter, 100);
    {  // load the BLAS and thread pools: part of the baseline
        auto a = at::randn({256, 256});
        auto b = at::mm(a, a).sum().item<float>();
        (void)b;
    }
    const int64_t baselineRss = statusBytes("VmRSS");
    const at::ScalarType dtype = cfg.bf16 ? at::kBFloat16 : at::kFloat;
    LoadedModel loaded = loadCausalLM(folder, dtype);
    CausalLM& model = *loaded.model;
    model.setAttentionBackend(AttentionBackend::Eager);
    // LoRA as the trainer attaches it: core/lora, fp32 A/B whatever the base dtype.
    LoraAttachOptions loraOptions;
    loraOptions.dtype = at::kFloat;
    auto lora = LoraModel::attach(loaded.model, projectFor(cfg, model.spec()).lora, loraOptions);
    model.train();  // the loader returns the model in eval mode; LoRA dropout runs only in training
    std::vector<at::Tensor> trainable;
    for (const auto& named : lora->trainableParameters()) trainable.push_back(named.second);
    torch::optim::AdamW optimizer(trainable, torch::optim::AdamWOptions(1e-4).weight_decay(0.0));
    const bool resetOk = resetPeakRss();
    const int64_t startRss = statusBytes("VmRSS");
    const int64_t startTensors = counter.live();
    auto ids = at::randint(0, model.spec().vocabSize, {cfg.batch, cfg.seq}, at::kLong);
    counter.resetPeak();
    std::map<std::string, int64_t> phasePeak;
    auto mark = [&](const std::string& phase) {
        phasePeak[phase] = std::max(phasePeak[phase], counter.peak());
        counter.resetPeak();
    };
    const auto t0 = std::chrono::steady_clock::now();
    const int steps = 3;
    for (int step = 0; step < steps; ++step) {
        if (cfg.checkpointing) {
            checkpointedStep(model, ids, trace ? &counter : nullptr, mark);
        } else {
            auto hidden = model.forwardHidden(ids);
            mark("forward");
            auto loss = chunkedNextTokenLoss(hidden, model.outputHead(), ids);
            mark("loss");
            loss.backward();
            mark("backward");
        }
        optimizer.step();
        optimizer.zero_grad();
        mark("optimizer");
        if (trace)
            std::printf("STEP %d rss=%.1f hwm=%.1f live=%.1f MiB\n", step, mib(statusBytes("VmRSS")),
                        mib(statusBytes("VmHWM")), mib(counter.live()));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    int64_t tensorPeak = 0;
    for (const auto& kv : phasePeak) tensorPeak = std::max(tensorPeak, kv.second);
    const int64_t hwm = statusBytes("VmHWM");
    if (trace) traceLayers(model, ids, counter);  // after the measurement: it keeps every layer
    std::printf("RESULT baseline=%lld start=%lld hwm=%lld tensors_start=%lld tensors_peak=%lld reset=%d seconds=%.2f\n",
                static_cast<long long>(baselineRss), static_cast<long long>(startRss),
                static_cast<long long>(hwm), static_cast<long long>(startTensors),
                static_cast<long long>(tensorPeak), resetOk ? 1 : 0, seconds / steps);
    if (trace)
        for (const auto& kv : phasePeak)
            std::printf("PHASE %s %.1f MiB above the start\n", kv.first.c_str(), mib(kv.second - startTensors));
    return 0;
}

// ---- Parent: every configuration in a fresh process ----------------------------------------------
struct ChildResult {
    std::map<std::string, double> values;
    std::vector<std::string> lines;
};

ChildResult runInChild(const std::string& exe, int index, const std::string& folder, bool trace) {
    std::string cmd = "'" + exe + "' --child " + std::to_string(index) + " '" + folder + "'" + (trace ? " --trace" : "");
    ChildResult r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char line[4096];
    while (std::fgets(line, sizeof line, p)) {
        std::string s(line);
        if (s.rfind("RESULT ", 0) != 0) {
            r.lines.push_back(s.substr(0, s.size() - 1));
            continue;
        }
        std::istringstream in(s.substr(7));
        std::string kv;
        while (in >> kv) {
            auto eq = kv.find('=');
            if (eq != std::string::npos) r.values[kv.substr(0, eq)] = std::atof(kv.c_str() + eq + 1);
        }
    }
    pclose(p);
    return r;
}

// How long one estimate takes (the GUI re-estimates on every settings change).
void timeEstimate() {
    const ModelSpec spec = parseModelConfig(std::string(LORASTUDIO_SOURCE_DIR) + "/tests/fixtures/configs/llama-2-7b-hf.json");
    ProjectConfig p = defaultProject();  // all-linear, r 8, batch 8, max_length 1024
    p.lora.rankPattern = {{"q_proj", 16}};
    p.training.device = "cpu";
    const int runs = 200;
    int64_t sink = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) sink += estimateMemory(spec, p).total;
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / runs;
    std::printf("estimateMemory, Llama-2-7B, all-linear (224 modules), rank_pattern: %.0f us per call (%lld)\n\n", us,
                static_cast<long long>(sink % 7));
}

int runAll(const std::vector<BenchConfig>& configs, const std::string& exe, bool trace, int only) {
    timeEstimate();
    char tmpl[] = "/tmp/bench_memory_XXXXXX";
    const std::string root = mkdtemp(tmpl);
    std::map<std::string, std::string> folders;
    for (const auto& shape : modelShapes()) {
        if (shape.configJson.empty()) {
            folders[shape.name] = demoModelFolder();
            continue;
        }
        const std::string folder = root + "/" + shape.name;
        std::system(("mkdir -p '" + folder + "'").c_str());
        writeRandomModel(folder, shape.configJson);
        folders[shape.name] = folder;
    }
    std::printf("Peak RSS of 3 LoRA steps on CPU (LibTorch %s, eager attention, AdamW), MiB.\n", TORCH_VERSION);
    std::printf("allocator: %s\n\n", allocatorName().c_str());
    std::printf("%-36s %8s | %8s %8s %7s | %6s\n", "config", "params", "est", "measured", "error", "s/step");
    double worst = 0;
    for (size_t i = 0; i < configs.size(); ++i) {
        if (only >= 0 && static_cast<int>(i) != only) continue;
        const BenchConfig& c = configs[i];
        const ModelSpec spec = parseModelConfig(folders.at(c.model) + "/config.json");
        const ProjectConfig project = projectFor(c, spec);
        std::printf("%-36s %7.1fM |", describe(c).c_str(), static_cast<double>(parameterCount(spec)) / 1e6);
        double seconds = 0;
        {
            MemoryOptions opts;
            opts.device = MemoryDevice::Cpu;
            opts.attention = AttentionKind::Eager;
            const MemoryEstimate est = estimateMemory(spec, project, opts);
            ChildResult r = runInChild(exe, static_cast<int>(i), folders.at(c.model), trace);
            if (r.values.empty()) {
                std::printf(" %26s |", "failed");
                continue;
            }
            const double measured = r.values["hwm"];
            const double error = (static_cast<double>(est.total) - measured) / measured;
            worst = std::max(worst, std::fabs(error));
            seconds = r.values["seconds"];
            std::printf(" %8.1f %8.1f %+6.1f%% |", mib(est.total), mib(static_cast<int64_t>(measured)), 100 * error);
            if (trace) {
                std::printf("\n");
                for (const auto& l : r.lines) std::printf("    %s\n", l.c_str());
                const double tensors = r.values["tensors_peak"] - r.values["tensors_start"];
                const double estTensors = static_cast<double>(est.activations + est.logits + est.workspace);
                std::printf("    tensors above the start: estimate %.1f MiB (%s: kept %.1f, logits %.1f, work %.1f), "
                            "counted %.1f MiB (%+.1f%%)\n",
                            mib(static_cast<int64_t>(estTensors)), est.peakPhase.c_str(), mib(est.activations),
                            mib(est.logits), mib(est.workspace), mib(static_cast<int64_t>(tensors)),
                            100 * (estTensors - tensors) / tensors);
                for (const auto& l : est.layers)
                    std::printf("    est LAYER %lld kept=%lld\n", static_cast<long long>(l.layer),
                                static_cast<long long>(l.savedBytes));
            }
        }
        std::printf(" %6.2f\n", seconds);
        std::fflush(stdout);
    }
    std::printf("\nlargest |error|: %.1f%%\n", 100 * worst);
    std::system(("rm -rf '" + root + "'").c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false, trace = false;
    int child = -1, only = -1;
    std::string childDir;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick")) quick = true;
        else if (!std::strcmp(argv[i], "--trace")) trace = true;
        else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) only = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--child") && i + 2 < argc) {
            child = std::atoi(argv[++i]);
            childDir = argv[++i];
        }
    }
    try {
        const std::vector<BenchConfig> configs = benchConfigs(quick && child < 0);
        if (child >= 0) return runChild(benchConfigs(false).at(static_cast<size_t>(child)), childDir, trace);
        char exe[4096];
        const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) return 1;
        exe[n] = 0;
        return runAll(configs, exe, trace, only);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_memory: %s\n", e.what());
        return 1;
    }
}

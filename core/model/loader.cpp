// Checkpoint -> CausalLM parameters, with one Error listing everything that does not fit.
#include "model/loader.h"

#include "common/error.h"
#include "common/string_ends.h"
#include "io/safetensors.h"
#include "model/bnb_weights.h"

#include <torch/csrc/autograd/grad_mode.h>
#include <torch/version.h>

#include <filesystem>
#include <map>
#include <set>

namespace lorastudio {

namespace fs = std::filesystem;

namespace {

// Tensors some checkpoints carry that are not parameters (transformers ignores them too).
bool ignorableLeftover(const ModelSpec& spec, const std::string& name) {
    for (const auto& suffix : spec.family().ignoredTensorSuffixes)
        if (endsWith(name, suffix)) return true;
    return false;
}

std::string listSome(const std::vector<std::string>& items, std::size_t limit = 12) {
    std::string s;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) s += (i ? ", " : "") + items[i];
    if (items.size() > limit) s += ", ... (" + std::to_string(items.size() - limit) + " more)";
    return s;
}

std::string checkpointWhere(const std::string& folder) {
    for (const char* name : {"model.safetensors", "model.safetensors.index.json"}) {
        fs::path p = fs::path(folder) / name;
        if (fs::exists(p)) return p.string();
    }
    return folder;
}

} // namespace

at::ScalarType parseComputeDtype(const std::string& name) {
    if (name == "float32" || name == "fp32" || name == "f32") return at::kFloat;
    if (name == "bfloat16" || name == "bf16") return at::kBFloat16;
    if (name == "float16" || name == "fp16" || name == "half" || name == "f16") return at::kHalf;
    throw Error("dtype", "unsupported compute dtype '" + name + "'", "use float32, bfloat16 or float16");
}

void loadWeights(CausalLM& model, const Checkpoint& checkpoint, const std::string& where,
                 const LoadQuantization* quantization) {
    const ModelSpec& spec = model.spec();
    // GPT-2 as published ("wte.weight", "h.0....") maps onto our canonical "transformer." names: a
    // checkpoint without the prefix on the first parameter but with the rest of its name.
    const std::string prefix = spec.family().omittedCheckpointPrefix;
    const std::string first = expectedParameters(spec).front().name;
    const bool stripPrefix = !prefix.empty() && !checkpoint.contains(first) && first.compare(0, prefix.size(), prefix) == 0 &&
                             checkpoint.contains(first.substr(prefix.size()));
    auto fileName = [&](const std::string& canonical) {
        if (stripPrefix && canonical.compare(0, prefix.size(), prefix) == 0) return canonical.substr(prefix.size());
        return canonical;
    };

    auto params = model.named_parameters();
    std::vector<std::string> missing, misshapen, unexpected;
    std::set<std::string> used;                             // checkpoint names consumed
    std::vector<std::pair<at::Tensor, std::string>> plan;  // parameter <- checkpoint name
    std::vector<std::pair<at::Tensor, std::string>> stored; // parameter <- weight bitsandbytes stored quantized
    const std::vector<ParameterInfo> expected = expectedParameters(spec);

    // Tied parameters (lm_head.weight) come from their partner; a checkpoint holding only the tied
    // copy still provides the shared matrix.
    std::set<std::string> providedByTie;
    for (const ParameterInfo& info : expected) {
        if (info.tiedTo.empty()) continue;
        const std::string source = fileName(info.name);
        if (!checkpoint.contains(source)) continue;
        used.insert(source);
        if (!checkpoint.contains(fileName(info.tiedTo))) providedByTie.insert(info.tiedTo);
    }

    for (const ParameterInfo& info : expected) {
        at::Tensor* param = params.find(info.name);
        if (!param) throw Error(where, "internal: model has no parameter '" + info.name + "'");
        std::string source = fileName(info.name);
        if (!info.tiedTo.empty()) continue;
        if (providedByTie.count(info.name)) {
            for (const ParameterInfo& tied : expected)
                if (tied.tiedTo == info.name) source = fileName(tied.name);
        }
        const TensorInfo* t = checkpoint.find(source);
        if (!t) {
            missing.push_back(source + " " + shapeString(info.shape));
            continue;
        }
        used.insert(source);
        if (info.shape.size() == 2 && bnbStorage(checkpoint, source, where) != BnbStorage::None) {
            for (const std::string& name : bnbCompanions(checkpoint, source)) used.insert(name);
            stored.emplace_back(*param, source);  // its shape is checked as it is read
            continue;
        }
        if (t->shape != info.shape) {
            misshapen.push_back(source + " (expected " + shapeString(info.shape) + ", found " + shapeString(t->shape) +
                                ")");
            continue;
        }
        if (t->dtype != DType::F32 && t->dtype != DType::F16 && t->dtype != DType::BF16 && t->dtype != DType::F64) {
            misshapen.push_back(source + " (expected a floating-point tensor, found " + dtypeName(t->dtype) + ")");
            continue;
        }
        plan.emplace_back(*param, source);
    }
    for (const std::string& name : checkpoint.names())
        if (!used.count(name) && !ignorableLeftover(spec, name)) unexpected.push_back(name);

    if (!missing.empty() || !misshapen.empty() || !unexpected.empty()) {
        std::string what;
        auto part = [&what](const char* label, const std::vector<std::string>& items) {
            if (items.empty()) return;
            if (!what.empty()) what += "; ";
            what += std::string(label) + ": " + listSome(items);
        };
        part("missing tensors", missing);
        part("misshapen tensors", misshapen);
        part("unexpected tensors", unexpected);
        throw Error(where, what,
                    "is this checkpoint for a different architecture/size? config says " +
                        std::string(architectureName(spec.architecture)) + ", " + std::to_string(spec.numLayers) +
                        " layers, hidden " + std::to_string(spec.hiddenSize));
    }

    std::map<const void*, std::shared_ptr<LinearLayer>> toQuantize, layerOf;  // weight -> its layer
    for (const auto& m : linearModules(model)) {
        layerOf.emplace(m.layer->weight().unsafeGetTensorImpl(), m.layer);
        if (!quantization || !quantization->modules.count(m.name)) continue;
        if (m.tied) throw Error(where, "'" + m.name + "' shares its weight with the embedding and cannot be quantized");
        toQuantize.emplace(m.layer->weight().unsafeGetTensorImpl(), m.layer);
    }
    torch::NoGradGuard noGrad;
    // Weights bitsandbytes stored quantized: kept as stored when the model is loaded for QLoRA (every
    // such module, adapted or not: the values are the same either way), else dequantized into the
    // dense parameter (merge, export, plain LoRA).
    for (auto& [param, source] : stored) {
        auto layer = layerOf.find(param.unsafeGetTensorImpl());
        // transformers stores a Conv1D's quantized weight as [out, in]; the layer holds [in, out].
        if (layer == layerOf.end() || layer->second->fanInFanOut())
            throw Error(where, "'" + source + "' is stored quantized by bitsandbytes in a layer LoRA Studio reads only dense (GPT-2's Conv1D)",
                        "use the model's 16-bit checkpoint");
        auto codes = readBnbWeight(checkpoint, source, param.sizes().vec(), param.device(), where);
        if (quantization) layer->second->setQuantizedWeight(std::move(codes));
        else param.copy_(codes->dequantize(param.scalar_type()));
        checkpoint.releasePages(source);
    }
    for (auto& [param, source] : plan) {
        param.copy_(checkpoint.tensor(source));
        checkpoint.releasePages(source);
        auto it = toQuantize.find(param.unsafeGetTensorImpl());
        if (it == toQuantize.end()) continue;
        it->second->weight().requires_grad_(false);
        it->second->quantizeWeight(quantization->format, quantization->doubleQuant);
    }
}

LoadedModel loadCausalLM(const std::string& folder, at::ScalarType dtype, const at::Device& device,
                         const LoadQuantization* quantization) {
    if (dtype != at::kFloat && dtype != at::kBFloat16 && dtype != at::kHalf)
        throw Error(folder, "unsupported compute dtype", "use float32, bfloat16 or float16");
#if TORCH_VERSION_MAJOR < 2
    // LibTorch 1.x has no CPU kernels for half-precision matmul, layer norm or softmax.
    if (dtype == at::kHalf && device.is_cpu())
        throw Error(folder, "float16 computation on the CPU needs LibTorch 2.x (this build has " TORCH_VERSION ")",
                    "load in bfloat16 or float32 on the CPU, or use a GPU");
#endif
    if (!fs::is_directory(folder)) throw Error(folder, "not a folder", "give the model folder holding config.json");
    LoadedModel out;
    out.spec = parseModelConfig((fs::path(folder) / "config.json").string());
    Checkpoint checkpoint = Checkpoint::open(folder);
    out.model = createCausalLM(out.spec, at::TensorOptions().dtype(dtype).device(device));
    loadWeights(*out.model, checkpoint, checkpointWhere(folder), quantization);
    out.model->eval();
    return out;
}

} // namespace lorastudio

// GGUF export of models and adapters. See gguf_export.h.
#include "export/gguf_export.h"

#include "common/error.h"
#include "export/gguf_arch.h"
#include "export/gguf_vocab.h"
#include "io/gguf_quant.h"
#include "lora/export_folder.h"
#include "lora/merged_export.h"
#include "model/linear_layer.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace lorastudio {
namespace {

using gguf::TensorType;
using gguf::Value;

// Rows of a [heads·headDim, ...] tensor from transformers' rotate-half order (within a head: the
// first half, then the second) to llama.cpp's adjacent pairs: new row 2i+j = old row j·headDim/2 + i.
at::Tensor permuteRows(const at::Tensor& t, int64_t heads) {
    const int64_t rows = t.size(0);
    std::vector<int64_t> shape{heads, 2, rows / heads / 2};
    for (int64_t d = 1; d < t.dim(); ++d) shape.push_back(t.size(d));
    return t.reshape(shape).transpose(1, 2).reshape(t.sizes()).contiguous();
}

std::vector<uint64_t> ggmlDims(const at::Tensor& t) {
    std::vector<uint64_t> ne;
    for (int64_t d = t.dim(); d-- > 0;) ne.push_back(static_cast<uint64_t>(t.size(d)));
    return ne;
}

// The tensor as float32 in memory order, encoded as `type`. Blocks are independent: runs of them are
// encoded on the intra-op threads, each into its place in `out` (the encoders search, so this counts).
gguf::TensorData encoded(at::Tensor t, TensorType type) {
    return [t = std::move(t), type](std::string& out) {
        const at::Tensor f = t.to(at::kFloat).contiguous();
        const float* values = f.data_ptr<float>();
        const int64_t per = static_cast<int64_t>(gguf::blockValues(type)), blocks = f.numel() / per;
        const std::size_t size = gguf::blockBytes(type), start = out.size();
        out.resize(start + static_cast<std::size_t>(blocks) * size);
        at::parallel_for(0, blocks, std::max<int64_t>(1, 16384 / per), [&](int64_t first, int64_t last) {
            std::string part;
            gguf::encode(type, values + first * per, static_cast<std::size_t>((last - first) * per), part);
            std::memcpy(&out[start + static_cast<std::size_t>(first) * size], part.data(), part.size());
        });
    };
}

void prepareTarget(const std::string& outPath, uint64_t bytes, bool overwrite, const std::string& what) {
    const fs::path p = fs::absolute(outPath);
    if (fs::is_directory(p)) throw Error("GGUF export", p.string() + " is a folder", "give a file name ending in .gguf");
    if (fs::exists(p) && !overwrite) throw Error("GGUF export", p.string() + " exists", "choose another name or pass --overwrite");
    if (!p.parent_path().empty()) fs::create_directories(p.parent_path());
    requireFreeSpace(p.parent_path().string(), bytes, what);
}

GgufExportResult finish(const gguf::Writer& w, const std::string& outPath, const std::chrono::steady_clock::time_point t0) {
    GgufExportResult r;
    r.path = fs::absolute(outPath).string();
    w.write(r.path);
    r.bytes = fs::file_size(r.path);
    for (const auto& t : w.tensors()) ++r.typeCounts[gguf::tensorTypeName(t.type)];
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

// The weights of GPT-2's Conv1D layers, which keep [in, out]: the model's own record of them.
std::set<std::string> conv1dWeights(CausalLM& model) {
    std::set<std::string> names;
    for (const auto& m : linearModules(model))
        if (m.conv1d) names.insert(m.name + ".weight");
    return names;
}

} // namespace

std::string folderName(const std::string& folder) {
    const fs::path p = fs::absolute(folder).lexically_normal();
    const std::string n = (p.has_filename() ? p.filename() : p.parent_path().filename()).string();
    return n.empty() ? std::string("model") : n;
}

GgufExportResult exportGgufModel(CausalLM& model, const std::string& baseFolder, const std::string& outPath,
                                 const GgufExportOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    const ModelSpec& spec = model.spec();
    std::vector<std::string> warnings;
    checkGgufSupport(spec, warnings);
    torch::NoGradGuard noGrad;

    gguf::Writer w;
    writeHyperParameters(spec, w);
    w.set("general.name", Value::string(options.name.empty() ? folderName(baseFolder) : options.name));
    w.set("general.file_type", Value::u32(llamaFileType(options.type)));
    if (isQuantized(options.type)) w.set("general.quantization_version", Value::u32(2));
    writeGgufVocabulary(baseFolder, spec, w, warnings);

    for (const auto& extra : ggufExtraTensors(spec))
        w.addTensor(extra.name, {extra.values.size()}, TensorType::F32, [values = extra.values](std::string& out) {
            gguf::encode(TensorType::F32, values.data(), values.size(), out);
        });
    const std::set<std::string> conv1d = conv1dWeights(model);
    const bool tiedOutput = ggufWritesTiedOutput(spec);
    std::map<std::pair<TensorType, TensorType>, int> fallbacks;  // (wanted, written) -> matrices
    auto add = [&](const std::string& name, const std::string& hfName, const at::Tensor& t) {
        TensorType type = TensorType::F32, wanted = TensorType::F32;
        const bool tiedHead = spec.tieWordEmbeddings && !tiedOutput;
        if (t.dim() >= 2) type = matrixType(options.type, {name, static_cast<uint64_t>(t.size(-1)), spec.numLayers, tiedHead}, &wanted);
        if (type != wanted) ++fallbacks[{wanted, type}];
        const auto heads = qkPermuteHeads(spec, hfName);
        const GgufValueChange change = ggufValueChange(spec, hfName);
        // Changed and permuted when written, one tensor at a time: no second copy of the weights in memory.
        w.addTensor(name, ggmlDims(t), type, [t, type, heads, change](std::string& out) {
            at::Tensor v = change.none() ? t : (t.to(at::kFloat) + change.add) * change.scale;
            encoded(heads ? permuteRows(v, *heads) : v, type)(out);
        });
    };
    for (auto& [hfName, tensor] : hfStateDict(model, model.dtype())) {
        const auto name = ggufTensorName(spec, hfName);
        if (!name) throw Error("GGUF export", "tensor '" + hfName + "' has no GGUF name for " + ggufArchitecture(spec), "this is a bug");
        at::Tensor t = tensor;
        if (conv1d.count(hfName)) t = t.t();  // Conv1D keeps [in, out]; GGUF wants [out, in]
        add(*name, hfName, t);
        if (tiedOutput && *name == "token_embd.weight") add("output.weight", "lm_head.weight", t);
    }
    for (const auto& [change, n] : fallbacks)
        warnings.push_back(std::to_string(n) + (n == 1 ? " matrix" : " matrices") + " written as " + gguf::tensorTypeName(change.second) +
                           ", not " + gguf::tensorTypeName(change.first) + ": their rows are not a multiple of " +
                           std::to_string(gguf::blockValues(change.first)) + " values (" + gguf::tensorTypeName(change.first) + "'s block)");
    prepareTarget(outPath, w.fileSize(), options.overwrite, "GGUF model");
    GgufExportResult r = finish(w, outPath, t0);
    r.warnings = std::move(warnings);
    return r;
}

GgufExportResult exportGgufAdapter(const LoraModel& lora, const std::string& outPath, const GgufExportOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    const LoraSettings& s = lora.settings();
    const std::string where = "GGUF adapter export";
    const std::string mergedHint = "export the merged model as GGUF instead: it carries the whole update";
    if (s.useDora) throw Error(where, "DoRA adapters have no GGUF LoRA form in llama.cpp (its magnitude vector has no tensor there)", mergedHint);
    if (s.bias != LoraBias::None) throw Error(where, "this adapter trains biases (bias: all / lora_only), which a GGUF LoRA cannot carry", mergedHint);
    if (!s.modulesToSave.empty()) throw Error(where, "this adapter trains whole modules (modules_to_save), which a GGUF LoRA cannot carry", mergedHint);
    const auto tensorType = adapterTensorType(options.type);
    if (!tensorType)
        throw Error(where, std::string("adapters are written as f32, f16 or bf16, not ") + ggufFileTypeName(options.type), "pick one of those types");
    const ModelSpec& spec = lora.modelPtr()->spec();
    std::vector<std::string> warnings;
    checkGgufSupport(spec, warnings);
    torch::NoGradGuard noGrad;

    // llama.cpp scales each module by alpha / (its rank); one alpha for the file.
    const double fileAlpha = s.loraAlpha;
    gguf::Writer w;
    w.set("general.architecture", Value::string(ggufArchitecture(spec)));
    w.set("general.type", Value::string("adapter"));
    w.set("general.name", Value::string(options.name.empty() ? std::string("adapter") : options.name));
    w.set("adapter.type", Value::string("lora"));
    w.set("adapter.lora.alpha", Value::f32(static_cast<float>(fileAlpha)));
    for (const auto& layer : lora.layers()) {
        const std::string weight = layer->name() + ".weight";
        const auto name = ggufTensorName(spec, weight);
        if (!name) throw Error(where, "module '" + layer->name() + "' has no GGUF tensor", "adapt only the layers' linear modules");
        if (*name == "output.weight" && spec.tieWordEmbeddings)
            throw Error(where, "the output head is tied to the embedding, so the base GGUF has no output.weight for this adapter's '" +
                                   layer->name() + "'", mergedHint);
        at::Tensor a = layer->moduleA()->weight().detach();  // [r, in]
        at::Tensor b = layer->moduleB()->weight().detach();  // [out, r]
        const double fold = layer->scaling() * layer->r() / fileAlpha;
        if (std::abs(fold - 1.0) > 1e-12) b = b.to(at::kDouble).mul(fold).to(at::kFloat);
        const GgufValueChange change = ggufValueChange(spec, weight);  // a linear weight's: a scale only
        if (change.scale != 1) b = b.to(at::kFloat) * change.scale;
        if (const auto heads = qkPermuteHeads(spec, weight)) b = permuteRows(b, *heads);
        w.addTensor(*name + ".lora_a", ggmlDims(a), *tensorType, encoded(a, *tensorType));
        w.addTensor(*name + ".lora_b", ggmlDims(b), *tensorType, encoded(b, *tensorType));
    }
    prepareTarget(outPath, w.fileSize(), options.overwrite, "GGUF adapter");
    GgufExportResult r = finish(w, outPath, t0);
    r.warnings = std::move(warnings);
    return r;
}

} // namespace lorastudio

// Merged-model export. See merged_export.h.
#include "lora/merged_export.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/safetensors.h"
#include "lora/export_folder.h"
#include "model/bnb_weights.h"
#include "model/model_spec.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

// Copied beside the weights when the base folder has them.
const char* const kCopiedFiles[] = {"generation_config.json", "tokenizer.json", "tokenizer_config.json",
                                    "special_tokens_map.json", "vocab.json", "merges.txt",
                                    "tokenizer.model", "added_tokens.json"};

at::ScalarType baseDtype(const std::string& baseFolder, CausalLM& model) {
    try {
        const Checkpoint ckpt = Checkpoint::open(baseFolder);
        // A weight bitsandbytes stored is uint8 / int8; its fp32 scales and code maps say nothing either.
        std::set<std::string> bnbScales;
        for (const auto& name : ckpt.names())
            for (const auto& companion : bnbCompanions(ckpt, name)) bnbScales.insert(companion);
        for (const auto& name : ckpt.names()) {
            if (bnbScales.count(name)) continue;
            const auto t = toScalarType(ckpt.find(name)->dtype);
            if (at::isFloatingType(t)) return t;
        }
    } catch (const Error&) {
        // No readable weights there: fall back to config.json's torch_dtype, then the model's.
    }
    const std::string& declared = model.spec().torchDtype;
    if (declared == "bfloat16") return at::kBFloat16;
    if (declared == "float16") return at::kHalf;
    if (declared == "float32") return at::kFloat;
    return model.dtype();
}

std::string shardName(std::size_t i, std::size_t n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", i + 1, n);
    return buf;
}

at::Tensor probeLogits(CausalLM& model, const at::Tensor& ids) {
    return model.forward(ids).logits.to(at::kDouble);
}

} // namespace

std::vector<std::pair<std::string, at::Tensor>> hfStateDict(CausalLM& model, at::ScalarType dtype) {
    std::map<std::string, at::Tensor> params;
    for (auto& item : model.named_parameters(true)) params.emplace(item.key(), item.value());
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (const auto& p : expectedParameters(model.spec())) {
        if (!p.tiedTo.empty()) continue; // transformers omits tied heads from the file
        auto it = params.find(p.name);
        if (it == params.end())
            throw Error("merged export", "the model has no parameter '" + p.name + "'",
                        "the model does not match its config (this is a bug)");
        at::Tensor t = it->second.detach();
        out.emplace_back(p.name, t.scalar_type() == dtype ? t : t.to(dtype));
    }
    return out;
}

std::vector<std::vector<std::size_t>> planShards(const std::vector<uint64_t>& tensorBytes, uint64_t maxShardBytes) {
    std::vector<std::vector<std::size_t>> shards(1);
    uint64_t current = 0;
    for (std::size_t i = 0; i < tensorBytes.size(); ++i) {
        if (current + tensorBytes[i] > maxShardBytes && !shards.back().empty()) {
            shards.emplace_back();
            current = 0;
        }
        shards.back().push_back(i);
        current += tensorBytes[i];
    }
    return shards;
}

MergedExportResult exportMergedModel(LoraModel& lora, const std::string& baseFolder, const std::string& outFolder,
                                     const MergedExportOptions& options) {
    const fs::path base(baseFolder);
    if (!fs::exists(base / "config.json"))
        throw Error((base / "config.json").string(), "no such file", "the merged model needs the base model's config.json");
    if (!lora.enabled()) throw Error("merged export", "the adapters are disabled", "enable them first");
    CausalLM& model = lora.model();
    MergedExportResult result;
    result.dtype = options.dtype.value_or(baseDtype(baseFolder, model));

    // Tensor list and sizes first: the space check must come before anything is written.
    uint64_t tensorBytes = 0;
    std::vector<uint64_t> sizes;
    for (const auto& p : expectedParameters(model.spec())) {
        if (!p.tiedTo.empty()) continue;
        int64_t n = 1;
        for (auto d : p.shape) n *= d;
        sizes.push_back(uint64_t(n) * c10::elementSize(result.dtype));
        tensorBytes += sizes.back();
    }
    uint64_t copiedBytes = fs::file_size(base / "config.json");
    for (const char* f : kCopiedFiles)
        if (fs::exists(base / f)) copiedBytes += fs::file_size(base / f);
    StagingFolder staging(outFolder, tensorBytes + copiedBytes, options.overwrite, "merged model");

    // Probe: adapted logits, then merged ones, on the same batch in eval mode.
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    const bool wasMerged = lora.merged();
    model.eval();
    at::Tensor ids = options.probeIds;
    if (!ids.defined()) {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(1234);
        ids = at::randint(model.spec().vocabSize, {2, 16}, gen, at::dtype(at::kLong));
    }
    ids = ids.to(model.device(), at::kLong);
    try {
        if (wasMerged) lora.unmerge();
        const at::Tensor adapted = probeLogits(model, ids);
        lora.merge();
        const at::Tensor merged = probeLogits(model, ids);
        result.maxAbsLogitDiff = (adapted - merged).abs().max().item<double>();

        auto tensors = hfStateDict(model, result.dtype);
        const auto shards = planShards(sizes, options.maxShardBytes);
        result.shards = int(shards.size());
        nlohmann::json weightMap = nlohmann::json::object();
        for (std::size_t s = 0; s < shards.size(); ++s) {
            const std::string file = shards.size() == 1 ? "model.safetensors" : shardName(s, shards.size());
            std::vector<std::pair<std::string, at::Tensor>> part;
            for (auto i : shards[s]) {
                part.push_back(tensors[i]);
                weightMap[tensors[i].first] = file;
            }
            writeSafetensors((fs::path(staging.path()) / file).string(), part, {{"format", "pt"}});
            result.files.push_back(file);
        }
        tensors.clear();
        if (shards.size() > 1) {
            nlohmann::json index = {{"metadata", {{"total_size", tensorBytes}}}, {"weight_map", weightMap}};
            writeFileAtomic((fs::path(staging.path()) / "model.safetensors.index.json").string(),
                            index.dump(2) + "\n");
            result.files.push_back("model.safetensors.index.json");
        }
        if (!wasMerged) lora.unmerge();
    } catch (...) {
        if (lora.merged() != wasMerged) wasMerged ? lora.merge() : lora.unmerge();
        model.train(wasTraining);
        throw;
    }
    model.train(wasTraining);

    auto copy = [&](const char* f) {
        std::error_code ec;
        fs::copy_file(base / f, fs::path(staging.path()) / f, ec);
        if (ec) throw Error((base / f).string(), "cannot copy into the export: " + ec.message());
        result.files.push_back(f);
    };
    // A base that bitsandbytes stored quantized: the merged weights are dense, so its
    // quantization_config must not follow them (transformers would expect quantized tensors).
    result.baseQuantization = model.spec().storedQuantization.describe();
    if (result.baseQuantization.empty()) {
        copy("config.json");
    } else {
        std::ifstream in(base / "config.json");
        nlohmann::json config = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (config.is_discarded()) throw Error((base / "config.json").string(), "is not valid JSON");
        config.erase("quantization_config");
        const char* dtypeName = result.dtype == at::kBFloat16 ? "bfloat16" : result.dtype == at::kHalf ? "float16" : "float32";
        config[config.contains("dtype") && !config.contains("torch_dtype") ? "dtype" : "torch_dtype"] = dtypeName;
        writeFileAtomic((fs::path(staging.path()) / "config.json").string(), config.dump(2) + "\n");
        result.files.push_back("config.json");
    }
    for (const char* f : kCopiedFiles)
        if (fs::exists(base / f)) copy(f);
    std::sort(result.files.begin(), result.files.end());
    result.tensorBytes = tensorBytes;
    staging.commit();
    result.folder = fs::absolute(fs::path(outFolder)).lexically_normal().string();
    return result;
}

} // namespace lorastudio

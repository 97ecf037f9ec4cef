// `lorastudio-cli inspect MODEL_DIR|FILE.gguf [--json]`: for a folder, architecture, dtypes, parameter count and the tree
// of every Linear module with its shape, from config.json and the checkpoint headers alone (the
// modules are built on the meta device, so no weights are read or allocated).
#include "cli_commands.h"
#include "cli_format.h"
#include "common/python_format.h"
#include "io/folder_safety.h"
#include "io/safetensors.h"
#include "model/bnb_weights.h"
#include "model/causal_lm.h"
#include "model/linear_layer.h"
#include "model/model_spec.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

namespace lorastudio::cli {
namespace {

struct Options {
    std::string modelDir;
    bool json = false;
};

// "transformer.h.0.attn.c_attn" -> {"transformer", "h.0", "attn", "c_attn"}: an index joins its list.
std::vector<std::string> treePath(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string::npos) dot = name.size();
        std::string part = name.substr(start, dot - start);
        const bool isIndex = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
        if (isIndex && !parts.empty())
            parts.back() += "." + part;
        else
            parts.push_back(part);
        start = dot + 1;
    }
    return parts;
}

void printTree(const std::vector<LinearModuleInfo>& linears) {
    std::vector<std::string> previous;
    for (const auto& m : linears) {
        const auto path = treePath(m.name);
        std::size_t common = 0;
        while (common + 1 < path.size() && common < previous.size() && path[common] == previous[common]) ++common;
        for (std::size_t d = common; d + 1 < path.size(); ++d)
            std::cout << std::string(2 * d, ' ') << path[d] << "\n";
        std::string label = std::string(2 * (path.size() - 1), ' ') + path.back();
        std::cout << padRight(label, 34) << (m.conv1d ? "Conv1D " : "Linear ") << padLeft(std::to_string(m.inFeatures), 6)
                  << " -> " << padRight(std::to_string(m.outFeatures), 6) << (m.bias ? " +bias" : "")
                  << (m.tied ? " (tied to the embeddings)" : "") << "\n";
        previous = path;
    }
}

void run(const Options& o) {
    namespace fs = std::filesystem;
    // A .gguf name goes to the GGUF reader, whose message for a missing file names a file, not a folder.
    if (fs::is_regular_file(o.modelDir) || fs::path(o.modelDir).extension() == ".gguf") return inspectGguf(o.modelDir, o.json);
    // What the folder holds that is never run or opened (auto_map code, pickles, outside links): on stderr,
    // so that --json stays parseable.
    for (const std::string& w : folderSafetyWarnings(o.modelDir)) std::cerr << "warning: " << w << "\n";
    const ModelSpec spec = parseModelConfig((fs::path(o.modelDir) / "config.json").string());
    const Checkpoint ckpt = Checkpoint::open(o.modelDir);
    std::map<std::string, int64_t> dtypeCounts;
    for (const auto& name : ckpt.names()) dtypeCounts[dtypeName(ckpt.find(name)->dtype)]++;

    auto model = createCausalLM(spec, at::TensorOptions().dtype(at::kFloat).device(at::kMeta));
    const auto linears = linearModules(*model);
    const int64_t params = parameterCount(spec);
    // Linear weights bitsandbytes stored quantized (a "-bnb-4bit" / "-8bit" folder).
    int storedQuantized = 0;
    for (const auto& m : linears)
        if (bnbStorage(ckpt, m.name + ".weight", o.modelDir) != BnbStorage::None) ++storedQuantized;
    const std::string bnb = spec.storedQuantization.describe();

    if (o.json) {
        nlohmann::json j;
        j["architecture"] = architectureName(spec.architecture);
        j["model_type"] = spec.modelType;
        j["torch_dtype"] = spec.torchDtype;
        j["checkpoint_dtypes"] = dtypeCounts;
        j["checkpoint_bytes"] = ckpt.totalBytes();
        j["parameters"] = params;
        j["layers"] = spec.numLayers;
        j["hidden_size"] = spec.hiddenSize;
        j["vocab_size"] = spec.vocabSize;
        if (storedQuantized > 0 || !bnb.empty())
            j["stored_quantized"] = {{"method", "bitsandbytes"}, {"kind", bnb}, {"linear_modules", storedQuantized}};
        for (const auto& m : linears)
            j["linear_modules"].push_back({{"name", m.name}, {"in_features", m.inFeatures},
                                           {"out_features", m.outFeatures}, {"conv1d", m.conv1d},
                                           {"bias", m.bias}, {"tied", m.tied}});
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::string dtypes;
    for (const auto& [name, count] : dtypeCounts) dtypes += (dtypes.empty() ? "" : ", ") + name + " x" + std::to_string(count);
    std::cout << "model:         " << o.modelDir << "\n"
              << "architecture:  " << architectureName(spec.architecture) << " (" << spec.modelType << ")\n"
              << "config dtype:  " << (spec.torchDtype.empty() ? "(unset)" : spec.torchDtype) << "\n"
              << "checkpoint:    " << ckpt.files().size() << " file(s), " << humanBytes(ckpt.totalBytes()) << ", tensors " << dtypes << "\n"
              << "parameters:    " << withThousandsSeparators(params) << (spec.tieWordEmbeddings ? " (tied embeddings counted once)" : "") << "\n"
              << "shape:         " << spec.numLayers << " layers, hidden " << spec.hiddenSize << ", heads " << spec.numHeads
              << " (kv " << spec.numKvHeads << "), head dim " << spec.headDim << ", intermediate " << spec.intermediateSize
              << ", vocab " << spec.vocabSize << ", context " << spec.maxPositions << "\n"
              << "linear modules (" << linears.size() << "):\n";
    if (storedQuantized > 0 || !bnb.empty())
        std::cout << "  (" << storedQuantized << " of them stored quantized by bitsandbytes"
                  << (bnb.empty() ? "" : ", " + bnb) << ": dequantized on load, or kept so with lora.quantization)\n";
    printTree(linears);
}

} // namespace

void addInspectCommand(CLI::App& app) {
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("inspect", "Show a model folder (architecture, dtype, parameters, Linear modules) or a GGUF file");
    cmd->add_option("MODEL_DIR", opts->modelDir, "Hugging Face model folder (config.json + *.safetensors), or a .gguf file")->required();
    cmd->add_flag("--json", opts->json, "Print JSON instead of text");
    cmd->callback([opts] { run(*opts); });
}

} // namespace lorastudio::cli

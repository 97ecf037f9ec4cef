// See gguf_job.h.
#include "export/gguf_job.h"

#include "common/error.h"
#include "data/chat_template.h"
#include "data/model_chat_template.h"
#include "export/gguf_arch.h"
#include "export/ollama_modelfile.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

std::string defaultBaseGgufPath(const GgufJob& job) {
    return (fs::absolute(job.out).parent_path() / (folderName(job.baseFolder) + "-" + ggufFileTypeName(job.options.type) + ".gguf")).string();
}

GgufJobResult runGgufExport(const GgufJob& job) {
    if (job.adapterOnly && job.adapter.empty())
        throw Error("GGUF export", "adapter-only export without an adapter", "name the adapter folder or checkpoint");
    // Before minutes of loading: an architecture llama.cpp's graphs do not run (the export checks
    // again and keeps the warnings), and what the file needs from the base folder.
    const fs::path config = fs::path(job.baseFolder) / "config.json";
    if (fs::exists(config)) {
        std::vector<std::string> later;
        checkGgufSupport(parseModelConfig(config.string()), later);
    }
    if ((!job.adapterOnly || job.ollama) && !fs::exists(fs::path(job.baseFolder) / "tokenizer.json"))
        throw Error("GGUF export", "no tokenizer.json in " + job.baseFolder,
                    "llama.cpp needs the vocabulary in the file; copy the base model's tokenizer.json there");
    GgufJobResult result;
    LoadedModel lm = loadCausalLM(job.baseFolder, at::kFloat);
    lm.model->eval();
    std::shared_ptr<LoraModel> lora;
    if (!job.adapter.empty()) {
        if (!fs::exists(fs::path(job.adapter) / "trainer_state.json"))
            for (const std::string& w : readAdapterConfig(job.adapter, lm.spec.architecture).warnings) result.warnings.push_back(w);
        lora = loadAdapter(lm.model, job.adapter);
    }
    if (job.adapterOnly) {
        result.file = exportGgufAdapter(*lora, job.out, job.options);
    } else {
        if (lora) lora->merge();
        result.file = exportGgufModel(*lm.model, job.baseFolder, job.out, job.options);
        if (lora) lora->unmerge();
    }
    result.warnings.insert(result.warnings.end(), result.file.warnings.begin(), result.file.warnings.end());
    if (!job.ollama) return result;

    ModelfileSpec m;
    const Tokenizer tokenizer = Tokenizer::fromFolder(job.baseFolder);
    m.chatTemplate = job.chatTemplate;
    if (m.chatTemplate == ChatTemplate::Auto || m.chatTemplate == ChatTemplate::Model) {
        // A Modelfile's TEMPLATE is Go text/template: the model's Jinja template becomes the built-in it
        // resembles, or a format written for the Modelfile that renders as it does (Gemma, Phi-3,
        // Phi-4-mini), else Alpaca, with a warning where the model has a template of its own (auto
        // trains with it) or `model` was asked for.
        const bool model = m.chatTemplate == ChatTemplate::Model;
        const auto builtin = detectChatTemplate(tokenizer.chatTemplate());
        if (!builtin && !tokenizer.chatTemplate().empty())
            m.modelFormat = detectModelChatFormat(tokenizer.chatTemplate(), templateSpecialTokens(tokenizer));
        m.chatTemplate = builtin.value_or(ChatTemplate::Alpaca);
        if (!builtin && !m.modelFormat && (model || !tokenizer.chatTemplate().empty()))
            result.warnings.push_back("the Modelfile's TEMPLATE is the built-in " + enumName(m.chatTemplate) +
                                      " template, not the model's own Jinja chat_template (hint: check it against "
                                      "the model's chat format before use)");
    }
    if (const auto eos = tokenizer.eosId()) m.eosText = tokenizer.idToToken(*eos);
    if (job.adapterOnly) {
        m.adapter = result.file.path;
        m.from = job.baseGguf;
        if (m.from.empty()) {
            if (lora) lora->detach();  // the base alone
            m.from = defaultBaseGgufPath(job);
            GgufExportOptions baseOptions = job.options;
            baseOptions.overwrite = true;
            baseOptions.name.clear();
            result.base = exportGgufModel(*lm.model, job.baseFolder, m.from, baseOptions);
        } else if (!fs::exists(m.from)) {
            throw Error("GGUF export", "base GGUF " + m.from + " does not exist", "export the base model first, or leave the base GGUF empty");
        }
    } else {
        m.from = result.file.path;
    }
    result.chatTemplate = m.chatTemplate;
    result.modelFormat = m.modelFormat;
    result.modelfile = writeOllamaModelfile(m, fs::path(result.file.path).parent_path().string());
    return result;
}

} // namespace lorastudio

// LoraModel: attaching LoRA to a CausalLM, trainability (bias modes, modules_to_save), merging,
// PEFT-named state. See lora_model.h.
#include "lora/lora_model.h"
#include "common/python_format.h"

#include "common/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_set>

namespace lorastudio {

const char* const kPeftKeyPrefix = "base_model.model.";

QuantFormat quantFormat(BaseQuantization q) { return q == BaseQuantization::Int8 ? QuantFormat::Int8 : QuantFormat::Nf4; }

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

std::shared_ptr<LoraModel> LoraModel::attach(std::shared_ptr<CausalLM> model, const LoraSettings& settings,
                                             const LoraAttachOptions& options) {
    if (!model) throw Error("LoRA attach", "no model given");
    auto modules = linearModules(*model);
    std::vector<LinearModuleShape> shapes;
    for (const auto& m : modules) {
        if (m.layer->adapter())
            throw Error("LoRA attach", "module '" + m.name + "' already has an adapter",
                        "detach the existing LoRA before attaching another");
        shapes.push_back({m.name, m.inFeatures, m.outFeatures, m.conv1d, m.tied});
    }
    auto targets = planLoraTargets(shapes, settings);

    // Everything a user can get wrong is checked before the model is touched.
    const bool pissa = options.initialize && settings.init == LoraInit::Pissa;
    if (pissa && settings.quantization != BaseQuantization::None)
        throw Error("lora.init", "PiSSA needs the full-precision base weights, but lora.quantization is " +
                                     enumName(settings.quantization),
                    "use init: default with a quantized base, or quantization: none");
    for (const auto& t : targets) {
        if (!pissa) break;
        if (std::find_if(shapes.begin(), shapes.end(), [&](const LinearModuleShape& m) {
                return m.name == t.name && m.tied;
            }) != shapes.end())
            throw Error("lora.init", "PiSSA cannot initialise '" + t.name + "': its weight is shared with the embedding",
                        "leave the tied output head out of target_modules");
        if (t.r > std::min(t.inFeatures, t.outFeatures))
            throw Error("lora.init", "PiSSA rank " + std::to_string(t.r) + " of '" + t.name + "' exceeds min(in, out) = " +
                                         std::to_string(std::min(t.inFeatures, t.outFeatures)),
                        "lower r (or its rank_pattern entry)");
    }
    std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>> saveModules;
    for (const auto& entry : settings.modulesToSave) {
        bool found = false;
        for (const auto& m : model->named_modules("", /*include_self=*/false)) {
            if (!endsWith(m.key(), entry)) continue; // PEFT: a plain suffix test
            found = true;
            saveModules.emplace_back(m.key(), m.value());
        }
        if (!found) {
            std::string hint = "top-level modules are ";
            bool first = true;
            for (const auto& m : model->named_children()) {
                hint += (first ? "" : ", ") + m.key();
                first = false;
            }
            throw Error("lora.modules_to_save", "'" + entry + "' matches no module of the model",
                        hint + "; e.g. lm_head or " + model->spec().family().embeddingModules.front());
        }
    }

    std::shared_ptr<LoraModel> lora(new LoraModel());
    lora->m_model = model;
    lora->m_settings = settings;
    lora->m_targets = targets;
    lora->m_attached = true;

    // Freeze the base (each tensor once: tied weights appear under two names).
    std::unordered_set<const void*> seen;
    for (auto& p : model->parameters()) {
        if (!seen.insert(p.unsafeGetTensorImpl()).second) continue;
        lora->m_savedRequiresGrad.emplace_back(p, p.requires_grad());
        p.requires_grad_(false);
    }

    // QLoRA: the frozen base of the adapted layers (or of every linear layer but the head).
    std::set<std::string> quantize;
    if (settings.quantization != BaseQuantization::None) {
        for (const auto& name : quantizedModuleNames(shapes, settings)) quantize.insert(name);
        for (const auto& m : modules)
            if (settings.quantizeAllLinear && quantize.count(m.name) && !m.layer->quantized() &&
                std::none_of(targets.begin(), targets.end(), [&](const LoraTarget& t) { return t.name == m.name; }))
                m.layer->quantizeWeight(quantFormat(settings.quantization), settings.doubleQuant);
    }
    try {
        auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
        const bool training = model->is_training();
        for (const auto& t : targets) {
            auto it = std::find_if(modules.begin(), modules.end(),
                                   [&](const LinearModuleInfo& m) { return m.name == t.name; });
            const auto& base = it->layer;
            const auto dtype = options.dtype.value_or(base->weight().scalar_type());
            auto layer = std::make_shared<LoraLinear>(base, t.name, t.r, t.alpha, settings.loraDropout,
                                                      settings.useRslora, dtype, makeLoraVariant(settings));
            lora->m_bases.push_back(base);
            lora->m_layers.push_back(layer);
            base->register_module("lora_A", layer->moduleA());
            base->register_module("lora_B", layer->moduleB());
            base->setAdapter(layer);
            layer->moduleA()->train(training);
            layer->moduleB()->train(training);
            if (options.initialize) {
                switch (settings.init) {
                case LoraInit::Default: layer->initDefault(generator); break;
                case LoraInit::Gaussian: layer->initGaussian(generator); break;
                case LoraInit::Pissa: layer->initPissa(settings.pissaNiter, generator); break;
                }
            }
            if (quantize.count(t.name) && !base->quantized())
                base->quantizeWeight(quantFormat(settings.quantization), settings.doubleQuant);
            layer->initVariant();
            for (const auto& extra : layer->variant().extraTensors()) {
                base->register_module(extra.moduleName, extra.module);
                extra.module->train(training);
            }
            if (base->hasBias()) lora->m_adaptedBiasNames.push_back(t.name + ".bias");
        }

        // Trainable beyond A and B: biases by mode, then modules_to_save.
        std::unordered_set<const void*> extra;
        auto makeTrainable = [&](const std::string& name, at::Tensor& p) {
            if (!extra.insert(p.unsafeGetTensorImpl()).second) return;
            p.requires_grad_(true);
            lora->m_extraTrainable.emplace_back(name, p);
        };
        if (settings.bias != LoraBias::None) {
            for (auto& item : model->named_parameters(/*recurse=*/true)) {
                const std::string& name = item.key();
                if (name.find(".lora_") != std::string::npos) continue;
                const auto& adapted = lora->m_adaptedBiasNames;
                const bool take = settings.bias == LoraBias::All
                                      ? name.find("bias") != std::string::npos
                                      : std::find(adapted.begin(), adapted.end(), name) != adapted.end();
                if (take) makeTrainable(name, item.value());
            }
        }
        for (auto& [moduleName, module] : saveModules)
            for (auto& p : module->named_parameters(true)) {
                if (p.key().rfind("lora_", 0) == 0 || p.key().find(".lora_") != std::string::npos) continue;
                makeTrainable(moduleName + "." + p.key(), p.value());
            }
    } catch (...) {
        // Leave the model as it was: PiSSA residuals get their s·B·A back, adapters go.
        if (pissa)
            for (const auto& l : lora->m_layers)
                if (l->loraB().abs().max().item<double>() > 0) l->merge();
        lora->removeAdapters();
        throw;
    }
    return lora;
}

void LoraModel::requireAttached(const char* what) const {
    if (!m_attached) throw Error("LoRA", std::string(what) + ": the adapters were already detached");
}

void LoraModel::merge() {
    requireAttached("merge");
    if (m_merged) throw Error("LoRA merge", "the adapters are already merged", "unmerge() first");
    for (const auto& l : m_layers)
        if (l->base()->quantized())
            throw Error("LoRA merge", "module '" + l->name() + "' keeps its base weight quantized (lora.quantization)",
                        "merging reads the original checkpoint: lorastudio-cli merge, or Export in the studio");
    for (const auto& l : m_layers)
        if (l->base()->tied())
            throw Error("LoRA merge", "module '" + l->name() + "' shares its weight with the embedding",
                        "merging would change the embedding too; leave the tied head out of target_modules");
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        m_layers[i]->merge();
        m_bases[i]->setAdapter(nullptr);
    }
    m_merged = true;
}

void LoraModel::unmerge() {
    requireAttached("unmerge");
    if (!m_merged) throw Error("LoRA unmerge", "the adapters are not merged", "merge() first");
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        m_layers[i]->unmerge();
        if (m_enabled) m_bases[i]->setAdapter(m_layers[i]);
    }
    m_merged = false;
}

void LoraModel::setEnabled(bool enabled) {
    requireAttached("setEnabled");
    if (m_merged) throw Error("LoRA", "cannot enable or disable merged adapters", "unmerge() first");
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        m_bases[i]->setAdapter(enabled ? std::shared_ptr<LinearAdapter>(m_layers[i]) : nullptr);
    m_enabled = enabled;
}

void LoraModel::removeAdapters() {
    for (std::size_t i = 0; i < m_bases.size(); ++i) {
        const auto& base = m_bases[i];
        base->setAdapter(nullptr);
        base->unregister_module("lora_A");
        base->unregister_module("lora_B");
        if (i < m_layers.size())
            for (const auto& extra : m_layers[i]->variant().extraTensors()) base->unregister_module(extra.moduleName);
    }
    for (auto& [tensor, requiresGrad] : m_savedRequiresGrad) tensor.requires_grad_(requiresGrad);
    m_savedRequiresGrad.clear();
    m_extraTrainable.clear();
    m_attached = false;
}

void LoraModel::detach() {
    requireAttached("detach");
    if (m_merged) unmerge();
    removeAdapters();
}

void LoraModel::mergeAndDetach() {
    requireAttached("mergeAndDetach");
    if (!m_merged) merge();
    removeAdapters();
}

std::shared_ptr<LoraLinear> LoraModel::layer(const std::string& moduleName) const {
    for (const auto& l : m_layers)
        if (l->name() == moduleName) return l;
    return nullptr;
}

NamedTensors LoraModel::trainableParameters() const {
    NamedTensors out;
    for (const auto& l : m_layers) {
        out.emplace_back(l->name() + ".lora_A.weight", l->loraA());
        out.emplace_back(l->name() + ".lora_B.weight", l->loraB());
        for (const auto& extra : l->variant().extraTensors())
            out.emplace_back(l->name() + "." + extra.moduleName + ".weight", extra.module->weight());
    }
    out.insert(out.end(), m_extraTrainable.begin(), m_extraTrainable.end());
    return out;
}

NamedTensors LoraModel::adapterStateDict() const {
    NamedTensors out;
    for (const auto& l : m_layers) {
        out.emplace_back(kPeftKeyPrefix + l->name() + ".lora_A.weight", l->loraA().detach());
        out.emplace_back(kPeftKeyPrefix + l->name() + ".lora_B.weight", l->loraB().detach());
        for (const auto& extra : l->variant().extraTensors())
            out.emplace_back(kPeftKeyPrefix + l->name() + "." + extra.adapterSuffix, extra.module->weight().detach());
    }
    for (const auto& [name, tensor] : m_extraTrainable) {
        std::string key = name;
        // PEFT's wrapper keeps the base layer as "base_layer": an adapted layer's bias is saved so.
        if (std::find(m_adaptedBiasNames.begin(), m_adaptedBiasNames.end(), name) != m_adaptedBiasNames.end())
            key = name.substr(0, name.size() - 5) + ".base_layer.bias";
        out.emplace_back(kPeftKeyPrefix + key, tensor.detach());
    }
    return out;
}

int64_t LoraModel::trainableParameterCount() const {
    int64_t n = 0;
    for (const auto& [name, t] : trainableParameters()) n += t.numel();
    return n;
}

int64_t LoraModel::allParameterCount() const {
    std::unordered_set<const void*> seen;
    int64_t n = 0;
    for (const auto& p : m_model->parameters())
        if (seen.insert(p.unsafeGetTensorImpl()).second) n += p.numel();
    // A weight kept quantized (QLoRA) leaves an empty parameter behind: count its values, as PEFT does.
    for (const auto& m : linearModules(*m_model))
        if (m.layer->quantized()) {
            int64_t values = 1;
            for (int64_t d : m.layer->quantizedWeight()->shape()) values *= d;
            n += values;
        }
    return n;
}

std::string LoraModel::trainableParametersLine() const {
    const int64_t trainable = trainableParameterCount(), all = allParameterCount();
    return "trainable params: " + withThousandsSeparators(trainable) + " || all params: " + withThousandsSeparators(all) +
           " || trainable%: " + pythonFloatText(100.0 * double(trainable) / double(all));
}

} // namespace lorastudio

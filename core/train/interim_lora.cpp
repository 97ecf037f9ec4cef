// INTERIM LoRA attach (see interim_lora.h): replaced by core/lora once it lands.
#include "train/interim_lora.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/safetensors.h"
#include "lora/target_matching.h"
#include "model/linear_layer.h"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace lorastudio {

namespace {

// x: [..., in] -> [..., out]: B(A(dropout(x))) * scaling, computed in A's dtype (fp32) as PEFT
// does (x.to(lora_A.weight.dtype)), returned in x's dtype.
class InterimLoraAdapter : public torch::nn::Module, public LinearAdapter {
public:
    InterimLoraAdapter(int64_t in, int64_t out, int r, double scaling, double dropout, const at::TensorOptions& o)
        : m_scaling(scaling), m_dropout(dropout) {
        m_A = register_parameter("A", at::zeros({r, in}, o));
        m_B = register_parameter("B", at::zeros({out, r}, o));
    }
    at::Tensor delta(const at::Tensor& x) override {
        auto h = x.scalar_type() == m_A.scalar_type() ? x : x.to(m_A.scalar_type());
        if (m_dropout > 0 && is_training()) h = at::dropout(h, m_dropout, true);
        auto y = at::linear(at::linear(h, m_A), m_B) * m_scaling;  // [..., r] -> [..., out]
        return y.scalar_type() == x.scalar_type() ? y : y.to(x.scalar_type());
    }
    at::Tensor& A() { return m_A; }
    at::Tensor& B() { return m_B; }
    double scaling() const { return m_scaling; }

private:
    at::Tensor m_A, m_B;
    double m_scaling;
    double m_dropout;
};

struct Attached {
    std::string module;
    std::shared_ptr<InterimLoraAdapter> adapter;
    LoraTarget target;
};

class InterimLoraSet : public TrainableSet {
public:
    InterimLoraSet(std::vector<Attached> attached, LoraSettings settings, std::string baseModelPath, bool gpt2)
        : m_attached(std::move(attached)), m_settings(std::move(settings)), m_base(std::move(baseModelPath)),
          m_fanInFanOut(gpt2) {}

    std::vector<TrainableParameter> parameters() const override {
        std::vector<TrainableParameter> out;
        for (const auto& a : m_attached) {
            out.push_back({"base_model.model." + a.module + ".lora_A.weight", a.adapter->A()});
            out.push_back({"base_model.model." + a.module + ".lora_B.weight", a.adapter->B()});
        }
        return out;
    }
    std::vector<LoraModuleTensors> loraModules() const override {
        std::vector<LoraModuleTensors> out;
        for (const auto& a : m_attached)
            out.push_back({a.module, a.adapter->A(), a.adapter->B(), a.adapter->scaling()});
        return out;
    }
    void saveAdapter(const std::string& folder) const override {
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const auto& p : parameters()) tensors.emplace_back(p.name, p.tensor.detach());
        writeSafetensors(folder + "/" + kAdapterWeightsFile, tensors, {{"format", "pt"}});
        writeFileAtomic(folder + "/adapter_config.json", adapterConfig().dump(2));
    }

private:
    nlohmann::json adapterConfig() const {
        nlohmann::json targets = nlohmann::json::array();
        nlohmann::json rankPattern = nlohmann::json::object(), alphaPattern = nlohmann::json::object();
        for (const auto& a : m_attached) {
            targets.push_back(a.module);
            if (a.target.r != m_settings.r) rankPattern[a.module] = a.target.r;
            if (a.target.alpha != m_settings.loraAlpha) alphaPattern[a.module] = a.target.alpha;
        }
        return {{"peft_type", "LORA"},
                {"task_type", "CAUSAL_LM"},
                {"base_model_name_or_path", m_base},
                {"r", m_settings.r},
                {"lora_alpha", m_settings.loraAlpha},
                {"lora_dropout", m_settings.loraDropout},
                {"target_modules", targets},  // full names: matched exactly by PEFT's suffix rule
                {"rank_pattern", rankPattern},
                {"alpha_pattern", alphaPattern},
                {"bias", "none"},
                {"fan_in_fan_out", m_fanInFanOut},
                {"use_rslora", m_settings.useRslora},
                {"init_lora_weights", true},
                {"modules_to_save", nullptr},
                {"layers_to_transform", nullptr},
                {"layers_pattern", nullptr},
                {"inference_mode", true},
                {"revision", nullptr}};
    }

    std::vector<Attached> m_attached;
    LoraSettings m_settings;
    std::string m_base;
    bool m_fanInFanOut;
};

} // namespace

std::shared_ptr<TrainableSet> attachInterimLora(CausalLM& model, const LoraSettings& settings,
                                                const std::string& baseModelPath) {
    if (settings.bias != LoraBias::None || !settings.modulesToSave.empty() || settings.init == LoraInit::Pissa)
        throw Error("lora", "bias, modules_to_save and PiSSA init are not supported by this build's trainer yet",
                    "use bias: none, no modules_to_save, init: default or gaussian");
    for (auto& p : model.parameters()) p.requires_grad_(false);

    auto modules = linearModules(model);
    std::vector<LinearModuleShape> shapes;
    for (const auto& m : modules) shapes.push_back({m.name, m.inFeatures, m.outFeatures, m.conv1d, m.tied});
    auto targets = planLoraTargets(shapes, settings);

    const auto options = at::TensorOptions().dtype(at::kFloat).device(model.device());
    std::vector<Attached> attached;
    bool anyConv1d = false;
    at::NoGradGuard noGrad;
    for (const auto& t : targets) {
        std::shared_ptr<LinearLayer> layer;
        for (const auto& m : modules)
            if (m.name == t.name) layer = m.layer;
        auto adapter = std::make_shared<InterimLoraAdapter>(t.inFeatures, t.outFeatures, t.r, t.scaling,
                                                            settings.loraDropout, options);
        if (settings.init == LoraInit::Gaussian)
            adapter->A().normal_(0.0, 1.0 / t.r);
        else {
            const double bound = 1.0 / std::sqrt(static_cast<double>(t.inFeatures));
            adapter->A().uniform_(-bound, bound);
        }
        layer->register_module("lora", adapter);  // train()/eval() and to() reach it through the model
        layer->setAdapter(adapter);
        anyConv1d = anyConv1d || t.conv1d;
        attached.push_back({t.name, adapter, t});
    }
    return std::make_shared<InterimLoraSet>(std::move(attached), settings, baseModelPath, anyConv1d);
}

} // namespace lorastudio

// AdamW and gradient clipping, op for op as PyTorch 1.13 computes them. See adamw.h.
#include "train/adamw.h"

#include "common/error.h"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <cmath>

namespace lorastudio {

AdamW::AdamW(std::vector<TrainableParameter> params, AdamWOptions options)
    : m_params(std::move(params)), m_options(options) {
    m_state.resize(m_params.size());
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const auto& p = m_params[i].tensor;
        m_state[i].expAvg = at::zeros_like(p, at::MemoryFormat::Preserve);
        m_state[i].expAvgSq = at::zeros_like(p, at::MemoryFormat::Preserve);
    }
}

void AdamW::setLearningRateScales(std::vector<double> scales) {
    if (!scales.empty() && scales.size() != m_params.size())
        throw Error("optimizer", std::to_string(scales.size()) + " learning-rate scales for " + std::to_string(m_params.size()) +
                                     " parameters");
    m_lrScale = std::move(scales);
}

std::vector<double> loraPlusScales(const std::vector<TrainableParameter>& params, double ratio) {
    std::vector<double> scales;
    scales.reserve(params.size());
    for (const auto& p : params)
        scales.push_back(p.name.find("lora_B") != std::string::npos || p.tensor.dim() == 1 ? ratio : 1.0);
    return scales;
}

void AdamW::step(double baseLr) {
    at::NoGradGuard noGrad;
    const double beta1 = m_options.beta1, beta2 = m_options.beta2;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const double lr = baseLr * learningRateScale(i);
        auto& param = m_params[i].tensor;
        const at::Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        State& s = m_state[i];
        s.step += 1;
        // Mirrors torch/optim/adamw.py::_single_tensor_adamw line by line; Python floats are doubles,
        // and scalars reach the kernels the same way (wrapped numbers), so results are bitwise equal.
        param.mul_(1 - lr * m_options.weightDecay);
        s.expAvg.mul_(beta1).add_(grad, 1 - beta1);
        s.expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        const double step = static_cast<double>(s.step);
        const double biasCorrection1 = 1 - std::pow(beta1, step);
        const double biasCorrection2 = 1 - std::pow(beta2, step);
        const double stepSize = lr / biasCorrection1;
        const double biasCorrection2Sqrt = std::sqrt(biasCorrection2);
        auto denom = (s.expAvgSq.sqrt() / biasCorrection2Sqrt).add_(m_options.eps);
        param.addcdiv_(s.expAvg, denom, -stepSize);
    }
}

void AdamW::zeroGrad() {
    for (auto& p : m_params) p.tensor.mutable_grad() = at::Tensor();
}

std::vector<std::pair<std::string, at::Tensor>> AdamW::stateTensors() const {
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const auto& n = m_params[i].name;
        out.emplace_back(n + ".exp_avg", m_state[i].expAvg.detach().to(at::kCPU).clone());
        out.emplace_back(n + ".exp_avg_sq", m_state[i].expAvgSq.detach().to(at::kCPU).clone());
        out.emplace_back(n + ".step", at::scalar_tensor(static_cast<double>(m_state[i].step), at::kDouble));
    }
    return out;
}

void AdamW::setState(std::size_t i, const at::Tensor& expAvg, const at::Tensor& expAvgSq, const at::Tensor& step,
                     const std::string& where) {
    const auto& p = m_params[i];
    auto check = [&](const at::Tensor& t, const char* what) {
        if (!t.defined())
            throw Error(where, std::string("optimizer state '") + p.name + "." + what + "' is missing",
                        "the checkpoint was written for another LoRA configuration");
        if (t.sizes() != p.tensor.sizes())
            throw Error(where, std::string("optimizer state '") + p.name + "." + what + "' has shape " +
                                   c10::str(t.sizes()) + ", expected " + c10::str(p.tensor.sizes()));
    };
    check(expAvg, "exp_avg");
    check(expAvgSq, "exp_avg_sq");
    if (!step.defined() || step.numel() != 1)
        throw Error(where, "optimizer state '" + p.name + ".step' is missing or not a scalar");
    at::NoGradGuard noGrad;
    m_state[i].expAvg.copy_(expAvg);
    m_state[i].expAvgSq.copy_(expAvgSq);
    m_state[i].step = static_cast<int64_t>(step.to(at::kDouble).item<double>());
}

double clipGradNorm(const std::vector<TrainableParameter>& params, double maxNorm) {
    at::NoGradGuard noGrad;
    std::vector<at::Tensor> grads, norms;
    for (const auto& p : params)
        if (p.tensor.grad().defined()) grads.push_back(p.tensor.grad());
    if (grads.empty()) return 0.0;
    for (const auto& g : grads) norms.push_back(at::norm(g, 2));
    // torch.norm(torch.stack(norms), 2)
    auto total = at::norm(at::stack(norms), 2);
    if (maxNorm > 0) {
        // Python's `max_norm / (total + 1e-6)` is Tensor.__rdiv__: reciprocal() * max_norm.
        auto coef = (total + 1e-6).reciprocal() * maxNorm;
        auto clamped = at::clamp(coef, c10::nullopt, 1.0);
        for (auto& g : grads) g.mul_(clamped);
    }
    return total.item<double>();
}

} // namespace lorastudio

// AdamW over named fp32 parameters, the exact arithmetic of torch.optim.AdamW (PyTorch 1.13,
// single-tensor path, amsgrad off): decoupled weight decay, bias corrections, eps after
// sqrt(v_hat). Its state is plain named tensors so checkpoints can save and restore it exactly.
#pragma once
#include "train/trainable_set.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

struct AdamWOptions {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = 0.0;
};

class AdamW {
public:
    AdamW(std::vector<TrainableParameter> params, AdamWOptions options);

    // One update with learning rate lr, for every parameter whose grad is defined (as torch, a
    // parameter without a grad is skipped and its step count does not advance). Per parameter p:
    //   t += 1; p *= 1 - lr*wd; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g;
    //   p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
    // A parameter's learning rate is lr x its scale (1 unless set): LoRA+ gives lora_B a larger one.
    void step(double lr);
    // One scale per parameter, in parameters() order (decay uses the scaled rate too, as torch's
    // per-group lr does). Error when the count differs.
    void setLearningRateScales(std::vector<double> scales);
    double learningRateScale(std::size_t i) const { return m_lrScale.empty() ? 1.0 : m_lrScale[i]; }
    // Grads set to undefined (set_to_none, as transformers' Trainer does).
    void zeroGrad();

    const std::vector<TrainableParameter>& parameters() const { return m_params; }
    const AdamWOptions& options() const { return m_options; }

    // "<name>.exp_avg", "<name>.exp_avg_sq" (fp32, parameter shape) and "<name>.step" (F64, []) for
    // every parameter. Tensors are copies on the CPU.
    std::vector<std::pair<std::string, at::Tensor>> stateTensors() const;
    // Restores the state written by stateTensors. `lookup(name)` returns the tensor or an
    // undefined one; `where` names the source in errors (missing or misshapen entries).
    template <typename Lookup> void loadState(const Lookup& lookup, const std::string& where);
    // Steps taken by parameter i (0 before its first update).
    int64_t stepCount(std::size_t i) const { return m_state[i].step; }
    // Parameter i's first moment, where it lives (the parameter's device); undefined before a step.
    const at::Tensor& firstMoment(std::size_t i) const { return m_state[i].expAvg; }

private:
    struct State {
        int64_t step = 0;
        at::Tensor expAvg;    // m, like the parameter
        at::Tensor expAvgSq;  // v, like the parameter
    };
    void setState(std::size_t i, const at::Tensor& expAvg, const at::Tensor& expAvgSq, const at::Tensor& step,
                  const std::string& where);

    std::vector<TrainableParameter> m_params;
    std::vector<State> m_state;
    AdamWOptions m_options;
    std::vector<double> m_lrScale;  // empty: 1 for every parameter
};

// LoRA+ (PEFT's create_loraplus_optimizer): ratio for every lora_B matrix and every 1-D parameter,
// 1 for the rest (lora_A, full 2-D modules_to_save weights).
std::vector<double> loraPlusScales(const std::vector<TrainableParameter>& params, double ratio);

// torch.nn.utils.clip_grad_norm_ (norm type 2) over the defined grads: total = ||(||g_i||_2)_i||_2,
// coef = min(maxNorm / (total + 1e-6), 1); every grad *= coef. maxNorm <= 0: only the norm.
// Returns the total norm before clipping (NaN/inf are returned as they are: the caller decides).
double clipGradNorm(const std::vector<TrainableParameter>& params, double maxNorm);

template <typename Lookup> void AdamW::loadState(const Lookup& lookup, const std::string& where) {
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const auto& n = m_params[i].name;
        setState(i, lookup(n + ".exp_avg"), lookup(n + ".exp_avg_sq"), lookup(n + ".step"), where);
    }
}

} // namespace lorastudio

// LoraLinear: the LoRA update of one frozen LinearLayer with PEFT 0.8.2's semantics. Adds
// B(A(dropout(x))) * scaling to the base output (never forming B·A while training); initialises
// A/B as PEFT does (kaiming / gaussian / PiSSA); merges into and unmerges from the base weight.
#pragma once
#include "model/linear_layer.h"
#include "project/project_config.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <memory>
#include <string>

namespace lorastudio {

// Holds one LoRA matrix as the parameter "weight", so that registered under a LinearLayer as
// "lora_A" / "lora_B" its name is PEFT's "<module>.lora_A.weight".
class LoraFactor : public torch::nn::Module {
public:
    explicit LoraFactor(const at::Tensor& weight) { m_weight = register_parameter("weight", weight); }
    at::Tensor& weight() { return m_weight; }

private:
    at::Tensor m_weight;
};

class LoraLinear : public LinearAdapter {
public:
    // A [r, in] and B [out, r] are allocated zero-filled in `dtype` on the base weight's device;
    // call one of the init functions (or load them). `name` is the module's HF name (messages).
    LoraLinear(const std::shared_ptr<LinearLayer>& base, std::string name, int r, double alpha,
               double dropout, bool useRslora, at::ScalarType dtype);

    // PEFT's init_lora_weights=True: A kaiming_uniform(a = sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)),
    // as nn.Linear's default; B = 0, so the adapted model starts equal to the base.
    void initDefault(at::Generator& generator);
    // "gaussian": A ~ N(0, 1/r), B = 0.
    void initGaussian(at::Generator& generator);
    // "pissa": from the SVD W0 = U S Vh (fp32): A = sqrt(S_r/s) Vh_r, B = U_r sqrt(S_r/s) with
    // s = scaling, and the base weight replaced by the residual W0 - s·B·A. niter > 0 uses a
    // randomized SVD with that many power iterations ("pissa_niter_N"). Not for tied weights.
    void initPissa(int niter, at::Generator& generator);

    // x: [..., in] -> [..., out], in x's dtype: B(A(dropout(x))) * scaling, computed in the LoRA
    // dtype. Dropout only while the LoRA modules are in training mode.
    at::Tensor delta(const at::Tensor& x) override;
    // y2d += scaling * (dropout(x2d) A^T) B^T with one addmm_, no [N, out] temporary: where x, y
    // and the LoRA weights share a dtype, or under CUDA autocast (which computes it in the
    // autocast dtype anyway). Else false (delta() then keeps fp32 LoRA math on a 16-bit model).
    bool addInto(const at::Tensor& x2d, at::Tensor& y2d) override;

    // s·B·A in the base weight's layout ([out, in]; Conv1D: [in, out] = (s·B·A)^T), fp32 (fp64
    // for fp64 weights). For merging and exports; never used in the forward.
    at::Tensor deltaWeight() const;
    // W += deltaWeight() / W -= deltaWeight(), in place, under no-grad. Error when already in that
    // state or for a tied weight (merging would change the embedding too).
    void merge();
    void unmerge();
    bool merged() const { return m_merged; }

    const std::string& name() const { return m_name; }
    int r() const { return m_r; }
    double alpha() const { return m_alpha; }
    double scaling() const { return m_scaling; }
    double dropout() const { return m_dropout; }
    bool training() const { return m_a->is_training(); }
    at::Tensor& loraA() { return m_a->weight(); }  // [r, in]
    at::Tensor& loraB() { return m_b->weight(); }  // [out, r]
    const std::shared_ptr<LoraFactor>& moduleA() const { return m_a; }
    const std::shared_ptr<LoraFactor>& moduleB() const { return m_b; }
    std::shared_ptr<LinearLayer> base() const;

private:
    std::weak_ptr<LinearLayer> m_base; // the model owns it (and owns this adapter through it)
    std::string m_name;
    int m_r = 0;
    double m_alpha = 0;
    double m_scaling = 0;
    double m_dropout = 0;
    bool m_conv1d = false;
    bool m_merged = false;
    std::shared_ptr<LoraFactor> m_a;
    std::shared_ptr<LoraFactor> m_b;
};

} // namespace lorastudio

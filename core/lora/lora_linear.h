// LoraLinear: the LoRA update of one frozen LinearLayer with PEFT's semantics. Holds A, B, the
// scaling and dropout, initialises A/B as PEFT does (kaiming / gaussian / PiSSA), and hands the
// forward, merge and the extra tensors to its variant (lora_variant.h: plain LoRA, DoRA), which
// uses the building blocks below (never forming B·A while training).
#pragma once
#include "lora/lora_variant.h"
#include "model/linear_layer.h"
#include "config/lora_settings.h"

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
    // The variant defaults to plain LoRA.
    LoraLinear(const std::shared_ptr<LinearLayer>& base, std::string name, int r, double alpha,
               double dropout, bool useRslora, at::ScalarType dtype,
               std::unique_ptr<LoraVariant> variant = nullptr);

    // PEFT's init_lora_weights=True: A kaiming_uniform(a = sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)),
    // as nn.Linear's default; B = 0, so the adapted model starts equal to the base.
    void initDefault(at::Generator& generator);
    // "gaussian": A ~ N(0, 1/r), B = 0.
    void initGaussian(at::Generator& generator);
    // "pissa": from the SVD W0 = U S Vh (fp32): A = sqrt(S_r/s) Vh_r, B = U_r sqrt(S_r/s) with
    // s = scaling, and the base weight replaced by the residual W0 - s·B·A. niter > 0 uses a
    // randomized SVD with that many power iterations ("pissa_niter_N"). Not for tied weights.
    void initPissa(int niter, at::Generator& generator);

    // The adapter hook: the variant's output from the input and the base result.
    at::Tensor apply(const at::Tensor& x2d, at::Tensor baseResult) override;
    // Lets the variant set up what it derives from A, B and W (DoRA: the magnitude). Called by
    // LoraModel after the init functions (and before loading saved values).
    void initVariant() { m_variant->init(*this); }

    // Building blocks for the variants.
    // dropout(x) while the LoRA modules are in training mode, else x.
    at::Tensor dropped(const at::Tensor& x) const;
    // h: [..., in] in the LoRA dtype -> B(A(h)) * scaling (no dropout).
    at::Tensor lowRank(const at::Tensor& h) const;
    // x: [..., in] -> [..., out], in x's dtype: B(A(dropout(x))) * scaling, computed in the LoRA
    // dtype.
    at::Tensor delta(const at::Tensor& x);
    // y2d += scaling * (dropout(x2d) A^T) B^T with one addmm_, no [N, out] temporary: where x, y
    // and the LoRA weights share a dtype, or under CUDA autocast (which computes it in the
    // autocast dtype anyway). Else false (delta() then keeps fp32 LoRA math on a 16-bit model).
    bool addInto(const at::Tensor& x2d, at::Tensor& y2d);

    // s·B·A in the base weight's layout ([out, in]; Conv1D: [in, out] = (s·B·A)^T), fp32 (fp64
    // for fp64 weights). Never used in the forward.
    at::Tensor lowRankDelta() const;
    // What merging adds to W, in the same layout and type: the variant's merged weight minus W
    // (plain LoRA: lowRankDelta()). For exports and checks; not while merged.
    at::Tensor deltaWeight();
    // W = the variant's merged weight / back, in place, under no-grad. Error when already in that
    // state, for a tied weight (merging would change the embedding too) or a quantized base.
    void merge();
    void unmerge();
    bool merged() const { return m_merged; }

    const std::string& name() const { return m_name; }
    int r() const { return m_r; }
    double alpha() const { return m_alpha; }
    double scaling() const { return m_scaling; }
    double dropout() const { return m_dropout; }
    bool training() const { return m_a->is_training(); }
    bool conv1d() const { return m_conv1d; }
    LoraVariant& variant() const { return *m_variant; }
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
    std::unique_ptr<LoraVariant> m_variant;
};

} // namespace lorastudio

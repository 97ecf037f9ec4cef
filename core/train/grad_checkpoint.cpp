// Gradient checkpointing as a custom autograd Function. See grad_checkpoint.h.
#include "train/grad_checkpoint.h"

#include "train/train_device.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/custom_class.h>

#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// What the backward pass needs besides the saved input: the function and the state to replay.
struct Replay : torch::CustomClassHolder {
    LayerFunction fn;
    std::vector<std::pair<std::string, at::Tensor>> rng;  // generator states before the forward
    AutocastState autocast;
};

struct CheckpointFunction : public torch::autograd::Function<CheckpointFunction> {
    // x: [B, T, C]; anchor: an empty tensor that requires grad, so that this node is recorded (and
    // its backward runs) even when x does not require grad: the LoRA parameters inside fn do.
    static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& anchor,
                              c10::intrusive_ptr<Replay> replay) {
        (void)anchor;
        replay->rng = rngStates(x.device());
        replay->autocast = currentCudaAutocast();
        ctx->save_for_backward({x});
        ctx->saved_data["replay"] = c10::IValue::make_capsule(replay);
        return replay->fn(x);  // grad mode is off here: no graph, no saved activations
    }

    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
        const at::Tensor x = ctx->get_saved_variables()[0];
        auto replay = c10::static_intrusive_pointer_cast<Replay>(ctx->saved_data["replay"].toCapsule());
        at::Tensor input = x.detach().requires_grad_(x.requires_grad());
        at::Tensor output;
        {
            // Replay the forward's random numbers, then put the current stream back.
            auto now = rngStates(x.device());
            setRngStates(replay->rng, "gradient checkpointing");
            at::AutoGradMode gradMode(true);
            AutocastGuard autocast(replay->autocast.enabled, replay->autocast.dtype);
            output = replay->fn(input);
            setRngStates(now, "gradient checkpointing");
        }
        if (output.requires_grad()) torch::autograd::backward({output}, {gradOutputs[0]});
        return {x.requires_grad() ? input.grad() : at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

} // namespace

at::Tensor checkpointedLayer(const LayerFunction& fn, const at::Tensor& x) {
    if (!at::GradMode::is_enabled()) return fn(x);
    auto replay = c10::make_intrusive<Replay>();
    replay->fn = fn;
    static thread_local at::Tensor anchor = at::empty({0}).requires_grad_(true);
    return CheckpointFunction::apply(x, anchor, replay);
}

} // namespace lorastudio

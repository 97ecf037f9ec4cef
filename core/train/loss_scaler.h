// fp16 dynamic loss scaling (training.precision fp16 on CUDA), with torch.cuda.amp.GradScaler's
// defaults: start at 2^16, halve and skip the update when a gradient overflows, double after 2000
// overflow-free steps in a row. The state lives in TrainState, so checkpoints carry it and a resumed
// run scales exactly as the uninterrupted one. No torch here: the rule is tested on any machine.
#pragma once
#include <cstdint>

namespace lorastudio {

struct LossScaleRule {
    static constexpr double kInitialScale = 65536.0;
    static constexpr int64_t kGrowthInterval = 2000;
    static constexpr double kMinScale = 1.0;  // below this fp16 gradients underflow anyway
};

// After one step's backward with the loss multiplied by `scale`: finiteGradients is whether the
// unscaled gradient norm is finite. Returns whether the optimizer may apply the step, and updates
// scale and goodSteps (steps since the last change).
inline bool updateLossScale(double& scale, int64_t& goodSteps, bool finiteGradients) {
    if (!finiteGradients) {
        scale = scale / 2 < LossScaleRule::kMinScale ? LossScaleRule::kMinScale : scale / 2;
        goodSteps = 0;
        return false;
    }
    if (++goodSteps >= LossScaleRule::kGrowthInterval) {
        scale *= 2;
        goodSteps = 0;
    }
    return true;
}

} // namespace lorastudio

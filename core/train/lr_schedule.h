// Learning-rate schedules exactly as transformers' get_{constant,linear,cosine}_schedule_with_warmup
// (LambdaLR multipliers by optimizer step), plus the step counts the trainer derives from a project.
#pragma once
#include "config/training_settings.h"

#include <cstdint>

namespace lorastudio {

// The multiplier of the base lr for the optimizer step that follows `step` completed steps
// (LambdaLR's lr_lambda(step); the first update uses step 0). With w = warmupSteps, n = totalSteps:
//   step < w:  step / max(1, w)                                  (all three schedules)
//   constant:  1
//   linear:    max(0, (n - step) / max(1, n - w))
//   cosine:    max(0, 0.5 * (1 + cos(pi * 2 * 0.5 * (step - w) / max(1, n - w))))   (num_cycles 0.5)
double lrMultiplier(LrSchedule schedule, int64_t step, int64_t warmupSteps, int64_t totalSteps);

// warmup_steps when > 0, else ceil(warmup_ratio * totalSteps) (TrainingArguments.get_warmup_steps).
int64_t warmupStepsFor(const TrainingSettings& training, int64_t totalSteps);

// Optimizer steps per epoch: ceil(batchesPerEpoch / gradientAccumulation) (the last step of an
// epoch may accumulate fewer micro-batches; batches never span epochs).
int64_t stepsPerEpoch(int64_t batchesPerEpoch, int gradientAccumulation);

// maxSteps when > 0, else ceil(epochs * stepsPerEpoch) (exact for whole epochs; transformers'
// math.ceil(num_train_epochs * num_update_steps_per_epoch) for fractional ones). At least 1.
int64_t totalTrainingSteps(const TrainingSettings& training, int64_t batchesPerEpoch);

} // namespace lorastudio

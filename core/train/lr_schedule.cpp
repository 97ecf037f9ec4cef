// Learning-rate multipliers and step counts. See lr_schedule.h.
#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace lorastudio {

double lrMultiplier(LrSchedule schedule, int64_t step, int64_t warmupSteps, int64_t totalSteps) {
    // Python divides ints into floats: float(a) / float(max(1, b)).
    if (step < warmupSteps) return static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, warmupSteps));
    switch (schedule) {
    case LrSchedule::Constant:
        return 1.0;
    case LrSchedule::Linear:
        return std::max(0.0, static_cast<double>(totalSteps - step) /
                                 static_cast<double>(std::max<int64_t>(1, totalSteps - warmupSteps)));
    case LrSchedule::Cosine: {
        const double numCycles = 0.5;
        const double progress = static_cast<double>(step - warmupSteps) /
                                static_cast<double>(std::max<int64_t>(1, totalSteps - warmupSteps));
        return std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * numCycles * 2.0 * progress)));
    }
    }
    return 1.0;
}

int64_t warmupStepsFor(const TrainingSettings& training, int64_t totalSteps) {
    if (training.warmupSteps > 0) return training.warmupSteps;
    return static_cast<int64_t>(std::ceil(static_cast<double>(totalSteps) * training.warmupRatio));
}

int64_t stepsPerEpoch(int64_t batchesPerEpoch, int gradientAccumulation) {
    const int64_t accum = std::max(1, gradientAccumulation);
    return std::max<int64_t>(1, (batchesPerEpoch + accum - 1) / accum);
}

int64_t totalTrainingSteps(const TrainingSettings& training, int64_t batchesPerEpoch) {
    if (training.maxSteps > 0) return training.maxSteps;
    const int64_t perEpoch = stepsPerEpoch(batchesPerEpoch, training.gradientAccumulation);
    const double epochs = std::max(0.0, training.epochs);
    const double exact = epochs * static_cast<double>(perEpoch);
    // Whole epochs are computed in integers so 3 x 7 is 21, never ceil(21.000000001).
    const double whole = std::floor(epochs);
    int64_t total = whole == epochs ? static_cast<int64_t>(whole) * perEpoch : static_cast<int64_t>(std::ceil(exact));
    return std::max<int64_t>(1, total);
}

} // namespace lorastudio

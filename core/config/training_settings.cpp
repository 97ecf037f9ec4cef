// See training_settings.h.
#include "config/training_settings.h"

namespace lorastudio {

bool operator==(const TrainingSettings& a, const TrainingSettings& b) {
    return a.epochs == b.epochs && a.maxSteps == b.maxSteps && a.batchSize == b.batchSize &&
           a.gradientAccumulation == b.gradientAccumulation && a.lr == b.lr && a.schedule == b.schedule &&
           a.warmupSteps == b.warmupSteps && a.warmupRatio == b.warmupRatio && a.weightDecay == b.weightDecay && a.loraplusLrRatio == b.loraplusLrRatio &&
           a.objective == b.objective && a.dpoBeta == b.dpoBeta && a.dpoLoss == b.dpoLoss &&
           a.dpoLabelSmoothing == b.dpoLabelSmoothing && a.orpoBeta == b.orpoBeta &&
           a.adamBetas == b.adamBetas && a.adamEps == b.adamEps && a.maxGradNorm == b.maxGradNorm &&
           a.seed == b.seed && a.precision == b.precision && a.gradientCheckpointing == b.gradientCheckpointing &&
           a.evalEvery == b.evalEvery && a.saveEvery == b.saveEvery && a.loggingEvery == b.loggingEvery &&
           a.saveTotalLimit == b.saveTotalLimit && a.analysisEvery == b.analysisEvery && a.device == b.device &&
           a.threads == b.threads && a.tf32 == b.tf32 && a.distributedBackend == b.distributedBackend &&
           a.distributedTimeout == b.distributedTimeout && a.distributedBucketMb == b.distributedBucketMb;
}

const std::vector<EnumEntry<LrSchedule>>& enumEntries(LrSchedule) {
    static const std::vector<EnumEntry<LrSchedule>> t{{LrSchedule::Constant, "constant"},
                                                      {LrSchedule::Linear, "linear"},
                                                      {LrSchedule::Cosine, "cosine"},
                                                      {LrSchedule::Constant, "constant_with_warmup"}};
    return t;
}

const std::vector<EnumEntry<Precision>>& enumEntries(Precision) {
    static const std::vector<EnumEntry<Precision>> t{{Precision::Fp32, "fp32"},    {Precision::Bf16, "bf16"},
                                                     {Precision::Fp16, "fp16"},    {Precision::Fp32, "float32"},
                                                     {Precision::Bf16, "bfloat16"}, {Precision::Fp16, "float16"}};
    return t;
}

const std::vector<EnumEntry<DistributedBackend>>& enumEntries(DistributedBackend) {
    static const std::vector<EnumEntry<DistributedBackend>> t{
        {DistributedBackend::Auto, "auto"}, {DistributedBackend::Gloo, "gloo"}, {DistributedBackend::Nccl, "nccl"}};
    return t;
}

const std::vector<EnumEntry<Objective>>& enumEntries(Objective) {
    static const std::vector<EnumEntry<Objective>> t{{Objective::Sft, "sft"}, {Objective::Dpo, "dpo"},
                                                     {Objective::Orpo, "orpo"}};
    return t;
}

const std::vector<EnumEntry<DpoLoss>>& enumEntries(DpoLoss) {
    static const std::vector<EnumEntry<DpoLoss>> t{{DpoLoss::Sigmoid, "sigmoid"}, {DpoLoss::Ipo, "ipo"}};
    return t;
}

bool isValidDevice(const std::string& device) {
    if (device == "auto" || device == "cpu" || device == "cuda") return true;
    const std::string prefix = "cuda:";
    if (device.size() <= prefix.size() || device.compare(0, prefix.size(), prefix) != 0) return false;
    const std::string digits = device.substr(prefix.size());
    return digits.size() <= 4 && digits.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace lorastudio

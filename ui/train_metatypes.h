// The trainer's callback types as Qt meta-types, so signals can carry them across threads (queued).
// One place for the declarations: every header whose signals carry them includes this first.
#pragma once
#include "train/background_run.h"
#include "train/train_types.h"

#include <QMetaType>

Q_DECLARE_METATYPE(lorastudio::StepMetrics)
Q_DECLARE_METATYPE(lorastudio::EvalMetrics)
Q_DECLARE_METATYPE(lorastudio::LogLine)
Q_DECLARE_METATYPE(lorastudio::CheckpointInfo)
Q_DECLARE_METATYPE(lorastudio::AnalysisSnapshot)
Q_DECLARE_METATYPE(lorastudio::TrainResult)
Q_DECLARE_METATYPE(lorastudio::BackgroundStatus)

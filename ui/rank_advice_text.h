// The Inspect page's rank advice in the studio's language: the sentences of core's moduleAdvice /
// adapterAdvice (core/analysis/spectrum_stats.cpp), built again from the report's numbers through
// tr(), so zh_CN shows Chinese. With no translation they equal core's strings word for word
// (test_rank_advice_text checks every branch); core's strings stay for the CLI and the JSON.
#pragma once
#include "analysis/analysis_report.h"

#include <QString>

namespace lorastudio::ui {

// One module, from its k95, rank and whether its update is zero (core: ModuleReport::advice).
QString moduleAdviceText(const ModuleReport& module);
// The whole adapter, from the report's counts; the rank to double is the largest r among the
// saturated modules whose update is not zero (core: AdapterReport::advice).
QString adapterAdviceText(const AdapterReport& report);

} // namespace lorastudio::ui

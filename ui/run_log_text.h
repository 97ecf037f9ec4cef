// The run log in the studio's language. Core writes a run's lines in English (core/train/
// run_log_lines.h, the memory lines of run_memory.h, the rank warning of lora/target_matching.h),
// the CLI prints them and a background run's log file keeps them; the Train page says each known
// line again through tr(), its numbers, paths and names kept (ui/core_sentence.h). Lines made of
// optional parts (the plan, the memory estimate) are taken apart and said piece by piece; an error
// inside a line (no memory estimate, analysis skipped) reads as errorText says it. PEFT's own
// "trainable params: ..." line stays as PEFT prints it. test_run_log_text has core write every form.
#pragma once
#include <QString>

#include <string>

namespace lorastudio {
struct CpuFeatures;
}

namespace lorastudio::ui {

// An information line of the run log (a background log's "warning: " / "error: " prefix taken off
// by its reader). Unknown lines, or with no translation loaded, stay core's words.
QString runLogText(const std::string& coreLine);
// A warning line: a data warning, a model folder's, a rank warning or the run's own.
QString runWarningText(const std::string& coreWarning);
// "r = 300 exceeds min(in, out) = 64 of ...": the Adapter page's and the run log's rank warning.
QString rankWarningText(const std::string& coreWarning);
// core's describeBf16Support(features) ("AVX512-BF16: bf16 training is fast on this CPU") said again.
QString bf16SupportText(const CpuFeatures& features);

// Which known line it is (0 .. runLogFormCount() - 1), -1 for none: for the test.
int runLogForm(const std::string& coreLine);
int runLogFormCount();

} // namespace lorastudio::ui

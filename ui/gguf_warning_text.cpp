// See gguf_warning_text.h.
#include "gguf_warning_text.h"

#include "core_sentence.h"

#include <QCoreApplication>

namespace lorastudio::ui {
namespace {

// Kept word for word with core's sentences; test_gguf_warning_text fails when one drifts.
const CoreSentence kForms[] = {
    {R"(^(\d+) matri(?:x|ces) written as (\w+), not (\w+): their rows are not a multiple of (\d+) values \(\w+'s block\)$)",
     QT_TRANSLATE_NOOP("GgufWarning", "%1 matrices written as %2, not %3: their rows are not a multiple of %4 values (%3's block)")},
    {R"(^llama\.cpp attends over the whole context where this model has a sliding window of (\d+) tokens: outputs agree up to that length only$)",
     QT_TRANSLATE_NOOP("GgufWarning", "llama.cpp attends over the whole context where this model has a sliding window of %1 tokens: "
                                      "outputs agree up to that length only")},
    {R"(^llama\.cpp picks LongRoPE's long factors by context size \(above (\d+) tokens: for every token\), transformers by sequence length: outputs agree in contexts up to \d+ tokens$)",
     QT_TRANSLATE_NOOP("GgufWarning", "llama.cpp picks LongRoPE's long factors by context size (above %1 tokens: for every token), "
                                      "transformers by sequence length: outputs agree in contexts up to %1 tokens")},
    {R"(^(.+): llama\.cpp has no name for this pre-tokenizer; its default splitting is written, so token ids of some texts may differ from training$)",
     QT_TRANSLATE_NOOP("GgufWarning", "%1: llama.cpp has no name for this pre-tokenizer; its default splitting is written, so token "
                                      "ids of some texts may differ from training")},
    {R"(^the Modelfile's TEMPLATE is the built-in (\w+) template, not the model's own Jinja chat_template \(hint: check it against the model's chat format before use\)$)",
     QT_TRANSLATE_NOOP("GgufWarning", "the Modelfile's TEMPLATE is the built-in %1 template, not the model's own Jinja chat_template "
                                      "(hint: check it against the model's chat format before use)")},
    // The adapter's own config (core/lora/peft_adapter.cpp), read for a merged or adapter export.
    {R"(^(.+): unknown key '(.+)', ignored$)", QT_TRANSLATE_NOOP("GgufWarning", "%1: unknown key '%2', ignored")},
    {R"(^(.+): '(.+)' is (.+): LoRA Studio does not apply this PEFT option, the adapter may compute differently$)",
     QT_TRANSLATE_NOOP("GgufWarning", "%1: '%2' is %3: LoRA Studio does not apply this PEFT option, the adapter may compute differently")},
};

} // namespace

QString ggufWarningText(const std::string& coreWarning) { return coreSentenceText("GgufWarning", kForms, coreWarning); }

} // namespace lorastudio::ui

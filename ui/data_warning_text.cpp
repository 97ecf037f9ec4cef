// See data_warning_text.h.
#include "data_warning_text.h"

#include "core_sentence.h"

#include <QCoreApplication>

#include <iterator>

namespace lorastudio::ui {
namespace {

// Kept word for word with core's sentences; test_data_warning_text fails when one drifts. Where core
// says "training" or "validation", each has its own form (a captured English word would stay English).
const CoreSentence kForms[] = {
    {R"(^the model's chat template renders earlier turns differently once later turns follow, so the trained part of (\d+) examples? (?:was|were) located approximately; the first is (.+) \(hint: check the preview, or set data\.template to a built-in template for exact masks\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "the model's chat template renders earlier turns differently once later turns follow, so the "
                                      "trained part of %1 examples was located approximately; the first is %2 (hint: check the "
                                      "preview, or set data.template to a built-in template for exact masks)")},
    {R"(^(\S+) is not a token of this tokenizer: the (\w+) markers are learned as plain text, and an EOS follows each assistant turn \(hint: a model made for \w+ has these tokens\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 is not a token of this tokenizer: the %2 markers are learned as plain text, and an EOS "
                                      "follows each assistant turn (hint: a model made for %2 has these tokens)")},
    {R"(^the tokenizer has no eos_token: examples end without one, so the model may not learn to stop \(hint: set eos_token in tokenizer_config\.json\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "the tokenizer has no eos_token: examples end without one, so the model may not learn to stop "
                                      "(hint: set eos_token in tokenizer_config.json)")},
    {R"(^(\d+) of (\d+) training examples? are longer than max_length (\d+) tokens and were truncated, keeping their start \(hint: raise data\.max_length; the longest has (\d+) tokens\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 training examples are longer than max_length %3 tokens and were truncated, keeping "
                                      "their start (hint: raise data.max_length; the longest has %4 tokens)")},
    {R"(^(\d+) of (\d+) training examples? are longer than max_length (\d+) tokens and were truncated, their prompts first to their last (\d+) tokens \(hint: raise data\.max_length; the longest has (\d+) tokens\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 training examples are longer than max_length %3 tokens and were truncated, their "
                                      "prompts first to their last %4 tokens (hint: raise data.max_length; the longest has %5 "
                                      "tokens)")},
    {R"(^(\d+) of (\d+) validation examples? are longer than max_length (\d+) tokens and were truncated, keeping their start \(hint: raise data\.max_length; the longest has (\d+) tokens\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 validation examples are longer than max_length %3 tokens and were truncated, keeping "
                                      "their start (hint: raise data.max_length; the longest has %4 tokens)")},
    {R"(^(\d+) of (\d+) validation examples? are longer than max_length (\d+) tokens and were truncated, their prompts first to their last (\d+) tokens \(hint: raise data\.max_length; the longest has (\d+) tokens\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 validation examples are longer than max_length %3 tokens and were truncated, their "
                                      "prompts first to their last %4 tokens (hint: raise data.max_length; the longest has %5 "
                                      "tokens)")},
    {R"(^(\d+) of (\d+) training examples? have no trained token left after truncation and add nothing to the loss \(hint: raise data\.max_length or lower data\.max_prompt_length\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 training examples have no trained token left after truncation and add nothing to "
                                      "the loss (hint: raise data.max_length or lower data.max_prompt_length)")},
    {R"(^(\d+) of (\d+) training examples? have no trained token left after truncation and add nothing to the loss \(hint: raise data\.max_length, or set data\.max_prompt_length to cut long prompts instead of their answers\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 training examples have no trained token left after truncation and add nothing to "
                                      "the loss (hint: raise data.max_length, or set data.max_prompt_length to cut long prompts "
                                      "instead of their answers)")},
    {R"(^(\d+) of (\d+) validation examples? have no trained token left after truncation and add nothing to the loss \(hint: raise data\.max_length or lower data\.max_prompt_length\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 validation examples have no trained token left after truncation and add nothing to "
                                      "the loss (hint: raise data.max_length or lower data.max_prompt_length)")},
    {R"(^(\d+) of (\d+) validation examples? have no trained token left after truncation and add nothing to the loss \(hint: raise data\.max_length, or set data\.max_prompt_length to cut long prompts instead of their answers\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 of %2 validation examples have no trained token left after truncation and add nothing to "
                                      "the loss (hint: raise data.max_length, or set data.max_prompt_length to cut long prompts "
                                      "instead of their answers)")},
    {R"(^data\.validation names a file, so no fraction of the training data is held out$)",
     QT_TRANSLATE_NOOP("DataWarning", "data.validation names a file, so no fraction of the training data is held out")},
    {R"(^only one valid example: nothing is held out for validation$)",
     QT_TRANSLATE_NOOP("DataWarning", "only one valid example: nothing is held out for validation")},
    {R"(^(\d+) malformed records? skipped; the first is (.+)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 malformed records skipped; the first is %2")},
    {R"(^data\.template is (\w+), but the model's chat_template looks like (\w+) \(hint: use template: auto or model to follow the model\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "data.template is %1, but the model's chat_template looks like %2 (hint: use template: auto "
                                      "or model to follow the model)")},
    {R"(^the model's chat_template cannot be used \((.+)\); rendering with (\w+) instead \(hint: set data\.template to silence this\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "the model's chat_template cannot be used (%1); rendering with %2 instead (hint: set "
                                      "data.template to silence this)")},
    {R"(^the model's chat_template looks like Llama 2 \(\[INST\] with <<SYS>>\); rendering with the Mistral \[INST\] template \(hint: set data\.template to silence this\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "the model's chat_template looks like Llama 2 ([INST] with <<SYS>>); rendering with the "
                                      "Mistral [INST] template (hint: set data.template to silence this)")},
    {R"(^(\d+) examples? (?:calls tools or defines|call tools or define) them, which the built-in (\w+) template does not write: tool calls are trained as their JSON and tool definitions are left out; the first is (.+) \(hint: set data\.template to model to render tools as the model's own template does\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "%1 examples call tools or define them, which the built-in %2 template does not write: tool "
                                      "calls are trained as their JSON and tool definitions are left out; the first is %3 (hint: set "
                                      "data.template to model to render tools as the model's own template does)")},
    {R"(^the tokenizer has no chat_template; chat records are rendered with chatml \(hint: set data\.template explicitly\)$)",
     QT_TRANSLATE_NOOP("DataWarning", "the tokenizer has no chat_template; chat records are rendered with chatml (hint: set "
                                      "data.template explicitly)")},
};

} // namespace

QString dataWarningText(const std::string& coreWarning) { return coreSentenceText("DataWarning", kForms, coreWarning); }

int dataWarningForm(const std::string& coreWarning) { return coreSentenceForm(kForms, std::size(kForms), coreWarning); }

int dataWarningFormCount() { return int(std::size(kForms)); }

} // namespace lorastudio::ui

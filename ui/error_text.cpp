// See error_text.h.
#include "error_text.h"

#include "core_sentence.h"
#include "open_warning_text.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <iterator>

namespace lorastudio::ui {
namespace {

// Core's messages as docs/errors.md lists them (test_error_text reads it): "%1" is the file or folder
// (the <where> of lorastudio::Error) wherever the sentence starts with one.
const CoreSentence kForms[] = {
    // safetensors files
    {R"(^(.+): file is too small \((\d+) bytes?\) to hold the 8-byte header length$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: file is too small (%2 bytes) to hold the 8-byte header length")},
    {R"(^(.+): header length (\d+) runs past the end of the file \(size (\d+)\)$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: header length %2 runs past the end of the file (size %3)")},
    {R"(^(.+): tensor '(.+)': byte range \[(\d+), (\d+)\) ends past the end of the data region \(size (\d+)\)$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: tensor '%2': byte range [%3, %4) ends past the end of the data region (size %5)")},
    {R"(^(.+): header length (\d+) exceeds the limit of (\d+) bytes$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: header length %2 exceeds the limit of %3 bytes")},
    {R"(^(.+): header is not valid JSON \(near file offset (\d+)\): (.+)$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: header is not valid JSON (near file offset %2): %3")},
    {R"(^(.+): tensor '(.+)': unknown dtype '(.*)'$)", QT_TRANSLATE_NOOP("CoreError", "%1: tensor '%2': unknown dtype '%3'")},
    {R"(^(.+): tensor '(.+)': shape \[(.*)\] of (\w+) needs (\d+) bytes, but data_offsets \[(\d+), (\d+)\) span (\d+)$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: tensor '%2': shape [%3] of %4 needs %5 bytes, but data_offsets [%6, %7) span %8")},
    {R"(^(.+): folder holds no model\.safetensors, model\.safetensors\.index\.json or adapter_model\.safetensors$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: folder holds no model.safetensors, model.safetensors.index.json or adapter_model.safetensors")},
    {R"(^(.+): missing tensors: (.+)$)", QT_TRANSLATE_NOOP("CoreError", "%1: missing tensors: %2")},
    {R"(^(.+): misshapen tensors: (.+)$)", QT_TRANSLATE_NOOP("CoreError", "%1: misshapen tensors: %2")},
    // JSON files, shard indexes
    {R"(^(.+): line (\d+), column (\d+): malformed JSON: (.+)$)", QT_TRANSLATE_NOOP("CoreError", "%1: line %2, column %3: malformed JSON: %4")},
    {R"(^(.+): missing object 'weight_map' \(tensor name -> shard file\)$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: missing object 'weight_map' (tensor name -> shard file)")},
    {R"(^(.+): shard '(.+)' \(holding tensor '(.+)'\) does not exist$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: shard '%2' (holding tensor '%3') does not exist")},
    {R"(^(.+): tensor '(.+)' is listed in shard '(.+)' but is not in it$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: tensor '%2' is listed in shard '%3' but is not in it")},
    {R"(^(.+): shard '(.+)' lies outside the model folder$)", QT_TRANSLATE_NOOP("CoreError", "%1: shard '%2' lies outside the model folder")},
    {R"(^(.+): shard '(.+)' is a link to (.+), outside the model folder$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: shard '%2' is a link to %3, outside the model folder")},
    // model folders and config.json
    {R"(^(.+): no such model folder$)", QT_TRANSLATE_NOOP("CoreError", "%1: no such model folder")},
    {R"(^(.+): no such file$)", QT_TRANSLATE_NOOP("CoreError", "%1: no such file")},
    {R"(^(.+): unknown architecture '(.*)' \(key '(.+)'\)$)", QT_TRANSLATE_NOOP("CoreError", "%1: unknown architecture '%2' (key '%3')")},
    {R"(^(.+): key '(.+)' is missing$)", QT_TRANSLATE_NOOP("CoreError", "%1: key '%2' is missing")},
    {R"(^(.+): key '(.+)' has the wrong type \((\w+)\)$)", QT_TRANSLATE_NOOP("CoreError", "%1: key '%2' has the wrong type (%3)")},
    // tokenizers
    {R"(^(.+): no tokenizer\.json in this folder$)", QT_TRANSLATE_NOOP("CoreError", "%1: no tokenizer.json in this folder")},
    {R"(^(.+): model\.type: unknown model type '(.*)'$)", QT_TRANSLATE_NOOP("CoreError", "%1: model.type: unknown model type '%2'")},
    {R"(^(.+): (\w+): must be a string or an AddedToken object, found (\w+)$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: %2: must be a string or an AddedToken object, found %3")},
    // adapters
    {R"(^(.+): peft_type is '(.*)', only LORA adapters are supported$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: peft_type is '%2', only LORA adapters are supported")},
    {R"(^(.+): tensor '(.+)' has shape \[(.*)\], expected \[(.*)\]$)", QT_TRANSLATE_NOOP("CoreError", "%1: tensor '%2' has shape [%3], expected [%4]")},
    {R"(^(.+): missing tensor '(.+)'$)", QT_TRANSLATE_NOOP("CoreError", "%1: missing tensor '%2'")},
    {R"(^(.+): lora\.target_modules: target_modules (\[.*\]) matched no linear module$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: lora.target_modules: target_modules %2 matched no linear module")},
    {R"(^lora\.target_modules: target_modules (\[.*\]) matched no linear module$)",
             QT_TRANSLATE_NOOP("CoreError", "lora.target_modules: target_modules %1 matched no linear module")},
    // project files
    {R"(^(.+): malformed YAML: (.+)$)", QT_TRANSLATE_NOOP("CoreError", "%1: malformed YAML: %2")},
    {R"(^(.+): expected a mapping of keys at the top level, got a list$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: expected a mapping of keys at the top level, got a list")},
    {R"(^(.+): expected a mapping of keys at the top level, got (.+)$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: expected a mapping of keys at the top level, got %2")},
    // a project's settings, as the studio's checks and the YAML reader find them (the reader puts
    // file:line:column in front, errorText keeps it: "%1: %2")
    {R"(^([\w.]+(?:\[\d+\])?): expected a whole number, got (.+)$)",
     QT_TRANSLATE_NOOP("CoreError", "%1: expected a whole number, got %2")},
    {R"(^([\w.]+(?:\[\d+\])?): must be >= (\S+), got (.+)$)", QT_TRANSLATE_NOOP("CoreError", "%1: must be >= %2, got %3")},
    {R"(^([\w.]+(?:\[\d+\])?): must be > (\S+), got (.+)$)", QT_TRANSLATE_NOOP("CoreError", "%1: must be > %2, got %3")},
    {R"(^([\w.]+(?:\[\d+\])?): must be in ([\[(]\S+, \S+[\])]), got (.+)$)",
     QT_TRANSLATE_NOOP("CoreError", "%1: must be in %2, got %3")},
    {R"(^([\w.]+(?:\[\d+\])?): must be from (\S+) to (\S+), got (.+)$)",
     QT_TRANSLATE_NOOP("CoreError", "%1: must be from %2 to %3, got %4")},
    {R"(^([\w.]+(?:\[\d+\])?): expected one of (.+), got (.+)$)",
     QT_TRANSLATE_NOOP("CoreError", "%1: expected one of %2, got %3")},
    {R"(^version: unsupported schema version (\S+)$)", QT_TRANSLATE_NOOP("CoreError", "version: unsupported schema version %1")},
    {R"(^([\w.]+(?:\[\d+\])?): must not be an empty name$)", QT_TRANSLATE_NOOP("CoreError", "%1: must not be an empty name")},
    {R"(^([\w.]+(?:\[\d+\])?): must not be empty$)", QT_TRANSLATE_NOOP("CoreError", "%1: must not be empty")},
    {R"(^lora\.target_modules: the target list is empty, so LoRA would train nothing$)",
     QT_TRANSLATE_NOOP("CoreError", "lora.target_modules: the target list is empty, so LoRA would train nothing")},
    {R"(^lora\.target_modules: the target regex is empty$)",
     QT_TRANSLATE_NOOP("CoreError", "lora.target_modules: the target regex is empty")},
    {R"(^lora\.exclude_modules: all-linear is only meaningful for target_modules$)",
     QT_TRANSLATE_NOOP("CoreError", "lora.exclude_modules: all-linear is only meaningful for target_modules")},
    {R"(^(lora\.\w+): a pattern is empty$)", QT_TRANSLATE_NOOP("CoreError", "%1: a pattern is empty")},
    {R"(^lora\.init: pissa_niter is only valid with pissa \(got (\d+)\)$)",
     QT_TRANSLATE_NOOP("CoreError", "lora.init: pissa_niter is only valid with pissa (got %1)")},
    {R"(^lora\.init: PiSSA needs the full-precision base weights, but lora\.quantization is (\w+)$)",
     QT_TRANSLATE_NOOP("CoreError", "lora.init: PiSSA needs the full-precision base weights, but lora.quantization is %1")},
    {R"(^lora\.quantize_all_linear: is true, but lora\.quantization is none$)",
     QT_TRANSLATE_NOOP("CoreError", "lora.quantize_all_linear: is true, but lora.quantization is none")},
    {R"(^data\.validation: a validation fraction must be in \[0, 1\), got (.+)$)",
     QT_TRANSLATE_NOOP("CoreError", "data.validation: a validation fraction must be in [0, 1), got %1")},
    {R"(^data\.validation: give either a fraction or a path, not both$)",
     QT_TRANSLATE_NOOP("CoreError", "data.validation: give either a fraction or a path, not both")},
    {R"(^training\.epochs: epochs is 0 and max_steps is 0, so nothing would train$)",
     QT_TRANSLATE_NOOP("CoreError", "training.epochs: epochs is 0 and max_steps is 0, so nothing would train")},
    {R"(^training\.device: unknown device '(.*)'$)", QT_TRANSLATE_NOOP("CoreError", "training.device: unknown device '%1'")},
    {R"(^training\.device: '(.+)' requested, but this build sees no CUDA GPU$)",
     QT_TRANSLATE_NOOP("CoreError", "training.device: '%1' requested, but this build sees no CUDA GPU")},
    {R"(^training\.device: '(.+)': there are (\d+) GPU\(s\)$)",
     QT_TRANSLATE_NOOP("CoreError", "training.device: '%1': there are %2 GPU(s)")},
    {R"(^training\.device: '(.+)' is not a device$)", QT_TRANSLATE_NOOP("CoreError", "training.device: '%1' is not a device")},
    {R"(^data\.max_prompt_length: must be less than max_length \((\d+)\), got (\d+), which leaves no room for the answer$)",
     QT_TRANSLATE_NOOP("CoreError", "data.max_prompt_length: must be less than max_length (%1), got %2, which leaves no room for "
                                    "the answer")},
    {R"(^base_model: no base model given$)", QT_TRANSLATE_NOOP("CoreError", "base_model: no base model given")},
    {R"(^training\.dpo_label_smoothing: applies to the sigmoid loss only, and dpo_loss is ipo$)",
     QT_TRANSLATE_NOOP("CoreError", "training.dpo_label_smoothing: applies to the sigmoid loss only, and dpo_loss is ipo")},
    {R"(^training\.objective: (dpo|orpo) trains on preference pairs, and data\.format is (\w+)$)",
     QT_TRANSLATE_NOOP("CoreError", "training.objective: %1 trains on preference pairs, and data.format is %2")},
    {R"(^data\.format: preference pairs train with training\.objective: dpo or orpo, and the objective is sft$)",
     QT_TRANSLATE_NOOP("CoreError", "data.format: preference pairs train with training.objective: dpo or orpo, and the objective is sft")},
    {R"(^data\.packing: (DPO|ORPO) compares each chosen answer with its rejected one row by row, so rows cannot be packed$)",
     QT_TRANSLATE_NOOP("CoreError", "data.packing: %1 compares each chosen answer with its rejected one row by row, so rows cannot be packed")},
    {R"(^(lora\.bias|lora\.modules_to_save): DPO's reference is the base model with the adapters switched off, and trained biases or modules_to_save would change it too$)",
     QT_TRANSLATE_NOOP("CoreError", "%1: DPO's reference is the base model with the adapters switched off, and trained biases or modules_to_save would "
                                    "change it too")},
    // training data and chat templates
    {R"(^(.+): data file does not exist$)", QT_TRANSLATE_NOOP("CoreError", "%1: data file does not exist")},
    {R"(^(.+): no records: the file is empty$)", QT_TRANSLATE_NOOP("CoreError", "%1: no records: the file is empty")},
    {R"(^(.+): no valid record among (\d+) malformed lines?$)", QT_TRANSLATE_NOOP("CoreError", "%1: no valid record among %2 malformed lines")},
    {R"(^the model's chat_template: cannot be used: chat template line (\d+), column (\d+): (.+)$)",
             QT_TRANSLATE_NOOP("CoreError", "the model's chat_template: cannot be used: chat template line %1, column %2: %3")},
    {R"(^(.+): holds (\w+) records, and training\.objective (dpo|orpo) needs preference pairs$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: holds %2 records, and training.objective %3 needs preference pairs")},
    {R"(^(.+): holds preference pairs \(chosen and rejected answers\), which train with DPO or ORPO$)",
             QT_TRANSLATE_NOOP("CoreError", "%1: holds preference pairs (chosen and rejected answers), which train with DPO or ORPO")},
    {R"(^data\.completion_only_loss: is false, but preference pairs compare the answers only$)",
             QT_TRANSLATE_NOOP("CoreError", "data.completion_only_loss: is false, but preference pairs compare the answers only")},
    {R"(^data\.template: is model, but the tokenizer has no chat_template$)",
             QT_TRANSLATE_NOOP("CoreError", "data.template: is model, but the tokenizer has no chat_template")},
    // GGUF files
    {R"(^GGUF (.+): no GGUF magic \(at byte (\d+)\)$)", QT_TRANSLATE_NOOP("CoreError", "GGUF %1: no GGUF magic (at byte %2)")},
    {R"(^GGUF (.+): the file ends inside (.+) \(at byte (\d+)\)$)", QT_TRANSLATE_NOOP("CoreError", "GGUF %1: the file ends inside %2 (at byte %3)")},
    {R"(^GGUF (.+): (.+) (\d+) is more than the file can hold \(at byte (\d+)\)$)",
             QT_TRANSLATE_NOOP("CoreError", "GGUF %1: %2 %3 is more than the file can hold (at byte %4)")},
    {R"(^GGUF export: llama\.cpp's (\w+) graph always uses the embedding as the output head; this model's config \((.+)\) sets tie_word_embeddings false$)",
             QT_TRANSLATE_NOOP("CoreError", "GGUF export: llama.cpp's %1 graph always uses the embedding as the output head; this model's config (%2) sets "
             "tie_word_embeddings false")},
    // training runs and checkpoints
    // a diverged run (the CLI says "training diverged: " first)
    {R"(^(?:training diverged: )?Training stopped at step (\d+): the loss is NaN \(micro-batch (\d+) of (\d+)\)\. Nothing was saved for this step; the last good checkpoint is kept$)",
     QT_TRANSLATE_NOOP("CoreError", "Training stopped at step %1: the loss is NaN (micro-batch %2 of %3). Nothing was saved for this step; the last good "
                                    "checkpoint is kept")},
    {R"(^(?:training diverged: )?Training stopped at step (\d+): the loss is infinite \(micro-batch (\d+) of (\d+)\)\. Nothing was saved for this step; the last good checkpoint is kept$)",
     QT_TRANSLATE_NOOP("CoreError", "Training stopped at step %1: the loss is infinite (micro-batch %2 of %3). Nothing was saved for this step; the last good "
                                    "checkpoint is kept")},
    {R"(^(?:training diverged: )?Training stopped at step (\d+): the loss is NaN on at least one rank\. Nothing was saved for this step; the last good checkpoint is kept$)",
     QT_TRANSLATE_NOOP("CoreError", "Training stopped at step %1: the loss is NaN on at least one rank. Nothing was saved for this step; the last good "
                                    "checkpoint is kept")},
    {R"(^(?:training diverged: )?Training stopped at step (\d+): the loss is infinite on at least one rank\. Nothing was saved for this step; the last good checkpoint is kept$)",
     QT_TRANSLATE_NOOP("CoreError", "Training stopped at step %1: the loss is infinite on at least one rank. Nothing was saved for this step; the last good "
                                    "checkpoint is kept")},
    {R"(^(?:training diverged: )?Training stopped at step (\d+): the gradient norm is NaN \(loss (\S+)\)\. Nothing was saved for this step; the last good checkpoint is kept$)",
     QT_TRANSLATE_NOOP("CoreError", "Training stopped at step %1: the gradient norm is NaN (loss %2). Nothing was saved for this step; the last good "
                                    "checkpoint is kept")},
    {R"(^(?:training diverged: )?Training stopped at step (\d+): the gradient norm is infinite \(loss (\S+)\)\. Nothing was saved for this step; the last good checkpoint is kept$)",
     QT_TRANSLATE_NOOP("CoreError", "Training stopped at step %1: the gradient norm is infinite (loss %2). Nothing was saved for this step; the last good "
                                    "checkpoint is kept")},
    {R"(^(.+): not a training checkpoint \(no trainer_state\.json\)$)", QT_TRANSLATE_NOOP("CoreError", "%1: not a training checkpoint (no trainer_state.json)")},
    {R"(^(.+): incomplete checkpoint: (.+) is missing$)", QT_TRANSLATE_NOOP("CoreError", "%1: incomplete checkpoint: %2 is missing")},
};

// A known message: its form, and the sentence that form matched, with a project file's
// "file:line:column" (kept in front, untranslated) split off where there is one. form -1: unknown.
struct KnownMessage {
    int form = -1;
    std::string location;
    std::string sentence;
};

KnownMessage findMessage(const std::string& message) {
    if (const int f = coreSentenceForm(kForms, std::size(kForms), message); f >= 0) return {f, std::string(), message};
    static const QRegularExpression located(QStringLiteral("^(.+:\\d+:\\d+): (.+)$"));
    const QRegularExpressionMatch m = located.match(QString::fromStdString(message));
    if (!m.hasMatch()) return {};
    const std::string rest = m.captured(2).toStdString();
    const int f = coreSentenceForm(kForms, std::size(kForms), rest);
    return f >= 0 ? KnownMessage{f, m.captured(1).toStdString(), rest} : KnownMessage{};
}

// The message alone in the studio's language (core's words where it is unknown).
QString messageText(const std::string& message) {
    const KnownMessage known = findMessage(message);
    if (known.form < 0) return QString::fromStdString(message);
    const QString text = coreSentenceText("CoreError", &kForms[known.form], 1, known.sentence);  // its form only
    if (known.location.empty()) return text;
    return QCoreApplication::translate("CoreError", "%1: %2").arg(QString::fromStdString(known.location), text);
}

} // namespace

QString errorText(const std::string& coreError) {
    // A folder warning that is an error here (a folder with pickle files only) reads as the warning does.
    const QString asWarning = folderWarningText(coreError);
    if (asWarning != QString::fromStdString(coreError)) return asWarning;
    const std::string marker = " (hint: ";
    const auto at = coreError.rfind(marker);
    if (at == std::string::npos || coreError.back() != ')') return messageText(coreError);
    const std::string message = coreError.substr(0, at);
    const std::string hint = coreError.substr(at + marker.size(), coreError.size() - at - marker.size() - 1);
    return QCoreApplication::translate("CoreError", "%1 (hint: %2)").arg(messageText(message), errorHintText(hint));
}

QString errorText(const std::exception& e) { return errorText(std::string(e.what())); }

int errorMessageForm(const std::string& message) { return findMessage(message).form; }
int errorMessageFormCount() { return int(std::size(kForms)); }

} // namespace lorastudio::ui

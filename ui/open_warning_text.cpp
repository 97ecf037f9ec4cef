// See open_warning_text.h.
#include "open_warning_text.h"

#include "core_sentence.h"
#include "project/project_file.h"

#include <QCoreApplication>

#include <iterator>

namespace lorastudio::ui {
namespace {

// Kept word for word with core's sentences; test_open_warning_text fails when one drifts.
const CoreSentence kFolderForms[] = {
    {R"(^(.+): 'auto_map' names custom Python code \((.+)\); LoRA Studio never imports or runs it \(hint: the model is built from this build's own architecture table, so a model that needs its own code may not load as intended\)$)",
     QT_TRANSLATE_NOOP("FolderWarning", "%1: 'auto_map' names custom Python code (%2); LoRA Studio never imports or runs it (hint: "
                                        "the model is built from this build's own architecture table, so a model that needs its own "
                                        "code may not load as intended)")},
    {R"(^(.+): is a link to (.+), outside the model folder; it is read from there \(hint: copy the file into the folder if it belongs to this model, or remove the link\)$)",
     QT_TRANSLATE_NOOP("FolderWarning", "%1: is a link to %2, outside the model folder; it is read from there (hint: copy the file "
                                        "into the folder if it belongs to this model, or remove the link)")},
    {R"(^(.+): holds pickle file\(s\) (.+); they are never opened, since unpickling can run code \(hint: only \*\.safetensors weights are read; convert the checkpoint with transformers' save_pretrained\(safe_serialization=True\)\)$)",
     QT_TRANSLATE_NOOP("FolderWarning", "%1: holds pickle file(s) %2; they are never opened, since unpickling can run code (hint: "
                                        "only *.safetensors weights are read; convert the checkpoint with transformers' "
                                        "save_pretrained(safe_serialization=True))")},
    {R"(^(.+): holds Python file\(s\) (.+); they are never run \(hint: LoRA Studio reads config\.json, \*\.safetensors and tokenizer files only\)$)",
     QT_TRANSLATE_NOOP("FolderWarning", "%1: holds Python file(s) %2; they are never run (hint: LoRA Studio reads config.json, "
                                        "*.safetensors and tokenizer files only)")},
};

// Warning::message of core/project/project_parse.cpp.
const CoreSentence kProjectForms[] = {
    {R"(^unknown key '(.+)', ignored$)", QT_TRANSLATE_NOOP("ProjectWarning", "unknown key '%1', ignored")},
    {R"(^no 'version' key, assuming version 1 \(add 'version: 1' at the top\)$)",
     QT_TRANSLATE_NOOP("ProjectWarning", "no 'version' key, assuming version 1 (add 'version: 1' at the top)")},
};

} // namespace

QString folderWarningText(const std::string& coreWarning) { return coreSentenceText("FolderWarning", kFolderForms, coreWarning); }

QString projectWarningText(const Warning& w) {
    QString s = QString::fromStdString(w.file);
    if (w.line > 0) s += QStringLiteral(":%1:%2").arg(w.line).arg(w.column);
    s += QStringLiteral(": ") + coreSentenceText("ProjectWarning", kProjectForms, w.message);
    if (!w.suggestion.empty())
        s += QCoreApplication::translate("ProjectWarning", " (did you mean '%1'?)").arg(QString::fromStdString(w.suggestion));
    return s;
}

int folderWarningForm(const std::string& coreWarning) { return coreSentenceForm(kFolderForms, std::size(kFolderForms), coreWarning); }
int folderWarningFormCount() { return int(std::size(kFolderForms)); }
int projectWarningForm(const std::string& message) { return coreSentenceForm(kProjectForms, std::size(kProjectForms), message); }
int projectWarningFormCount() { return int(std::size(kProjectForms)); }

} // namespace lorastudio::ui

// See error_text.h: the hints after core's errors, each said again in the studio's language.
#include "error_text.h"

#include "core_sentence.h"

#include <QCoreApplication>

#include <iterator>

namespace lorastudio::ui {
namespace {

// The hints of docs/errors.md's catalogue, word for word (test_error_text reads it).
const CoreSentence kHints[] = {
    {R"(^the file is empty or truncated; download or copy it again$)",
     QT_TRANSLATE_NOOP("CoreHint", "the file is empty or truncated; download or copy it again")},
    {R"(^the file is truncated; download or copy it again$)",
     QT_TRANSLATE_NOOP("CoreHint", "the file is truncated; download or copy it again")},
    {R"(^this is not a safetensors file, or its first 8 bytes are corrupt$)",
     QT_TRANSLATE_NOOP("CoreHint", "this is not a safetensors file, or its first 8 bytes are corrupt")},
    {R"(^the file is corrupt or not a safetensors file$)",
     QT_TRANSLATE_NOOP("CoreHint", "the file is corrupt or not a safetensors file")},
    {R"(^expected one of (.+)$)", QT_TRANSLATE_NOOP("CoreHint", "expected one of %1")},
    {R"(^expected (\w+)$)", QT_TRANSLATE_NOOP("CoreHint", "expected %1")},
    {R"(^the header is malformed; the file was written by a non-conforming tool$)",
     QT_TRANSLATE_NOOP("CoreHint", "the header is malformed; the file was written by a non-conforming tool")},
    {R"(^is this a Hugging Face model folder\? \(\.bin/\.pt checkpoints are not read; convert them to safetensors\)$)",
     QT_TRANSLATE_NOOP("CoreHint", "is this a Hugging Face model folder? (.bin/.pt checkpoints are not read; convert them to safetensors)")},
    {R"(^is this checkpoint for a different architecture/size\? config says (\w+), (\d+) layers?, hidden (\d+)$)",
     QT_TRANSLATE_NOOP("CoreHint", "is this checkpoint for a different architecture/size? config says %1, %2 layers, hidden %3")},
    {R"(^the file is cut short or was edited by hand; fix it there, or download it again$)",
     QT_TRANSLATE_NOOP("CoreHint", "the file is cut short or was edited by hand; fix it there, or download it again")},
    {R"(^is this a \*\.safetensors\.index\.json\?$)", QT_TRANSLATE_NOOP("CoreHint", "is this a *.safetensors.index.json?")},
    {R"(^the download is incomplete; fetch (.+)$)", QT_TRANSLATE_NOOP("CoreHint", "the download is incomplete; fetch %1")},
    {R"(^the index and the shards do not belong together; download them again$)",
     QT_TRANSLATE_NOOP("CoreHint", "the index and the shards do not belong together; download them again")},
    {R"(^check the path \(base_model in a project\); a Hugging Face model folder holds config\.json and \*\.safetensors$)",
     QT_TRANSLATE_NOOP("CoreHint", "check the path (base_model in a project); a Hugging Face model folder holds config.json and *.safetensors")},
    {R"(^a Hugging Face model folder holds config\.json beside its \*\.safetensors; is this the right folder\?$)",
     QT_TRANSLATE_NOOP("CoreHint", "a Hugging Face model folder holds config.json beside its *.safetensors; is this the right folder?")},
    {R"(^this build supports (.+)$)", QT_TRANSLATE_NOOP("CoreHint", "this build supports %1")},
    {R"(^the file is incomplete or was edited by hand; take it from the original download$)",
     QT_TRANSLATE_NOOP("CoreHint", "the file is incomplete or was edited by hand; take it from the original download")},
    {R"(^LoRA Studio needs the Hugging Face fast-tokenizer file tokenizer\.json$)",
     QT_TRANSLATE_NOOP("CoreHint", "LoRA Studio needs the Hugging Face fast-tokenizer file tokenizer.json")},
    {R"(^write the token's text, e\.g\. (.+)$)", QT_TRANSLATE_NOOP("CoreHint", "write the token's text, e.g. %1")},
    {R"(^a PEFT adapter folder holds adapter_config\.json and adapter_model\.safetensors; check the path$)",
     QT_TRANSLATE_NOOP("CoreHint", "a PEFT adapter folder holds adapter_config.json and adapter_model.safetensors; check the path")},
    {R"(^LoRA Studio reads PEFT LoRA adapters \(DoRA included\); train or convert a LoRA adapter$)",
     QT_TRANSLATE_NOOP("CoreHint", "LoRA Studio reads PEFT LoRA adapters (DoRA included); train or convert a LoRA adapter")},
    {R"(^maybe wrong base model, or r differs from adapter_config\.json \(r = (\d+) for this module\)$)",
     QT_TRANSLATE_NOOP("CoreHint", "maybe wrong base model, or r differs from adapter_config.json (r = %1 for this module)")},
    {R"(^the file does not hold every module adapter_config\.json targets$)",
     QT_TRANSLATE_NOOP("CoreHint", "the file does not hold every module adapter_config.json targets")},
    {R"(^only safetensors adapters are read; convert adapter_model\.bin with PEFT \(safe_serialization=True\)$)",
     QT_TRANSLATE_NOOP("CoreHint", "only safetensors adapters are read; convert adapter_model.bin with PEFT (safe_serialization=True)")},
    {R"(^available modules include (.+) \((\d+) in all\); their name endings are (.+)$)",
     QT_TRANSLATE_NOOP("CoreHint", "available modules include %1 (%2 in all); their name endings are %3")},
    {R"(^check the indentation \(spaces, not tabs\), colons and brackets near this place$)",
     QT_TRANSLATE_NOOP("CoreHint", "check the indentation (spaces, not tabs), colons and brackets near this place")},
    {R"(^a project file starts with lines such as 'version: 1' and 'base_model: \.\.\.'$)",
     QT_TRANSLATE_NOOP("CoreHint", "a project file starts with lines such as 'version: 1' and 'base_model: ...'")},
    {R"(^the LoRA rank, e\.g\. (\d+)$)", QT_TRANSLATE_NOOP("CoreHint", "the LoRA rank, e.g. %1")},
    {R"(^the LoRA rank, typically (\d+) to (\d+)$)", QT_TRANSLATE_NOOP("CoreHint", "the LoRA rank, typically %1 to %2")},
    {R"(^often 2 \* r, e\.g\. (\S+)$)", QT_TRANSLATE_NOOP("CoreHint", "often 2 * r, e.g. %1")},
    {R"(^e\.g\. (\S+); 0 disables dropout$)", QT_TRANSLATE_NOOP("CoreHint", "e.g. %1; 0 disables dropout")},
    {R"(^this LoRA Studio reads version (\d+); a newer file needs a newer LoRA Studio$)",
     QT_TRANSLATE_NOOP("CoreHint", "this LoRA Studio reads version %1; a newer file needs a newer LoRA Studio")},
    {R"(^check data\.path in the project$)", QT_TRANSLATE_NOOP("CoreHint", "check data.path in the project")},
    {R"(^expected JSONL \(one JSON object per line\), a JSON array of objects, or plain text in a \.txt file$)",
     QT_TRANSLATE_NOOP("CoreHint", "expected JSONL (one JSON object per line), a JSON array of objects, or plain text in a .txt file")},
    {R"(^chat templates are rendered without the '(\w+)' tag$)",
     QT_TRANSLATE_NOOP("CoreHint", "chat templates are rendered without the '%1' tag")},
    {R"(^set data\.template to chatml \(a built-in template\) to train without the model's own$)",
     QT_TRANSLATE_NOOP("CoreHint", "set data.template to chatml (a built-in template) to train without the model's own")},
    {R"(^choose a built-in template such as chatml, or add chat_template to tokenizer_config\.json$)",
     QT_TRANSLATE_NOOP("CoreHint", "choose a built-in template such as chatml, or add chat_template to tokenizer_config.json")},
    {R"(^the file is truncated or not a GGUF file$)",
     QT_TRANSLATE_NOOP("CoreHint", "the file is truncated or not a GGUF file")},
    {R"(^export the merged model as safetensors instead$)",
     QT_TRANSLATE_NOOP("CoreHint", "export the merged model as safetensors instead")},
    {R"(^lower training\.lr, keep max_grad_norm > 0, or use fp32$)",
     QT_TRANSLATE_NOOP("CoreHint", "lower training.lr, keep max_grad_norm > 0, or use fp32")},
    {R"(^pass a folder like (.+)$)", QT_TRANSLATE_NOOP("CoreHint", "pass a folder like %1")},
    {R"(^resume from another checkpoint of the run \((.+)\)$)",
     QT_TRANSLATE_NOOP("CoreHint", "resume from another checkpoint of the run (%1)")},
    {R"(^the checkpoint was written for another LoRA rank or base model$)",
     QT_TRANSLATE_NOOP("CoreHint", "the checkpoint was written for another LoRA rank or base model")},
    {R"(^an index names shards by their file names in its own folder; this one is broken or unsafe$)",
     QT_TRANSLATE_NOOP("CoreHint", "an index names shards by their file names in its own folder; this one is broken or unsafe")},
    {R"(^copy the file into the model folder if it belongs to this model$)",
     QT_TRANSLATE_NOOP("CoreHint", "copy the file into the model folder if it belongs to this model")},
};

} // namespace

QString errorHintText(const std::string& hint) { return coreSentenceText("CoreHint", kHints, hint); }

int errorHintForm(const std::string& hint) { return coreSentenceForm(kHints, std::size(kHints), hint); }
int errorHintFormCount() { return int(std::size(kHints)); }

} // namespace lorastudio::ui

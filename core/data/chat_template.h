// Rendering records as text: the Alpaca prompt, the built-in ChatML, Llama-3, Mistral, plain and
// Alpaca chat templates, or the model's own Jinja chat_template (model_chat_template.h), as a list
// of segments flagged trained / not trained so that completion-only masks can be computed exactly.
#pragma once
#include "data/data_record.h"
#include "config/data_settings.h"
#include "tokenizer/tokenizer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

class ModelChatTemplate; // model_chat_template.h

// A piece of a rendered example. Text pieces are tokenized (adjacent pieces with the same flag
// together); an Eos piece is the tokenizer's end-of-sequence id, inserted by id, never as text.
struct TextSegment {
    enum class Kind { Text, Eos };
    Kind kind = Kind::Text;
    std::string text;     // Kind::Text only
    bool trained = false; // counts in the loss (label = token id)

    bool operator==(const TextSegment& o) const { return kind == o.kind && text == o.text && trained == o.trained; }
};

struct RenderOptions {
    ChatTemplate chatTemplate = ChatTemplate::Alpaca; // resolved: never Auto
    bool completionOnly = true;                      // false: every segment is trained
    // chatTemplate Model: the compiled template (required then).
    std::shared_ptr<const ModelChatTemplate> modelTemplate;
    // data.system_prompt: a system message put first in chat and Alpaca records that have none.
    std::string systemPrompt;
    // ChatML / Llama-3 only: put an EOS after each <|im_end|> / <|eot_id|> as well. Set when that
    // marker is not a token of the vocabulary (e.g. ChatML on a GPT-2 tokenizer), so that the
    // model still learns a token that stops generation.
    bool eosAfterEndMarker = false;
};

// The segments of one record (adjacent text segments with the same flag are merged):
// - Text:   [text]+EOS, trained.
// - Alpaca with the Alpaca template: the standard Alpaca prompt (with or without "### Input:"),
//   then [output]+EOS trained. With a chat template: one user turn (instruction, plus
//   "\n\n" + input when there is one) and one assistant turn (output).
// - Chat: every assistant turn's content and its end marker / EOS trained, everything else not.
//   With the model's template, what deriveCompletionMask finds for each assistant turn.
// - System: the record's own (a chat system message, an Alpaca `system`) or else systemPrompt; the
//   Alpaca template writes it in place of its preamble.
// BOS is not part of the segments: the encoder puts the tokenizer's own prefix in front.
// maskWarnings (may be null) receives the model template's mask fallback warnings. Throws Error
// when the model's template fails on the record.
std::vector<TextSegment> renderRecord(const DataRecord& record, const RenderOptions& options,
                                      std::vector<std::string>* maskWarnings = nullptr);

// The rendered text, EOS written as eosText; trainedOnly keeps only the trained segments.
std::string joinSegments(const std::vector<TextSegment>& segments, const std::string& eosText,
                         bool trainedOnly = false);

// What a model trained with `chatTemplate` expects before its answer to `instruction`: the
// rendering of an instruction record up to where the trained answer starts (Alpaca: the prompt
// ending "### Response:\n"; ChatML: the user turn and "<|im_start|>assistant\n"). For generating.
// Built-in templates only (Model needs the options' compiled template: the overload below).
std::string generationPrompt(const std::string& instruction, ChatTemplate chatTemplate);
// Same with options: the system prompt, and for Model the template's add_generation_prompt
// rendering without its leading BOS (Tokenizer::encode(prompt, true) adds it).
std::string generationPrompt(const std::string& instruction, const RenderOptions& options);
// The Playground's "wrap in the data's template": the project's data settings and the model's
// tokenizer settle the template as training does (format auto counts as Alpaca unless chat).
std::string generationPrompt(const std::string& instruction, const DataSettings& data, const Tokenizer& tokenizer);

// Which built-in template a Jinja chat_template is: <|im_start|> -> ChatML, <|start_header_id|> ->
// Llama3, [INST] -> Mistral; nullopt when none of the markers appears. `approximate` is set when
// the match is only close (a Llama-2 template with <<SYS>> renders as Mistral's [INST] form).
std::optional<ChatTemplate> detectChatTemplate(const std::string& jinja, bool* approximate = nullptr);

// Chat, ShareGpt or Preference: records that are (mostly) conversations.
bool isConversation(DataFormat format);

// The template that renders records of `format`, given what the project asks for and the
// tokenizer's chat_template (may be empty). Text data: no template matters (Auto gives Alpaca).
// `requested` Auto: Model when the tokenizer has a chat_template that compiles; else (with a
// warning naming the construct when it does not compile) the built-in one its markers show, or
// Alpaca for Alpaca data and ChatML for chat data (with a warning for chat data). `requested`
// Model without a chat_template throws Error; a built-in name is kept (warning on a mismatch).
ChatTemplate resolveChatTemplate(ChatTemplate requested, DataFormat format, const std::string& tokenizerTemplate,
                                 std::vector<std::string>& warnings);

} // namespace lorastudio

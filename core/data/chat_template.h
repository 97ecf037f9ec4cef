// Rendering records as text: the Alpaca prompt and the ChatML, Llama-3, Mistral, plain and Alpaca
// chat templates, as a list of segments flagged trained / not trained so that completion-only
// masks can be computed exactly. Also recognises a tokenizer's Jinja chat_template by its markers.
#pragma once
#include "data/data_record.h"
#include "project/project_config.h"

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

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
// BOS is not part of the segments: the encoder puts the tokenizer's own prefix in front.
std::vector<TextSegment> renderRecord(const DataRecord& record, const RenderOptions& options);

// The rendered text, EOS written as eosText; trainedOnly keeps only the trained segments.
std::string joinSegments(const std::vector<TextSegment>& segments, const std::string& eosText,
                         bool trainedOnly = false);

// What a model trained with `chatTemplate` expects before its answer to `instruction`: the
// rendering of an instruction record up to where the trained answer starts (Alpaca: the prompt
// ending "### Response:\n"; ChatML: the user turn and "<|im_start|>assistant\n"). For generating.
std::string generationPrompt(const std::string& instruction, ChatTemplate chatTemplate);

// Which built-in template a Jinja chat_template is: <|im_start|> -> ChatML, <|start_header_id|> ->
// Llama3, [INST] -> Mistral; nullopt when none of the markers appears. `approximate` is set when
// the match is only close (a Llama-2 template with <<SYS>> renders as Mistral's [INST] form).
std::optional<ChatTemplate> detectChatTemplate(const std::string& jinja, bool* approximate = nullptr);

// The template that renders records of `format`, given what the project asks for and the
// tokenizer's chat_template (may be empty). `requested` Auto: the tokenizer's template when it is
// recognisably a built-in one, else Alpaca for Alpaca data and ChatML for chat data, with a
// warning appended to `warnings` when a chat_template was there but not recognised.
ChatTemplate resolveChatTemplate(ChatTemplate requested, DataFormat format, const std::string& tokenizerTemplate,
                                 std::vector<std::string>& warnings);

} // namespace lorastudio

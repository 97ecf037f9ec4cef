// Rendered segments -> token ids and labels, tokenizing segment by segment so that the boundary
// between prompt and completion falls exactly between two tokens, then truncating to max_length.
// Also turns a tokenized example back into flagged text pieces for the GUI's preview.
#pragma once
#include "data/chat_template.h"
#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

// Label of a token that does not count in the loss (PyTorch's cross_entropy ignore_index).
constexpr int32_t kIgnoreIndex = -100;

struct TokenizedExample {
    std::vector<int32_t> inputIds; // [T], T <= max_length
    // [T]: the token id where the token is trained, kIgnoreIndex elsewhere. Aligned with inputIds
    // (Hugging Face convention): the loss compares logits at t with labels at t + 1.
    std::vector<int32_t> labels;
    int32_t fullLength = 0;        // tokens before truncation (a pair: the longer of its two)
    // Preference pairs: the rejected answer's sequence, with the same prompt (inputIds/labels are
    // the chosen one's); empty for other data.
    std::vector<int32_t> rejectedIds;
    std::vector<int32_t> rejectedLabels;

    bool isPair() const { return !rejectedIds.empty(); }
    // The longer of the pair's two sequences (inputIds alone otherwise): the row length a batch needs.
    int32_t rowLength() const;
    bool truncated() const { return fullLength > rowLength(); }
    // Tokens whose labels count. A pair: both answers' tokens, or 0 when either answer has none left
    // after truncation (such a pair compares nothing).
    int64_t trainedTokens() const;
    // The rejected sequence of a pair as an example of its own.
    TokenizedExample rejectedExample() const;
};

// Tokenization rules (documented here because training depends on them):
// - BOS: the ids the tokenizer puts in front of a text (Tokenizer::specialPrefix(), e.g. <s> for
//   Mistral/Llama, nothing for GPT-2 and Qwen) start every example, never trained.
// - Text: each run of adjacent text segments with the same flag is encoded on its own without
//   special tokens, so every token belongs to exactly one segment and the mask is exact. Special
//   markers written in the text (<|im_start|>, <|eot_id|>, </s>) become their ids when the
//   vocabulary has them as added tokens.
// - EOS: a TextSegment::Kind::Eos becomes eosId(); the renderers put one after every completion
//   of text and Alpaca records (and after Mistral/plain/Alpaca assistant turns) so generation
//   learns to stop. With no EOS in the tokenizer these are dropped (Dataset warns).
// - The tokenizer's suffix (e.g. add_eos_token) is not added: EOS placement is the renderer's.
// - Truncation keeps the first max_length tokens. With maxPromptLength > 0 an example longer than
//   max_length first loses the start of its prompt (the tokens before its first trained one) after
//   the BOS prefix, down to maxPromptLength tokens BOS included, so that its answer stays in
//   (TRL's max_prompt_length, keeping the prompt's end); the two sequences of a pair are cut alike.
// - wholeText (the model's own chat template): the text between EOS segments is encoded in one
//   piece, so the ids are exactly those of apply_chat_template(..., tokenize=True) after the
//   prefix. Each trained/untrained boundary is then placed on the tokens: between the runs'
//   own tokens when encoding the runs separately gives the same ids (the usual case: boundaries
//   at special tokens or word starts), else where the ids of the text before the boundary stop
//   agreeing with the whole, moved on over the tokens that still decode to a part of that text;
//   a token straddling the boundary counts as trained.
class ExampleEncoder {
public:
    ExampleEncoder(Tokenizer tokenizer, int maxLength, bool wholeText = false, int maxPromptLength = 0);

    TokenizedExample encode(const std::vector<TextSegment>& segments) const;
    const Tokenizer& tokenizer() const { return m_tokenizer; }
    int maxLength() const { return m_maxLength; }
    int maxPromptLength() const { return m_maxPromptLength; }
    bool wholeText() const { return m_wholeText; }

private:
    // Appends the ids and labels of adjacent text segments, encoded in one piece.
    void encodeWhole(const std::vector<const TextSegment*>& run, TokenizedExample& ex) const;
    // The token index of byte `boundary` of `text`, whose ids are `ids`; `straddles` set when a token
    // covers bytes on both sides.
    std::size_t tokenBoundary(const std::string& text, std::size_t boundary, const std::vector<int32_t>& ids,
                              bool& straddles) const;

    // Drops the start of the prompt (after the BOS prefix) down to m_maxPromptLength tokens.
    void cutPrompt(TokenizedExample& ex) const;

    Tokenizer m_tokenizer;
    int m_maxLength;
    bool m_wholeText;
    int m_maxPromptLength;
};

// A run of tokens shown in the preview, with its decoded text.
struct PreviewSegment {
    std::string text;
    bool trained = false;
    int32_t tokens = 0;

    bool operator==(const PreviewSegment& o) const { return text == o.text && trained == o.trained && tokens == o.tokens; }
};

// The example's tokens grouped into runs of equal flag, each decoded (special tokens kept).
std::vector<PreviewSegment> previewSegments(const TokenizedExample& example, const Tokenizer& tokenizer);

} // namespace lorastudio

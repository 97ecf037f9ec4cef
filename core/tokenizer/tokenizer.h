// lorastudio::Tokenizer: a native reader of Hugging Face tokenizer.json (+ tokenizer_config.json)
// for BPE models (GPT-2, Llama 2/3, Mistral, Qwen families), without Python or Rust. encode() and
// decode() give the ids and text the reference implementations give. A Tokenizer is an immutable
// value: copies are cheap (shared state) and any number of threads may encode concurrently.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

namespace tok {
struct TokenizerImpl;
}

class Tokenizer {
public:
    // dir/tokenizer.json, plus dir/tokenizer_config.json and dir/chat_template.jinja when present.
    // Throws lorastudio::Error naming the file and key for missing files, malformed JSON and
    // unsupported models or components.
    static Tokenizer fromFolder(const std::string& dir);
    // tokenizerConfigJson may be empty (no config: BOS/EOS come from the post-processor alone).
    static Tokenizer fromFiles(const std::string& tokenizerJson, const std::string& tokenizerConfigJson);

    // text must be valid UTF-8 (else Error). addSpecialTokens: wrap the ids as the post-processor
    // says (e.g. BOS + text), overridden by add_bos_token/add_eos_token of tokenizer_config.json.
    std::vector<int32_t> encode(const std::string& text, bool addSpecialTokens) const;
    // Ids with no token (e.g. padding rows of a larger embedding) are skipped.
    std::string decode(const std::vector<int32_t>& ids, bool skipSpecialTokens = false) const;

    // The special ids encode(text, true) puts before / after the text's ids.
    const std::vector<int32_t>& specialPrefix() const;
    const std::vector<int32_t>& specialSuffix() const;

    // One past the largest token id (model vocabulary and added tokens).
    int32_t vocabSize() const;
    std::optional<int32_t> tokenToId(const std::string& token) const;
    // The token's text as written in tokenizer.json (e.g. "Ġthe"); empty when no token has this id.
    std::string idToToken(int32_t id) const;

    // From tokenizer_config.json (unk also from the model); absent when not set or not in the vocabulary.
    std::optional<int32_t> bosId() const;
    std::optional<int32_t> eosId() const;
    std::optional<int32_t> padId() const;
    std::optional<int32_t> unkId() const;
    // An added token marked "special" (BOS, EOS, <|im_start|>, ...).
    bool isSpecial(int32_t id) const;

    const std::string& chatTemplate() const; // empty when none
    std::optional<int64_t> modelMaxLength() const;

private:
    explicit Tokenizer(std::shared_ptr<const tok::TokenizerImpl> impl);
    std::shared_ptr<const tok::TokenizerImpl> m_impl;
};

} // namespace lorastudio

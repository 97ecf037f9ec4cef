// The "pre_tokenizer" section of tokenizer.json: ByteLevel (GPT-2 regex, add_prefix_space, use_regex),
// Split (String/Regex pattern, the five split behaviours, invert), Metaspace (replacement,
// prepend_scheme, split), Digits, Whitespace, WhitespaceSplit, Punctuation and Sequence.
// Pre-tokenizers are immutable once built and safe to share between threads.
#pragma once
#include "tokenizer/json_site.h"

#include <memory>
#include <string>
#include <vector>

namespace lorastudio::tok {

// One word the model will see. atStart: the piece begins at offset 0 of the text given to encode
// (Metaspace's prepend_scheme "first" needs it).
struct Piece {
    std::string text;
    bool atStart = false;
};

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    // Splits (and may rewrite) every piece; empty pieces are dropped.
    virtual void preTokenize(std::vector<Piece>& pieces) const = 0;
};

// Builds the pre-tokenizer described by j; nullptr for a JSON null. Throws Error naming the key path
// for an unknown "type", an unknown split behaviour or an invalid regex.
std::shared_ptr<const PreTokenizer> makePreTokenizer(const nlohmann::json& j, const JsonSite& site);

// GPT-2's pre-tokenization regex, used by the ByteLevel pre-tokenizer when use_regex is set.
extern const char* const kGpt2SplitRegex;

} // namespace lorastudio::tok

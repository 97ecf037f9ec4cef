// The tokenizer as GGUF metadata, read from a model folder's tokenizer.json (+ tokenizer_config.json):
// byte-level BPE (GPT-2, Llama 3, Qwen) as tokenizer.ggml.model "gpt2" with tokens, token types
// and merges, and the pre-tokenizer llama.cpp must use; SentencePiece-style BPE with byte fallback
// (Llama 2, Mistral) as "llama" with tokens, scores (so that llama.cpp merges in the order of the
// merges list) and byte tokens. Plus BOS/EOS/UNK/PAD ids, add_bos/add_eos and the chat template.
#pragma once
#include "io/gguf.h"
#include "model/model_spec.h"

#include <string>
#include <vector>

namespace lorastudio {

struct GgufVocabInfo {
    std::string model;        // "gpt2" or "llama"
    std::string pre;          // tokenizer.ggml.pre ("gpt-2", "llama-bpe", "qwen2"; empty for "llama")
    int64_t tokens = 0;       // including [PAD<i>] rows up to the model's vocab_size
    int64_t merges = 0;
};

// Error naming tokenizer.json for a missing file, a model type other than BPE, more tokens than
// the model's embedding has rows, duplicate token texts. A pre-tokenizer llama.cpp has no name
// for is a warning (llama.cpp's default splitting is written; ids may differ).
GgufVocabInfo writeGgufVocabulary(const std::string& modelFolder, const ModelSpec& spec, gguf::Writer& writer,
                                  std::vector<std::string>& warnings);

} // namespace lorastudio

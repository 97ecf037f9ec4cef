// Do two adapters of one base model compute the same thing? Both run over a fixed probe text
// (tokenized by the base's tokenizer) on the base model loaded once in float32, each attached in
// turn (unmerged, as PEFT runs them); the largest logit difference says how much a resize changed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace lorastudio {

// A few sentences of plain English prose and code, so every kind of token sees some use.
extern const char* const kProbeText;

struct ProbeComparison {
    double maxAbsLogitDiff = 0.0;  // max |logits(first) - logits(second)| over every position and token
    double maxAbsLogit = 0.0;      // max |logits(first)|, for scale
    int64_t tokens = 0;            // probe length in tokens
};

// Errors (lorastudio::Error) name the folder: a missing or mismatched base model, an adapter that
// does not fit it.
ProbeComparison compareOnProbe(const std::string& baseModelFolder, const std::string& firstAdapter,
                               const std::string& secondAdapter, const std::string& text = kProbeText);
// The same over given token ids (e.g. for a model folder without a tokenizer).
ProbeComparison compareOnProbeIds(const std::string& baseModelFolder, const std::string& firstAdapter,
                                  const std::string& secondAdapter, std::vector<int64_t> ids);

} // namespace lorastudio

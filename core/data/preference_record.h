// Preference pairs (data.format preference, for training.objective dpo): one prompt with a chosen
// and a rejected answer, read into two records that render with the data's template like any
// other: the chosen one is the DataRecord, the rejected one its `rejected`. Shapes read:
//  - TRL's: "prompt", "chosen", "rejected" as plain strings (rendered as they are: the prompt
//    untrained, then the answer and EOS), or as message lists ("prompt" may then be absent when
//    "chosen" and "rejected" are whole conversations, e.g. UltraFeedback's; or a string: one user
//    turn, ignored when the conversations have their own user turns);
//  - LLaMA-Factory's: "instruction" (+ "input", "system") with "chosen" and "rejected" strings, and
//    ShareGPT "conversations" (or OpenAI "messages") with "chosen" and "rejected" single turns.
// The messages both conversations share at their start are the prompt: an assistant turn among them
// is context (ChatMessage::context), so only what follows is compared.
#pragma once
#include "data/data_record.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace lorastudio {

extern const char* const kPreferenceHint;

// Like parseRecord: fills `out` (its format that of the chosen record, never Preference) or sets
// `problem`, e.g. "chosen[1]: unknown role 'bot' (hint: ...)", "the chosen and rejected answers are
// the same".
bool parsePreference(const nlohmann::ordered_json& value, DataRecord& out, std::string& problem);

} // namespace lorastudio

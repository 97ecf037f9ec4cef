// DataSettings: what a run trains on and how records become examples (the data file and its
// validation split, format, chat template, system prompt, length, masks, order, streaming,
// packing). Owned by core/data, which reads them; the project file, the studio and the CLI write
// them. No YAML, Qt or LibTorch here.
#pragma once
#include "common/enum_names.h"

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

// ShareGpt: {"conversations": [{"from": "human", "value": ...}]} records, read as chat.
// Preference: pairs of a chosen and a rejected answer to one prompt (training.objective dpo).
enum class DataFormat { Auto, Text, Alpaca, Chat, ShareGpt, Preference };
// Model: the tokenizer's own Jinja chat_template (tokenizer_config.json), rendered natively.
enum class ChatTemplate { Auto, ChatML, Llama3, Mistral, Plain, Alpaca, Model };

struct DataSettings {
    std::string path;                               // as written in a project (see resolveProjectPath)
    DataFormat format = DataFormat::Auto;
    ChatTemplate chatTemplate = ChatTemplate::Auto; // `template:` in the file
    // A system message for the chat and Alpaca records that bring none; empty = none.
    std::string systemPrompt;
    double validationFraction = 0;                  // in [0, 1); 0 = no split (unless validationPath)
    std::string validationPath;                     // non-empty: a separate validation file
    int maxLength = 1024;                           // tokens per example
    // > 0: an example longer than maxLength first loses the start of its prompt, down to this many
    // tokens, so that its answer stays in (TRL's max_prompt_length); 0: cut at the end only.
    int maxPromptLength = 0;
    // Unset: the data layer decides (true for alpaca/chat data, false for plain text).
    std::optional<bool> completionOnlyLoss;
    bool shuffle = true;
    int shuffleSeed = 42;
    bool streaming = false;
    // Pack several examples into each row of max_length tokens (attention and positions restart
    // per example, so each example's loss is what it would be alone): far less padding.
    bool packing = false;
    // Unpacked only: batches of similar lengths (transformers' group_by_length), less padding.
    bool groupByLength = false;
};

bool operator==(const DataSettings& a, const DataSettings& b);
inline bool operator!=(const DataSettings& a, const DataSettings& b) { return !(a == b); }

// Names (see common/enum_names.h for enumName / enumFromName): the first entry of a value is its
// canonical name, later ones are aliases.
const std::vector<EnumEntry<DataFormat>>& enumEntries(DataFormat);
const std::vector<EnumEntry<ChatTemplate>>& enumEntries(ChatTemplate);

} // namespace lorastudio

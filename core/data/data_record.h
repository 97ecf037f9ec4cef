// One training record as read from a data file, before any template is applied: plain text, an
// Alpaca instruction, or a chat conversation (OpenAI-style `messages` or ShareGPT `conversations`).
// Parsing names the problem and gives a hint, so a malformed line can be reported
// ("data.jsonl:17: missing key 'output' (hint: ...)") and skipped.
#pragma once
#include "config/data_settings.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lorastudio {

// Tool: a tool's result (OpenAI role "tool", ShareGPT "tool" / "observation"), context like a user turn.
enum class ChatRole { System, User, Assistant, Tool };

struct ChatMessage {
    ChatRole role = ChatRole::User;
    std::string content;
};

struct DataRecord {
    DataFormat format = DataFormat::Text;   // Text, Alpaca or Chat (ShareGPT records too); never Auto
    std::string text;                       // Text
    std::string instruction, input, output; // Alpaca; input may be empty
    std::string system;                     // Alpaca: the record's own system message, may be empty
    std::vector<ChatMessage> messages;      // Chat: at least one assistant message
};

// The format whose keys `value` has: "messages" -> Chat, "conversations" -> ShareGpt,
// "instruction" or "output" -> Alpaca, "text" -> Text; nullopt for anything else (not an object,
// or none of those keys).
std::optional<DataFormat> detectRecordFormat(const nlohmann::json& value);

// Reads `value` as a record of `format` (not Auto; ShareGpt gives a Chat record). On success fills
// `out` and returns true; on failure returns false with `problem` set to e.g. "missing key 'output'
// (hint: Alpaca records need instruction and output)", without a location (the caller prefixes
// file:line). ShareGPT roles: human/user, gpt/assistant/model/function_call, system and
// tool/observation (LLaMA-Factory's and axolotl's names); `from`/`value` keys, or `role`/`content`.
// Alpaca records may carry a `system` string (LLaMA-Factory's column of that name).
bool parseRecord(const nlohmann::json& value, DataFormat format, DataRecord& out, std::string& problem);

// A plain-text line (.txt files): a Text record, or false for an all-whitespace line.
bool textRecord(const std::string& line, DataRecord& out);

const char* chatRoleName(ChatRole role);

} // namespace lorastudio

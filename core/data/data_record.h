// One training record as read from a data file, before any template is applied: plain text, an
// Alpaca instruction, or a chat conversation (OpenAI-style `messages` or ShareGPT `conversations`).
// Parsing names the problem and gives a hint, so a malformed line can be reported
// ("data.jsonl:17: missing key 'output' (hint: ...)") and skipped.
#pragma once
#include "config/data_settings.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

// Tool: a tool's result (OpenAI role "tool", ShareGPT "tool" / "observation"), context like a user turn.
enum class ChatRole { System, User, Assistant, Tool };

struct ChatMessage {
    ChatMessage() = default;
    ChatMessage(ChatRole r, std::string text) : role(r), content(std::move(text)) {}
    ChatRole role = ChatRole::User;
    std::string content;
    // The message's other keys as the record has them, a JSON object's text ("" for none): an
    // assistant's tool_calls, a tool result's tool_call_id and name, reasoning_content, ... The
    // model's chat template sees them as transformers passes them; "content": null is kept there
    // too (a tool call without text), and contentAbsent says the record had no content key at all.
    std::string fields;
    bool contentAbsent = false;
    bool toolCalls = false;   // fields holds a (checked) tool_calls list
    // An assistant turn given as context (an earlier turn of a preference pair's prompt): rendered
    // like any assistant turn, never trained.
    bool context = false;
};

struct DataRecord {
    // Text, Alpaca or Chat (ShareGPT records too); never Auto. A preference pair is read as its
    // chosen record (any of the three) with the rejected one in `rejected`.
    DataFormat format = DataFormat::Text;
    std::string text;                       // Text
    std::string prompt;                     // Text: an untrained prompt before the text (preference pairs of plain strings)
    std::string instruction, input, output; // Alpaca; input may be empty
    std::string system;                     // Alpaca: the record's own system message, may be empty
    std::vector<ChatMessage> messages;      // Chat: at least one assistant message
    std::string tools;                      // Chat: the record's tool definitions, a JSON list's text; "" for none
    bool usesTools() const;                 // tool definitions, or a message with tool_calls
    // Preference pairs: the same prompt with the rejected answer (one record); empty otherwise.
    std::vector<DataRecord> rejected;
    bool isPair() const { return !rejected.empty(); }
};

// The format whose keys `value` has: "chosen" and "rejected" -> Preference, "messages" -> Chat, "conversations" -> ShareGpt,
// "instruction" or "output" -> Alpaca, "text" -> Text; nullopt for anything else (not an object,
// or none of those keys).
std::optional<DataFormat> detectRecordFormat(const nlohmann::ordered_json& value);

// Reads `value` as a record of `format` (not Auto; ShareGpt gives a Chat record). On success fills
// `out` and returns true; on failure returns false with `problem` set to e.g. "missing key 'output'
// (hint: Alpaca records need instruction and output)", without a location (the caller prefixes
// file:line). ShareGPT roles: human/user, gpt/assistant/model/function_call, system and
// tool/observation (LLaMA-Factory's and axolotl's names); `from`/`value` keys, or `role`/`content`.
// Alpaca records may carry a `system` string (LLaMA-Factory's column of that name).
// Function calling (core/data/tool_calls.h): OpenAI-style `tools` beside `messages`, assistant
// messages with `tool_calls` (their content may then be empty, null or absent) and `tool` results;
// ShareGPT's `function_call` turns (a JSON {"name", "arguments"}, or a list of them) and a `tools`
// list or JSON string (LLaMA-Factory's layout) become the same.
// Preference records: core/data/preference_record.h.
bool parseRecord(const nlohmann::ordered_json& value, DataFormat format, DataRecord& out, std::string& problem);

// One message of a conversation (`where` names it in problems, e.g. "chosen[0]"), in the OpenAI
// (role/content) or ShareGPT (from/value) layout: what parseRecord reads for each turn.
bool parseChatMessage(const nlohmann::ordered_json& m, const std::string& where, bool shareGpt, ChatMessage& msg,
                      std::string& problem);

// A plain-text line (.txt files): a Text record, or false for an all-whitespace line.
bool textRecord(const std::string& line, DataRecord& out);

const char* chatRoleName(ChatRole role);

} // namespace lorastudio

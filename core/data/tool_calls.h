// Function-calling records: the parts of a chat record that carry tools, checked as they are read,
// so that a malformed one is reported with its place ("data.jsonl:4: messages[1].tool_calls[0]:
// missing key 'function' (hint: ...)") and skipped like any bad line. What is kept is handed to
// the model's chat template as transformers hands it over (data/model_chat_template.h); the
// built-in templates write no tool calls and refuse such records (data/chat_template.h).
#pragma once
#include "data/data_record.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace lorastudio {

// An OpenAI-style message's keys beyond role and content into msg.fields (tool_calls checked: a
// list of {"type": "function", "function": {"name", "arguments"}} with arguments an object or a
// JSON string; tool_call_id and name strings). content null or absent is allowed only beside
// tool_calls. `where` is e.g. "messages[1]".
bool readMessageFields(const nlohmann::ordered_json& message, const std::string& where, ChatMessage& msg, std::string& problem);

// A ShareGPT `function_call` turn's value ({"name": ..., "arguments": ...} or a list of them, as
// JSON text) as an assistant message with tool_calls and empty content; a value that is no JSON
// object or list stays the assistant's text.
bool functionCallMessage(const std::string& value, const std::string& where, ChatMessage& msg, std::string& problem);

// The record's `tools`: a list of objects, or (ShareGPT, LLaMA-Factory) that list as a JSON string.
// Absent or null: none. Sets record.tools.
bool readTools(const nlohmann::ordered_json& record, DataRecord& out, std::string& problem);

} // namespace lorastudio

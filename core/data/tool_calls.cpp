// See tool_calls.h.
#include "data/tool_calls.h"

#include <nlohmann/json.hpp>

namespace lorastudio {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* kToolCallHint =
    "a tool call looks like {\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}}";
constexpr const char* kToolsHint =
    "tools is a list of function definitions: [{\"type\": \"function\", \"function\": {\"name\": ..., \"parameters\": {...}}}]";

std::string withHint(const std::string& what, const char* hint) { return what + " (hint: " + hint + ")"; }

bool checkToolCall(const json& call, const std::string& where, std::string& problem) {
    if (!call.is_object()) {
        problem = withHint(where + " must be an object, got " + std::string(call.type_name()), kToolCallHint);
        return false;
    }
    const auto fn = call.find("function");
    if (fn == call.end() || !fn->is_object()) {
        problem = withHint(where + ": " + (fn == call.end() ? "missing key 'function'" : "'function' must be an object"), kToolCallHint);
        return false;
    }
    const auto name = fn->find("name");
    if (name == fn->end() || !name->is_string() || name->get<std::string>().empty()) {
        problem = withHint(where + ".function: 'name' must be a non-empty string", kToolCallHint);
        return false;
    }
    const auto args = fn->find("arguments");
    if (args != fn->end() && !args->is_object() && !args->is_string()) {
        problem = withHint(where + ".function: 'arguments' must be an object or a JSON string, got " + std::string(args->type_name()),
                           kToolCallHint);
        return false;
    }
    return true;
}

bool checkToolCalls(const json& calls, const std::string& where, std::string& problem) {
    if (!calls.is_array() || calls.empty()) {
        problem = withHint(where + " must be a non-empty list", kToolCallHint);
        return false;
    }
    for (std::size_t i = 0; i < calls.size(); ++i)
        if (!checkToolCall(calls[i], where + "[" + std::to_string(i) + "]", problem)) return false;
    return true;
}

} // namespace

bool readMessageFields(const json& message, const std::string& where, ChatMessage& msg, std::string& problem) {
    json fields = json::object();
    for (auto it = message.begin(); it != message.end(); ++it) {
        if (it.key() == "role" || (it.key() == "content" && it->is_string())) continue;
        fields[it.key()] = it.value();
    }
    if (const auto calls = fields.find("tool_calls"); calls != fields.end() && !calls->is_null()) {
        if (!checkToolCalls(*calls, where + ".tool_calls", problem)) return false;
        if (msg.role != ChatRole::Assistant) {
            problem = withHint(where + ": tool_calls belong to an assistant message", kToolCallHint);
            return false;
        }
        msg.toolCalls = true;
    }
    for (const char* key : {"tool_call_id", "name"})
        if (const auto it = fields.find(key); it != fields.end() && !it->is_string() && !it->is_null()) {
            problem = withHint(where + ": '" + key + "' must be a string, got " + std::string(it->type_name()),
                               "a tool result looks like {\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"...\"}");
            return false;
        }
    msg.contentAbsent = !message.contains("content");
    msg.fields = fields.empty() ? std::string() : fields.dump();
    return true;
}

bool functionCallMessage(const std::string& value, const std::string& where, ChatMessage& msg, std::string& problem) {
    json parsed = json::parse(value, nullptr, false);
    msg.role = ChatRole::Assistant;
    if (parsed.is_discarded() || !(parsed.is_object() || parsed.is_array())) {
        msg.content = value;  // not a call as JSON: the turn's text, as written
        return true;
    }
    json calls = json::array();
    for (const json& one : parsed.is_array() ? parsed : json::array({parsed})) {
        json call = {{"type", "function"}, {"function", one}};
        if (!checkToolCall(call, where, problem)) return false;
        calls.push_back(std::move(call));
    }
    msg.content.clear();
    msg.fields = json{{"tool_calls", calls}}.dump();
    msg.toolCalls = true;
    return true;
}

bool readTools(const json& record, DataRecord& out, std::string& problem) {
    const auto it = record.find("tools");
    if (it == record.end() || it->is_null()) return true;
    json tools = *it;
    if (tools.is_string()) {
        tools = json::parse(it->get<std::string>(), nullptr, false);
        if (tools.is_discarded()) {
            problem = withHint("key 'tools' is a string that is not JSON", kToolsHint);
            return false;
        }
    }
    if (!tools.is_array()) {
        problem = withHint("key 'tools' must be a list, got " + std::string(tools.type_name()), kToolsHint);
        return false;
    }
    for (std::size_t i = 0; i < tools.size(); ++i)
        if (!tools[i].is_object()) {
            problem = withHint("tools[" + std::to_string(i) + "] must be an object, got " + std::string(tools[i].type_name()), kToolsHint);
            return false;
        }
    out.tools = tools.empty() ? std::string() : tools.dump();
    return true;
}

} // namespace lorastudio

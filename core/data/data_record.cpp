// See data_record.h. Every problem message says what is wrong and how a correct record looks.
#include "data/data_record.h"

#include "data/preference_record.h"
#include "data/tool_calls.h"

#include <nlohmann/json.hpp>

namespace lorastudio {

namespace {

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

const char* hintFor(DataFormat format) {
    switch (format) {
    case DataFormat::Alpaca: return "Alpaca records need instruction and output";
    case DataFormat::Preference: return kPreferenceHint;
    case DataFormat::Chat:
        return "chat records look like {\"messages\": [{\"role\": \"user\", \"content\": \"...\"}, "
               "{\"role\": \"assistant\", \"content\": \"...\"}]}";
    case DataFormat::ShareGpt:
        return "ShareGPT records look like {\"conversations\": [{\"from\": \"human\", \"value\": \"...\"}, "
               "{\"from\": \"gpt\", \"value\": \"...\"}]}";
    default: return "text records look like {\"text\": \"...\"}";
    }
}

std::string withHint(const std::string& what, const std::string& hint) { return what + " (hint: " + hint + ")"; }

// obj[key] as a string into `out`. Absent or null: `required` decides. Blank counts as empty.
bool readString(const nlohmann::ordered_json& obj, const std::string& key, bool required, bool allowEmpty,
                const std::string& hint, std::string& out, std::string& problem) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (!required) return true;
        problem = withHint("missing key '" + key + "'", hint);
        return false;
    }
    if (!it->is_string()) {
        problem = withHint("key '" + key + "' must be a string, got " + std::string(it->type_name()), hint);
        return false;
    }
    out = it->get<std::string>();
    if (!allowEmpty && isBlank(out)) {
        problem = withHint("key '" + key + "' is empty", hint);
        return false;
    }
    return true;
}

// The keys and role names of one conversation layout.
struct ChatLayout {
    const char* listKey;    // "messages" / "conversations"
    const char* roleKey;    // "role" / "from"
    const char* contentKey; // "content" / "value"
    const char* roles;      // for hints
};

const ChatLayout kOpenAi{"messages", "role", "content", "roles are system, user, assistant and tool"};
const ChatLayout kShareGpt{"conversations", "from", "value",
                           "ShareGPT roles are system, human, gpt and tool (also user, assistant, observation, function_call)"};

std::optional<ChatRole> roleNamed(const std::string& name, bool shareGpt) {
    if (name == "system") return ChatRole::System;
    if (name == "user" || (shareGpt && name == "human")) return ChatRole::User;
    if (name == "assistant" || (shareGpt && (name == "gpt" || name == "model" || name == "function_call")))
        return ChatRole::Assistant;
    if (name == "tool" || (shareGpt && name == "observation")) return ChatRole::Tool;
    return std::nullopt;
}

} // namespace

bool parseChatMessage(const nlohmann::ordered_json& m, const std::string& where, bool shareGpt, ChatMessage& msg,
                      std::string& problem) {
    const std::string hint = hintFor(shareGpt ? DataFormat::ShareGpt : DataFormat::Chat);
    const ChatLayout& layout = shareGpt ? kShareGpt : kOpenAi;
    if (!m.is_object()) {
        problem = withHint(where + " must be an object, got " + std::string(m.type_name()), hint);
        return false;
    }
    // ShareGPT files converted from OpenAI's layout keep role/content: accept those keys as well.
    const bool openAiKeys = shareGpt && !m.contains(layout.roleKey) && m.contains("role");
    const std::string roleKey = openAiKeys ? "role" : layout.roleKey;
    const std::string contentKey = openAiKeys ? "content" : layout.contentKey;
    std::string role, content, sub;
    if (!readString(m, roleKey, true, false, layout.roles, role, sub)) {
        problem = where + ": " + sub;
        return false;
    }
    const auto parsed = roleNamed(role, shareGpt);
    if (!parsed) {
        problem = withHint(where + ": unknown role '" + role + "'", layout.roles);
        return false;
    }
    msg.role = *parsed;
    // An assistant message that calls tools may have no text (content empty, null or absent).
    const auto calls = m.find("tool_calls");
    const bool callsTools = !shareGpt && calls != m.end() && !calls->is_null();
    if (!readString(m, contentKey, !callsTools, callsTools, hint, content, sub)) {
        problem = where + ": " + sub;
        return false;
    }
    if (shareGpt && role == "function_call") return functionCallMessage(content, where, msg, problem);
    msg.content = std::move(content);
    return shareGpt || readMessageFields(m, where, msg, problem);
}

namespace {

bool parseChat(const nlohmann::ordered_json& value, bool shareGpt, DataRecord& out, std::string& problem) {
    const ChatLayout& layout = shareGpt ? kShareGpt : kOpenAi;
    const std::string hint = hintFor(shareGpt ? DataFormat::ShareGpt : DataFormat::Chat);
    const std::string key = layout.listKey;
    auto it = value.find(key);
    if (it == value.end() || it->is_null()) {
        problem = withHint("missing key '" + key + "'", hint);
        return false;
    }
    if (!it->is_array()) {
        problem = withHint("key '" + key + "' must be a list, got " + std::string(it->type_name()), hint);
        return false;
    }
    if (it->empty()) {
        problem = withHint("key '" + key + "' is an empty list", hint);
        return false;
    }
    if (!readTools(value, out, problem)) return false;
    // A ShareGPT record may carry its system message beside the turns (LLaMA-Factory's "system").
    std::string system;
    if (shareGpt && !readString(value, "system", false, true, hint, system, problem)) return false;
    if (!isBlank(system)) out.messages.push_back(ChatMessage{ChatRole::System, system});
    bool hasAssistant = false;
    for (std::size_t i = 0; i < it->size(); ++i) {
        ChatMessage msg;
        if (!parseChatMessage((*it)[i], key + "[" + std::to_string(i) + "]", shareGpt, msg, problem)) return false;
        hasAssistant = hasAssistant || msg.role == ChatRole::Assistant;
        out.messages.push_back(std::move(msg));
    }
    if (!hasAssistant) {
        problem = withHint("no assistant message", "a conversation needs at least one assistant turn to learn from");
        return false;
    }
    return true;
}

} // namespace

const char* chatRoleName(ChatRole role) {
    switch (role) {
    case ChatRole::System: return "system";
    case ChatRole::User: return "user";
    case ChatRole::Assistant: return "assistant";
    case ChatRole::Tool: return "tool";
    }
    return "user";
}

bool DataRecord::usesTools() const {
    if (!tools.empty()) return true;
    for (const ChatMessage& m : messages)
        if (m.toolCalls) return true;
    return false;
}

std::optional<DataFormat> detectRecordFormat(const nlohmann::ordered_json& value) {
    if (!value.is_object()) return std::nullopt;
    if (value.contains("chosen") && value.contains("rejected")) return DataFormat::Preference;
    if (value.contains("messages")) return DataFormat::Chat;
    if (value.contains("conversations")) return DataFormat::ShareGpt;
    if (value.contains("instruction") || value.contains("output")) return DataFormat::Alpaca;
    if (value.contains("text")) return DataFormat::Text;
    return std::nullopt;
}

bool parseRecord(const nlohmann::ordered_json& value, DataFormat format, DataRecord& out, std::string& problem) {
    out = DataRecord{};
    out.format = format == DataFormat::ShareGpt ? DataFormat::Chat : format;
    if (!value.is_object()) {
        problem = withHint("expected a JSON object, got " + std::string(value.type_name()), hintFor(format));
        return false;
    }
    switch (format) {
    case DataFormat::Alpaca: {
        const std::string hint = hintFor(format);
        return readString(value, "instruction", true, false, hint, out.instruction, problem) &&
               readString(value, "input", false, true, hint, out.input, problem) &&
               readString(value, "output", true, false, hint, out.output, problem) &&
               readString(value, "system", false, true, hint, out.system, problem);
    }
    case DataFormat::Chat: return parseChat(value, false, out, problem);
    case DataFormat::ShareGpt: return parseChat(value, true, out, problem);
    case DataFormat::Preference: return parsePreference(value, out, problem);
    case DataFormat::Text:
    case DataFormat::Auto: // callers resolve Auto first; treat it as text
        out.format = DataFormat::Text;
        return readString(value, "text", true, false, hintFor(DataFormat::Text), out.text, problem);
    }
    return false;
}

bool textRecord(const std::string& line, DataRecord& out) {
    if (isBlank(line)) return false;
    out = DataRecord{};
    out.format = DataFormat::Text;
    out.text = line;
    return true;
}

} // namespace lorastudio

// See data_record.h. Every problem message says what is wrong and how a correct record looks.
#include "data/data_record.h"

#include <nlohmann/json.hpp>

namespace lorastudio {

namespace {

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

const char* hintFor(DataFormat format) {
    switch (format) {
    case DataFormat::Alpaca: return "Alpaca records need instruction and output";
    case DataFormat::Chat:
        return "chat records look like {\"messages\": [{\"role\": \"user\", \"content\": \"...\"}, "
               "{\"role\": \"assistant\", \"content\": \"...\"}]}";
    default: return "text records look like {\"text\": \"...\"}";
    }
}

std::string withHint(const std::string& what, const std::string& hint) { return what + " (hint: " + hint + ")"; }

// obj[key] as a string into `out`. Absent or null: `required` decides. Blank counts as empty.
bool readString(const nlohmann::json& obj, const std::string& key, bool required, bool allowEmpty,
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

bool parseChat(const nlohmann::json& value, DataRecord& out, std::string& problem) {
    const std::string hint = hintFor(DataFormat::Chat);
    auto it = value.find("messages");
    if (it == value.end() || it->is_null()) {
        problem = withHint("missing key 'messages'", hint);
        return false;
    }
    if (!it->is_array()) {
        problem = withHint("key 'messages' must be a list, got " + std::string(it->type_name()), hint);
        return false;
    }
    if (it->empty()) {
        problem = withHint("key 'messages' is an empty list", hint);
        return false;
    }
    bool hasAssistant = false;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& m = (*it)[i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        if (!m.is_object()) {
            problem = withHint(where + " must be an object, got " + std::string(m.type_name()), hint);
            return false;
        }
        std::string role, content;
        std::string sub;
        if (!readString(m, "role", true, false, "roles are system, user and assistant", role, sub) ||
            !readString(m, "content", true, false, hint, content, sub)) {
            problem = where + ": " + sub;
            return false;
        }
        ChatMessage msg;
        if (role == "system") msg.role = ChatRole::System;
        else if (role == "user") msg.role = ChatRole::User;
        else if (role == "assistant") msg.role = ChatRole::Assistant;
        else {
            problem = withHint(where + ": unknown role '" + role + "'", "roles are system, user and assistant");
            return false;
        }
        hasAssistant = hasAssistant || msg.role == ChatRole::Assistant;
        msg.content = std::move(content);
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
    }
    return "user";
}

std::optional<DataFormat> detectRecordFormat(const nlohmann::json& value) {
    if (!value.is_object()) return std::nullopt;
    if (value.contains("messages")) return DataFormat::Chat;
    if (value.contains("instruction") || value.contains("output")) return DataFormat::Alpaca;
    if (value.contains("text")) return DataFormat::Text;
    return std::nullopt;
}

bool parseRecord(const nlohmann::json& value, DataFormat format, DataRecord& out, std::string& problem) {
    out = DataRecord{};
    out.format = format;
    if (!value.is_object()) {
        problem = withHint("expected a JSON object, got " + std::string(value.type_name()), hintFor(format));
        return false;
    }
    switch (format) {
    case DataFormat::Alpaca: {
        const std::string hint = hintFor(format);
        return readString(value, "instruction", true, false, hint, out.instruction, problem) &&
               readString(value, "input", false, true, hint, out.input, problem) &&
               readString(value, "output", true, false, hint, out.output, problem);
    }
    case DataFormat::Chat: return parseChat(value, out, problem);
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

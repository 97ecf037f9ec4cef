// See preference_record.h.
#include "data/preference_record.h"

#include "data/tool_calls.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lorastudio {

const char* const kPreferenceHint =
    "preference records look like {\"prompt\": \"...\", \"chosen\": \"...\", \"rejected\": \"...\"}, "
    "with message lists in place of the strings for chat data";

namespace {

std::string withHint(const std::string& what) { return what + " (hint: " + kPreferenceHint + ")"; }

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

bool readOptionalString(const nlohmann::ordered_json& v, const char* key, std::string& out, std::string& problem) {
    const auto it = v.find(key);
    if (it == v.end() || it->is_null()) return true;
    if (!it->is_string()) {
        problem = withHint("key '" + std::string(key) + "' must be a string, got " + it->type_name());
        return false;
    }
    out = it->get<std::string>();
    return true;
}

// A list of messages, one message object, or (when `answer`) a string: an assistant turn.
bool readTurns(const nlohmann::ordered_json& v, const std::string& key, bool shareGpt, bool answer,
               std::vector<ChatMessage>& out, std::string& problem) {
    if (v.is_string() && answer) {
        if (isBlank(v.get<std::string>())) {
            problem = withHint("key '" + key + "' is empty");
            return false;
        }
        out.push_back(ChatMessage{ChatRole::Assistant, v.get<std::string>()});
        return true;
    }
    if (v.is_object()) {
        ChatMessage m;
        if (!parseChatMessage(v, key, shareGpt, m, problem)) return false;
        out.push_back(std::move(m));
        return true;
    }
    if (!v.is_array() || v.empty()) {
        problem = withHint("key '" + key + "' must be " + (answer ? "a string, a message or a list of messages" : "a list of messages") +
                           ", got " + (v.is_array() ? std::string("an empty list") : std::string(v.type_name())));
        return false;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        ChatMessage m;
        if (!parseChatMessage(v[i], key + "[" + std::to_string(i) + "]", shareGpt, m, problem)) return false;
        out.push_back(std::move(m));
    }
    return true;
}

bool sameMessage(const ChatMessage& a, const ChatMessage& b) {
    return a.role == b.role && a.content == b.content && a.fields == b.fields;
}

bool hasOtherThanAssistant(const std::vector<ChatMessage>& messages) {
    return std::any_of(messages.begin(), messages.end(), [](const ChatMessage& m) { return m.role != ChatRole::Assistant; });
}

// The shared start is the prompt: its assistant turns are context; each side needs an assistant
// turn after it.
bool settlePair(std::vector<ChatMessage>& chosen, std::vector<ChatMessage>& rejected, std::string& problem) {
    std::size_t shared = 0;
    while (shared < chosen.size() && shared < rejected.size() && sameMessage(chosen[shared], rejected[shared])) ++shared;
    for (std::size_t i = 0; i < shared; ++i) chosen[i].context = rejected[i].context = chosen[i].role == ChatRole::Assistant;
    auto answers = [shared](const std::vector<ChatMessage>& m) {
        return std::any_of(m.begin() + static_cast<std::ptrdiff_t>(shared), m.end(),
                           [](const ChatMessage& x) { return x.role == ChatRole::Assistant; });
    };
    if (chosen.size() == rejected.size() && shared == chosen.size()) {
        problem = withHint("the chosen and rejected answers are the same");
        return false;
    }
    if (!answers(chosen) || !answers(rejected)) {
        problem = withHint(std::string("no assistant answer in '") + (answers(chosen) ? "rejected" : "chosen") +
                           "' after the prompt the two share");
        return false;
    }
    return true;
}

// The pair as two chat records, with the record's tool definitions on both.
bool chatPair(const nlohmann::ordered_json& v, std::vector<ChatMessage> chosen, std::vector<ChatMessage> rejected,
              DataRecord& out, std::string& problem) {
    if (!settlePair(chosen, rejected, problem) || !readTools(v, out, problem)) return false;
    out.format = DataFormat::Chat;
    out.messages = std::move(chosen);
    DataRecord r;
    r.format = DataFormat::Chat;
    r.messages = std::move(rejected);
    r.tools = out.tools;
    out.rejected.push_back(std::move(r));
    return true;
}

// LLaMA-Factory's ranking layouts: a conversation ("conversations" ShareGPT, "messages" OpenAI) and
// one chosen and one rejected turn.
bool parseConversationPair(const nlohmann::ordered_json& v, bool shareGpt, DataRecord& out, std::string& problem) {
    const std::string listKey = shareGpt ? "conversations" : "messages";
    std::vector<ChatMessage> prompt;
    if (!readTurns(v.at(listKey), listKey, shareGpt, false, prompt, problem)) return false;
    std::string system;
    if (shareGpt && !readOptionalString(v, "system", system, problem)) return false;
    if (!isBlank(system)) prompt.insert(prompt.begin(), ChatMessage{ChatRole::System, system});
    std::vector<ChatMessage> chosen = prompt, rejected = prompt;
    if (!readTurns(v.at("chosen"), "chosen", shareGpt, true, chosen, problem) ||
        !readTurns(v.at("rejected"), "rejected", shareGpt, true, rejected, problem))
        return false;
    return chatPair(v, std::move(chosen), std::move(rejected), out, problem);
}

// LLaMA-Factory's Alpaca ranking layout: instruction, input, system, chosen and rejected strings.
bool parseAlpacaPair(const nlohmann::ordered_json& v, DataRecord& out, std::string& problem) {
    DataRecord a;
    a.format = DataFormat::Alpaca;
    if (!readOptionalString(v, "instruction", a.instruction, problem) || !readOptionalString(v, "input", a.input, problem) ||
        !readOptionalString(v, "system", a.system, problem))
        return false;
    if (isBlank(a.instruction)) {
        problem = withHint("key 'instruction' is empty");
        return false;
    }
    DataRecord r = a;
    for (auto [key, target] : {std::pair<const char*, std::string*>{"chosen", &a.output}, {"rejected", &r.output}}) {
        const auto& x = v.at(key);
        if (!x.is_string() || isBlank(x.get<std::string>())) {
            problem = withHint(std::string("key '") + key + "' must be a non-empty string beside 'instruction'");
            return false;
        }
        *target = x.get<std::string>();
    }
    if (a.output == r.output) {
        problem = withHint("the chosen and rejected answers are the same");
        return false;
    }
    out = std::move(a);
    out.rejected.push_back(std::move(r));
    return true;
}

// TRL's layouts: prompt / chosen / rejected as strings or message lists.
bool parseTrlPair(const nlohmann::ordered_json& v, DataRecord& out, std::string& problem) {
    const auto& c = v.at("chosen");
    const auto& r = v.at("rejected");
    const auto p = v.find("prompt");
    const bool hasPrompt = p != v.end() && !p->is_null();
    if (c.is_string() && r.is_string() && (!hasPrompt || p->is_string())) {
        if (!hasPrompt) {
            problem = withHint("missing key 'prompt' (plain-string answers need the prompt they answer)");
            return false;
        }
        if (c.get<std::string>() == r.get<std::string>() || isBlank(c.get<std::string>()) || isBlank(r.get<std::string>())) {
            problem = withHint(isBlank(c.get<std::string>()) || isBlank(r.get<std::string>())
                                   ? "an answer is empty" : "the chosen and rejected answers are the same");
            return false;
        }
        out.format = DataFormat::Text;
        out.prompt = p->get<std::string>();
        out.text = c.get<std::string>();
        DataRecord rejected = out;
        rejected.text = r.get<std::string>();
        out.rejected.push_back(std::move(rejected));
        return true;
    }
    std::vector<ChatMessage> chosen, rejected;
    if (!readTurns(c, "chosen", false, true, chosen, problem) || !readTurns(r, "rejected", false, true, rejected, problem))
        return false;
    // The prompt: a message list, or a string (one user turn), unless the answers are whole
    // conversations with their own user turns (UltraFeedback repeats the prompt there).
    if (hasPrompt && !(p->is_string() && hasOtherThanAssistant(chosen))) {
        std::vector<ChatMessage> prompt;
        if (p->is_string()) {
            if (isBlank(p->get<std::string>())) {
                problem = withHint("key 'prompt' is empty");
                return false;
            }
            prompt.push_back(ChatMessage{ChatRole::User, p->get<std::string>()});
        } else if (!readTurns(*p, "prompt", false, false, prompt, problem)) {
            return false;
        }
        chosen.insert(chosen.begin(), prompt.begin(), prompt.end());
        rejected.insert(rejected.begin(), prompt.begin(), prompt.end());
    } else if (!hasOtherThanAssistant(chosen)) {
        problem = withHint("missing key 'prompt' (the answers are assistant turns only)");
        return false;
    }
    return chatPair(v, std::move(chosen), std::move(rejected), out, problem);
}

} // namespace

bool parsePreference(const nlohmann::ordered_json& value, DataRecord& out, std::string& problem) {
    out = DataRecord{};
    for (const char* key : {"chosen", "rejected"}) {
        const auto it = value.find(key);
        if (it == value.end() || it->is_null()) {
            problem = withHint(std::string("missing key '") + key + "'");
            return false;
        }
    }
    if (value.contains("conversations")) return parseConversationPair(value, true, out, problem);
    if (value.contains("messages")) return parseConversationPair(value, false, out, problem);
    if (value.contains("instruction")) return parseAlpacaPair(value, out, problem);
    return parseTrlPair(value, out, problem);
}

} // namespace lorastudio

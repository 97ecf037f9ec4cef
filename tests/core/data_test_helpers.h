// Helpers shared by the core/data tests (test_data.cpp, test_data_templates.cpp): fixture
// tokenizers, files of JSONL lines, records, and rendering to one string with the masked parts marked.
#pragma once
#include "data/batcher.h"
#include "data/chat_template.h"
#include "data/data_order.h"
#include "data/dataset.h"
#include "data/model_chat_template.h"

#include "common/error.h"
#include "tokenizer/tokenizer.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QString>

#include "test_support.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lorastudio::datatest {

using nlohmann::json;

inline QString q(const std::string& s) { return QString::fromStdString(s); }

inline const Tokenizer& fixtureTokenizer(const std::string& family) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[family];
    if (!slot) {
        const std::string dir = family == "demo" ? testsupport::sourceDir() + "/resources/demo/model"
                                                 : testsupport::fixturesDir() + "/tokenizers/" + family;
        slot = std::make_unique<Tokenizer>(Tokenizer::fromFolder(dir));
    }
    return *slot;
}


// Writes lines (joined with "\n") to dir/name and returns the path.
inline std::string writeLines(const std::string& dir, const std::string& name, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    testsupport::writeFile(dir + "/" + name, text);
    return dir + "/" + name;
}

inline std::string alpacaLine(const std::string& instruction, const std::string& output, const std::string& input = "") {
    return json{{"instruction", instruction}, {"input", input}, {"output", output}}.dump();
}

inline DataSettings settingsFor(const std::string& path) {
    DataSettings s;
    s.path = path;
    s.maxLength = 256;
    return s;
}

// The decoded tokens whose label counts (trained) or not, in order.
inline std::string decodeWhere(const TokenizedExample& ex, const Tokenizer& tok, bool trained) {
    std::vector<int32_t> ids;
    for (std::size_t i = 0; i < ex.inputIds.size(); ++i)
        if ((ex.labels[i] != kIgnoreIndex) == trained) ids.push_back(ex.inputIds[i]);
    return tok.decode(ids, false);
}

inline DataRecord alpaca(const std::string& instruction, const std::string& output, const std::string& input = "") {
    DataRecord r;
    r.format = DataFormat::Alpaca;
    r.instruction = instruction;
    r.input = input;
    r.output = output;
    return r;
}

inline DataRecord chat(const std::vector<std::pair<ChatRole, std::string>>& turns) {
    DataRecord r;
    r.format = DataFormat::Chat;
    for (const auto& [role, content] : turns) r.messages.push_back(ChatMessage{role, content});
    return r;
}

// A conversation with a system prompt and two assistant turns, used for every chat template.
inline DataRecord twoTurns() {
    return chat({{ChatRole::System, "You are terse."},
                 {ChatRole::User, "How many legs does a duck have?"},
                 {ChatRole::Assistant, "A duck has 2 legs."},
                 {ChatRole::User, "And a cat?"},
                 {ChatRole::Assistant, "A cat has 4 legs."}});
}

inline std::string render(const DataRecord& r, ChatTemplate t, bool trainedOnly = false, bool eosAfterMarker = false) {
    RenderOptions o;
    o.chatTemplate = t;
    o.eosAfterEndMarker = eosAfterMarker;
    return joinSegments(renderRecord(r, o), "<EOS>", trainedOnly);
}

inline const char* const kNoInput = "Below is an instruction that describes a task. Write a response that appropriately "
                             "completes the request.\n\n";
inline const char* const kWithInput = "Below is an instruction that describes a task, paired with an input that provides "
                               "further context. Write a response that appropriately completes the request.\n\n";

// Mistral-7B-Instruct-v0.2's chat_template and Meta-Llama-3-8B-Instruct's, as published.
inline const char* const kMistralJinja =
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}"
    "{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";
inline const char* const kLlama3Jinja =
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
    "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

inline bool tensorsEqual(const at::Tensor& a, const at::Tensor& b) { return a.sizes() == b.sizes() && a.equal(b); }

// A fixture tokenizer with another chat_template (and these special tokens, e.g. {"eos_token":
// "<|im_end|>"}): its tokenizer.json and a rewritten tokenizer_config.json.
inline Tokenizer withTemplate(const std::string& family, const std::string& chatTemplate,
                              const json& specialTokens = json::object()) {
    const std::string dir = testsupport::fixturesDir() + "/tokenizers/" + family;
    json config = json::parse(testsupport::readFile(dir + "/tokenizer_config.json"));
    config["chat_template"] = chatTemplate;
    for (const auto& [key, text] : specialTokens.items()) config[key] = text;
    const std::string tmp = testsupport::makeTempDir("jinja_tok");
    testsupport::writeFile(tmp + "/tokenizer_config.json", config.dump());
    return Tokenizer::fromFiles(dir + "/tokenizer.json", tmp + "/tokenizer_config.json");
}

// Rendering with the tokenizer's own chat template (data.template: model).
inline RenderOptions modelOptions(const Tokenizer& tok, bool completionOnly = true) {
    RenderOptions o;
    o.chatTemplate = ChatTemplate::Model;
    o.completionOnly = completionOnly;
    o.modelTemplate = std::make_shared<const ModelChatTemplate>(tok);
    return o;
}


} // namespace lorastudio::datatest

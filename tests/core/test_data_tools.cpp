// Function-calling training data (core/data/tool_calls.h): a record's `tools` and its assistant
// messages' `tool_calls` reach the model's chat template as transformers passes them, so a record
// renders exactly as the reference renders the same conversation (the tool cases of
// tests/fixtures/jinja, for Qwen2.5, Qwen3, Hermes 3 and Llama 3.1); the trained part is the
// assistant's turns (its tool calls and its answer), not the tool's result; ShareGPT's
// function_call / observation turns with a `tools` string (LLaMA-Factory's layout) render as the
// same conversation in OpenAI's layout; argument keys keep their order; a built-in template writes
// a call as its JSON and the dataset says that tool definitions are left out; malformed tool parts
// are bad lines with their place and a hint.
#include "data_test_helpers.h"

#include <QtTest/QtTest>

#include <algorithm>

using namespace lorastudio;
using namespace lorastudio::datatest;
using ojson = nlohmann::ordered_json;

namespace {

ojson fixture(const std::string& name) {
    return ojson::parse(testsupport::readFile(testsupport::sourceDir() + "/tests/fixtures/jinja/" + name + ".json"));
}

// A fixture tokenizer with the fixture's template and special tokens.
Tokenizer withTemplate(const std::string& family, const ojson& f) {
    return datatest::withTemplate(family, f.at("template").get<std::string>(), json(f.at("special_tokens")));
}

DataRecord parsed(const ojson& value, DataFormat format = DataFormat::Chat) {
    DataRecord r;
    std::string problem;
    if (!parseRecord(value, format, r, problem)) throw Error("parseRecord", problem);
    return r;
}

std::string problemOf(const char* text) {
    DataRecord r;
    std::string problem;
    return parseRecord(ojson::parse(text), DataFormat::Chat, r, problem) ? std::string() : problem;
}

const char* kCases[] = {"tools_call", "tools_call_two_tools", "tools_call_string_arguments", "tools_call_null_content"};

} // namespace

class TestDataTools : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rendersAsTheReference_data() {
        QTest::addColumn<QString>("fixtureName");
        QTest::addColumn<QString>("family");
        QTest::newRow("qwen2_5") << QStringLiteral("qwen2_5") << QStringLiteral("qwen3");
        QTest::newRow("qwen3") << QStringLiteral("qwen3") << QStringLiteral("qwen3");
        QTest::newRow("hermes3") << QStringLiteral("hermes3") << QStringLiteral("gpt2");
        QTest::newRow("llama3_1") << QStringLiteral("llama3_1") << QStringLiteral("gpt2");
    }

    void rendersAsTheReference() {
        QFETCH(QString, fixtureName);
        QFETCH(QString, family);
        const ojson f = fixture(fixtureName.toStdString());
        const Tokenizer tok = withTemplate(family.toStdString(), f);
        int compared = 0;
        for (const ojson& c : f.at("cases")) {
            const std::string name = c.at("name").get<std::string>();
            if (std::find(std::begin(kCases), std::end(kCases), name) == std::end(kCases)) continue;
            const char* key = c.contains("expected") ? "expected" : c.contains("python_expected") ? "python_expected" : nullptr;
            if (!key) continue;  // the template refuses it (both references raise)
            // The case as a data record: its messages and tools, the way a JSONL line holds them.
            const DataRecord record = parsed(ojson{{"messages", c.at("messages")}, {"tools", c.at("tools")}});
            QVERIFY(record.usesTools());
            const auto all = renderRecord(record, modelOptions(tok, false));
            // The Llama-3 templates write bos_token first; these tokenizers have no such token, so the
            // template sees none (it renders as nothing) and the rest is the reference's text.
            std::string expected = c.at(key).get<std::string>();
            const std::string bos = f.at("special_tokens").value("bos_token", "");
            if (!bos.empty() && !tok.tokenToId(bos)) expected.erase(0, expected.rfind(bos, 0) == 0 ? bos.size() : 0);
            QCOMPARE(q(joinSegments(all, "")), q(expected));
            // Trained: the assistant's call and answer; not the question, the definitions or the result.
            const std::string trained = joinSegments(renderRecord(record, modelOptions(tok, true)), "", true);
            QVERIFY2(trained.find("get_weather") != std::string::npos, trained.c_str());
            QVERIFY2(trained.find("It is 18") != std::string::npos, trained.c_str());
            for (const char* untrained : {"Weather in Paris?", "\"temp\": 18", "Current weather in a city"})
                QVERIFY2(trained.find(untrained) == std::string::npos, (untrained + std::string(" in ") + trained).c_str());
            ++compared;
        }
        QVERIFY(compared >= 2);  // Qwen3's template refuses null content and string arguments in both references
    }

    // LLaMA-Factory's ShareGPT layout: function_call turns hold {"name", "arguments"} as JSON text,
    // observation turns the results, `tools` a JSON string.
    void shareGptFunctionCalls() {
        const ojson f = fixture("qwen2_5");
        const Tokenizer tok = withTemplate("qwen3", f);
        const ojson tools = ojson::array({ojson::parse(R"({"type": "function", "function": {"name": "get_weather",
            "description": "Current weather in a city", "parameters": {"type": "object",
            "properties": {"city": {"type": "string"}}, "required": ["city"]}}})")});
        const ojson shareGpt{{"conversations", ojson::array({
                                 {{"from", "human"}, {"value", "Weather in Paris?"}},
                                 {{"from", "function_call"}, {"value", R"({"name": "get_weather", "arguments": {"city": "Paris"}})"}},
                                 {{"from", "observation"}, {"value", "{\"temp\": 18}"}},
                                 {{"from", "gpt"}, {"value", "It is 18 °C."}}})},
                             {"tools", tools.dump()}};
        const ojson openAi{{"messages", ojson::array({
                               {{"role", "user"}, {"content", "Weather in Paris?"}},
                               {{"role", "assistant"}, {"content", ""},
                                {"tool_calls", ojson::array({{{"type", "function"},
                                                              {"function", {{"name", "get_weather"}, {"arguments", {{"city", "Paris"}}}}}}})}},
                               {{"role", "tool"}, {"content", "{\"temp\": 18}"}},
                               {{"role", "assistant"}, {"content", "It is 18 °C."}}})},
                           {"tools", tools}};
        const std::string a = joinSegments(renderRecord(parsed(shareGpt, DataFormat::ShareGpt), modelOptions(tok, false)), "");
        const std::string b = joinSegments(renderRecord(parsed(openAi), modelOptions(tok, false)), "");
        QCOMPARE(q(a), q(b));
        QVERIFY2(a.find("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>") != std::string::npos,
                 a.c_str());
        QVERIFY2(a.find("\"description\": \"Current weather in a city\"") != std::string::npos, a.c_str());  // the definitions
        // A function_call value that is not JSON stays the assistant's text (and calls nothing).
        const DataRecord plain = parsed(ojson::parse(R"({"conversations": [{"from": "human", "value": "Hi"},
            {"from": "function_call", "value": "call weather"}]})"), DataFormat::ShareGpt);
        QCOMPARE(q(plain.messages[1].content), q("call weather"));
        QVERIFY(!plain.usesTools());
    }

    void argumentKeysKeepTheirOrder() {
        const ojson f = fixture("qwen2_5");
        const Tokenizer tok = withTemplate("qwen3", f);
        const auto path = writeLines(testsupport::makeTempDir("tools_order"), "calls.jsonl",
            {R"({"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": "",)"
             R"( "tool_calls": [{"type": "function", "function": {"name": "w", "arguments": {"unit": "c", "city": "Paris"}}}]}]})"});
        DataSettings s = settingsFor(path);
        s.chatTemplate = ChatTemplate::Model;
        s.validationFraction = 0;
        const Dataset d = Dataset::load(s, tok);
        QCOMPARE(d.train().size(), int64_t(1));
        const auto ids = d.train().example(0).inputIds;
        const std::string text = tok.decode(std::vector<int32_t>(ids.begin(), ids.end()), false);
        QVERIFY2(text.find(R"({"unit": "c", "city": "Paris"})") != std::string::npos, text.c_str());
    }

    void builtInTemplatesWriteCallsAsJson() {
        const std::string dir = testsupport::makeTempDir("tools_builtin");
        const auto path = writeLines(dir, "calls.jsonl",
            {R"({"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": null,)"
             R"( "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},)"
             R"( {"role": "tool", "content": "sunny"}, {"role": "assistant", "content": "Sunny."}],)"
             R"( "tools": [{"type": "function", "function": {"name": "get_weather"}}]})",
             R"({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]})"});
        DataSettings s = settingsFor(path);
        s.chatTemplate = ChatTemplate::ChatML;
        s.validationFraction = 0;
        const Tokenizer& tok = fixtureTokenizer("qwen3");
        const Dataset d = Dataset::load(s, tok);
        QCOMPARE(d.train().size(), int64_t(2));
        const std::string trained = decodeWhere(d.train().example(0), tok, true);
        QCOMPARE(q(trained), q("{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}<|im_end|>Sunny.<|im_end|>"));
        const auto& w = d.warnings();
        const auto it = std::find_if(w.begin(), w.end(), [](const std::string& x) { return x.find("call tools") != std::string::npos ||
                                                                                             x.find("calls tools") != std::string::npos; });
        QVERIFY(it != w.end());
        QCOMPARE(q(*it), q("1 example calls tools or defines them, which the built-in chatml template does not write: tool calls "
                           "are trained as their JSON and tool definitions are left out; the first is calls.jsonl:1 (hint: set "
                           "data.template to model to render tools as the model's own template does)"));
    }

    void malformedToolPartsAreNamed() {
        QCOMPARE(q(problemOf(R"({"messages": [{"role": "assistant", "tool_calls": {}}]})")),
                 q("messages[0].tool_calls must be a non-empty list (hint: a tool call looks like {\"type\": \"function\", "
                   "\"function\": {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}})"));
        QVERIFY(problemOf(R"({"messages": [{"role": "assistant", "tool_calls": [{"type": "function"}]}]})")
                    .rfind("messages[0].tool_calls[0]: missing key 'function' (hint: ", 0) == 0);
        QVERIFY(problemOf(R"({"messages": [{"role": "assistant", "tool_calls": [{"function": {"arguments": {}}}]}]})")
                    .rfind("messages[0].tool_calls[0].function: 'name' must be a non-empty string", 0) == 0);
        QVERIFY(problemOf(R"({"messages": [{"role": "assistant", "tool_calls": [{"function": {"name": "f", "arguments": 3}}]}]})")
                    .rfind("messages[0].tool_calls[0].function: 'arguments' must be an object or a JSON string, got number", 0) == 0);
        QVERIFY(problemOf(R"({"messages": [{"role": "user", "content": "x", "tool_calls": [{"function": {"name": "f"}}]}]})")
                    .rfind("messages[0]: tool_calls belong to an assistant message", 0) == 0);
        QVERIFY(problemOf(R"({"messages": [{"role": "tool", "content": "x", "tool_call_id": 7}, {"role": "assistant", "content": "y"}]})")
                    .rfind("messages[0]: 'tool_call_id' must be a string, got number", 0) == 0);
        QVERIFY(problemOf(R"({"tools": {"a": 1}, "messages": [{"role": "assistant", "content": "y"}]})")
                    .rfind("key 'tools' must be a list, got object (hint: ", 0) == 0);
        // (escaped, not raw: moc's scanner takes the "[{" of a raw string for the start of code)
        QVERIFY(problemOf("{\"tools\": \"[{\", \"messages\": [{\"role\": \"assistant\", \"content\": \"y\"}]}")
                    .rfind("key 'tools' is a string that is not JSON", 0) == 0);
        // Without tool calls an assistant still needs its content.
        QVERIFY(problemOf(R"({"messages": [{"role": "assistant"}]})").rfind("messages[0]: missing key 'content'", 0) == 0);
        QVERIFY(problemOf(R"({"messages": [{"role": "assistant", "content": null, "tool_calls": [{"function": {"name": "f"}}]}]})").empty());
    }
};

QTEST_MAIN(TestDataTools)
#include "test_data_tools.moc"

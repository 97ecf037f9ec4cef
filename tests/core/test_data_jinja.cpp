// Chat data rendered by the model's own Jinja chat template (data.template: model / auto): token ids
// identical to transformers' apply_chat_template(..., tokenize=True) on real tokenizers
// (tests/fixtures/chat_data), completion-only masks, one BOS, the auto rule, failing templates,
// ShareGPT records and data.system_prompt. Torch headers (in the helpers) come before Qt's.
#include "data_test_helpers.h"

#include "data/model_chat_template.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <filesystem>

using namespace lorastudio;
using namespace lorastudio::datatest;
using testsupport::errorOf;

namespace {

const std::string kChatData = testsupport::sourceDir() + "/tests/fixtures/chat_data";

json readJson(const std::string& path) { return json::parse(testsupport::readFile(path)); }

// The template a fixture row names: the tokenizer's own, tests/fixtures/jinja/<name>.json, or inline.
std::string templateNamed(const std::string& spec, const std::string& family) {
    if (spec == "tokenizer") return fixtureTokenizer(family).chatTemplate();
    const std::string kind = spec.substr(0, spec.find(':')), name = spec.substr(spec.find(':') + 1);
    if (kind == "inline") return readJson(kChatData + "/conversations.json")["templates"][name]["template"];
    return readJson(testsupport::sourceDir() + "/tests/fixtures/jinja/" + name + ".json")["template"];
}

const Tokenizer& pairTokenizer(const std::string& family, const std::string& spec) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[family + "|" + spec];
    if (!slot) slot = std::make_unique<Tokenizer>(withTemplate(family, templateNamed(spec, family)));
    return *slot;
}

ChatRole roleOf(const std::string& role) {
    if (role == "system") return ChatRole::System;
    if (role == "assistant") return ChatRole::Assistant;
    return ChatRole::User;
}

DataRecord recordOf(const json& messages) {
    DataRecord r;
    r.format = DataFormat::Chat;
    for (const auto& m : messages) r.messages.push_back(ChatMessage{roleOf(m["role"]), m["content"]});
    return r;
}

TokenizedExample encodeWithModel(const DataRecord& r, const Tokenizer& tok, std::vector<std::string>* warnings = nullptr,
                                 bool completionOnly = true) {
    return ExampleEncoder(tok, 1 << 16, true).encode(renderRecord(r, modelOptions(tok, completionOnly), warnings));
}

// The decoded runs of trained tokens, in order.
std::vector<std::string> trainedRuns(const TokenizedExample& ex, const Tokenizer& tok) {
    std::vector<std::string> runs;
    for (const auto& seg : previewSegments(ex, tok))
        if (seg.trained) runs.push_back(seg.text);
    return runs;
}

QStringList qlist(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v) out << q(s);
    return out;
}

DataSettings settingsWith(const std::string& path, ChatTemplate t) {
    DataSettings s = settingsFor(path);
    s.chatTemplate = t;
    return s;
}

std::string messagesLine(const std::vector<std::pair<std::string, std::string>>& turns) {
    json m = json::array();
    for (const auto& [role, content] : turns) m.push_back({{"role", role}, {"content", content}});
    return json{{"messages", m}}.dump();
}

} // namespace

class TestDataJinja : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- against the reference: tests/fixtures/chat_data/chat_ids.json ----

    void referenceIds_data() {
        QTest::addColumn<int>("row");
        const json rows = readJson(kChatData + "/chat_ids.json")["rows"];
        int n = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].contains("error")) continue;
            const std::string name = rows[i]["tokenizer"].get<std::string>() + " " + rows[i]["template"].get<std::string>() +
                                     " " + rows[i]["conversation"].get<std::string>();
            QTest::newRow(name.c_str()) << int(i);
            ++n;
        }
        QCOMPARE(n, 61); // 63 rows, 2 of which the template refuses (referenceErrors)
    }

    // Training rows: the encoder's ids (the tokenizer's prefix, then the rendering tokenized in one
    // piece) are exactly apply_chat_template's; prompt rows: generationPrompt + encode(prompt, true).
    void referenceIds() {
        QFETCH(int, row);
        const json r = readJson(kChatData + "/chat_ids.json")["rows"][std::size_t(row)];
        const Tokenizer& tok = pairTokenizer(r["tokenizer"], r["template"]);
        const json conversation = readJson(kChatData + "/conversations.json")["conversations"][r["conversation"].get<std::string>()];
        const std::vector<int32_t> expected = r["ids"].get<std::vector<int32_t>>();
        if (r["add_generation_prompt"].get<bool>()) {
            RenderOptions o = modelOptions(tok);
            if (conversation.size() == 2) o.systemPrompt = conversation[0]["content"];
            const std::string prompt = generationPrompt(conversation.back()["content"], o);
            QCOMPARE(tok.encode(prompt, true), expected);
            return;
        }
        const DataRecord record = recordOf(conversation);
        std::vector<std::string> warnings;
        const TokenizedExample ex = encodeWithModel(record, tok, &warnings);
        QCOMPARE(ex.inputIds, expected);
        QCOMPARE(encodeWithModel(record, tok, nullptr, false).inputIds, expected); // completion-only off: same ids
        // Labels: the id or ignored, and at least one trained token per example.
        for (std::size_t t = 0; t < ex.labels.size(); ++t) QVERIFY(ex.labels[t] == kIgnoreIndex || ex.labels[t] == ex.inputIds[t]);
        QVERIFY(ex.trainedTokens() > 0);
        // The rendered text is the reference's (less a leading BOS the tokenizer's prefix stands for).
        std::string text = r["text"];
        std::string prefix;
        for (int32_t id : tok.specialPrefix()) prefix += tok.idToToken(id);
        if (!prefix.empty() && text.rfind(prefix, 0) == 0) text = text.substr(prefix.size());
        QCOMPARE(q(joinSegments(renderRecord(record, modelOptions(tok)), "")), q(text));
    }

    // The two rows the reference refuses (Mistral v0.2 has no system role) are refused here too:
    // as a bad line of the data file, with the template's own message and a hint.
    void referenceErrors() {
        const json rows = readJson(kChatData + "/chat_ids.json")["rows"];
        int errors = 0;
        for (const auto& r : rows) {
            if (!r.contains("error")) continue;
            ++errors;
            const Tokenizer& tok = pairTokenizer(r["tokenizer"], r["template"]);
            const json conversation = readJson(kChatData + "/conversations.json")["conversations"][r["conversation"].get<std::string>()];
            const std::string e = errorOf([&] { renderRecord(recordOf(conversation), modelOptions(tok)); });
            QVERIFY2(e.find(r["error"].get<std::string>()) != std::string::npos, e.c_str());
            QVERIFY2(e.find("hint: ") != std::string::npos && e.find("data.template to mistral") != std::string::npos, e.c_str());
        }
        QCOMPARE(errors, 2);
    }

    // ---- masks ----

    void masksQwen25Exact() {
        const Tokenizer& tok = pairTokenizer("qwen3", "jinja:qwen2_5");
        std::vector<std::string> warnings;
        const TokenizedExample ex = encodeWithModel(twoTurns(), tok, &warnings);
        QVERIFY(warnings.empty());
        // Each assistant turn from its content through <|im_end|> and the line break the template writes after it.
        QCOMPARE(qlist(trainedRuns(ex, tok)), QStringList({"A duck has 2 legs.<|im_end|>\n", "A cat has 4 legs.<|im_end|>\n"}));
        QVERIFY(decodeWhere(ex, tok, false).find("<|im_start|>user\nAnd a cat?<|im_end|>\n<|im_start|>assistant\n") != std::string::npos);
    }

    // Qwen3 writes an empty <think> block before the last answer only: earlier answers are located
    // by deriveCompletionMask's fallback (a warning), the last exactly, its <think> block trained.
    void masksQwen3Thinking() {
        const Tokenizer& tok = fixtureTokenizer("qwen3");
        std::vector<std::string> warnings;
        const TokenizedExample ex = encodeWithModel(twoTurns(), tok, &warnings);
        QCOMPARE(warnings.size(), std::size_t(1));
        QVERIFY2(warnings[0].find("assistant message 2") != std::string::npos, warnings[0].c_str());
        QCOMPARE(qlist(trainedRuns(ex, tok)),
                 QStringList({"A duck has 2 legs.<|im_end|>\n", "<think>\n\n</think>\n\nA cat has 4 legs.<|im_end|>\n"}));
    }

    // Mistral v0.2: "[/INST]" and the answer meet inside a word piece's reach; tokenizing in one piece
    // (as apply_chat_template does) and placing the boundary on those tokens still trains exactly the
    // answer and its </s>.
    void masksMistralWholeText() {
        const Tokenizer& tok = pairTokenizer("mistral", "inline:mistral_v0_2");
        DataRecord r = chat({{ChatRole::User, "Hi"}, {ChatRole::Assistant, "Hello there."},
                             {ChatRole::User, "Bye"}, {ChatRole::Assistant, "Goodbye."}});
        const TokenizedExample ex = encodeWithModel(r, tok);
        QCOMPARE(qlist(trainedRuns(ex, tok)), QStringList({"Hello there.</s>", "Goodbye.</s>"}));
        // The per-piece encoding would differ ("▁Hello" after "]"): the ids are the whole text's.
        QCOMPARE(ex.inputIds.front(), *tok.bosId());
        std::vector<int32_t> whole = tok.encode("[INST] Hi [/INST]Hello there.</s>[INST] Bye [/INST]Goodbye.</s>", false);
        whole.insert(whole.begin(), *tok.bosId());
        QCOMPARE(ex.inputIds, whole);
        // Llama 2's template puts " " around the answer: the trained run starts at the space's token.
        const Tokenizer& llama2 = pairTokenizer("mistral", "inline:llama2_chat");
        const TokenizedExample ex2 = encodeWithModel(chat({{ChatRole::User, "Hi"}, {ChatRole::Assistant, "Hello there."}}), llama2);
        QCOMPARE(qlist(trainedRuns(ex2, llama2)), QStringList({"Hello there. </s>"}));
    }

    // ---- BOS ----

    void oneBos() {
        // Mistral's tokenizer puts <s> in front, and the template writes bos_token: one <s>, not two.
        const Tokenizer& tok = pairTokenizer("mistral", "inline:mistral_v0_2");
        const TokenizedExample ex = encodeWithModel(chat({{ChatRole::User, "Hi"}, {ChatRole::Assistant, "Yo"}}), tok);
        QCOMPARE(std::count(ex.inputIds.begin(), ex.inputIds.end(), *tok.bosId()), std::ptrdiff_t(1));
        QCOMPARE(ex.inputIds[0], *tok.bosId());
        QCOMPARE(ex.labels[0], kIgnoreIndex);
        const auto rendered = ModelChatTemplate(tok).render({{ChatRole::User, "Hi"}, {ChatRole::Assistant, "Yo"}}, true);
        QVERIFY(rendered.segments.front().text.rfind("[INST]", 0) == 0);
        // Llama 2's template writes bos_token before every user turn: the later ones stay.
        const Tokenizer& llama2 = pairTokenizer("mistral", "inline:llama2_chat");
        const TokenizedExample two = encodeWithModel(twoTurnsNoSystem(), llama2);
        QCOMPARE(std::count(two.inputIds.begin(), two.inputIds.end(), *llama2.bosId()), std::ptrdiff_t(2));
        QVERIFY(two.inputIds[1] != *llama2.bosId());
        // GPT-2 adds no prefix: the "<|endoftext|>" Llama 3's template writes as bos_token is the one BOS.
        const Tokenizer& gpt2 = pairTokenizer("gpt2", "inline:llama3_instruct");
        const TokenizedExample g = encodeWithModel(chat({{ChatRole::User, "Hi"}, {ChatRole::Assistant, "Yo"}}), gpt2);
        QCOMPARE(g.inputIds[0], *gpt2.bosId());
        QVERIFY(g.inputIds[1] != *gpt2.bosId());
        // The Playground's prompt: encode(prompt, true) puts the prefix back, once.
        const std::string prompt = generationPrompt("Hi", modelOptions(tok));
        QCOMPARE(q(prompt), q("[INST] Hi [/INST]"));
        const auto ids = tok.encode(prompt, true);
        QCOMPARE(std::count(ids.begin(), ids.end(), *tok.bosId()), std::ptrdiff_t(1));
    }

    // ---- which template ----

    void autoChoice() {
        std::vector<std::string> w;
        const std::string qwen = fixtureTokenizer("qwen3").chatTemplate();
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, qwen, w), ChatTemplate::Model);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::ShareGpt, qwen, w), ChatTemplate::Model);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Alpaca, kLlama3Jinja, w), ChatTemplate::Model);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Text, qwen, w), ChatTemplate::Alpaca);
        QVERIFY(w.empty());
        // Built-in names are kept.
        QCOMPARE(resolveChatTemplate(ChatTemplate::ChatML, DataFormat::Chat, qwen, w), ChatTemplate::ChatML);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Model, DataFormat::Chat, qwen, w), ChatTemplate::Model);
        QVERIFY(w.empty());
        // No chat_template: the built-ins as before.
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Alpaca, "", w), ChatTemplate::Alpaca);
        QVERIFY(w.empty());
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, "", w), ChatTemplate::ChatML);
        QCOMPARE(w.size(), std::size_t(1));
        // A template core/template cannot compile: auto falls back to the built-in its markers show, saying why.
        w.clear();
        const std::string included = "{% include 'chat.jinja' %}<|im_start|>";
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, included, w), ChatTemplate::ChatML);
        QCOMPARE(w.size(), std::size_t(1));
        QVERIFY2(w[0].find("include") != std::string::npos && w[0].find("line 1") != std::string::npos, w[0].c_str());
        // `model` without a chat_template is an error.
        const std::string e = errorOf([&] { resolveChatTemplate(ChatTemplate::Model, DataFormat::Chat, "", w); });
        QVERIFY2(e.find("data.template") != std::string::npos && e.find("hint:") != std::string::npos, e.c_str());

        // Dataset: a Qwen3 model follows its own template, the demo model (none) keeps ChatML.
        const std::string dir = testsupport::makeTempDir("jinja_auto");
        const std::string path = writeLines(dir, "chat.jsonl", {messagesLine({{"user", "Hi"}, {"assistant", "Yo"}})});
        Dataset d = Dataset::load(settingsFor(path), fixtureTokenizer("qwen3"));
        QCOMPARE(d.chatTemplate(), ChatTemplate::Model);
        QVERIFY(d.warnings().empty());
        QCOMPARE(q(decodeWhere(d.train().example(0), fixtureTokenizer("qwen3"), true)), q("<think>\n\n</think>\n\nYo<|im_end|>\n"));
        QCOMPARE(Dataset::load(settingsFor(path), fixtureTokenizer("demo")).chatTemplate(), ChatTemplate::ChatML);
    }

    // An explicit `model` whose template cannot be compiled: an error naming the construct and where, with a hint.
    void failingTemplate() {
        const Tokenizer tok = withTemplate("qwen3", "{% for m in messages %}{{ m.content | from_json }}{% endfor %}");
        const std::string dir = testsupport::makeTempDir("jinja_fail");
        const std::string path = writeLines(dir, "chat.jsonl", {messagesLine({{"user", "Hi"}, {"assistant", "Yo"}})});
        const std::string e = errorOf([&] { Dataset::load(settingsWith(path, ChatTemplate::Model), tok); });
        QVERIFY2(e.find("from_json") != std::string::npos && e.find("line 1, column") != std::string::npos, e.c_str());
        QVERIFY2(e.find("hint: set data.template to chatml") != std::string::npos, e.c_str());
        // Auto renders with a built-in instead and says why.
        Dataset d = Dataset::load(settingsFor(path), tok);
        QCOMPARE(d.chatTemplate(), ChatTemplate::ChatML);
        QVERIFY(!d.warnings().empty() && d.warnings()[0].find("from_json") != std::string::npos);
        // A record the template refuses at run time is a bad line; the others train.
        const Tokenizer& mistral = pairTokenizer("mistral", "inline:mistral_v0_2");
        const std::string mixed = writeLines(dir, "mixed.jsonl", {messagesLine({{"user", "Hi"}, {"assistant", "Yo"}}),
                                                                  messagesLine({{"system", "S"}, {"user", "Hi"}, {"assistant", "Yo"}})});
        Dataset m = Dataset::load(settingsFor(mixed), mistral);
        QCOMPARE(m.train().size(), int64_t(1));
        QCOMPARE(m.badLines().size(), std::size_t(1));
        QVERIFY2(m.badLines()[0].message.rfind("mixed.jsonl:2: ", 0) == 0, m.badLines()[0].message.c_str());
        QVERIFY(m.badLines()[0].message.find("roles must alternate") != std::string::npos);
    }

    // The mask fallback's warnings: one line for the whole dataset, counting the examples.
    void maskWarningsOncePerDataset() {
        const std::string dir = testsupport::makeTempDir("jinja_warn");
        std::vector<std::string> lines;
        for (int i = 0; i < 3; ++i)
            lines.push_back(messagesLine({{"user", "Q" + std::to_string(i)}, {"assistant", "A"}, {"user", "Again?"}, {"assistant", "B"}}));
        lines.push_back(messagesLine({{"user", "Q"}, {"assistant", "A"}})); // one turn: exact
        Dataset d = Dataset::load(settingsFor(writeLines(dir, "turns.jsonl", lines)), fixtureTokenizer("qwen3"));
        const auto n = std::count_if(d.warnings().begin(), d.warnings().end(),
                                     [](const std::string& w) { return w.find("located approximately") != std::string::npos; });
        QCOMPARE(n, std::ptrdiff_t(1));
        const auto it = std::find_if(d.warnings().begin(), d.warnings().end(),
                                     [](const std::string& w) { return w.find("located approximately") != std::string::npos; });
        QVERIFY2(it->find("3 examples were") != std::string::npos && it->find("turns.jsonl:1: assistant message 1") != std::string::npos,
                 it->c_str());
        QCOMPARE(d.train().stats().withoutTrainedTokens, int64_t(0));
    }

    // ---- ShareGPT and the system prompt ----

    void shareGptRecords() {
        const json sharegpt = json::parse(R"({"system": "Be brief.", "conversations": [
            {"from": "human", "value": "How many legs does a duck have?"}, {"from": "gpt", "value": "Two."},
            {"from": "human", "value": "Weather?"}, {"from": "function_call", "value": "call weather"},
            {"from": "observation", "value": "sunny"}, {"from": "gpt", "value": "Sunny."}]})");
        QCOMPARE(detectRecordFormat(sharegpt), std::optional(DataFormat::ShareGpt));
        DataRecord r;
        std::string problem;
        QVERIFY2(parseRecord(sharegpt, DataFormat::ShareGpt, r, problem), problem.c_str());
        QCOMPARE(r.format, DataFormat::Chat);
        QCOMPARE(r.messages.size(), std::size_t(7));
        QCOMPARE(r.messages[0].role, ChatRole::System);
        QCOMPARE(q(r.messages[0].content), q("Be brief."));
        QCOMPARE(r.messages[1].role, ChatRole::User);
        QCOMPARE(r.messages[2].role, ChatRole::Assistant);
        QCOMPARE(r.messages[4].role, ChatRole::Assistant);
        QCOMPARE(r.messages[5].role, ChatRole::Tool);
        // axolotl's layout with role/content keys inside "conversations" reads too.
        QVERIFY(parseRecord(json::parse(R"({"conversations": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]})"),
                            DataFormat::ShareGpt, r, problem));
        QCOMPARE(r.messages.size(), std::size_t(2));
        // Problems name the turn and say what a record looks like.
        const auto problemOf = [](const char* text) {
            DataRecord out;
            std::string p;
            return parseRecord(json::parse(text), DataFormat::ShareGpt, out, p) ? std::string() : p;
        };
        QCOMPARE(q(problemOf(R"({"conversations": [{"from": "bot", "value": "x"}]})")),
                 q("conversations[0]: unknown role 'bot' (hint: ShareGPT roles are system, human, gpt and tool (also user, "
                   "assistant, observation, function_call))"));
        QVERIFY(problemOf(R"({"conversations": [{"from": "human"}]})").rfind("conversations[0]: missing key 'value'", 0) == 0);
        QVERIFY(problemOf(R"({"conversations": [{"from": "human", "value": "x"}]})").rfind("no assistant message", 0) == 0);
        QVERIFY(problemOf(R"({"conversations": {}})").rfind("key 'conversations' must be a list", 0) == 0);
        // A file of them: detected, bad lines numbered, rendered like the same messages.
        const std::string dir = testsupport::makeTempDir("jinja_sharegpt");
        const std::string path = writeLines(dir, "sg.jsonl", {R"({"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Yo"}]})",
                                                              R"({"conversations": [{"from": "human", "value": "Hi"}]})"});
        DataSettings s = settingsWith(path, ChatTemplate::ChatML);
        Dataset d = Dataset::load(s, fixtureTokenizer("qwen3"));
        QCOMPARE(d.format(), DataFormat::ShareGpt);
        QVERIFY(d.completionOnlyLoss());
        QCOMPARE(d.badLines().size(), std::size_t(1));
        QVERIFY(d.badLines()[0].message.rfind("sg.jsonl:2: no assistant message", 0) == 0);
        const std::string same = writeLines(dir, "m.jsonl", {messagesLine({{"user", "Hi"}, {"assistant", "Yo"}})});
        QCOMPARE(d.train().example(0).inputIds, Dataset::load(settingsWith(same, ChatTemplate::ChatML), fixtureTokenizer("qwen3")).train().example(0).inputIds);
    }

    void systemPrompt() {
        RenderOptions o;
        o.chatTemplate = ChatTemplate::ChatML;
        o.systemPrompt = "You are kind.";
        DataRecord r = chat({{ChatRole::User, "Hi"}, {ChatRole::Assistant, "Yo"}});
        QCOMPARE(q(joinSegments(renderRecord(r, o), "<EOS>")),
                 q("<|im_start|>system\nYou are kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nYo<|im_end|>\n"));
        // A record with its own system message keeps it.
        QCOMPARE(q(joinSegments(renderRecord(twoTurns(), o), "<EOS>")), q(render(twoTurns(), ChatTemplate::ChatML)));
        // Alpaca template: the system message takes the preamble's place; the record's own `system` wins.
        o.chatTemplate = ChatTemplate::Alpaca;
        DataRecord a = alpaca("Add.", "8", "3 and 5");
        QCOMPARE(q(joinSegments(renderRecord(a, o), "<EOS>")), q("You are kind.\n\n### Instruction:\nAdd.\n\n### Input:\n3 and 5\n\n### Response:\n8<EOS>"));
        a.system = "Be exact.";
        QCOMPARE(q(joinSegments(renderRecord(a, o), "<EOS>")), q("Be exact.\n\n### Instruction:\nAdd.\n\n### Input:\n3 and 5\n\n### Response:\n8<EOS>"));
        DataRecord parsed;
        std::string problem;
        QVERIFY(parseRecord(json{{"instruction", "I"}, {"output", "O"}, {"system", "S"}}, DataFormat::Alpaca, parsed, problem));
        QCOMPARE(q(parsed.system), q("S"));
        // The model's template: Qwen2.5's default system message gives way to data.system_prompt.
        const Tokenizer& qwen25 = pairTokenizer("qwen3", "jinja:qwen2_5");
        RenderOptions m = modelOptions(qwen25);
        m.systemPrompt = "You are kind.";
        QCOMPARE(q(joinSegments(renderRecord(r, m), "")),
                 q("<|im_start|>system\nYou are kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nYo<|im_end|>\n"));
        QCOMPARE(q(generationPrompt("Hi", m)), q("<|im_start|>system\nYou are kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
        // The Playground's entry point settles the template as training does.
        DataSettings data;
        data.format = DataFormat::Chat;
        data.systemPrompt = "You are kind.";
        QCOMPARE(q(generationPrompt("Hi", data, fixtureTokenizer("qwen3"))),
                 q("<|im_start|>system\nYou are kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
        data.chatTemplate = ChatTemplate::Llama3;
        QCOMPARE(q(generationPrompt("Hi", data, fixtureTokenizer("qwen3"))),
                 q("<|start_header_id|>system<|end_header_id|>\n\nYou are kind.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
                   "Hi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"));
    }

private:
    static DataRecord twoTurnsNoSystem() {
        return chat({{ChatRole::User, "How many legs does a duck have?"}, {ChatRole::Assistant, "A duck has 2 legs."},
                     {ChatRole::User, "And a cat?"}, {ChatRole::Assistant, "A cat has 4 legs."}});
    }
};

QTEST_APPLESS_MAIN(TestDataJinja)
#include "test_data_jinja.moc"

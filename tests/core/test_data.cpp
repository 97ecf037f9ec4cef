// Tests of core/data: the Alpaca prompt and the chat templates rendered exactly, completion-only
// masks exactly at the prompt/answer boundary on real tokenizers (GPT-2, Qwen3, Mistral and the
// demo model), malformed lines, truncation, the validation split, streaming, batching and resume.
// Torch headers come before Qt's (Qt's `slots` macro breaks torch).
#include "data/batcher.h"
#include "data/chat_template.h"
#include "data/data_order.h"
#include "data/dataset.h"

#include "common/error.h"
#include "tokenizer/tokenizer.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include "test_support.h"

#include <functional>
#include <map>
#include <memory>
#include <set>

using namespace lorastudio;
using nlohmann::json;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

const Tokenizer& fixtureTokenizer(const std::string& family) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[family];
    if (!slot) {
        const std::string dir = family == "demo" ? testsupport::sourceDir() + "/resources/demo/model"
                                                 : testsupport::fixturesDir() + "/tokenizers/" + family;
        slot = std::make_unique<Tokenizer>(Tokenizer::fromFolder(dir));
    }
    return *slot;
}

using testsupport::errorOf;

// Writes lines (joined with "\n") to dir/name and returns the path.
std::string writeLines(const std::string& dir, const std::string& name, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    testsupport::writeFile(dir + "/" + name, text);
    return dir + "/" + name;
}

std::string alpacaLine(const std::string& instruction, const std::string& output, const std::string& input = "") {
    return json{{"instruction", instruction}, {"input", input}, {"output", output}}.dump();
}

DataSettings settingsFor(const std::string& path) {
    DataSettings s;
    s.path = path;
    s.maxLength = 256;
    return s;
}

// The decoded tokens whose label counts (trained) or not, in order.
std::string decodeWhere(const TokenizedExample& ex, const Tokenizer& tok, bool trained) {
    std::vector<int32_t> ids;
    for (std::size_t i = 0; i < ex.inputIds.size(); ++i)
        if ((ex.labels[i] != kIgnoreIndex) == trained) ids.push_back(ex.inputIds[i]);
    return tok.decode(ids, false);
}

DataRecord alpaca(const std::string& instruction, const std::string& output, const std::string& input = "") {
    DataRecord r;
    r.format = DataFormat::Alpaca;
    r.instruction = instruction;
    r.input = input;
    r.output = output;
    return r;
}

DataRecord chat(const std::vector<std::pair<ChatRole, std::string>>& turns) {
    DataRecord r;
    r.format = DataFormat::Chat;
    for (const auto& [role, content] : turns) r.messages.push_back(ChatMessage{role, content});
    return r;
}

// A conversation with a system prompt and two assistant turns, used for every chat template.
DataRecord twoTurns() {
    return chat({{ChatRole::System, "You are terse."},
                 {ChatRole::User, "How many legs does a duck have?"},
                 {ChatRole::Assistant, "A duck has 2 legs."},
                 {ChatRole::User, "And a cat?"},
                 {ChatRole::Assistant, "A cat has 4 legs."}});
}

std::string render(const DataRecord& r, ChatTemplate t, bool trainedOnly = false, bool eosAfterMarker = false) {
    RenderOptions o;
    o.chatTemplate = t;
    o.eosAfterEndMarker = eosAfterMarker;
    return joinSegments(renderRecord(r, o), "<EOS>", trainedOnly);
}

const char* const kNoInput = "Below is an instruction that describes a task. Write a response that appropriately "
                             "completes the request.\n\n";
const char* const kWithInput = "Below is an instruction that describes a task, paired with an input that provides "
                               "further context. Write a response that appropriately completes the request.\n\n";

// Mistral-7B-Instruct-v0.2's chat_template and Meta-Llama-3-8B-Instruct's, as published.
const char* const kMistralJinja =
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}"
    "{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";
const char* const kLlama3Jinja =
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
    "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

bool tensorsEqual(const at::Tensor& a, const at::Tensor& b) { return a.sizes() == b.sizes() && a.equal(b); }

} // namespace

class TestData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- rendering: expected strings follow the public template definitions ----

    // Alpaca: PROMPT_DICT of tatsu-lab/stanford_alpaca train.py, ending "### Response:\n" as in
    // tloen/alpaca-lora templates/alpaca.json; the target is output + EOS as in stanford_alpaca.
    void alpacaPrompt() {
        DataRecord r = alpaca("How many legs does a duck have?", "A duck has 2 legs.");
        QCOMPARE(q(render(r, ChatTemplate::Alpaca)),
                 q(std::string(kNoInput) + "### Instruction:\nHow many legs does a duck have?\n\n### Response:\n"
                                           "A duck has 2 legs.<EOS>"));
        QCOMPARE(q(render(r, ChatTemplate::Alpaca, true)), q("A duck has 2 legs.<EOS>"));
        DataRecord withInput = alpaca("Add the two numbers.", "3 plus 5 is 8.", "3 and 5");
        QCOMPARE(q(render(withInput, ChatTemplate::Alpaca)),
                 q(std::string(kWithInput) + "### Instruction:\nAdd the two numbers.\n\n### Input:\n3 and 5\n\n"
                                             "### Response:\n3 plus 5 is 8.<EOS>"));
        // A blank input is no input.
        QCOMPARE(q(render(alpaca("I", "O", "  "), ChatTemplate::Alpaca)),
                 q(std::string(kNoInput) + "### Instruction:\nI\n\n### Response:\nO<EOS>"));
        // With a chat template an Alpaca record becomes one user and one assistant turn.
        QCOMPARE(q(render(withInput, ChatTemplate::ChatML)),
                 q("<|im_start|>user\nAdd the two numbers.\n\n3 and 5<|im_end|>\n<|im_start|>assistant\n"
                   "3 plus 5 is 8.<|im_end|>\n"));
    }

    // ChatML: '<|im_start|>' + role + '\n' + content + '<|im_end|>' + '\n' per message (OpenAI's
    // ChatML; the message loop of Qwen's chat_template in fixtures/tokenizers/qwen3).
    void chatmlTemplate() {
        QCOMPARE(q(render(twoTurns(), ChatTemplate::ChatML)),
                 q("<|im_start|>system\nYou are terse.<|im_end|>\n"
                   "<|im_start|>user\nHow many legs does a duck have?<|im_end|>\n"
                   "<|im_start|>assistant\nA duck has 2 legs.<|im_end|>\n"
                   "<|im_start|>user\nAnd a cat?<|im_end|>\n"
                   "<|im_start|>assistant\nA cat has 4 legs.<|im_end|>\n"));
        QCOMPARE(q(render(twoTurns(), ChatTemplate::ChatML, true)), q("A duck has 2 legs.<|im_end|>A cat has 4 legs.<|im_end|>"));
        QCOMPARE(q(render(twoTurns(), ChatTemplate::ChatML, true, true)),
                 q("A duck has 2 legs.<|im_end|><EOS>A cat has 4 legs.<|im_end|><EOS>"));
    }

    // Llama 3: '<|start_header_id|>' + role + '<|end_header_id|>\n\n' + content|trim + '<|eot_id|>'
    // (kLlama3Jinja above); bos_token comes from the tokenizer, not the text.
    void llama3Template() {
        DataRecord r = chat({{ChatRole::System, "You are terse."}, {ChatRole::User, "  Hi \n"}, {ChatRole::Assistant, "\nHello! "}});
        QCOMPARE(q(render(r, ChatTemplate::Llama3)),
                 q("<|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
                   "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                   "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"));
        QCOMPARE(q(render(r, ChatTemplate::Llama3, true)), q("Hello!<|eot_id|>"));
    }

    // Mistral: '[INST] ' + content + ' [/INST]' and content + eos_token (kMistralJinja above); the
    // system prompt goes in front of the first user message.
    void mistralTemplate() {
        QCOMPARE(q(render(twoTurns(), ChatTemplate::Mistral)),
                 q("[INST] You are terse.\n\nHow many legs does a duck have? [/INST]A duck has 2 legs.<EOS>"
                   "[INST] And a cat? [/INST]A cat has 4 legs.<EOS>"));
        QCOMPARE(q(render(twoTurns(), ChatTemplate::Mistral, true)), q("A duck has 2 legs.<EOS>A cat has 4 legs.<EOS>"));
    }

    // Plain and Alpaca-for-chat are this project's own (see chat_template.cpp).
    void plainAndAlpacaChatTemplates() {
        QCOMPARE(q(render(twoTurns(), ChatTemplate::Plain)),
                 q("You are terse.\n\nUser: How many legs does a duck have?\nAssistant: A duck has 2 legs.<EOS>\n"
                   "User: And a cat?\nAssistant: A cat has 4 legs.<EOS>\n"));
        QCOMPARE(q(render(twoTurns(), ChatTemplate::Plain, true)), q("A duck has 2 legs.<EOS>A cat has 4 legs.<EOS>"));
        // One exchange renders exactly like the Alpaca record without input (plus the trailing gap).
        DataRecord one = chat({{ChatRole::User, "What is 3 plus 5?"}, {ChatRole::Assistant, "3 plus 5 is 8."}});
        QCOMPARE(q(render(one, ChatTemplate::Alpaca)), q(render(alpaca("What is 3 plus 5?", "3 plus 5 is 8."), ChatTemplate::Alpaca) + "\n\n"));
        QCOMPARE(q(render(twoTurns(), ChatTemplate::Alpaca)),
                 q("You are terse.\n\n### Instruction:\nHow many legs does a duck have?\n\n### Response:\n"
                   "A duck has 2 legs.<EOS>\n\n### Instruction:\nAnd a cat?\n\n### Response:\nA cat has 4 legs.<EOS>\n\n"));
    }

    void textAndCompletionOnlyOff() {
        DataRecord t;
        t.format = DataFormat::Text;
        t.text = "The fox likes to eat berries.";
        auto segs = renderRecord(t, RenderOptions{});
        QCOMPARE(segs.size(), std::size_t(2));
        QVERIFY(segs[0].trained && segs[1].trained && segs[1].kind == TextSegment::Kind::Eos);
        RenderOptions all;
        all.chatTemplate = ChatTemplate::ChatML;
        all.completionOnly = false;
        auto allSegs = renderRecord(twoTurns(), all);
        QCOMPARE(allSegs.size(), std::size_t(1)); // everything merges into one trained run
        QVERIFY(allSegs[0].trained);
        QCOMPARE(q(allSegs[0].text), q(render(twoTurns(), ChatTemplate::ChatML)));
    }

    void templateDetection() {
        bool approx = true;
        QCOMPARE(detectChatTemplate(fixtureTokenizer("qwen3").chatTemplate(), &approx), std::optional(ChatTemplate::ChatML));
        QVERIFY(!approx);
        QCOMPARE(detectChatTemplate(kLlama3Jinja), std::optional(ChatTemplate::Llama3));
        QCOMPARE(detectChatTemplate(kMistralJinja, &approx), std::optional(ChatTemplate::Mistral));
        QVERIFY(!approx);
        QCOMPARE(detectChatTemplate("{{ bos_token + '[INST] <<SYS>>\\n' }}", &approx), std::optional(ChatTemplate::Mistral));
        QVERIFY(approx);
        QVERIFY(!detectChatTemplate("{% for m in messages %}<start_of_turn>{{ m.content }}{% endfor %}"));

        std::vector<std::string> w;
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, kLlama3Jinja, w), ChatTemplate::Llama3);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Alpaca, "", w), ChatTemplate::Alpaca);
        QVERIFY(w.empty());
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, "<start_of_turn>", w), ChatTemplate::ChatML);
        QCOMPARE(w.size(), std::size_t(1));
        QVERIFY(w[0].find("not one of chatml, llama3 or mistral") != std::string::npos);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Mistral, DataFormat::Chat, kLlama3Jinja, w), ChatTemplate::Mistral);
        QCOMPARE(w.size(), std::size_t(2)); // explicit choice kept, mismatch reported
    }

    // ---- masks on real tokenizers ----

    void masksAtBoundaryGpt2() {
        const Tokenizer& tok = fixtureTokenizer("gpt2");
        ExampleEncoder enc(tok, 1024);
        DataRecord r = alpaca("Add the two numbers.", "3 plus 5 is 8.", "3 and 5");
        RenderOptions o;
        TokenizedExample ex = enc.encode(renderRecord(r, o));
        QCOMPARE(q(decodeWhere(ex, tok, true)), q("3 plus 5 is 8.<|endoftext|>"));
        std::string prompt = render(r, ChatTemplate::Alpaca);
        prompt = prompt.substr(0, prompt.find("3 plus 5 is 8.<EOS>"));
        QCOMPARE(q(decodeWhere(ex, tok, false)), q(prompt));
        // Trained tokens are one contiguous run at the end; GPT-2 has no BOS.
        const auto first = std::find_if(ex.labels.begin(), ex.labels.end(), [](int32_t l) { return l != kIgnoreIndex; });
        QVERIFY(std::all_of(first, ex.labels.end(), [](int32_t l) { return l != kIgnoreIndex; }));
        // Here the split at "\n" changes nothing: the ids are those of the whole text.
        std::vector<int32_t> whole = tok.encode(prompt + "3 plus 5 is 8.", false);
        whole.push_back(*tok.eosId());
        QCOMPARE(ex.inputIds, whole);
        QCOMPARE(ex.fullLength, int32_t(whole.size()));
        QVERIFY(!ex.truncated());
    }

    void masksAtBoundaryQwenChatML() {
        const Tokenizer& tok = fixtureTokenizer("qwen3");
        ExampleEncoder enc(tok, 4096);
        RenderOptions o;
        o.chatTemplate = ChatTemplate::ChatML;
        TokenizedExample ex = enc.encode(renderRecord(twoTurns(), o));
        QCOMPARE(q(decodeWhere(ex, tok, true)), q("A duck has 2 legs.<|im_end|>A cat has 4 legs.<|im_end|>"));
        QCOMPARE(ex.inputIds, tok.encode(render(twoTurns(), ChatTemplate::ChatML), false));
        // <|im_end|> is one token; after an assistant turn it is trained, the "\n" after it is not.
        const int32_t imEnd = *tok.tokenToId("<|im_end|>");
        int trainedEnds = 0;
        for (std::size_t i = 0; i < ex.inputIds.size(); ++i)
            if (ex.inputIds[i] == imEnd && ex.labels[i] == imEnd) {
                ++trainedEnds;
                QVERIFY(i + 1 < ex.inputIds.size() && ex.labels[i + 1] == kIgnoreIndex);
            }
        QCOMPARE(trainedEnds, 2);
        // Turning completion-only off trains everything.
        o.completionOnly = false;
        TokenizedExample all = enc.encode(renderRecord(twoTurns(), o));
        QCOMPARE(all.labels, all.inputIds);
    }

    void masksMistralBosEos() {
        const Tokenizer& tok = fixtureTokenizer("mistral");
        ExampleEncoder enc(tok, 4096);
        RenderOptions o;
        o.chatTemplate = ChatTemplate::Mistral;
        TokenizedExample ex = enc.encode(renderRecord(twoTurns(), o));
        QCOMPARE(ex.inputIds.front(), *tok.bosId()); // add_bos_token: <s> first, not trained
        QCOMPARE(ex.labels.front(), kIgnoreIndex);
        QCOMPARE(ex.inputIds.back(), *tok.eosId());
        QCOMPARE(ex.labels.back(), *tok.eosId());
        // Each trained run decodes to one answer and its </s>.
        std::vector<std::string> runs;
        for (const auto& seg : previewSegments(ex, tok))
            if (seg.trained) runs.push_back(seg.text);
        QCOMPARE(runs.size(), std::size_t(2));
        QCOMPARE(q(runs[0]), q("A duck has 2 legs.</s>"));
        QCOMPARE(q(runs[1]), q("A cat has 4 legs.</s>"));
        // The prompt runs hold the [INST] blocks.
        QVERIFY(decodeWhere(ex, tok, false).find("[INST] And a cat? [/INST]") != std::string::npos);
    }

    // The demo model has no chat_template and no <|im_end|> token: chat data falls back to ChatML
    // with a warning, and an EOS follows each assistant turn so that generation can stop.
    void demoChatFallback() {
        const std::string dir = testsupport::makeTempDir("data");
        std::string line = json{{"messages", {{{"role", "user"}, {"content", "How many legs does a duck have?"}},
                                              {{"role", "assistant"}, {"content", "A duck has 2 legs."}}}}}.dump();
        DataSettings s = settingsFor(writeLines(dir, "chat.jsonl", {line}));
        Dataset d = Dataset::load(s, fixtureTokenizer("demo"));
        QCOMPARE(d.format(), DataFormat::Chat);
        QCOMPARE(d.chatTemplate(), ChatTemplate::ChatML);
        QVERIFY(d.completionOnlyLoss());
        QCOMPARE(d.warnings().size(), std::size_t(2)); // no chat_template; <|im_end|> not a token
        QCOMPARE(q(decodeWhere(d.train().example(0), fixtureTokenizer("demo"), true)),
                 q("A duck has 2 legs.<|im_end|><|endoftext|>"));
    }

    // ---- files: formats, malformed lines ----

    void formatDetection() {
        const std::string dir = testsupport::makeTempDir("data");
        const Tokenizer& tok = fixtureTokenizer("gpt2");
        auto text = Dataset::load(settingsFor(writeLines(dir, "t.jsonl", {"{\"text\": \"A cat has 4 legs.\"}"})), tok);
        QCOMPARE(text.format(), DataFormat::Text);
        QVERIFY(!text.completionOnlyLoss());
        QCOMPARE(q(decodeWhere(text.train().example(0), tok, true)), q("A cat has 4 legs.<|endoftext|>"));
        auto al = Dataset::load(settingsFor(writeLines(dir, "a.jsonl", {alpacaLine("Q", "A")})), tok);
        QCOMPARE(al.format(), DataFormat::Alpaca);
        QVERIFY(al.completionOnlyLoss());
        DataSettings off = settingsFor(dir + "/a.jsonl");
        off.completionOnlyLoss = false;
        auto alOff = Dataset::load(off, tok);
        QCOMPARE(alOff.train().example(0).labels, alOff.train().example(0).inputIds);
        // A .txt file: one example per non-blank line.
        auto txt = Dataset::load(settingsFor(writeLines(dir, "p.txt", {"first line", "", "second line"})), tok);
        QCOMPARE(txt.train().size(), int64_t(2));
        QCOMPARE(txt.train().line(1), int64_t(3));
        DataSettings txtAlpaca = settingsFor(dir + "/p.txt");
        txtAlpaca.format = DataFormat::Alpaca;
        QVERIFY(errorOf([&] { Dataset::load(txtAlpaca, tok); }).find("p.txt") != std::string::npos);
        // A JSON array of objects, elements on their own lines; the bad one is named by its line.
        testsupport::writeFile(dir + "/arr.json", "[\n  " + alpacaLine("Q1", "A1") + ",\n  {\"instruction\": \"Q2\",\n"
                                                  "   \"output\": 5},\n  " + alpacaLine("Q3", "A3") + "\n]\n");
        auto arr = Dataset::load(settingsFor(dir + "/arr.json"), tok);
        QCOMPARE(arr.train().size(), int64_t(2));
        QCOMPARE(arr.train().line(1), int64_t(5));
        QCOMPARE(arr.badLines().size(), std::size_t(1));
        QCOMPARE(q(arr.badLines()[0].message), q("arr.json:3: key 'output' must be a string, got number "
                                                 "(hint: Alpaca records need instruction and output)"));
    }

    void badLinesReportedAndSkipped() {
        const std::string dir = testsupport::makeTempDir("data");
        const std::string path = writeLines(dir, "data.jsonl", {
            alpacaLine("What is 1 plus 1?", "1 plus 1 is 2."),             // 1
            "",                                                            // 2: empty, silent
            "{\"instruction\": \"x\", \"output\": }",                      // 3: bad JSON
            alpacaLine("What is 2 plus 2?", "2 plus 2 is 4."),             // 4
            "{\"instruction\": \"What is 3 plus 3?\"}",                    // 5: missing output
            "   ",                                                         // 6: blank, silent
            "{\"instruction\": [\"x\"], \"output\": \"y\"}",               // 7: wrong type
            "[1, 2]",                                                      // 8: not an object
            alpacaLine("What is 4 plus 4?", "   "),                        // 9: empty content
            alpacaLine("What is 5 plus 5?", "5 plus 5 is 10."),            // 10
        });
        Dataset d = Dataset::load(settingsFor(path), fixtureTokenizer("gpt2"));
        QCOMPARE(d.train().size(), int64_t(3));
        QCOMPARE(d.train().line(0), int64_t(1));
        QCOMPARE(d.train().line(1), int64_t(4));
        QCOMPARE(d.train().line(2), int64_t(10));
        std::vector<int64_t> lines;
        for (const auto& b : d.badLines()) lines.push_back(b.line);
        QCOMPARE(lines, (std::vector<int64_t>{3, 5, 7, 8, 9}));
        QCOMPARE(q(d.badLines()[1].message),
                 q("data.jsonl:5: missing key 'output' (hint: Alpaca records need instruction and output)"));
        QVERIFY(d.badLines()[0].message.rfind("data.jsonl:3: malformed JSON at column", 0) == 0);
        QCOMPARE(q(d.badLines()[2].message),
                 q("data.jsonl:7: key 'instruction' must be a string, got array (hint: Alpaca records need instruction and output)"));
        QVERIFY(d.badLines()[3].message.find("expected a JSON object, got array") != std::string::npos);
        QCOMPARE(q(d.badLines()[4].message), q("data.jsonl:9: key 'output' is empty (hint: Alpaca records need instruction and output)"));
        QCOMPARE(q(d.badLines()[0].path), q(path));
        QVERIFY(std::any_of(d.warnings().begin(), d.warnings().end(),
                            [](const std::string& w) { return w.rfind("5 malformed records skipped", 0) == 0; }));

        // Chat records: problems inside messages name the message.
        const std::string chatPath = writeLines(dir, "chat.jsonl", {
            json{{"messages", {{{"role", "user"}, {"content", "Hi"}}, {{"role", "assistant"}, {"content", "Hello"}}}}}.dump(),
            json{{"messages", {{{"role", "user"}, {"content", "Hi"}}, {{"role", "bot"}, {"content", "Hello"}}}}}.dump(),
            json{{"messages", {{{"role", "user"}, {"content", ""}}, {{"role", "assistant"}, {"content", "x"}}}}}.dump(),
            json{{"messages", {{{"role", "user"}, {"content", "Hi"}}}}}.dump(),
        });
        Dataset c = Dataset::load(settingsFor(chatPath), fixtureTokenizer("gpt2"));
        QCOMPARE(c.train().size(), int64_t(1));
        QCOMPARE(c.badLines().size(), std::size_t(3));
        QVERIFY(c.badLines()[0].message.rfind("chat.jsonl:2: messages[1]: unknown role 'bot'", 0) == 0);
        QVERIFY(c.badLines()[1].message.rfind("chat.jsonl:3: messages[0]: key 'content' is empty", 0) == 0);
        QVERIFY(c.badLines()[2].message.rfind("chat.jsonl:4: no assistant message", 0) == 0);
    }

    // CRLF line ends and a UTF-8 byte order mark are not part of the records; a line the tokenizer
    // rejects (invalid UTF-8) is a bad line; the ProjectConfig overload resolves relative paths.
    void lineEndsEncodingAndProjectPaths() {
        const std::string dir = testsupport::makeTempDir("data");
        const Tokenizer& tok = fixtureTokenizer("gpt2");
        testsupport::writeFile(dir + "/crlf.jsonl", "\xEF\xBB\xBF" + alpacaLine("Q1", "A1") + "\r\n\r\n" +
                                                        alpacaLine("Q2", "A2") + "\r\n");
        DataSettings s = settingsFor(dir + "/crlf.jsonl");
        s.streaming = true;
        Dataset crlf = Dataset::load(s, tok);
        QVERIFY(crlf.badLines().empty());
        QCOMPARE(crlf.train().line(1), int64_t(3));
        QCOMPARE(q(decodeWhere(crlf.train().example(1), tok, true)), q("A2<|endoftext|>")); // read back by offset
        testsupport::writeFile(dir + "/bytes.txt", "good line\nbad \xFF byte\n");
        Dataset txt = Dataset::load(settingsFor(dir + "/bytes.txt"), tok);
        QCOMPARE(txt.train().size(), int64_t(1));
        QCOMPARE(txt.badLines().size(), std::size_t(1));
        QVERIFY(txt.badLines()[0].message.rfind("bytes.txt:2: ", 0) == 0);

        ProjectConfig config = defaultProject();
        config.projectDir = dir;
        config.data.path = "crlf.jsonl";
        std::vector<std::pair<int64_t, int64_t>> progress;
        Dataset fromProject = Dataset::load(config, tok, [&](int64_t done, int64_t total) { progress.emplace_back(done, total); });
        QCOMPARE(fromProject.train().size(), int64_t(2));
        QCOMPARE(q(fromProject.train().path()), q(dir + "/crlf.jsonl"));
        QVERIFY(!progress.empty());
        QCOMPARE(progress.back().first, progress.back().second); // ends with the whole file read
        QVERIFY(progress.back().second > 0);
    }

    void noValidLineIsAnError() {
        const std::string dir = testsupport::makeTempDir("data");
        const Tokenizer& tok = fixtureTokenizer("gpt2");
        const std::string bad = writeLines(dir, "bad.jsonl", {"{oops", "{\"question\": \"x\"}", ""});
        std::string e = errorOf([&] { Dataset::load(settingsFor(bad), tok); });
        QVERIFY2(e.find(bad + ": no valid record among 2 malformed lines (hint: expected JSONL") == 0, e.c_str());
        QVERIFY2(e.find("); the first is bad.jsonl:1: malformed JSON at column 2") != std::string::npos, e.c_str());
        const std::string empty = writeLines(dir, "empty.jsonl", {"", "  "});
        QCOMPARE(q(errorOf([&] { Dataset::load(settingsFor(empty), tok); })),
                 q(empty + ": no records: the file is empty (hint: expected JSONL (one JSON object per line), a JSON "
                           "array of objects, or plain text in a .txt file)"));
        QVERIFY(errorOf([&] { Dataset::load(settingsFor(dir + "/missing.jsonl"), tok); }).find("does not exist") != std::string::npos);
    }

    // ---- truncation, statistics, split ----

    void truncationAndStats() {
        const std::string dir = testsupport::makeTempDir("data");
        const Tokenizer& tok = fixtureTokenizer("gpt2");
        const std::string longAnswer = "The fox likes to eat berries and the owl likes to eat mice and the bear likes honey.";
        const std::string path = writeLines(dir, "d.jsonl", {alpacaLine("Q", "A."), alpacaLine("Q", longAnswer)});
        DataSettings s = settingsFor(path);
        s.maxLength = 40;
        Dataset d = Dataset::load(s, tok);
        const DataStats& st = d.train().stats();
        TokenizedExample shortEx = d.train().example(0), longEx = d.train().example(1);
        QVERIFY(!shortEx.truncated());
        QVERIFY(longEx.truncated());
        QCOMPARE(longEx.inputIds.size(), std::size_t(40));
        QCOMPARE(longEx.labels.size(), std::size_t(40));
        // The start is kept: the first 40 ids of the untruncated example.
        s.maxLength = 1000;
        TokenizedExample full = Dataset::load(s, tok).train().example(1);
        QCOMPARE(std::vector<int32_t>(full.inputIds.begin(), full.inputIds.begin() + 40), longEx.inputIds);
        QCOMPARE(longEx.fullLength, int32_t(full.inputIds.size()));
        QCOMPARE(st.examples, int64_t(2));
        QCOMPARE(st.truncated, int64_t(1));
        QCOMPARE(st.tokenLengths, (std::vector<int32_t>{shortEx.fullLength, longEx.fullLength}));
        QCOMPARE(st.totalTokens, int64_t(shortEx.inputIds.size() + 40));
        QCOMPARE(st.trainedTokens, shortEx.trainedTokens() + longEx.trainedTokens());
        QCOMPARE(st.longest(), longEx.fullLength);
        QVERIFY(std::any_of(d.warnings().begin(), d.warnings().end(), [](const std::string& w) {
            return w.rfind("1 of 2 training examples are longer than max_length 40", 0) == 0;
        }));
        // A prompt that fills max_length leaves nothing to learn: counted and reported.
        s.maxLength = 10;
        Dataset tiny = Dataset::load(s, tok);
        QCOMPARE(tiny.train().stats().withoutTrainedTokens, int64_t(2));
        QCOMPARE(tiny.train().stats().trainedTokens, int64_t(0));
    }

    void validationSplit() {
        const std::string dir = testsupport::makeTempDir("data");
        std::vector<std::string> lines;
        for (int i = 0; i < 40; ++i) lines.push_back(alpacaLine("What is " + std::to_string(i) + " plus 1?", std::to_string(i + 1)));
        DataSettings s = settingsFor(writeLines(dir, "d.jsonl", lines));
        s.validationFraction = 0.1;
        const Tokenizer& tok = fixtureTokenizer("gpt2");
        auto linesOf = [](const ExampleSet& set) {
            std::vector<int64_t> v;
            for (int64_t i = 0; i < set.size(); ++i) v.push_back(set.line(i));
            return v;
        };
        Dataset a = Dataset::load(s, tok), b = Dataset::load(s, tok);
        QCOMPARE(a.validation().size(), int64_t(4));
        QCOMPARE(a.train().size(), int64_t(36));
        QCOMPARE(linesOf(a.validation()), linesOf(b.validation())); // same seed, same split
        std::set<int64_t> all;
        for (auto l : linesOf(a.train())) all.insert(l);
        for (auto l : linesOf(a.validation())) QVERIFY(all.insert(l).second); // disjoint
        QCOMPARE(all.size(), std::size_t(40));
        QVERIFY(linesOf(a.validation()) != (std::vector<int64_t>{1, 2, 3, 4})); // not just the first lines
        s.shuffleSeed = 43;
        QVERIFY(linesOf(Dataset::load(s, tok).validation()) != linesOf(a.validation()));
        // A separate validation file wins over the fraction, with a warning.
        s.validationPath = writeLines(dir, "val.jsonl", {alpacaLine("Q", "A"), "{bad"});
        Dataset v = Dataset::load(s, tok);
        QCOMPARE(v.train().size(), int64_t(40));
        QCOMPARE(v.validation().size(), int64_t(1));
        QCOMPARE(q(v.validation().path()), q(s.validationPath));
        QCOMPARE(v.badLines().size(), std::size_t(1));
        QVERIFY(v.badLines()[0].message.rfind("val.jsonl:2:", 0) == 0);
        QVERIFY(v.warnings()[0].find("no fraction of the training data is held out") != std::string::npos);
    }

    // ---- order, batching, resume ----

    void seededOrderIsFixed() {
        // Pinned (values from a Python transcription of SplitMix64 + Fisher-Yates): a change here
        // changes every shuffled run and breaks resuming old checkpoints.
        QCOMPARE(seededPermutation(10, 42), (std::vector<int64_t>{0, 9, 5, 8, 6, 4, 7, 2, 1, 3}));
        std::vector<int64_t> p = seededPermutation(1000, 7);
        std::vector<int64_t> sorted = p;
        std::sort(sorted.begin(), sorted.end());
        for (int64_t i = 0; i < 1000; ++i) QCOMPARE(sorted[i], i);
        QVERIFY(epochOrder(1000, true, 7, 0) != epochOrder(1000, true, 7, 1));
        QCOMPARE(epochOrder(1000, true, 7, 3), epochOrder(1000, true, 7, 3));
        QCOMPARE(epochOrder(3, false, 7, 3), (std::vector<int64_t>{0, 1, 2}));
        DataPosition pos{3, 17, 250};
        QCOMPARE(dataPositionFromJson(json::parse(dataPositionToJson(pos).dump()), "ckpt"), pos);
        QVERIFY(errorOf([] { dataPositionFromJson(json{{"epoch", 1}}, "state.json"); }).find("index") != std::string::npos);
    }

    void collation() {
        TokenizedExample a, b;
        a.inputIds = {5, 6, 7, 8};
        a.labels = {kIgnoreIndex, kIgnoreIndex, 7, 8};
        b.inputIds = {9, 10};
        b.labels = {kIgnoreIndex, 10};
        Batch batch = collate({a, b}, 50256);
        QCOMPARE(batch.inputIds.sizes().vec(), (std::vector<int64_t>{2, 4}));
        QCOMPARE(batch.inputIds.scalar_type(), at::kLong);
        QCOMPARE(batch.labels.scalar_type(), at::kLong);
        QVERIFY(tensorsEqual(batch.inputIds, at::tensor({5, 6, 7, 8, 9, 10, 50256, 50256}, at::kLong).view({2, 4})));
        QVERIFY(tensorsEqual(batch.attentionMask, at::tensor({1, 1, 1, 1, 1, 1, 0, 0}, at::kLong).view({2, 4})));
        QVERIFY(tensorsEqual(batch.labels, at::tensor({-100, -100, 7, 8, -100, 10, -100, -100}, at::kLong).view({2, 4})));
        QCOMPARE(batch.trainedTokens, int64_t(3));
        QCOMPARE(paddingId(fixtureTokenizer("gpt2")), int32_t(50256)); // no pad token: eos
        QCOMPARE(paddingId(fixtureTokenizer("qwen3")), *fixtureTokenizer("qwen3").tokenToId("<|endoftext|>"));
    }

    void loaderEpochsAndResume() {
        Dataset d = Dataset::load(settingsFor(testsupport::sourceDir() + "/resources/demo/instructions.jsonl"),
                                  fixtureTokenizer("demo"));
        const int64_t n = d.train().size();
        DataLoader loader(d.train(), 16, true, 42, paddingId(fixtureTokenizer("demo")));
        QCOMPARE(loader.batchesPerEpoch(), (n + 15) / 16);
        std::vector<int64_t> seen;
        for (int64_t i = 0; i < loader.batchesPerEpoch(); ++i) {
            Batch b = loader.next();
            QCOMPARE(b.epoch, int64_t(0));
            QCOMPARE(b.inputIds.size(0), int64_t(b.exampleIndices.size()));
            seen.insert(seen.end(), b.exampleIndices.begin(), b.exampleIndices.end());
        }
        QCOMPARE(int64_t(seen.size()), n); // each example once per epoch, the last batch smaller
        QCOMPARE(int64_t(std::set<int64_t>(seen.begin(), seen.end()).size()), n);
        QCOMPARE(seen, epochOrder(n, true, 42, 0));
        QCOMPARE(loader.position(), (DataPosition{1, 0, n}));

        // Stop in the middle of epoch 1, save the position, resume in a new loader.
        for (int i = 0; i < 3; ++i) loader.next();
        const json saved = dataPositionToJson(loader.position());
        std::vector<Batch> expected;
        for (int i = 0; i < 20; ++i) expected.push_back(loader.next()); // crosses into epoch 2
        DataLoader resumed(d.train(), 16, true, 42, paddingId(fixtureTokenizer("demo")));
        resumed.seek(dataPositionFromJson(saved, "state.json"));
        for (const Batch& want : expected) {
            Batch got = resumed.next();
            QCOMPARE(got.exampleIndices, want.exampleIndices);
            QCOMPARE(got.epoch, want.epoch);
            QVERIFY(tensorsEqual(got.inputIds, want.inputIds));
            QVERIFY(tensorsEqual(got.labels, want.labels));
            QVERIFY(tensorsEqual(got.attentionMask, want.attentionMask));
        }
        QCOMPARE(resumed.position(), loader.position());
        QVERIFY(errorOf([&] { resumed.seek(DataPosition{0, 0, n + 1}); }).find("saved with") != std::string::npos);
    }

    void streamingEqualsInMemory() {
        const std::string dir = testsupport::makeTempDir("data");
        std::vector<std::string> lines;
        for (int i = 0; i < 30; ++i) {
            if (i % 7 == 3) lines.push_back("{broken");
            if (i % 5 == 0) lines.push_back("");
            lines.push_back(json{{"messages", {{{"role", "user"}, {"content", "What is " + std::to_string(i) + " plus 2?"}},
                                               {{"role", "assistant"}, {"content", std::to_string(i) + " plus 2 is " + std::to_string(i + 2) + "."}}}}}
                                .dump());
        }
        const Tokenizer& tok = fixtureTokenizer("qwen3");
        for (const std::string name : {"chat.jsonl", "chat.json"}) {
            std::string path;
            if (name == "chat.json") { // the same records as a JSON array
                std::string text = "[";
                for (const auto& l : lines)
                    if (!l.empty() && l != "{broken") text += (text.size() > 1 ? ",\n" : "\n") + l;
                testsupport::writeFile(dir + "/" + name, text + "\n]");
                path = dir + "/" + name;
            } else {
                path = writeLines(dir, name, lines);
            }
            DataSettings s = settingsFor(path);
            s.validationFraction = 0.2;
            Dataset mem = Dataset::load(s, tok);
            s.streaming = true;
            Dataset str = Dataset::load(s, tok);
            QVERIFY(str.streaming() && !mem.streaming());
            QCOMPARE(str.train().size(), mem.train().size());
            QCOMPARE(str.validation().size(), mem.validation().size());
            QCOMPARE(str.badLines().size(), mem.badLines().size());
            QCOMPARE(str.train().stats().tokenLengths, mem.train().stats().tokenLengths);
            for (int64_t i = 0; i < mem.train().size(); ++i) {
                QCOMPARE(str.train().line(i), mem.train().line(i));
                QCOMPARE(str.train().example(i).inputIds, mem.train().example(i).inputIds);
                QCOMPARE(str.train().example(i).labels, mem.train().example(i).labels);
            }
            DataLoader a(mem.train(), 4, true, 5, 0), b(str.train(), 4, true, 5, 0);
            for (int i = 0; i < 10; ++i) QVERIFY(tensorsEqual(a.next().labels, b.next().labels));
        }
    }

    // ---- preview and the demo data ----

    void preview() {
        const Tokenizer& tok = fixtureTokenizer("gpt2");
        const std::string dir = testsupport::makeTempDir("data");
        const std::string path = writeLines(dir, "d.jsonl", {"nonsense", alpacaLine("Q1", "A1"), alpacaLine("Q2", "A2", "in"),
                                                             alpacaLine("Q3", "A3")});
        DataPreview p = previewData(settingsFor(path), tok, 2);
        QCOMPARE(p.format, DataFormat::Alpaca);
        QCOMPARE(p.examples.size(), std::size_t(2)); // stops after two valid records
        QCOMPARE(p.badLines.size(), std::size_t(1));
        QCOMPARE(p.examples[1].line, int64_t(3));
        const auto& segs = p.examples[0].segments;
        QCOMPARE(segs.size(), std::size_t(2));
        QVERIFY(!segs[0].trained && segs[1].trained);
        QCOMPARE(q(segs[0].text), q(std::string(kNoInput) + "### Instruction:\nQ1\n\n### Response:\n"));
        QCOMPARE(q(segs[1].text), q("A1<|endoftext|>"));
        QCOMPARE(segs[0].tokens + segs[1].tokens, p.examples[0].fullLength);
        // Dataset's preview shows the same thing.
        Dataset d = Dataset::load(settingsFor(path), tok);
        auto dp = d.train().preview(2);
        QCOMPARE(dp.size(), std::size_t(2));
        QVERIFY(dp[0].segments == segs);
    }

    void demoInstructions() {
        const Tokenizer& tok = fixtureTokenizer("demo");
        Dataset d = Dataset::load(settingsFor(testsupport::sourceDir() + "/resources/demo/instructions.jsonl"), tok);
        QCOMPARE(d.format(), DataFormat::Alpaca);
        QCOMPARE(d.chatTemplate(), ChatTemplate::Alpaca);
        QVERIFY(d.badLines().empty());
        QVERIFY(d.warnings().empty());
        QVERIFY(d.train().size() >= 150 && d.train().size() <= 300);
        QCOMPARE(d.train().stats().truncated, int64_t(0));
        QCOMPARE(d.train().stats().withoutTrainedTokens, int64_t(0));
        // "How many legs does a duck have?" is in there and trains exactly on its answer.
        bool found = false;
        for (const auto& ex : d.train().preview(d.train().size())) {
            if (ex.segments[0].text.find("How many legs does a duck have?") == std::string::npos) continue;
            found = true;
            QCOMPARE(q(ex.segments.back().text), q("A duck has 2 legs.<|endoftext|>"));
        }
        QVERIFY(found);
    }
};

QTEST_APPLESS_MAIN(TestData)
#include "test_data.moc"

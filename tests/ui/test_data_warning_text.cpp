// The Data page's warnings in the studio's language (ui/data_warning_text.h): core is made to write
// each of its data warnings (a model template whose masks are found approximately, ChatML markers
// the tokenizer lacks, a requested template unlike the model's, no eos_token, truncated and
// untrainable examples in training and validation, the validation split's notes, malformed records,
// a model template that cannot be used and looks like Llama 2, no chat_template, tool calls under a
// built-in template); with no translation, or the English one, the studio shows core's sentence
// word for word; in zh_CN every one is Chinese and keeps its numbers, names and file:line. A core
// sentence that drifts fails here.
#include "data/dataset.h"
#include "tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include "data_warning_text.h"
#include "ui_test_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

using namespace lorastudio;
using namespace lorastudio::ui;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The demo's tokenizer in `folder`, its tokenizer_config.json edited.
Tokenizer demoTokenizer(const std::string& folder, const std::function<void(json&)>& edit) {
    const std::string demo = test::demoModel().toStdString();
    fs::create_directories(folder);
    for (const char* f : {"tokenizer.json", "config.json"}) fs::copy_file(demo + "/" + f, folder + "/" + f);
    json config = json::parse(std::ifstream(demo + "/tokenizer_config.json"));
    edit(config);
    std::ofstream(folder + "/tokenizer_config.json") << config.dump(2);
    return Tokenizer::fromFolder(folder);
}

std::string writeLines(const std::string& path, const std::vector<json>& records, const std::string& extra = {}) {
    std::ofstream out(path);
    for (const json& r : records) out << r.dump() << '\n';
    out << extra;
    return path;
}

json chat(const std::vector<std::pair<const char*, std::string>>& turns) {
    json messages = json::array();
    for (const auto& [role, content] : turns) messages.push_back({{"role", role}, {"content", content}});
    return {{"messages", messages}};
}

json alpaca(const std::string& instruction, const std::string& output) {
    return {{"instruction", instruction}, {"input", ""}, {"output", output}};
}

std::vector<std::string> load(const DataSettings& s, const Tokenizer& tok) { return Dataset::load(s, tok).warnings(); }

// Every data warning core writes, produced by core.
std::vector<std::string> coreWarnings(const std::string& scratch) {
    std::vector<std::string> out;
    auto add = [&](const std::vector<std::string>& w) { out.insert(out.end(), w.begin(), w.end()); };
    const std::vector<json> twoExchanges{chat({{"user", "Hi"}, {"assistant", "Hello"}, {"user", "Again?"}, {"assistant", "Yes"}}),
                                         chat({{"user", "Q"}, {"assistant", "A"}, {"user", "More?"}, {"assistant", "No"}})};
    DataSettings s;
    s.path = writeLines(scratch + "/turns.jsonl", twoExchanges);
    // The model's template writes earlier answers otherwise once later turns follow: masks located approximately.
    add(load(s, demoTokenizer(scratch + "/drops", [](json& c) {
        c["chat_template"] = "{% for m in messages %}{% if m.role == 'assistant' and not loop.last %}<a>{{ m.content | upper }}</a>"
                             "{% else %}<{{ m.role }}>{{ m.content }}</{{ m.role }}>{% endif %}{% endfor %}";
    })));
    // ChatML asked for where the model's template is Llama-3's, and the tokenizer has no <|im_end|>.
    s.chatTemplate = ChatTemplate::ChatML;
    add(load(s, demoTokenizer(scratch + "/llama3", [](json& c) {
        c["chat_template"] = "{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n{{ m.content }}<|eot_id|>{% endfor %}";
    })));
    s.chatTemplate = ChatTemplate::Auto;
    // A template that cannot be compiled, written for Llama 2; and none at all.
    add(load(s, demoTokenizer(scratch + "/llama2", [](json& c) { c["chat_template"] = "[INST] <<SYS>>{{ messages | from_json }}"; })));
    add(load(s, demoTokenizer(scratch + "/none", [](json&) {})));
    // No eos_token.
    const Tokenizer noEos = demoTokenizer(scratch + "/no-eos", [](json& c) { c.erase("eos_token"); });
    if (!noEos.eosId()) add(load(s, noEos));
    // Truncated and untrainable examples, in both splits; a malformed record.
    const Tokenizer demo = demoTokenizer(scratch + "/demo", [](json&) {});
    std::vector<json> longOnes;
    for (int i = 0; i < 6; ++i) longOnes.push_back(alpaca(std::string(400, 'a' + i), "ok"));
    DataSettings t;
    t.path = writeLines(scratch + "/long.jsonl", longOnes, "{not json\n");
    t.maxLength = 32;
    t.validationFraction = 0.5;
    add(load(t, demo));
    // Their prompts cut first (data.max_prompt_length); a limit that fills max_length, which the
    // project's check refuses, so only Dataset::load's own callers can meet it.
    t.maxPromptLength = 16;
    add(load(t, demo));
    t.maxPromptLength = 32;
    add(load(t, demo));
    t.maxPromptLength = 0;
    // A validation file beside a fraction; one example with a fraction.
    t.validationPath = writeLines(scratch + "/val.jsonl", {alpaca("Say hi", "hi")});
    t.path = writeLines(scratch + "/train.jsonl", {alpaca("Say yes", "yes"), alpaca("Say no", "no")});
    t.maxLength = 256;
    add(load(t, demo));
    t.validationPath.clear();
    t.path = writeLines(scratch + "/one.jsonl", {alpaca("Say yes", "yes")});
    add(load(t, demo));
    // Tool calls under a built-in template, which writes no tool definitions.
    json call = chat({{"user", "Weather?"}, {"assistant", ""}, {"tool", "sunny"}, {"assistant", "Sunny."}});
    call["messages"][1]["tool_calls"] = json::array({{{"type", "function"}, {"function", {{"name", "get_weather"}, {"arguments", json::object()}}}}});
    call["tools"] = json::array({{{"type", "function"}, {"function", {{"name", "get_weather"}}}}});
    DataSettings tools;
    tools.path = writeLines(scratch + "/tools.jsonl", {call, call});
    tools.chatTemplate = ChatTemplate::ChatML;
    add(load(tools, demo));
    return out;
}

} // namespace

class TestDataWarningText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void englishIsCoresText_data() { test::addEnglishRows(); }

    void englishIsCoresText() {
        QFETCH(QString, qm);
        const test::ScopedTranslator translator(qm);
        QVERIFY(translator.loaded());
        QTemporaryDir scratch;
        const auto warned = coreWarnings(scratch.path().toStdString());
        for (const std::string& w : warned) QCOMPARE(dataWarningText(w), QString::fromStdString(w));
    }

    void chineseForEverySentence() {
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(translator.loaded());
        QTemporaryDir scratch;
        const auto warned = coreWarnings(scratch.path().toStdString());
        // Every sentence the studio knows was made by core at least once.
        std::set<int> forms;
        for (const std::string& w : warned) forms.insert(dataWarningForm(w));
        QVERIFY(!forms.count(-1));
        QCOMPARE(int(forms.size()), dataWarningFormCount());
        // Numbers, file:line and the names core put in are all there.
        for (const std::string& w : warned) {
            test::verifyChineseKeeps(dataWarningText(w), w, QStringLiteral("\\d+|[\\w.]+\\.jsonl|<\\|\\w+\\|>|chatml|llama3|from_json"));
            if (QTest::currentTestFailed()) return;
        }
    }
};

QTEST_MAIN(TestDataWarningText)
#include "test_data_warning_text.moc"

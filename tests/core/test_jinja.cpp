// The native chat-template renderer against the reference renderer (@huggingface/jinja): every case
// of tests/fixtures/jinja (real templates x conversations, and one small template per language rule)
// byte for byte, errors where the reference raises; then what the reference lacks (raw blocks,
// Python's strip(chars), ...), error messages with line and column, the limits, and completion masks.
#include "template/compiled_chat_template.h"
#include "template/completion_mask.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace lorastudio;
using Json = nlohmann::ordered_json;

namespace {

const std::string kFixtureDir = std::string(LORASTUDIO_SOURCE_DIR) + "/tests/fixtures/jinja";

Json readJson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return Json::parse(ss.str());
}

// The instant the fixtures were rendered at: 2025-03-14 09:26:53 (a Friday).
std::tm fixedNow() {
    std::tm t{};
    t.tm_year = 2025 - 1900;
    t.tm_mon = 2;
    t.tm_mday = 14;
    t.tm_hour = 9;
    t.tm_min = 26;
    t.tm_sec = 53;
    t.tm_wday = 5;
    return t;
}

// The template files (every fixture but units.json), by name.
std::map<std::string, Json>& templateFixtures() {
    static std::map<std::string, Json> all = [] {
        std::map<std::string, Json> out;
        for (const auto& e : std::filesystem::directory_iterator(kFixtureDir)) {
            const std::string name = e.path().stem().string();
            if (e.path().extension() == ".json" && name != "units") out[name] = readJson(e.path().string());
        }
        return out;
    }();
    return all;
}

const CompiledChatTemplate& compiled(const std::string& name) {
    static std::map<std::string, std::unique_ptr<CompiledChatTemplate>> cache;
    auto& slot = cache[name];
    if (!slot) {
        slot = std::make_unique<CompiledChatTemplate>(templateFixtures().at(name)["template"].get<std::string>());
        slot->setClock(fixedNow);
    }
    return *slot;
}

ChatRenderInput inputOf(const Json& fixture, const Json& c) {
    ChatRenderInput in;
    in.messages = c["messages"];
    if (c.contains("tools")) in.tools = c["tools"];
    in.addGenerationPrompt = c["add_generation_prompt"].get<bool>();
    for (auto it = fixture["special_tokens"].begin(); it != fixture["special_tokens"].end(); ++it)
        in.specialTokens[it.key()] = it.value().get<std::string>();
    in.extra = c["extra"];
    return in;
}

// A unit case's context: messages and add_generation_prompt as such, every other key as `extra`.
ChatRenderInput inputOfContext(const Json& ctx) {
    ChatRenderInput in;
    for (auto it = ctx.begin(); it != ctx.end(); ++it) {
        if (it.key() == "messages") in.messages = it.value();
        else if (it.key() == "add_generation_prompt") in.addGenerationPrompt = it.value().get<bool>();
        else in.extra[it.key()] = it.value();
    }
    return in;
}

std::string render(const std::string& tmpl, const Json& extra = Json::object(), ChatTemplateLimits limits = {}) {
    CompiledChatTemplate t(tmpl, limits);
    t.setClock(fixedNow);
    ChatRenderInput in;
    in.extra = extra;
    return t.render(in);
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string joined(const CompletionMask& m, bool trainedOnly = false) {
    std::string out;
    for (const auto& p : m.pieces)
        if (!trainedOnly || p.trained) out += p.text;
    return out;
}

} // namespace

class TestJinja : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void referenceTemplates_data();
    void referenceTemplates();
    void referenceUnits_data();
    void referenceUnits();
    void fixtureInventory();
    void beyondTheReference();
    void whitespaceOfRawAndGeneration();
    void compiledOnceRenderedMany();
    void errorsNameConstructAndPosition();
    void raiseExceptionCarriesMessage();
    void limits();
    void maskExactTemplates();
    void maskTrailingEndOfConversation();
    void maskFallbackForRewrittenHistory();
    void maskWithoutAssistant();
};

void TestJinja::referenceTemplates_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("index");
    for (const auto& [name, fixture] : templateFixtures())
        for (size_t i = 0; i < fixture["cases"].size(); ++i)
            QTest::newRow((name + "/" + fixture["cases"][i]["name"].get<std::string>()).c_str()) << q(name) << static_cast<int>(i);
}

void TestJinja::referenceTemplates() {
    QFETCH(QString, name);
    QFETCH(int, index);
    const Json& fixture = templateFixtures().at(name.toStdString());
    const Json& c = fixture["cases"][static_cast<size_t>(index)];
    const ChatRenderInput in = inputOf(fixture, c);
    std::string out;
    const std::string err = errorOf([&] { out = compiled(name.toStdString()).render(in); });
    if (c.contains("python_expected")) {  // the reference raises, Python's Jinja (transformers) renders: Python's text
        QVERIFY2(err.empty(), err.c_str());
        QCOMPARE(q(out), q(c["python_expected"].get<std::string>()));
        return;
    }
    if (c.contains("error")) {
        QVERIFY2(!err.empty(), ("the reference raised '" + c["error"].get<std::string>() + "', we did not").c_str());
        return;
    }
    QVERIFY2(err.empty(), err.c_str());
    QCOMPARE(q(out), q(c["expected"].get<std::string>()));
}

void TestJinja::referenceUnits_data() {
    QTest::addColumn<QString>("name");
    const Json units = readJson(kFixtureDir + "/units.json");
    QVERIFY(units["cases"].size() >= 80);
    for (auto it = units["cases"].begin(); it != units["cases"].end(); ++it) QTest::newRow(it.key().c_str()) << q(it.key());
}

void TestJinja::referenceUnits() {
    QFETCH(QString, name);
    static const Json units = readJson(kFixtureDir + "/units.json");
    const Json& c = units["cases"][name.toStdString()];
    const std::string tmpl = c["template"].get<std::string>();
    const ChatRenderInput in = inputOfContext(c["context"]);
    std::string out;
    const std::string err = errorOf([&] {
        CompiledChatTemplate t(tmpl);
        t.setClock(fixedNow);
        out = t.render(in);
    });
    if (c.contains("python_expected")) {
        QVERIFY2(err.empty(), err.c_str());
        QCOMPARE(q(out), q(c["python_expected"].get<std::string>()));
        return;
    }
    if (c.contains("error")) {
        QVERIFY2(!err.empty(), ("the reference raised '" + c["error"].get<std::string>() + "', we rendered '" + out + "'").c_str());
        return;
    }
    QVERIFY2(err.empty(), err.c_str());
    QCOMPARE(q(out), q(c["expected"].get<std::string>()));
}

void TestJinja::fixtureInventory() {
    // The templates the fixtures promise (README.md), each with rendered cases and some tool cases.
    size_t cases = 0, rendered = 0, python = 0;
    for (const char* name : {"llama3", "llama3_1", "llama3_2", "qwen2_5", "qwen3", "mistral_nemo", "gemma2", "gemma3",
                             "phi3_5", "smollm3", "deepseek_r1_distill_llama", "deepseek_r1_distill_qwen"}) {
        QVERIFY2(templateFixtures().count(name), name);
        const Json& f = templateFixtures().at(name);
        QVERIFY(f["template"].get<std::string>().size() > 100);
        QVERIFY(f["source"]["package"].get<std::string>().find('@') != std::string::npos);
    }
    for (const auto& [name, f] : templateFixtures()) {
        cases += f["cases"].size();
        for (const auto& c : f["cases"]) {
            rendered += c.contains("expected");
            python += c.contains("python_expected");
        }
        QCOMPARE(f["reference"].get<std::string>(), std::string("@huggingface/jinja@0.5.13"));
    }
    qInfo("%zu templates, %zu cases (%zu rendered, %zu expected errors, %zu of them rendered as Python's Jinja renders them)",
          templateFixtures().size(), cases, rendered, cases - rendered, python);
    QVERIFY(python >= 40);  // add_python_renderings.py was run
    QVERIFY(cases >= 800);
    QVERIFY(rendered >= 700);
}

void TestJinja::beyondTheReference() {
    // Python's str.strip(chars) strips those characters only (the reference ignores the argument).
    QCOMPARE(q(render("{{ s.lstrip('\\n') }}|{{ s.strip('\\n ') }}|{{ 'xxaxx'.rstrip('x') }}", {{"s", "\n  a \n"}})),
             q("  a \n|a|xxa"));
    // Tests and filters the reference has no form for; each checked against an equivalent it has.
    QCOMPARE(q(render("{{ 1.5 is float }}{{ 1 is float }}{{ 2 is in [1, 2] }}{{ 'a' is in 'cat' }}{{ 6 is divisibleby 3 }}")),
             q(render("{{ true }}{{ false }}{{ 2 in [1, 2] }}{{ 'a' in 'cat' }}{{ 6 % 3 == 0 }}")));
    QCOMPARE(q(render("{{ xs|count }}{{ 'abc'|count }}{{ [1, 2]|d('x') }}{{ nope|d('D') }}", {{"xs", {1, 2, 3}}})),
             q(render("{{ xs|length }}{{ 'abc'|length }}{{ [1, 2] }}{{ nope|default('D') }}", {{"xs", {1, 2, 3}}})));
    // Lists and dicts compare by value, as in Python (the reference compares object identity).
    QCOMPARE(q(render("{{ [1, [2]] == [1, [2]] }}{{ {'a': 1} == {'a': 1} }}{{ [1] == [2] }}")), q(render("{{ true }}{{ true }}{{ false }}")));
    // Strings order as in Python; list.append mutates the list.
    QCOMPARE(q(render("{{ 'a' < 'b' }}{{ 'b' <= 'a' }}{% set xs = [1] %}{% set _ = xs.append(2) %}{{ xs|length }}")), q("truefalse2"));
    // (k, v) tuples unpack in for and set (the reference cannot unpack a tuple literal).
    QCOMPARE(q(render("{% set a, b = (1, 2) %}{{ a }}{{ b }}{% for x, y in [(3, 4)] %}{{ x }}{{ y }}{% endfor %}")),
             q(render("{% set a, b = [1, 2] %}{{ a }}{{ b }}{% for x, y in [[3, 4]] %}{{ x }}{{ y }}{% endfor %}")));
    // String slicing and length count characters (code points), not bytes.
    QCOMPARE(q(render("{{ s|length }}{{ s[1:] }}{{ s[-1] }}", {{"s", "中文字"}})), q("3文字字"));
    // loop.cycle, string methods find/count, `|escape`.
    QCOMPARE(q(render("{% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %}{{ 'abcb'.find('b') }}{{ 'abcb'.count('b') }}")),
             q("aba12"));
    QCOMPARE(q(render("{{ s|escape }}", {{"s", "<a href=\"x\">&'"}})), q("&lt;a href=&#34;x&#34;&gt;&amp;&#39;"));
}

void TestJinja::whitespaceOfRawAndGeneration() {
    // {% raw %} keeps its content verbatim, tags included; its own dashes trim around it.
    const std::string content = "{{ not_rendered }} {% if x %}";
    QCOMPARE(q(render("<{% raw %}" + content + "{% endraw %}>")), q("<" + content + ">"));
    QCOMPARE(q(render("a  {%- raw -%}  " + content + "  {%- endraw -%}  b")), q("a" + content + "b"));
    // {% generation %} disappears and leaves its content, as transformers' training templates expect.
    QCOMPARE(q(render("{% for m in ms %}{% generation %}{{ m }}{% endgeneration %};{% endfor %}", {{"ms", {"x", "y"}}})),
             q(render("{% for m in ms %}{{ m }};{% endfor %}", {{"ms", {"x", "y"}}})));
}

void TestJinja::compiledOnceRenderedMany() {
    CompiledChatTemplate t("{% for m in messages %}{{ m.role }}:{{ m.content }}|{% endfor %}{% if add_generation_prompt %}>{% endif %}");
    ChatRenderInput a;
    a.messages = Json::parse(R"([{"role":"user","content":"1"}])");
    ChatRenderInput b = a;
    b.messages.push_back(Json::parse(R"({"role":"assistant","content":"2"})"));
    b.addGenerationPrompt = true;
    const std::string ra = t.render(a), rb = t.render(b);
    QCOMPARE(q(ra), q("user:1|"));
    QCOMPARE(q(rb), q("user:1|assistant:2|>"));
    QCOMPARE(q(t.render(a)), q(ra)); // nothing of b's render stays behind
    // A plain nlohmann::json converts; tools are undefined unless given.
    ChatRenderInput c;
    c.messages = nlohmann::json::parse(R"([{"role":"user","content":"x"}])");
    QCOMPARE(q(CompiledChatTemplate("{{ tools is defined }}{{ messages[0].content }}").render(c)), q("falsex"));
    c.tools = nlohmann::json::array();
    QCOMPARE(q(renderChatTemplate("{{ tools is defined }}", c)), q("true"));
}

void TestJinja::errorsNameConstructAndPosition() {
    const auto err = [](const std::string& tmpl) { return errorOf([&] { render(tmpl); }); };
    std::string e = err("line one\n  {{ x | frobnicate }}");
    QVERIFY2(e.find("unknown filter 'frobnicate'") != std::string::npos && e.find("line 2, column 8") != std::string::npos, e.c_str());
    // An unknown filter fails at compile time even in a branch no conversation reaches.
    e = errorOf([] { CompiledChatTemplate("{% if false %}{{ x|nope }}{% endif %}"); });
    QVERIFY2(e.find("unknown filter 'nope'") != std::string::npos, e.c_str());
    e = err("{{ x is frobnicated }}");
    QVERIFY2(e.find("unknown test 'frobnicated'") != std::string::npos && e.find("line 1, column 6") != std::string::npos, e.c_str());
    e = err("a\nb\n{% include 'other.jinja' %}");
    QVERIFY2(e.find("unsupported statement 'include'") != std::string::npos && e.find("line 3, column 4") != std::string::npos, e.c_str());
    e = err("{% call foo() %}x{% endcall %}");
    QVERIFY2(e.find("unsupported statement 'call'") != std::string::npos, e.c_str());
    e = err("{% for x in xs %}\n{{ x }}");
    QVERIFY2(e.find("'for' is never closed") != std::string::npos && e.find("line 1, column 4") != std::string::npos, e.c_str());
    e = err("{{ (1 + }}");
    QVERIFY2(e.find("expected a value") != std::string::npos && e.find("line 1") != std::string::npos, e.c_str());
    e = err("{% endif %}");
    QVERIFY2(e.find("unexpected 'endif'") != std::string::npos, e.c_str());
    e = err("{{ 'abc }}");
    QVERIFY2(e.find("never closed") != std::string::npos, e.c_str());
    // Runtime errors carry the position of the failing expression.
    e = err("{% set a = 1 %}\n\n   {{ none + a }}");
    QVERIFY2(e.find("to none") != std::string::npos && e.find("line 3, column 12") != std::string::npos, e.c_str());
    e = err("{{ messages.nope() }}");
    QVERIFY2(e.find("'nope' is not callable") != std::string::npos, e.c_str());
    e = err("{% macro f(a) %}{% endmacro %}{{ f(1, 2) }}");
    QVERIFY2(e.find("macro 'f' takes at most 1 argument") != std::string::npos, e.c_str());
}

void TestJinja::raiseExceptionCarriesMessage() {
    const std::string e = errorOf([] { render("ok\n{% if true %}{{ raise_exception('Roles must alternate user/assistant') }}{% endif %}"); });
    QVERIFY2(e.find("the template raised an error: Roles must alternate user/assistant") != std::string::npos, e.c_str());
    QVERIFY2(e.find("line 2") != std::string::npos, e.c_str());
}

void TestJinja::limits() {
    ChatTemplateLimits small;
    small.maxDepth = 20;
    small.maxOutputBytes = 1000;
    small.maxLoopIterations = 500;
    // Nesting: parentheses, blocks, and a macro that calls itself without end.
    std::string e = errorOf([&] { render("{{ " + std::string(50, '(') + "1" + std::string(50, ')') + " }}", {}, small); });
    QVERIFY2(e.find("nesting-depth limit (20)") != std::string::npos, e.c_str());
    std::string nested;
    for (int i = 0; i < 30; ++i) nested += "{% if true %}";
    for (int i = 0; i < 30; ++i) nested += "{% endif %}";
    e = errorOf([&] { render(nested, {}, small); });
    QVERIFY2(e.find("nesting-depth limit (20)") != std::string::npos, e.c_str());
    QCOMPARE(q(render("{{ ((((1)))) }}", {}, small)), q("1")); // within the limit
    e = errorOf([&] { render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", {}, small); });
    QVERIFY2(e.find("nesting-depth limit (20)") != std::string::npos && e.find("macro 'f'") != std::string::npos, e.c_str());
    // Output size: the rendering, and a string built in a variable.
    e = errorOf([&] { render("{% for i in range(400) %}0123456789{% endfor %}", {}, small); });
    QVERIFY2(e.find("output-size limit (1000 bytes)") != std::string::npos, e.c_str());
    e = errorOf([&] { render("{% set ns = namespace(s='x') %}{% for i in range(20) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", {}, small); });
    QVERIFY2(e.find("output-size limit (1000 bytes)") != std::string::npos, e.c_str());
    QCOMPARE(render("{% for i in range(90) %}0123456789{% endfor %}", {}, small).size(), size_t(900));
    // Loop iterations, across nested loops; and range() itself.
    e = errorOf([&] { render("{% for i in range(30) %}{% for j in range(30) %}{% endfor %}{% endfor %}", {}, small); });
    QVERIFY2(e.find("loop-iteration limit (500)") != std::string::npos, e.c_str());
    e = errorOf([&] { render("{{ range(100000)|length }}", {}, small); });
    QVERIFY2(e.find("loop-iteration limit (500)") != std::string::npos, e.c_str());
}

void TestJinja::maskExactTemplates() {
    // Templates whose earlier turns render the same whatever follows: every assistant turn exact.
    for (const char* name : {"qwen2_5", "llama3_1", "gemma3", "mistral_nemo", "smollm3"}) {
        const Json& fixture = templateFixtures().at(name);
        for (const char* caseName : {"two_exchanges", "one_exchange", "tools_call"}) {
            const Json* c = nullptr;
            for (const auto& x : fixture["cases"])
                if (x["name"] == caseName) c = &x;
            QVERIFY(c);
            if (!c->contains("expected")) continue;
            const ChatRenderInput in = inputOf(fixture, *c);
            const CompletionMask m = deriveCompletionMask(compiled(name), in, MaskFallback::Error);
            QVERIFY2(m.exact, name);
            QCOMPARE(q(joined(m)), q((*c)["expected"].get<std::string>())); // the reference's own rendering
            size_t assistants = 0, trained = 0;
            for (const auto& msg : in.messages) {
                if (msg["role"] != "assistant") continue;
                ++assistants;
                const std::string content = msg["content"].is_string() ? msg["content"].get<std::string>() : "";
                if (!content.empty()) QVERIFY2(joined(m, true).find(content) != std::string::npos, name);
            }
            for (const auto& p : m.pieces) {
                trained += p.trained;
                for (const auto& msg : in.messages) // user text is never trained
                    if (msg["role"] == "user" && p.trained) QVERIFY(p.text.find(msg["content"].get<std::string>()) == std::string::npos);
            }
            QVERIFY2(trained >= 1 && trained <= assistants, (std::string(name) + "/" + caseName).c_str());
        }
    }
}

void TestJinja::maskTrailingEndOfConversation() {
    // Phi-3.5 writes an EOS after the last message only: an earlier turn ends at its <|end|>\n, the
    // last turn's trained text runs to the very end.
    const Json& fixture = templateFixtures().at("phi3_5");
    const Json* c = nullptr;
    for (const auto& x : fixture["cases"])
        if (x["name"] == "system_two_exchanges") c = &x;
    QVERIFY(c && c->contains("expected"));
    const CompletionMask m = deriveCompletionMask(compiled("phi3_5"), inputOf(fixture, *c), MaskFallback::Error);
    QVERIFY(m.exact);
    QCOMPARE(q(joined(m)), q((*c)["expected"].get<std::string>()));
    std::vector<std::string> trained;
    for (const auto& p : m.pieces)
        if (p.trained) trained.push_back(p.text);
    QCOMPARE(trained.size(), size_t(2));
    QVERIFY(trained[0].find("<|endoftext|>") == std::string::npos);
    QVERIFY(trained[0].size() > 5 && trained[0].compare(trained[0].size() - 8, 8, "<|end|>\n") == 0);
    QVERIFY(trained[1].size() > 13 && trained[1].compare(trained[1].size() - 13, 13, "<|endoftext|>") == 0);
}

void TestJinja::maskFallbackForRewrittenHistory() {
    // Qwen3 drops the reasoning of assistant turns before the last user message: the first turn's
    // rendering as a conversation's end differs from how the whole conversation renders it.
    const Json& fixture = templateFixtures().at("qwen3");
    const Json* c = nullptr;
    for (const auto& x : fixture["cases"])
        if (x["name"] == "reasoning_content") c = &x;
    QVERIFY(c && c->contains("expected"));
    const ChatRenderInput in = inputOf(fixture, *c);
    const std::string e = errorOf([&] { deriveCompletionMask(compiled("qwen3"), in, MaskFallback::Error); });
    QVERIFY2(e.find("assistant message 1") != std::string::npos, e.c_str());
    const CompletionMask m = deriveCompletionMask(compiled("qwen3"), in);
    QVERIFY(!m.exact);
    QCOMPARE(m.warnings.size(), size_t(1));
    QVERIFY2(m.warnings[0].find("assistant message 1") != std::string::npos, m.warnings[0].c_str());
    QCOMPARE(q(joined(m)), q((*c)["expected"].get<std::string>()));
    const std::string trained = joined(m, true);
    QVERIFY(trained.find(in.messages[1]["content"].get<std::string>()) != std::string::npos); // the fallback still finds it
    QVERIFY(trained.find(in.messages[3]["content"].get<std::string>()) != std::string::npos);
    QVERIFY(trained.find(in.messages[2]["content"].get<std::string>()) == std::string::npos);

    // DeepSeek-R1-Distill's generation prompt opens <think>, which its rendered history never has.
    const Json& r1 = templateFixtures().at("deepseek_r1_distill_qwen");
    for (const auto& x : r1["cases"])
        if (x["name"] == "two_exchanges") c = &x;
    const ChatRenderInput r1in = inputOf(r1, *c);
    const CompletionMask r1m = deriveCompletionMask(compiled("deepseek_r1_distill_qwen"), r1in);
    QVERIFY(!r1m.exact);
    QCOMPARE(r1m.warnings.size(), size_t(2));
    QCOMPARE(q(joined(r1m)), q((*c)["expected"].get<std::string>()));
    QVERIFY(joined(r1m, true).find(r1in.messages[1]["content"].get<std::string>()) != std::string::npos);
    QVERIFY(joined(r1m, true).find(r1in.messages[0]["content"].get<std::string>()) == std::string::npos);
}

void TestJinja::maskWithoutAssistant() {
    const Json& fixture = templateFixtures().at("qwen2_5");
    const Json* c = nullptr;
    for (const auto& x : fixture["cases"])
        if (x["name"] == "system_one_turn") c = &x;
    const CompletionMask m = deriveCompletionMask(compiled("qwen2_5"), inputOf(fixture, *c));
    QCOMPARE(m.pieces.size(), size_t(1));
    QVERIFY(!m.pieces[0].trained);
    QCOMPARE(q(m.pieces[0].text), q((*c)["expected"].get<std::string>()));
}

QTEST_APPLESS_MAIN(TestJinja)
#include "test_jinja.moc"

// The Ollama Modelfile's TEMPLATE, run by Go's text/template as Ollama runs it
// (tests/ollama/render_template.go, Debian's golang-go), gives for a conversation exactly the text
// our trainer rendered such a conversation with, up to where the model answers: for Alpaca, ChatML,
// Llama-3, Mistral and plain, with and without a system message, over several turns. The formats
// written for a model's own template (Gemma, Phi-3, Phi-3 without system messages, Phi-4-mini) give
// what the real Gemma 2 / Gemma 3 / Phi-3.5 / Phi-3-mini (May 2024) / Phi-3-medium / Phi-4-mini Jinja
// templates (tests/fixtures/jinja) render with the generation prompt, BOS aside.
#include "data/chat_template.h"
#include "export/ollama_modelfile.h"
#include "template/compiled_chat_template.h"

#include <nlohmann/json.hpp>

#include "test_support.h"

#include <QProcess>
#include <QtTest>

#include <algorithm>

using namespace lorastudio;
using nlohmann::json;

namespace {

std::string g_renderer;  // the built render_template program

std::string goRender(const std::string& templ, const std::vector<ChatMessage>& messages) {
    json in = {{"template", templ}, {"messages", json::array()}};
    for (const auto& m : messages) in["messages"].push_back({{"Role", chatRoleName(m.role)}, {"Content", m.content}});
    QProcess p;
    p.start(QString::fromStdString(g_renderer), {});
    p.write(QByteArray::fromStdString(in.dump()));
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("render_template failed: %s", p.readAllStandardError().constData());
        return "<failed>";
    }
    return p.readAllStandardOutput().toStdString();
}

// What our trainer renders for the conversation, then what generation appends before the answer.
std::string ourPrompt(const std::vector<ChatMessage>& messages, ChatTemplate t, const std::string& eos) {
    DataRecord r;
    r.format = DataFormat::Chat;
    r.messages = messages;
    RenderOptions o;
    o.chatTemplate = t;
    const std::string history = joinSegments(renderRecord(r, o), eos);
    DataRecord last;
    last.format = DataFormat::Chat;
    last.messages = {messages.back()};
    const std::string lastAlone = joinSegments(renderRecord(last, o), eos);
    const std::string generation = generationPrompt(messages.back().content, t);
    // generationPrompt = the single user turn + the assistant's opening (nothing for Alpaca/Mistral).
    if (generation.compare(0, lastAlone.size(), lastAlone) != 0) return "<generationPrompt does not extend the user turn>";
    return history + generation.substr(lastAlone.size());
}

} // namespace

class TestOllamaTemplate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        const std::string dir = testsupport::makeTempDir("ollama-go");
        g_renderer = dir + "/render_template";
        QProcess go;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GOCACHE"), QString::fromStdString(dir + "/gocache"));
        env.insert(QStringLiteral("GOPATH"), QString::fromStdString(dir + "/gopath"));
        env.insert(QStringLiteral("GOFLAGS"), QStringLiteral("-mod=mod"));
        env.insert(QStringLiteral("GO111MODULE"), QStringLiteral("off"));
        go.setProcessEnvironment(env);
        go.start(QStringLiteral("go"), {QStringLiteral("build"), QStringLiteral("-o"), QString::fromStdString(g_renderer),
                                        QString::fromStdString(testsupport::sourceDir() + "/tests/ollama/render_template.go")});
        QVERIFY2(go.waitForFinished(300000), "go build did not finish");
        QVERIFY2(go.exitCode() == 0, go.readAllStandardError().constData());
    }

    void templateRendersAsTrained_data() {
        QTest::addColumn<int>("chatTemplate");
        QTest::addColumn<bool>("withSystem");
        for (ChatTemplate t : {ChatTemplate::Alpaca, ChatTemplate::ChatML, ChatTemplate::Llama3, ChatTemplate::Mistral, ChatTemplate::Plain})
            for (bool system : {false, true}) {
                const std::string name = enumName(t) + (system ? " + system" : "");
                QTest::newRow(name.c_str()) << int(t) << system;
            }
    }

    void templateRendersAsTrained() {
        QFETCH(int, chatTemplate);
        QFETCH(bool, withSystem);
        const auto t = static_cast<ChatTemplate>(chatTemplate);
        const std::string eos = "</s>";
        std::vector<ChatMessage> conversation;
        if (withSystem) conversation.push_back({ChatRole::System, "You answer briefly."});
        conversation.push_back({ChatRole::User, "How many legs does a horse have?"});
        // One turn, then two.
        const std::string one = goRender(ollamaTemplate(t, eos).text, conversation);
        QCOMPARE(one, ourPrompt(conversation, t, eos));
        conversation.push_back({ChatRole::Assistant, "Four."});
        conversation.push_back({ChatRole::User, "And a duck?"});
        const std::string two = goRender(ollamaTemplate(t, eos).text, conversation);
        QCOMPARE(two, ourPrompt(conversation, t, eos));
    }

    void modelFormatRendersAsTheModelsTemplate_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("withSystem");
        QTest::newRow("gemma2") << QStringLiteral("gemma2") << int(ModelChatFormat::Gemma) << false;  // refuses a system message
        QTest::newRow("gemma3") << QStringLiteral("gemma3") << int(ModelChatFormat::Gemma) << false;
        QTest::newRow("gemma3 + system") << QStringLiteral("gemma3") << int(ModelChatFormat::Gemma) << true;
        QTest::newRow("phi3.5") << QStringLiteral("phi3_5") << int(ModelChatFormat::Phi3) << false;
        QTest::newRow("phi3.5 + system") << QStringLiteral("phi3_5") << int(ModelChatFormat::Phi3) << true;
        // Phi-3-mini (May 2024) and Phi-3-medium drop system messages: so does their TEMPLATE.
        QTest::newRow("phi3-mini 2024-05") << QStringLiteral("phi3_mini_2024_05") << int(ModelChatFormat::Phi3NoSystem) << false;
        QTest::newRow("phi3-mini 2024-05 + system") << QStringLiteral("phi3_mini_2024_05") << int(ModelChatFormat::Phi3NoSystem) << true;
        QTest::newRow("phi3-medium") << QStringLiteral("phi3_medium") << int(ModelChatFormat::Phi3NoSystem) << false;
        QTest::newRow("phi3-medium + system") << QStringLiteral("phi3_medium") << int(ModelChatFormat::Phi3NoSystem) << true;
        QTest::newRow("phi4-mini") << QStringLiteral("phi4_mini") << int(ModelChatFormat::Phi4Mini) << false;
        QTest::newRow("phi4-mini + system") << QStringLiteral("phi4_mini") << int(ModelChatFormat::Phi4Mini) << true;
    }

    void modelFormatRendersAsTheModelsTemplate() {
        QFETCH(QString, fixture);
        QFETCH(int, format);
        QFETCH(bool, withSystem);
        const json f = json::parse(testsupport::readFile(testsupport::sourceDir() + "/tests/fixtures/jinja/" + fixture.toStdString() + ".json"));
        const std::string jinja = f.at("template").get<std::string>();
        ChatRenderInput input;
        input.addGenerationPrompt = true;
        for (const auto& [name, text] : f.at("special_tokens").items()) input.specialTokens[name] = text.get<std::string>();
        QCOMPARE(int(detectModelChatFormat(jinja, input.specialTokens).value_or(ModelChatFormat(-1))), format);
        QVERIFY(!detectChatTemplate(jinja));  // no built-in data template covers it
        const CompiledChatTemplate compiled(jinja);
        const std::string bos = input.specialTokens.count("bos_token") ? input.specialTokens["bos_token"] : "";
        const std::string eos = input.specialTokens.at("eos_token");
        const OllamaTemplate ollama = ollamaTemplate(static_cast<ModelChatFormat>(format), eos);
        std::vector<ChatMessage> conversation;
        if (withSystem) conversation.push_back({ChatRole::System, "You answer briefly."});
        conversation.push_back({ChatRole::User, "How many legs does a horse have?"});
        for (int turns = 1; turns <= 2; ++turns) {
            input.messages = json::array();
            for (const auto& m : conversation) input.messages.push_back({{"role", chatRoleName(m.role)}, {"content", m.content}});
            std::string theirs = compiled.render(input);
            if (!bos.empty() && theirs.compare(0, bos.size(), bos) == 0) theirs.erase(0, bos.size());  // llama.cpp adds BOS
            QCOMPARE(goRender(ollama.text, conversation), theirs);
            conversation.push_back({ChatRole::Assistant, "Four."});
            conversation.push_back({ChatRole::User, "And a duck?"});
        }
        QVERIFY(std::find(ollama.stops.begin(), ollama.stops.end(), eos) != ollama.stops.end());
    }

    // A format is chosen only where it renders as the model's template: a template that differs by
    // one line break, or has a system prompt of its own, or is another family's, gets none (the
    // export then warns and writes a built-in TEMPLATE).
    void noFormatForOtherTemplates() {
        auto fixture = [](const char* name) {
            return json::parse(testsupport::readFile(testsupport::sourceDir() + "/tests/fixtures/jinja/" + name + ".json"));
        };
        const json phi35 = fixture("phi3_5"), phi4 = fixture("phi4_mini");
        const std::map<std::string, std::string> tokens{{"bos_token", "<s>"}, {"eos_token", "<|endoftext|>"}};
        std::string changed = phi35.at("template").get<std::string>();
        const auto at = changed.find("'<|end|>\n'");  // the user turn's closing line break
        QVERIFY(at != std::string::npos);
        changed.replace(at, 10, "'<|end|>'");
        QVERIFY(detectModelChatFormat(phi35.at("template").get<std::string>(), tokens));
        QVERIFY(!detectModelChatFormat(changed, tokens));
        const std::string withDefaultSystem = "{{ '<|system|>You are helpful.<|end|>' }}" + phi4.at("template").get<std::string>();
        QVERIFY(!detectModelChatFormat(withDefaultSystem, tokens));
        for (const char* other : {"qwen3", "llama3_1", "mistral_nemo", "granite3_3", "gpt_oss"}) {
            std::map<std::string, std::string> special;
            for (const auto& [name, text] : fixture(other).at("special_tokens").items()) special[name] = text.get<std::string>();
            QVERIFY2(!detectModelChatFormat(fixture(other).at("template").get<std::string>(), special), other);
        }
        QVERIFY(!detectModelChatFormat("{% for m in messages %}{{ m.content", tokens));  // does not compile
    }
};

QTEST_MAIN(TestOllamaTemplate)
#include "test_ollama_template.moc"

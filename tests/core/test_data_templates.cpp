// Tests of core/data's rendering: the Alpaca prompt and the chat templates rendered exactly, and
// completion-only masks exactly at the prompt/answer boundary on real tokenizers (GPT-2, Qwen3,
// Mistral and the demo model). Torch headers (in the helpers) come before Qt's.
#include "data_test_helpers.h"

#include <QtTest/QtTest>

#include <functional>
#include <map>
#include <memory>
#include <set>

using namespace lorastudio;
using namespace lorastudio::datatest;
using testsupport::errorOf;

class TestDataTemplates : public QObject {
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

    // The prompt for generating: the rendering up to the answer, for each template.
    void generationPrompts() {
        QCOMPARE(q(generationPrompt("How many legs does a duck have?", ChatTemplate::Alpaca)),
                 q(std::string(kNoInput) + "### Instruction:\nHow many legs does a duck have?\n\n### Response:\n"));
        QCOMPARE(q(generationPrompt("Hi", ChatTemplate::ChatML)), q("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
        QCOMPARE(q(generationPrompt("Hi", ChatTemplate::Llama3)),
                 q("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"));
        // Each is exactly the part of a rendered example before its trained answer.
        for (const ChatTemplate t : {ChatTemplate::Alpaca, ChatTemplate::ChatML, ChatTemplate::Llama3, ChatTemplate::Mistral}) {
            const std::string full = render(alpaca("Name a bird.", "A duck."), t);
            const std::string prompt = generationPrompt("Name a bird.", t);
            QVERIFY2(full.rfind(prompt, 0) == 0 && full.size() > prompt.size(), prompt.c_str());
            QVERIFY(full.substr(prompt.size()).rfind("A duck.", 0) == 0);
        }
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

        // Auto follows the model's own template whenever it has one (test_data_jinja: autoChoice);
        // the markers only pick the built-in fallback when that template cannot be compiled.
        std::vector<std::string> w;
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, kLlama3Jinja, w), ChatTemplate::Model);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, "<start_of_turn>", w), ChatTemplate::Model);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Alpaca, "", w), ChatTemplate::Alpaca);
        QVERIFY(w.empty());
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, "{% import 'x' %}<|start_header_id|>", w),
                 ChatTemplate::Llama3);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Auto, DataFormat::Chat, "{% import 'x' %}", w), ChatTemplate::ChatML);
        QCOMPARE(w.size(), std::size_t(2)); // each says why the model's template is not used
        QVERIFY(w[0].find("cannot be used") != std::string::npos);
        QCOMPARE(resolveChatTemplate(ChatTemplate::Mistral, DataFormat::Chat, kLlama3Jinja, w), ChatTemplate::Mistral);
        QCOMPARE(w.size(), std::size_t(3)); // explicit choice kept, mismatch reported
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

};

QTEST_APPLESS_MAIN(TestDataTemplates)
#include "test_data_templates.moc"

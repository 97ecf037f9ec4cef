// Preference pairs (data.format preference, core/data/preference_record.h): every layout the peers
// write (TRL's strings and message lists, UltraFeedback's whole conversations, LLaMA-Factory's Alpaca
// and ShareGPT ranking records) reads as a chosen and a rejected record that render with the data's
// template; a shared start is the prompt (its assistant turns context, not trained) for built-in and
// model templates; a dataset of pairs collates into chosen rows then rejected rows; malformed pairs
// are bad lines with a hint; DPO and SFT refuse each other's data.
#include "data_test_helpers.h"
#include "data/preference_record.h"

#include <QtTest/QtTest>

using namespace lorastudio;
using namespace lorastudio::datatest;
using ojson = nlohmann::ordered_json;

namespace {

DataRecord pair(const char* text) {
    DataRecord r;
    std::string problem;
    if (!parseRecord(ojson::parse(text), DataFormat::Preference, r, problem)) throw Error("parseRecord", problem);
    return r;
}

std::string problemOf(const char* text) {
    DataRecord r;
    std::string problem;
    return parseRecord(ojson::parse(text), DataFormat::Preference, r, problem) ? std::string() : problem;
}

// "prompt|trained" of a record with the given template: the whole rendering, then the trained part.
std::string shown(const DataRecord& r, ChatTemplate t) { return render(r, t) + "|" + render(r, t, true); }

} // namespace

class TestDataPreference : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detectedBeforeOtherKeys() {
        QCOMPARE(int(*detectRecordFormat(ojson::parse(R"({"messages": [], "chosen": "a", "rejected": "b"})"))),
                 int(DataFormat::Preference));
        QCOMPARE(int(*detectRecordFormat(ojson::parse(R"({"instruction": "x", "chosen": "a", "rejected": "b"})"))),
                 int(DataFormat::Preference));
        QCOMPARE(int(*detectRecordFormat(ojson::parse(R"({"instruction": "x", "output": "a"})"))), int(DataFormat::Alpaca));
    }

    void trlPlainStrings() {
        const DataRecord r = pair(R"({"prompt": "Q: 2+2?\nA:", "chosen": " 4", "rejected": " 5"})");
        QVERIFY(r.isPair());
        QCOMPARE(int(r.format), int(DataFormat::Text));
        QCOMPARE(q(shown(r, ChatTemplate::ChatML)), q("Q: 2+2?\nA: 4<EOS>| 4<EOS>"));
        QCOMPARE(q(shown(r.rejected.front(), ChatTemplate::ChatML)), q("Q: 2+2?\nA: 5<EOS>| 5<EOS>"));
    }

    void trlMessageLists() {
        const DataRecord r = pair(R"({"prompt": [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "2+2?"}],
                                      "chosen": [{"role": "assistant", "content": "4"}],
                                      "rejected": [{"role": "assistant", "content": "5"}]})");
        QCOMPARE(int(r.format), int(DataFormat::Chat));
        QCOMPARE(q(shown(r, ChatTemplate::ChatML)),
                 q("<|im_start|>system\nBe exact.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"
                   "4<|im_end|>\n|4<|im_end|>"));
        QCOMPARE(q(render(r.rejected.front(), ChatTemplate::ChatML, true)), q("5<|im_end|>"));
        // A string prompt is one user turn; an answer may be one message object or a string.
        const DataRecord s = pair(R"({"prompt": "2+2?", "chosen": {"role": "assistant", "content": "4"}, "rejected": "5"})");
        QCOMPARE(q(shown(s, ChatTemplate::Plain)), q("User: 2+2?\nAssistant: 4<EOS>\n|4<EOS>"));
        QCOMPARE(q(render(s.rejected.front(), ChatTemplate::Plain, true)), q("5<EOS>"));
    }

    // UltraFeedback: a prompt string and two whole conversations that repeat it.
    void wholeConversations() {
        const DataRecord r = pair(R"({"prompt": "2+2?",
            "chosen": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}],
            "rejected": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "5"}]})");
        QCOMPARE(r.messages.size(), std::size_t(2));  // the prompt is not added a second time
        QCOMPARE(q(shown(r, ChatTemplate::Plain)), q("User: 2+2?\nAssistant: 4<EOS>\n|4<EOS>"));
    }

    // Multi-turn pairs: the turns both share are the prompt; an assistant turn there is context.
    void sharedTurnsAreContext() {
        const char* text = R"({"chosen": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."},
                                          {"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}],
                               "rejected": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."},
                                            {"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "5"}]})";
        const DataRecord r = pair(text);
        QVERIFY(r.messages[1].context);
        QVERIFY(!r.messages[3].context);
        for (ChatTemplate t : {ChatTemplate::ChatML, ChatTemplate::Llama3, ChatTemplate::Mistral, ChatTemplate::Plain,
                               ChatTemplate::Alpaca}) {
            const std::string trained = render(r, t, true);
            QVERIFY2(trained.find("Hello.") == std::string::npos, enumName(t).c_str());
            QVERIFY2(trained.find('4') != std::string::npos, enumName(t).c_str());
            QVERIFY2(render(r.rejected.front(), t, true).find("Hello.") == std::string::npos, enumName(t).c_str());
        }
        // The model's own template: the mask derived from it skips the context turn too.
        const Tokenizer tok = withTemplate("qwen3", kLlama3Jinja, json{{"bos_token", "<|endoftext|>"}});
        std::string trained;
        for (const auto& seg : renderRecord(r, modelOptions(tok)))
            if (seg.trained) trained += seg.text;
        QCOMPARE(q(trained), q("4<|eot_id|>"));
    }

    void llamaFactoryLayouts() {
        const DataRecord a = pair(R"({"instruction": "Add.", "input": "2 and 2", "chosen": "4", "rejected": "5"})");
        QCOMPARE(int(a.format), int(DataFormat::Alpaca));
        QCOMPARE(q(shown(a, ChatTemplate::Alpaca)),
                 q(std::string(kWithInput) + "### Instruction:\nAdd.\n\n### Input:\n2 and 2\n\n### Response:\n4<EOS>|4<EOS>"));
        QCOMPARE(q(render(a.rejected.front(), ChatTemplate::Alpaca, true)), q("5<EOS>"));
        const DataRecord s = pair(R"({"conversations": [{"from": "human", "value": "2+2?"}], "system": "Be exact.",
                                      "chosen": {"from": "gpt", "value": "4"}, "rejected": {"from": "gpt", "value": "5"}})");
        QCOMPARE(q(shown(s, ChatTemplate::Plain)), q("Be exact.\n\nUser: 2+2?\nAssistant: 4<EOS>\n|4<EOS>"));
        QCOMPARE(q(render(s.rejected.front(), ChatTemplate::Plain, true)), q("5<EOS>"));
    }

    void malformedPairsAreNamed() {
        QVERIFY(problemOf(R"({"prompt": "x", "chosen": "a"})").rfind("missing key 'rejected' (hint: preference records", 0) == 0);
        QVERIFY(problemOf(R"({"prompt": "x", "chosen": "a", "rejected": "a"})").rfind("the chosen and rejected answers are the same", 0) == 0);
        QVERIFY(problemOf(R"({"chosen": "a", "rejected": "b"})").rfind("missing key 'prompt'", 0) == 0);
        QVERIFY(problemOf(R"({"prompt": "x", "chosen": 3, "rejected": "b"})").rfind("key 'chosen' must be a string, a message or a list", 0) == 0);
        QVERIFY(problemOf(R"({"prompt": "x", "chosen": [{"role": "bot", "content": "a"}], "rejected": "b"})")
                    .rfind("chosen[0]: unknown role 'bot'", 0) == 0);
        QVERIFY(problemOf(R"({"chosen": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
                              "rejected": [{"role": "user", "content": "q"}]})")
                    .rfind("no assistant answer in 'rejected' after the prompt the two share", 0) == 0);
        QVERIFY(problemOf(R"({"instruction": "x", "chosen": "a", "rejected": ["b"]})").rfind("key 'rejected' must be a non-empty string", 0) == 0);
    }

    // A file of pairs: examples hold both sequences; batches put the chosen rows first; the preview
    // shows both; a pair cut so that one answer has no tokens left teaches nothing.
    void datasetCollatesPairs() {
        const std::string dir = testsupport::makeTempDir("pref_data");
        std::vector<std::string> lines;
        for (int i = 0; i < 6; ++i)
            lines.push_back(ojson{{"instruction", "What is " + std::to_string(i) + " plus 1?"},
                                  {"chosen", std::to_string(i) + " plus 1 is " + std::to_string(i + 1) + "."},
                                  {"rejected", "I do not know."}}.dump());
        DataSettings s = settingsFor(writeLines(dir, "pairs.jsonl", lines));
        const Tokenizer& tok = fixtureTokenizer("demo");
        const Dataset d = Dataset::load(s, tok);
        QCOMPARE(int(d.format()), int(DataFormat::Preference));
        QCOMPARE(int(d.chatTemplate()), int(ChatTemplate::Alpaca));  // as the Alpaca-layout records ask
        QCOMPARE(d.train().size(), int64_t(6));
        const TokenizedExample ex = d.train().example(2);
        QVERIFY(ex.isPair());
        QCOMPARE(q(decodeWhere(ex, tok, true)), q("2 plus 1 is 3." + tok.idToToken(*tok.eosId())));
        QCOMPARE(q(decodeWhere(ex.rejectedExample(), tok, true)), q("I do not know." + tok.idToToken(*tok.eosId())));
        QCOMPARE(ex.fullLength, std::max(int32_t(ex.inputIds.size()), int32_t(ex.rejectedIds.size())));
        const auto preview = d.train().preview(1);
        QVERIFY(!preview.front().rejectedSegments.empty());

        const Batch b = collate({d.train().example(0), d.train().example(1)}, paddingId(tok));
        QCOMPARE(b.pairs, int64_t(2));
        QCOMPARE(b.inputIds.size(0), int64_t(4));
        const TokenizedExample e1 = d.train().example(1);
        for (std::size_t j = 0; j < e1.rejectedIds.size(); ++j)
            QCOMPARE(b.inputIds[3][int64_t(j)].item<int64_t>(), int64_t(e1.rejectedIds[j]));
        QVERIFY_EXCEPTION_THROWN(collatePacked({{d.train().example(0)}}, 0), Error);

        s.maxLength = 8;  // the Alpaca prompt alone is longer: no answer token is left
        const Dataset cut = Dataset::load(s, tok);
        QCOMPARE(cut.train().example(0).trainedTokens(), int64_t(0));
        QCOMPARE(cut.train().stats().withoutTrainedTokens, int64_t(6));
    }

    void objectiveAndDataMustAgree() {
        QVERIFY_EXCEPTION_THROWN(requireDataFitsObjective(DataFormat::Chat, Objective::Dpo, "d.jsonl"), Error);
        QVERIFY_EXCEPTION_THROWN(requireDataFitsObjective(DataFormat::Preference, Objective::Sft, "d.jsonl"), Error);
        requireDataFitsObjective(DataFormat::Preference, Objective::Dpo, "d.jsonl");
        requireDataFitsObjective(DataFormat::Preference, Objective::Orpo, "d.jsonl");
        QVERIFY_EXCEPTION_THROWN(requireDataFitsObjective(DataFormat::Chat, Objective::Orpo, "d.jsonl"), Error);
        try {
            requireDataFitsObjective(DataFormat::Alpaca, Objective::Dpo, "d.jsonl");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("d.jsonl: holds alpaca records, and training.objective dpo needs preference pairs") == 0,
                     e.what());
        }
    }
};

QTEST_MAIN(TestDataPreference)
#include "test_data_preference.moc"

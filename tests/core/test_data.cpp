// Tests of core/data's reading: format detection, malformed lines, truncation, the validation split,
// streaming, batching and exact resume (rendering and masks: test_data_templates.cpp).
// Torch headers (in the helpers) come before Qt's.
#include "data_test_helpers.h"
#include "project/project_config.h"

#include <QtTest/QtTest>

#include <functional>
#include <map>
#include <memory>
#include <set>

using namespace lorastudio;
using namespace lorastudio::datatest;
using testsupport::errorOf;

class TestData : public QObject {
    Q_OBJECT

private Q_SLOTS:
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
        Dataset fromProject = Dataset::load(resolvedDataSettings(config), tok, [&](int64_t done, int64_t total) { progress.emplace_back(done, total); });
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
        // What the memory estimate sizes for: the longest example as a batch holds it.
        QCOMPARE(st.longestTruncated(), int32_t(40));
        QCOMPARE(d.longestExample(), int32_t(40));
        DataSettings uncut = s;
        uncut.maxLength = 1000;
        QCOMPARE(Dataset::load(uncut, tok).longestExample(), int32_t(full.inputIds.size()));
        QVERIFY(std::any_of(d.warnings().begin(), d.warnings().end(), [](const std::string& w) {
            return w.rfind("1 of 2 training examples are longer than max_length 40", 0) == 0;
        }));
        // A prompt that fills max_length leaves nothing to learn: counted and reported.
        s.maxLength = 10;
        Dataset tiny = Dataset::load(s, tok);
        QCOMPARE(tiny.train().stats().withoutTrainedTokens, int64_t(2));
        QCOMPARE(tiny.train().stats().trainedTokens, int64_t(0));
    }

    // data.max_prompt_length: a long example loses its prompt's start after the BOS prefix (down to
    // the limit, BOS included), then its end; a short one is left alone; both rows of a pair alike.
    void promptCutFirst_data() {
        QTest::addColumn<QString>("family");
        QTest::newRow("gpt2 (no BOS)") << "gpt2";
        QTest::newRow("mistral (<s>)") << "mistral";
    }
    void promptCutFirst() {
        QFETCH(QString, family);
        const Tokenizer& tok = fixtureTokenizer(family.toStdString());
        const std::string dir = testsupport::makeTempDir("data");
        std::string question;
        for (int i = 0; i < 12; ++i) question += "Sentence number " + std::to_string(i) + " of a long question. ";
        const std::string answer = "The answer has a few words in it, more than the rest of the row can hold, "
                                   "since it goes on for a while and then some more.";
        DataSettings s = settingsFor(writeLines(dir, "d.jsonl", {alpacaLine(question, answer), alpacaLine("Short?", "Yes.")}));
        s.maxLength = 4096;
        const Dataset whole = Dataset::load(s, tok);
        const TokenizedExample full = whole.train().example(0);
        const auto first = std::find_if(full.labels.begin(), full.labels.end(), [](int32_t l) { return l != kIgnoreIndex; }) -
                           full.labels.begin();
        const std::ptrdiff_t prefix = static_cast<std::ptrdiff_t>(tok.specialPrefix().size());
        QCOMPARE(prefix, std::ptrdiff_t(family == "mistral" ? 1 : 0));
        QVERIFY(first > 60);
        s.maxLength = 40;
        s.maxPromptLength = 12;
        const Dataset cut = Dataset::load(s, tok);
        const TokenizedExample ex = cut.train().example(0);
        // Expected: the prefix, the prompt's last 12 - prefix tokens, then the answer up to 40 in all.
        std::vector<int32_t> ids(full.inputIds.begin(), full.inputIds.begin() + prefix);
        ids.insert(ids.end(), full.inputIds.begin() + (first - (12 - prefix)), full.inputIds.end());
        ids.resize(40);
        QCOMPARE(ex.inputIds, ids);
        QCOMPARE(int(std::count(ex.labels.begin(), ex.labels.begin() + 12, kIgnoreIndex)), 12);
        for (std::size_t t = 12; t < 40; ++t) QCOMPARE(ex.labels[t], ex.inputIds[t]);  // the answer, trained
        QCOMPARE(ex.fullLength, full.fullLength);
        QVERIFY(ex.truncated());
        QCOMPARE(cut.train().stats().withoutTrainedTokens, int64_t(0));
        QCOMPARE(cut.train().stats().maxPromptLength, int32_t(12));
        QVERIFY(std::any_of(cut.warnings().begin(), cut.warnings().end(), [](const std::string& w) {
            return w.find("1 of 2 training examples are longer than max_length 40 tokens and were truncated, their prompts "
                          "first to their last 12 tokens") == 0;
        }));
        // The short example is untouched although its prompt may exceed nothing.
        QCOMPARE(cut.train().example(1).inputIds, whole.train().example(1).inputIds);
        // Without the limit the same row is the prompt's start only: nothing to learn.
        s.maxPromptLength = 0;
        const Dataset plain = Dataset::load(s, tok);
        QCOMPARE(plain.train().example(0).trainedTokens(), int64_t(0));
        QVERIFY(std::any_of(plain.warnings().begin(), plain.warnings().end(), [](const std::string& w) {
            return w.find("or set data.max_prompt_length to cut long prompts instead of their answers") != std::string::npos;
        }));
        // A pair: both sequences keep the same prompt tail, and both answers.
        const nlohmann::json pairLine = {{"prompt", question}, {"chosen", " " + answer}, {"rejected", " No idea at all."}};
        DataSettings ps = settingsFor(writeLines(dir, "p.jsonl", {pairLine.dump()}));
        ps.maxLength = 40;
        ps.maxPromptLength = 12;
        const TokenizedExample p = Dataset::load(ps, tok).train().example(0);
        QVERIFY(p.isPair());
        QCOMPARE(std::vector<int32_t>(p.inputIds.begin(), p.inputIds.begin() + 12),
                 std::vector<int32_t>(p.rejectedIds.begin(), p.rejectedIds.begin() + 12));
        QCOMPARE(int(p.inputIds.size()), 40);
        QVERIFY(p.trainedTokens() > 0);
        QCOMPARE(p.rejectedLabels[12], p.rejectedIds[12]);
        QCOMPARE(p.rejectedLabels[11], kIgnoreIndex);
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
        // The longest example of either split, as collate pads a batch holding it.
        size_t longest = 0;
        for (const ExampleSet* set : {&a.train(), &a.validation()})
            for (int64_t i = 0; i < set->size(); ++i) longest = std::max(longest, set->example(i).inputIds.size());
        QCOMPARE(a.longestExample(), int32_t(longest));
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

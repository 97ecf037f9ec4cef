// Tests of core/tokenizer: the ids of real GPT-2, Qwen3 and Mistral tokenizer.json files against
// references from Hugging Face's JS implementation (../shared/fixtures/tokenizers), plus small
// synthetic tokenizer.json files for code paths the fixtures do not reach, and loading errors.
#include "common/error.h"
#include "tokenizer/pre_tokenizers.h"
#include "tokenizer/tokenizer.h"
#include "test_support.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <thread>

using lorastudio::Tokenizer;
using nlohmann::json;

namespace {

const char* const kFamilies[] = {"gpt2", "qwen3", "mistral"};

std::string familyDir(const std::string& family) { return testsupport::fixturesDir() + "/tokenizers/" + family; }

// Each fixture tokenizer is loaded once (qwen3's tokenizer.json is 11 MB).
const Tokenizer& fixtureTokenizer(const std::string& family) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[family];
    if (!slot) slot = std::make_unique<Tokenizer>(Tokenizer::fromFolder(familyDir(family)));
    return *slot;
}

const json& expectedRows(const std::string& family) {
    static std::map<std::string, json> cache;
    auto it = cache.find(family);
    if (it == cache.end())
        it = cache.emplace(family, json::parse(testsupport::readFile(familyDir(family) + "/expected.json"))).first;
    return it->second;
}

QString idsToString(const std::vector<int32_t>& ids) {
    QStringList parts;
    for (int32_t id : ids) parts << QString::number(id);
    return "[" + parts.join(",") + "]";
}

std::vector<int32_t> jsonIds(const json& j) { return j.get<std::vector<int32_t>>(); }

// A tokenizer.json in a fresh folder; returns the folder.
std::string writeTokenizer(const json& tokenizerJson, const json& config = json()) {
    const std::string dir = testsupport::makeTempDir("tok");
    testsupport::writeFile(dir + "/tokenizer.json", tokenizerJson.dump());
    if (!config.is_null()) testsupport::writeFile(dir + "/tokenizer_config.json", config.dump());
    return dir;
}

json bpeModel(const json& vocab, const json& merges) {
    return {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"continuing_subword_prefix", nullptr},
            {"end_of_word_suffix", nullptr}, {"fuse_unk", false}, {"byte_fallback", false},
            {"vocab", vocab}, {"merges", merges}};
}

json tokenizerWith(const json& model) {
    return {{"version", "1.0"}, {"added_tokens", json::array()}, {"normalizer", nullptr},
            {"pre_tokenizer", nullptr}, {"post_processor", nullptr}, {"decoder", nullptr}, {"model", model}};
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const lorastudio::Error& e) {
        return e.what();
    }
    return {};
}

// The pieces a pre-tokenizer described by j makes of text, joined with '|'.
QString preTokenized(const json& j, const std::string& text) {
    auto pre = lorastudio::tok::makePreTokenizer(j, {"test", "pre_tokenizer"});
    std::vector<lorastudio::tok::Piece> pieces{{text, true}};
    pre->preTokenize(pieces);
    QStringList parts;
    for (const auto& p : pieces) parts << QString::fromStdString(p.text);
    return parts.join("|");
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private:
    void addFixtureRows() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<int>("row");
        for (const char* family : kFamilies) {
            const json& rows = expectedRows(family);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                QString text = QString::fromStdString(rows[i]["text"].get<std::string>());
                text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
                if (text.size() > 40) text = text.left(40) + "...";
                const QByteArray name = QString("%1/%2 '%3'").arg(family).arg(i, 2, 10, QChar('0')).arg(text).toUtf8();
                QTest::newRow(name.constData()) << QString(family) << static_cast<int>(i);
            }
        }
    }

    const json& row() {
        QFETCH(QString, family);
        QFETCH(int, row);
        return expectedRows(family.toStdString())[static_cast<std::size_t>(row)];
    }

    const Tokenizer& tokenizer() {
        QFETCH(QString, family);
        return fixtureTokenizer(family.toStdString());
    }

private Q_SLOTS:
    // ---- reference fixtures: one row per corpus text -----------------------------------------
    void encodeMatchesReference_data() { addFixtureRows(); }
    void encodeMatchesReference() {
        const json& r = row();
        QCOMPARE(idsToString(tokenizer().encode(r["text"].get<std::string>(), false)), idsToString(jsonIds(r["ids"])));
    }

    void encodeWithSpecialTokensMatchesReference_data() { addFixtureRows(); }
    void encodeWithSpecialTokensMatchesReference() {
        const json& r = row();
        QCOMPARE(idsToString(tokenizer().encode(r["text"].get<std::string>(), true)),
                 idsToString(jsonIds(r["ids_with_special_tokens"])));
    }

    void decodeMatchesReference_data() { addFixtureRows(); }
    void decodeMatchesReference() {
        const json& r = row();
        QCOMPARE(QString::fromStdString(tokenizer().decode(jsonIds(r["ids"]))),
                 QString::fromStdString(r["decoded"].get<std::string>()));
    }

    void fixtureCorpusIsComplete() {
        // Every text of corpus.json has a row in every expected.json, in order.
        const json corpus = json::parse(testsupport::readFile(testsupport::fixturesDir() + "/tokenizers/corpus.json"));
        for (const char* family : kFamilies) {
            const json& rows = expectedRows(family);
            QCOMPARE(rows.size(), corpus.size());
            for (std::size_t i = 0; i < rows.size(); ++i) QCOMPARE(rows[i]["text"], corpus[i]);
        }
    }

    // ---- tokenizer_config.json and vocabulary queries -----------------------------------------
    void configTokensResolveToIds_data() {
        QTest::addColumn<QString>("family");
        for (const char* family : kFamilies) QTest::newRow(family) << QString(family);
    }
    void configTokensResolveToIds() {
        QFETCH(QString, family);
        const Tokenizer& t = fixtureTokenizer(family.toStdString());
        const json config = json::parse(testsupport::readFile(familyDir(family.toStdString()) + "/tokenizer_config.json"));
        auto expectedId = [&](const char* key) -> std::optional<int32_t> {
            if (!config.contains(key) || config[key].is_null()) return std::nullopt;
            const json& v = config[key];
            return t.tokenToId(v.is_string() ? v.get<std::string>() : v["content"].get<std::string>());
        };
        QCOMPARE(t.bosId(), expectedId("bos_token"));
        QCOMPARE(t.eosId(), expectedId("eos_token"));
        QCOMPARE(t.padId(), expectedId("pad_token"));
        if (config.contains("eos_token") && !config["eos_token"].is_null()) {
            QVERIFY(t.eosId().has_value());
            QVERIFY(t.isSpecial(*t.eosId()));
        }
        QCOMPARE(QString::fromStdString(t.chatTemplate()),
                 QString::fromStdString(config.value("chat_template", std::string())));
        const json& mml = config["model_max_length"];
        if (mml.is_number_integer() && mml.get<double>() < 1e15)
            QCOMPARE(t.modelMaxLength(), std::optional<int64_t>(mml.get<int64_t>()));
        else
            QVERIFY(!t.modelMaxLength().has_value());
    }

    void vocabularyQueries_data() { configTokensResolveToIds_data(); }
    void vocabularyQueries() {
        QFETCH(QString, family);
        const Tokenizer& t = fixtureTokenizer(family.toStdString());
        const json tj = json::parse(testsupport::readFile(familyDir(family.toStdString()) + "/tokenizer.json"));
        int32_t limit = 0;
        for (const auto& [token, id] : tj["model"]["vocab"].items()) {
            limit = std::max(limit, id.get<int32_t>() + 1);
            if (id.get<int32_t>() % 997 == 0) { // a sample: every token round-trips through the API
                QCOMPARE(t.tokenToId(token), std::optional<int32_t>(id.get<int32_t>()));
                QCOMPARE(QString::fromStdString(t.idToToken(id.get<int32_t>())), QString::fromStdString(token));
            }
        }
        for (const auto& a : tj["added_tokens"]) {
            limit = std::max(limit, a["id"].get<int32_t>() + 1);
            QCOMPARE(t.tokenToId(a["content"].get<std::string>()), std::optional<int32_t>(a["id"].get<int32_t>()));
            QCOMPARE(t.isSpecial(a["id"].get<int32_t>()), a["special"].get<bool>());
        }
        QCOMPARE(t.vocabSize(), limit);
        QVERIFY(!t.tokenToId("no such token \x01").has_value());
        QCOMPARE(QString::fromStdString(t.idToToken(limit + 5)), QString());
    }

    void decodeSkipsSpecialTokens() {
        const Tokenizer& t = fixtureTokenizer("qwen3");
        const std::vector<int32_t> ids = t.encode("<|im_start|>user\nhi<|im_end|>", false);
        QVERIFY(t.isSpecial(ids.front()));
        QCOMPARE(QString::fromStdString(t.decode(ids, true)), QString("user\nhi"));
        QCOMPARE(QString::fromStdString(t.decode(ids, false)), QString("<|im_start|>user\nhi<|im_end|>"));
        // Ids without a token (rows of a padded embedding) are skipped, not an error.
        std::vector<int32_t> padded = ids;
        padded.push_back(t.vocabSize() + 100);
        QCOMPARE(QString::fromStdString(t.decode(padded, true)), QString("user\nhi"));
    }

    void configFlagsOverridePostProcessor() {
        // Mistral's template adds <s>; a config asking for EOS and no BOS must win over it.
        const std::string dir = testsupport::makeTempDir("tokcfg");
        testsupport::writeFile(dir + "/tokenizer.json", testsupport::readFile(familyDir("mistral") + "/tokenizer.json"));
        testsupport::writeFile(dir + "/tokenizer_config.json",
                               json{{"bos_token", "<s>"}, {"eos_token", {{"__type", "AddedToken"}, {"content", "</s>"}}},
                                    {"add_bos_token", false}, {"add_eos_token", true}}
                                   .dump());
        const Tokenizer t = Tokenizer::fromFolder(dir);
        const Tokenizer& reference = fixtureTokenizer("mistral");
        std::vector<int32_t> expected = reference.encode("Hello there", false);
        expected.push_back(*t.tokenToId("</s>"));
        QCOMPARE(idsToString(t.encode("Hello there", true)), idsToString(expected));
        QCOMPARE(idsToString(t.specialPrefix()), QString("[]"));
        // Without a tokenizer_config.json the post-processor alone decides: <s> first, no </s>.
        const Tokenizer bare = Tokenizer::fromFiles(dir + "/tokenizer.json", "");
        QCOMPARE(idsToString(bare.specialPrefix()), idsToString({*t.tokenToId("<s>")}));
        QVERIFY(bare.specialSuffix().empty());
        QVERIFY(!bare.bosId().has_value());
    }

    void splitSpecialTokensEncodesThemAsText() {
        // split_special_tokens: "<|im_start|>" typed in the text is ordinary text, not id 151644.
        const std::string dir = testsupport::makeTempDir("toksplit");
        testsupport::writeFile(dir + "/tokenizer.json", testsupport::readFile(familyDir("qwen3") + "/tokenizer.json"));
        testsupport::writeFile(dir + "/tokenizer_config.json", json{{"split_special_tokens", true}}.dump());
        const Tokenizer t = Tokenizer::fromFolder(dir);
        const std::string text = "<|im_start|>user\nhi<|im_end|>";
        const std::vector<int32_t> ids = t.encode(text, false);
        const int32_t imStart = *t.tokenToId("<|im_start|>");
        QVERIFY(std::find(ids.begin(), ids.end(), imStart) == ids.end());
        QVERIFY(ids.size() > fixtureTokenizer("qwen3").encode(text, false).size());
        QCOMPARE(QString::fromStdString(t.decode(ids)), QString::fromStdString(text));
        QVERIFY(t.isSpecial(imStart)); // still special by id
    }

    void wrappingPostProcessors_data() {
        QTest::addColumn<QString>("processor");
        QTest::addColumn<QString>("expected");
        QTest::newRow("RobertaProcessing")
            << "{\"type\":\"RobertaProcessing\",\"cls\":[\"<s>\",0],\"sep\":[\"</s>\",2]}" << "[0,5,2]";
        QTest::newRow("BertProcessing")
            << "{\"type\":\"BertProcessing\",\"cls\":[\"<s>\",0],\"sep\":[\"</s>\",2]}" << "[0,5,2]";
        QTest::newRow("Sequence of ByteLevel and a template")
            << "{\"type\":\"Sequence\",\"processors\":[{\"type\":\"ByteLevel\"},{\"type\":\"TemplateProcessing\","
               "\"single\":[{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
               "{\"SpecialToken\":{\"id\":\"</s>\",\"type_id\":0}}],\"special_tokens\":{\"<s>\":{\"id\":\"<s>\","
               "\"ids\":[0],\"tokens\":[\"<s>\"]},\"</s>\":{\"id\":\"</s>\",\"ids\":[2],\"tokens\":[\"</s>\"]}}}]}"
            << "[0,5,2]";
    }
    void wrappingPostProcessors() {
        QFETCH(QString, processor);
        QFETCH(QString, expected);
        json tj = tokenizerWith(bpeModel({{"<s>", 0}, {"<pad>", 1}, {"</s>", 2}, {"h", 3}, {"i", 4}, {"hi", 5}}, {"h i"}));
        tj["post_processor"] = json::parse(processor.toStdString());
        const Tokenizer t = Tokenizer::fromFolder(writeTokenizer(tj));
        QCOMPARE(idsToString(t.encode("hi", true)), expected);
        QCOMPARE(idsToString(t.encode("hi", false)), QString("[5]"));
    }

    void concurrentEncodeGivesSameIds() {
        const Tokenizer t = fixtureTokenizer("qwen3"); // a copy shares the state
        const json& rows = expectedRows("qwen3");
        std::vector<std::thread> threads;
        std::vector<int> mismatches(4, 0);
        for (int k = 0; k < 4; ++k)
            threads.emplace_back([&, k] {
                for (int rep = 0; rep < 20; ++rep)
                    for (const json& r : rows)
                        if (t.encode(r["text"].get<std::string>(), false) != jsonIds(r["ids"])) ++mismatches[k];
            });
        for (auto& th : threads) th.join();
        QCOMPARE(mismatches, std::vector<int>(4, 0));
    }

    void encodeRejectsInvalidUtf8() {
        const std::string message = errorOf([] { fixtureTokenizer("gpt2").encode("ok \xC3\x28 bad", false); });
        QVERIFY2(message.find("UTF-8") != std::string::npos, message.c_str());
        QVERIFY2(message.find("byte 3") != std::string::npos, message.c_str());
    }

    // ---- synthetic tokenizer.json files --------------------------------------------------------
    void mergesInBothFormatsAgree() {
        const json vocab = {{"h", 0}, {"e", 1}, {"l", 2}, {"o", 3}, {"he", 4}, {"ll", 5}, {"llo", 6}, {"hello", 7}};
        const Tokenizer strings = Tokenizer::fromFolder(
            writeTokenizer(tokenizerWith(bpeModel(vocab, {"l l", "h e", "ll o", "he llo"}))));
        const Tokenizer pairs = Tokenizer::fromFolder(writeTokenizer(
            tokenizerWith(bpeModel(vocab, json::array({{"l", "l"}, {"h", "e"}, {"ll", "o"}, {"he", "llo"}})))));
        QCOMPARE(idsToString(strings.encode("hello", false)), QString("[7]"));
        QCOMPARE(idsToString(pairs.encode("hello", false)), QString("[7]"));
        QCOMPARE(idsToString(pairs.encode("hell", false)), idsToString(strings.encode("hell", false)));
        QCOMPARE(idsToString(pairs.encode("hell", false)), QString("[4,5]"));
    }

    void mergeOrderFollowsRank() {
        // "abc": (b,c) has the lower rank, so "a" + "bc" wins over "ab" + "c".
        const json vocab = {{"a", 0}, {"b", 1}, {"c", 2}, {"ab", 3}, {"bc", 4}};
        const Tokenizer t = Tokenizer::fromFolder(writeTokenizer(tokenizerWith(bpeModel(vocab, {"b c", "a b"}))));
        QCOMPARE(idsToString(t.encode("abc", false)), QString("[0,4]"));
        const Tokenizer swapped = Tokenizer::fromFolder(writeTokenizer(tokenizerWith(bpeModel(vocab, {"a b", "b c"}))));
        QCOMPARE(idsToString(swapped.encode("abc", false)), QString("[3,2]"));
    }

    void ignoreMergesTakesWholeWordsFromVocab() {
        // "abc" is in the vocabulary but no merge builds it (as in Llama-3's vocabulary).
        const json vocab = {{"a", 0}, {"b", 1}, {"c", 2}, {"bc", 3}, {"abc", 4}};
        json model = bpeModel(vocab, {"b c"});
        QCOMPARE(idsToString(Tokenizer::fromFolder(writeTokenizer(tokenizerWith(model))).encode("abc", false)),
                 QString("[0,3]"));
        model["ignore_merges"] = true;
        const Tokenizer t = Tokenizer::fromFolder(writeTokenizer(tokenizerWith(model)));
        QCOMPARE(idsToString(t.encode("abc", false)), QString("[4]"));
        QCOMPARE(idsToString(t.encode("bcb", false)), QString("[3,1]")); // not in vocab: merges as usual
    }

    void byteFallbackAndUnknownCharacters() {
        json vocab = {{"<unk>", 0}, {"a", 1}, {"<0xC3>", 2}, {"<0xA9>", 3}};
        json model = bpeModel(vocab, json::array());
        model["unk_token"] = "<unk>";
        model["byte_fallback"] = true;
        json tj = tokenizerWith(model);
        tj["decoder"] = {{"type", "Sequence"},
                         {"decoders", {{{"type", "ByteFallback"}}, {{"type", "Fuse"}}}}};
        const Tokenizer t = Tokenizer::fromFolder(writeTokenizer(tj));
        // é is C3 A9: both byte tokens exist. ß (C3 9F) lacks <0x9F>, so it is unknown.
        QCOMPARE(idsToString(t.encode("a\xC3\xA9", false)), QString("[1,2,3]"));
        QCOMPARE(QString::fromStdString(t.decode(t.encode("a\xC3\xA9", false))), QString::fromUtf8("a\xC3\xA9"));
        QCOMPARE(idsToString(t.encode("\xC3\x9F\xC3\x9F" "a", false)), QString("[0,0,1]"));
        QCOMPARE(t.unkId(), std::optional<int32_t>(0));
        // A lone byte token decodes to U+FFFD rather than invalid UTF-8.
        QCOMPARE(QString::fromStdString(t.decode({2, 1})), QString::fromUtf8("\xEF\xBF\xBD" "a"));

        model["fuse_unk"] = true;
        tj["model"] = model;
        const Tokenizer fused = Tokenizer::fromFolder(writeTokenizer(tj));
        QCOMPARE(idsToString(fused.encode("\xC3\x9F\xC3\x9F" "a", false)), QString("[0,1]"));
    }

    void metaspacePreTokenizerLlamaStyle() {
        // Newer Llama/Mistral files: no normalizer, a Metaspace pre-tokenizer and decoder.
        const json vocab = {{"<s>", 0}, {"\xE2\x96\x81", 1}, {"h", 2}, {"i", 3}, {"\xE2\x96\x81h", 4},
                            {"\xE2\x96\x81hi", 5}};
        json tj = tokenizerWith(bpeModel(vocab, {"\xE2\x96\x81 h", "\xE2\x96\x81h i"}));
        tj["added_tokens"] = {{{"id", 0}, {"content", "<s>"}, {"single_word", false}, {"lstrip", false},
                               {"rstrip", false}, {"normalized", false}, {"special", true}}};
        tj["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"},
                               {"prepend_scheme", "first"}, {"split", false}};
        tj["decoder"] = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "first"},
                         {"split", false}};
        const Tokenizer first = Tokenizer::fromFolder(writeTokenizer(tj));
        QCOMPARE(idsToString(first.encode("hi hi", false)), QString("[5,5]"));
        // "first": only text at the very start gets the ▁; after <s> it does not.
        QCOMPARE(idsToString(first.encode("<s>hi", false)), QString("[0,2,3]"));
        QCOMPARE(QString::fromStdString(first.decode({5, 5})), QString("hi hi"));

        tj["pre_tokenizer"]["prepend_scheme"] = "always";
        const Tokenizer always = Tokenizer::fromFolder(writeTokenizer(tj));
        QCOMPARE(idsToString(always.encode("<s>hi", false)), QString("[0,5]"));
        tj["pre_tokenizer"]["prepend_scheme"] = "never";
        const Tokenizer never = Tokenizer::fromFolder(writeTokenizer(tj));
        QCOMPARE(idsToString(never.encode("hi", false)), QString("[2,3]"));
    }

    void metaspaceSplit_data() {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<bool>("split");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        const QString m = QString::fromUtf8("\xE2\x96\x81");
        QTest::newRow("first, split") << "first" << true << "Hey  friend" << m + "Hey|" + m + "|" + m + "friend";
        QTest::newRow("always, no split") << "always" << false << "Hey friend" << m + "Hey" + m + "friend";
        QTest::newRow("never, split") << "never" << true << "Hey friend" << "Hey|" + m + "friend";
    }
    void metaspaceSplit() {
        QFETCH(QString, scheme);
        QFETCH(bool, split);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const json j = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"},
                        {"prepend_scheme", scheme.toStdString()}, {"split", split}};
        QCOMPARE(preTokenized(j, input.toStdString()), expected);
    }

    void splitBehaviours_data() {
        QTest::addColumn<QString>("behavior");
        QTest::addColumn<bool>("invert");
        QTest::addColumn<QString>("expected");
        // Input "a-b--c", pattern "-" (HF tokenizers' documented SplitDelimiterBehavior semantics).
        QTest::newRow("Removed") << "Removed" << false << "a|b|c";
        QTest::newRow("Isolated") << "Isolated" << false << "a|-|b|-|-|c";
        QTest::newRow("MergedWithPrevious") << "MergedWithPrevious" << false << "a-|b-|-|c";
        QTest::newRow("MergedWithNext") << "MergedWithNext" << false << "a|-b|-|-c";
        QTest::newRow("Contiguous") << "Contiguous" << false << "a|-|b|--|c";
        QTest::newRow("Removed, inverted") << "Removed" << true << "-|-|-";
        QTest::newRow("MergedWithPrevious, inverted") << "MergedWithPrevious" << true << "a|-b|-|-c";
    }
    void splitBehaviours() {
        QFETCH(QString, behavior);
        QFETCH(bool, invert);
        QFETCH(QString, expected);
        const json j = {{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior.toStdString()},
                        {"invert", invert}};
        QCOMPARE(preTokenized(j, "a-b--c"), expected);
        // The same with a regex pattern.
        json r = j;
        r["pattern"] = {{"Regex", "-"}};
        QCOMPARE(preTokenized(r, "a-b--c"), expected);
    }

    void llama3RegexSplits() {
        // Llama-3's pattern uses possessive quantifiers and \p{N}{1,3}; PCRE2 takes it as written.
        const std::string llama3 =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|"
            "\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";
        const json j = {{"type", "Sequence"},
                        {"pretokenizers",
                         {{{"type", "Split"}, {"pattern", {{"Regex", llama3}}}, {"behavior", "Isolated"}, {"invert", false}}}}};
        QCOMPARE(preTokenized(j, "Hello world 12345 DON'T\n\n  x"),
                 QString("Hello| world| |123|45| DON|'T|\n\n| | x"));
    }

    void byteLevelPreTokenizer() {
        const json j = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}};
        // Spaces become Ġ, a newline Ċ; add_prefix_space puts a space before the first word.
        QCOMPARE(preTokenized(j, "Hi there\n"), QString::fromUtf8("\xC4\xA0Hi|\xC4\xA0there|\xC4\x8A"));
        const json noRegex = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}};
        QCOMPARE(preTokenized(noRegex, "a b"), QString::fromUtf8("a\xC4\xA0" "b"));
    }

    void addedTokenFlags() {
        const json vocab = {{"a", 0}, {"b", 1}, {" ", 2}, {"x", 3}};
        json tj = tokenizerWith(bpeModel(vocab, json::array()));
        auto added = [](int id, const char* content, bool singleWord, bool lstrip, bool rstrip) {
            return json{{"id", id}, {"content", content}, {"single_word", singleWord}, {"lstrip", lstrip},
                        {"rstrip", rstrip}, {"normalized", false}, {"special", true}};
        };
        tj["added_tokens"] = {added(10, "<m>", false, true, true), added(11, "ab", true, false, false),
                              added(12, "<mm>", false, false, false), added(13, "<m", false, false, false)};
        const Tokenizer t = Tokenizer::fromFolder(writeTokenizer(tj));
        // lstrip/rstrip swallow the spaces around <m>.
        QCOMPARE(idsToString(t.encode("a  <m>  b", false)), QString("[0,10,1]"));
        // single_word: "ab" only as a whole word.
        QCOMPARE(idsToString(t.encode("ab x", false)), QString("[11,2,3]"));
        QCOMPARE(idsToString(t.encode("xab", false)), QString("[3,0,1]"));
        // Longest match wins: <mm> over <m.
        QCOMPARE(idsToString(t.encode("<mm>a", false)), QString("[12,0]"));
        QCOMPARE(idsToString(t.encode("<ma", false)), QString("[13,0]"));
    }

    void normalizers_data() {
        QTest::addColumn<QString>("normalizer");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        // (No raw string literals in this file: moc of Qt 6.4 stops parsing at them.)
        // A decomposed é (e + U+0301) composes under NFC; NFKC also folds the ligature ﬁ.
        QTest::newRow("NFC") << "{\"type\":\"NFC\"}" << QString::fromUtf8("e\xCC\x81") << QString::fromUtf8("\xC3\xA9");
        QTest::newRow("NFD") << "{\"type\":\"NFD\"}" << QString::fromUtf8("\xC3\xA9") << QString::fromUtf8("e\xCC\x81");
        QTest::newRow("NFKC") << "{\"type\":\"NFKC\"}" << QString::fromUtf8("\xEF\xAC\x81") << "fi";
        QTest::newRow("Lowercase") << "{\"type\":\"Lowercase\"}" << QString::fromUtf8("AbÇ") << QString::fromUtf8("abç");
        QTest::newRow("Strip") << "{\"type\":\"Strip\",\"strip_left\":true,\"strip_right\":false}" << " \ta b " << "a b ";
        QTest::newRow("Replace regex")
            << "{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"\\\\s+\"},\"content\":\"_\"}" << "a  b\tc" << "a_b_c";
        QTest::newRow("Sequence")
            << "{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Prepend\",\"prepend\":\">\"},{\"type\":\"Replace\",\"pattern\":{\"String\":\"a\"},\"content\":\"bb\"}]}"
            << "aXa" << ">bbXbb";
    }
    void normalizers() {
        QFETCH(QString, normalizer);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        // Observe the normalizer through a vocabulary of single characters.
        json vocab = json::object();
        int next = 0;
        for (const QString& s : {input, expected})
            for (const uint cp : s.toUcs4()) {
                const char32_t c = cp;
                const std::string ch = QString::fromUcs4(&c, 1).toStdString();
                if (!vocab.contains(ch)) vocab[ch] = next++;
            }
        json tj = tokenizerWith(bpeModel(vocab, json::array()));
        tj["normalizer"] = json::parse(normalizer.toStdString());
        const Tokenizer t = Tokenizer::fromFolder(writeTokenizer(tj));
        QCOMPARE(QString::fromStdString(t.decode(t.encode(input.toStdString(), false))).remove(' '), QString(expected).remove(' '));
        QCOMPARE(static_cast<qsizetype>(t.encode(input.toStdString(), false).size()),
                 static_cast<qsizetype>(expected.toUcs4().size()));
    }

    // ---- errors ------------------------------------------------------------------------------
    void unsupportedModelType_data() {
        QTest::addColumn<QString>("type");
        QTest::newRow("WordPiece") << "WordPiece";
        QTest::newRow("Unigram") << "Unigram";
    }
    void unsupportedModelType() {
        QFETCH(QString, type);
        json tj = tokenizerWith({{"type", type.toStdString()}, {"vocab", json::object()}});
        const std::string dir = writeTokenizer(tj);
        const std::string message = errorOf([&] { Tokenizer::fromFolder(dir); });
        QVERIFY2(message.find("model.type") != std::string::npos, message.c_str());
        QVERIFY2(message.find("'" + type.toStdString() + "' is not supported yet") != std::string::npos, message.c_str());
        QVERIFY2(message.find(dir + "/tokenizer.json") != std::string::npos, message.c_str());
    }

    void malformedJsonNamesLineAndColumn() {
        const std::string dir = testsupport::makeTempDir("tokbad");
        testsupport::writeFile(dir + "/tokenizer.json", "{\n  \"model\": {\"type\": \"BPE\",,}\n}");
        const std::string message = errorOf([&] { Tokenizer::fromFolder(dir); });
        QVERIFY2(message.find("tokenizer.json") != std::string::npos, message.c_str());
        QVERIFY2(message.find("line 2") != std::string::npos, message.c_str());
    }

    void unknownComponentTypesNameTheKeyPath_data() {
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("path");
        QTest::newRow("pre-tokenizer in a Sequence")
            << "pre_tokenizer"
            << "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Digits\",\"individual_digits\":true},{\"type\":\"Fancy\"}]}"
            << "pre_tokenizer.pretokenizers[1].type";
        QTest::newRow("normalizer") << "normalizer" << "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"\"}"
                                    << "normalizer.type";
        QTest::newRow("decoder") << "decoder" << "{\"type\":\"CTC\"}" << "decoder.type";
        QTest::newRow("split behavior") << "pre_tokenizer"
                                        << "{\"type\":\"Split\",\"pattern\":{\"String\":\" \"},\"behavior\":\"Sideways\"}"
                                        << "pre_tokenizer.behavior";
        QTest::newRow("bad regex") << "pre_tokenizer"
                                   << "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(unclosed\"},\"behavior\":\"Isolated\"}"
                                   << "pre_tokenizer.pattern.Regex";
    }
    void unknownComponentTypesNameTheKeyPath() {
        QFETCH(QString, section);
        QFETCH(QString, value);
        QFETCH(QString, path);
        json tj = tokenizerWith(bpeModel({{"a", 0}}, json::array()));
        tj[section.toStdString()] = json::parse(value.toStdString());
        const std::string dir = writeTokenizer(tj);
        const std::string message = errorOf([&] { Tokenizer::fromFolder(dir); });
        QVERIFY2(message.find(path.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("tokenizer.json") != std::string::npos, message.c_str());
    }

    void missingTokenizerJson() {
        const std::string dir = testsupport::makeTempDir("tokempty");
        testsupport::writeFile(dir + "/tokenizer.model", "x");
        const std::string message = errorOf([&] { Tokenizer::fromFolder(dir); });
        QVERIFY2(message.find("no tokenizer.json") != std::string::npos, message.c_str());
        QVERIFY2(message.find("SentencePiece") != std::string::npos, message.c_str());
    }

    void mergeWithUnknownTokenIsAnError() {
        const std::string dir = writeTokenizer(tokenizerWith(bpeModel({{"a", 0}, {"b", 1}}, {"a b"})));
        const std::string message = errorOf([&] { Tokenizer::fromFolder(dir); });
        QVERIFY2(message.find("model.merges[0]") != std::string::npos, message.c_str());
        QVERIFY2(message.find("'ab'") != std::string::npos, message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"

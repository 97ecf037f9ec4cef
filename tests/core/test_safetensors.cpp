// Tests of core/io safetensors: reading the reference fixtures (checked against an independent
// parse and the manifest), zero-copy views, sharded checkpoints, strict rejection of malformed
// files with distinct messages, and the writer (round trip, reference byte layout, atomicity).
#include "io/safetensors.h"

#include "common/error.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include "test_support.h"

#include <cstring>
#include <filesystem>
#include <set>

using namespace lorastudio;
namespace fs = std::filesystem;

namespace {

std::string modelsDir() { return testsupport::fixturesDir() + "/models"; }

// A safetensors image: 8-byte little-endian length (declaredLength, or the header's size), header, data.
std::string stImage(const std::string& header, const std::string& data, uint64_t declaredLength = UINT64_MAX) {
    const uint64_t n = declaredLength == UINT64_MAX ? header.size() : declaredLength;
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
    return out + header + data;
}

// The message of the Error that f throws, or "" when it throws nothing (other exceptions fail).
template <typename F>
std::string errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

// Tensor bytes, row-major, for bitwise comparison.
std::string bytesOf(const at::Tensor& t) {
    const at::Tensor c = t.contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()), c.numel() * c.element_size());
}

std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::pair<std::string, at::Tensor>> allTensors(const SafetensorsFile& f) {
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (const TensorInfo& t : f.tensors()) out.emplace_back(t.name, f.tensor(t.name));
    return out;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsFixtureModelAgainstManifest();
    void readsValuesAgainstIndependentParse();
    void tensorsAreZeroCopyAndKeepTheMappingAlive();
    void misalignedDataIsCopied();
    void acceptsValidEdgeCases();
    void rejectsMalformedFilesWithDistinctMessages();
    void roundTripsEveryDtypeWithMetadata();
    void writerMatchesReferenceHeaderFormat();
    void rewritingFixturesIsByteIdentical();
    void checkpointOpensFoldersFilesAndShards();
    void checkpointRejectsBrokenIndexes();
    void writerRejectsBadInput();
    void failedWriteLeavesTargetAndNoTemporaries();
};

void TestSafetensors::readsFixtureModelAgainstManifest() {
    const nlohmann::json manifest = nlohmann::json::parse(testsupport::readFile(modelsDir() + "/manifest.json"));
    for (const std::string model : {"gpt2", "llama", "qwen2"}) {
        const nlohmann::json& m = manifest.at("models").at(model);
        auto file = SafetensorsFile::open(modelsDir() + "/" + model + "/model/model.safetensors");
        QCOMPARE(file->metadata().at("format"), std::string("pt"));

        const auto keys = m.at("model_keys").get<std::vector<std::string>>();
        const std::set<std::string> expectedKeys(keys.begin(), keys.end());
        std::set<std::string> keysRead;
        int64_t params = 0;
        for (const TensorInfo& t : file->tensors()) {
            keysRead.insert(t.name);
            params += file->tensor(t.name).numel();
        }
        QVERIFY(!expectedKeys.empty());
        QCOMPARE(keysRead, expectedKeys);
        QCOMPARE(params, m.at("n_params").get<int64_t>());
    }
    auto gpt2 = SafetensorsFile::open(modelsDir() + "/gpt2/model/model.safetensors");
    const at::Tensor wte = gpt2->tensor("transformer.wte.weight");
    QCOMPARE(wte.sizes().vec(), (std::vector<int64_t>{1000, 64}));
    QCOMPARE(wte.scalar_type(), at::kFloat);
    QVERIFY(wte.abs().sum().item<double>() > 0.0);
    // The data region is covered exactly: tensors end where the file ends.
    const TensorInfo& last = gpt2->tensors().back();
    QCOMPARE(gpt2->data(last) + (last.end - last.begin) - gpt2->data(gpt2->tensors().front()),
             static_cast<std::ptrdiff_t>(gpt2->fileSize() - 8 - 2624));
}

void TestSafetensors::readsValuesAgainstIndependentParse() {
    // Parse logits.safetensors here with nothing but nlohmann and byte arithmetic, then compare.
    const std::string path = modelsDir() + "/gpt2/logits.safetensors";
    const std::string bytes = testsupport::readFile(path);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    const nlohmann::json header = nlohmann::json::parse(bytes.substr(8, n));
    auto file = SafetensorsFile::open(path);
    QCOMPARE(file->metadata().at("model"), std::string("gpt2"));
    for (const std::string name : {"input_ids", "attention_mask", "loss", "logits"}) {
        const nlohmann::json& h = header.at(name);
        const uint64_t b = h.at("data_offsets")[0], e = h.at("data_offsets")[1];
        const std::string expected = bytes.substr(8 + n + b, e - b);
        const at::Tensor t = file->tensor(name);
        QCOMPARE(t.sizes().vec(), h.at("shape").get<std::vector<int64_t>>());
        QCOMPARE(std::string(dtypeName(fromScalarType(t.scalar_type()))), h.at("dtype").get<std::string>());
        QCOMPARE(bytesOf(t), expected);
    }
    // input_ids is the same batch in every file of a model folder (README): the files agree.
    const at::Tensor ids = file->tensor("input_ids");
    QCOMPARE(ids.scalar_type(), at::kLong);
    QVERIFY(ids.min().item<int64_t>() >= 0 && ids.max().item<int64_t>() < 1000);
    auto train = SafetensorsFile::open(modelsDir() + "/gpt2/train_ref.safetensors");
    QVERIFY(at::equal(ids, train->tensor("input_ids")));
    // The F64 losses equal the manifest's (Python's repr of a double round-trips exactly).
    const nlohmann::json manifest = nlohmann::json::parse(testsupport::readFile(modelsDir() + "/manifest.json"));
    const auto losses = manifest.at("models").at("gpt2").at("losses_before_steps_1_2_3_and_after_3").get<std::vector<double>>();
    const at::Tensor trainLosses = train->tensor("losses");
    QCOMPARE(trainLosses.scalar_type(), at::kDouble);
    QCOMPARE(static_cast<std::size_t>(trainLosses.numel()), losses.size());
    for (std::size_t i = 0; i < losses.size(); ++i) QCOMPARE(trainLosses[i].item<double>(), losses[i]);
}

void TestSafetensors::tensorsAreZeroCopyAndKeepTheMappingAlive() {
    auto file = SafetensorsFile::open(modelsDir() + "/gpt2/model/model.safetensors");
    at::Tensor held;
    at::Tensor copy;
    for (const TensorInfo& info : file->tensors()) {
        const at::Tensor t = file->tensor(info.name);
        QCOMPARE(static_cast<const void*>(t.data_ptr()), static_cast<const void*>(file->data(info)));
        QCOMPARE(static_cast<uint64_t>(t.numel() * t.element_size()), info.end - info.begin);
        if (info.name == "transformer.h.1.mlp.c_fc.weight") {
            held = t;
            copy = t.clone();
        }
    }
    QVERIFY(held.defined());
    file.reset();  // the view must keep the mapping alive on its own
    QVERIFY(at::equal(held, copy));
    QCOMPARE(bytesOf(held), bytesOf(copy));
}

void TestSafetensors::misalignedDataIsCopied() {
    // U8 [0,1) then F32 [1,9): valid, but the F32 data sits at an odd address.
    const std::string dir = testsupport::makeTempDir("st-misaligned");
    std::string header = R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                         R"("b":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})";
    header.append((8 - header.size() % 8) % 8, ' ');
    const float values[2] = {1.5f, -2.25f};
    std::string data(1, '\x07');
    data.append(reinterpret_cast<const char*>(values), sizeof values);
    testsupport::writeFile(dir + "/m.safetensors", stImage(header, data));

    auto file = SafetensorsFile::open(dir + "/m.safetensors");
    const at::Tensor b = file->tensor("b");
    QVERIFY(static_cast<const void*>(b.data_ptr()) != static_cast<const void*>(file->data(*file->find("b"))));
    QCOMPARE(b[0].item<float>(), 1.5f);
    QCOMPARE(b[1].item<float>(), -2.25f);
    QCOMPARE(file->tensor("a")[0].item<uint8_t>(), uint8_t(7));
    QCOMPARE(file->tensors()[0].name, std::string("a"));  // header order
}

void TestSafetensors::acceptsValidEdgeCases() {
    const std::string dir = testsupport::makeTempDir("st-valid");
    struct Case {
        const char* name;
        std::string image;
        std::size_t tensors;
    };
    const std::vector<Case> cases = {
        {"empty header", stImage("{}      ", ""), 0},
        {"null metadata, extra key, padding",
         stImage(R"({"__metadata__":null,"a":{"dtype":"I16","shape":[2],"data_offsets":[0,4],"extra":1}}   )", "abcd"), 1},
        {"scalar and zero-sized tensors",
         stImage(R"({"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[0,3],"data_offsets":[8,8]}})",
                 std::string(8, '\0')),
         2},
    };
    for (const Case& c : cases) {
        const std::string path = dir + "/ok.safetensors";
        testsupport::writeFile(path, c.image);
        std::shared_ptr<SafetensorsFile> file;
        const std::string err = errorOf([&] { file = SafetensorsFile::open(path); });
        QVERIFY2(err.empty(), (std::string(c.name) + ": " + err).c_str());
        QCOMPARE(file->tensors().size(), c.tensors);
    }
    auto file = SafetensorsFile::open(dir + "/ok.safetensors");
    QCOMPARE(file->tensor("s").dim(), int64_t(0));
    QCOMPARE(file->tensor("z").sizes().vec(), (std::vector<int64_t>{0, 3}));
    QVERIFY(errorOf([&] { file->tensor("nope"); }).find("tensor 'nope' is not in this file") != std::string::npos);
}

void TestSafetensors::rejectsMalformedFilesWithDistinctMessages() {
    const std::string dir = testsupport::makeTempDir("st-malformed");
    const std::string a8 = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    const std::string d8(8, '\x01');
    struct Case {
        std::string image;
        std::string expect;  // distinctive substring of the message
        bool namesTensor;    // the message names tensor 'a' or 'b'
    };
    const std::vector<Case> cases = {
        {"\x01\x02\x03", "too small (3 bytes)", false},
        {stImage("{}", "", 100'000'001), "exceeds the limit of 100000000", false},
        {stImage("{}", "", 64), "runs past the end of the file", false},
        {stImage("{\"a\xc3\x28\":1}", ""), "not valid UTF-8", false},
        {stImage(R"({"a":{"dtype":)", ""), "not valid JSON", false},
        {stImage("[1]", ""), "header is not a JSON object", false},
        {stImage(R"({"a":[1]})", ""), "entry is not a JSON object", true},
        {stImage(R"({"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", d8), "unknown dtype 'F33'", true},
        {stImage(R"({"a":{"dtype":"U16","shape":[4],"data_offsets":[0,8]}})", d8), "dtype 'U16' is not supported", true},
        {stImage(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", d8), "missing 'dtype'", true},
        {stImage(R"({"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}})", d8), "'dtype' is not a string", true},
        {stImage(R"({"a":{"dtype":"F32","data_offsets":[0,8]}})", d8), "missing 'shape'", true},
        {stImage(R"({"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}})", d8), "'shape' is not an array", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", d8), "element 0 is negative (-2)", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", d8), "is not an integer", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}})", d8), "overflows", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[2]}})", d8), "missing 'data_offsets'", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}})", d8), "has 3 elements, expected 2", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", d8), "begin after they end", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", d8), "needs 12 bytes", true},
        {stImage(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", d8), "ends past the end of the data region", true},
        {stImage("{" + a8 + R"(,"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", d8 + "1234"), "overlaps tensor 'a'", true},
        {stImage("{" + a8 + R"(,"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}})", d8 + "12345678abcd"),
         "belong to no tensor", true},
        {stImage("{" + a8 + "}", d8 + "xyz"), "3 trailing bytes", false},
        {stImage("{" + a8 + "," + a8 + "}", d8), "declared twice", true},
        {stImage(R"({"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}})", d8), "appears twice", false},
        {stImage(R"({"__metadata__":{"k":1},)" + a8 + "}", d8), "'__metadata__' value for key 'k' is not a string", false},
        {stImage(R"({"__metadata__":["x"],)" + a8 + "}", d8), "'__metadata__' is not an object", false},
    };
    QVERIFY(cases.size() >= 12);
    std::vector<std::string> messages;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string name = "case" + std::to_string(i) + ".safetensors";
        testsupport::writeFile(dir + "/" + name, cases[i].image);
        const std::string msg = errorOf([&] { SafetensorsFile::open(dir + "/" + name); });
        const std::string ctx = name + " expected '" + cases[i].expect + "', got: " + msg;
        QVERIFY2(!msg.empty(), ctx.c_str());
        QVERIFY2(msg.find(cases[i].expect) != std::string::npos, ctx.c_str());
        QVERIFY2(msg.find(name) != std::string::npos, ctx.c_str());
        QVERIFY2(msg.find("(hint: ") != std::string::npos, ctx.c_str());
        if (cases[i].namesTensor)
            QVERIFY2(msg.find("tensor 'a'") != std::string::npos || msg.find("tensor 'b'") != std::string::npos,
                     ctx.c_str());
        messages.push_back(msg);
    }
    // Each failure has its own message: no case's substring fits another case's message.
    for (std::size_t i = 0; i < cases.size(); ++i)
        for (std::size_t j = 0; j < cases.size(); ++j)
            if (i != j)
                QVERIFY2(messages[j].find(cases[i].expect) == std::string::npos,
                         ("'" + cases[i].expect + "' also matches: " + messages[j]).c_str());
}

void TestSafetensors::roundTripsEveryDtypeWithMetadata() {
    at::manual_seed(7);
    std::vector<std::pair<std::string, at::Tensor>> tensors = {
        {"f64", at::randn({3, 4}, at::kDouble)},
        {"f32", at::randn({2, 3, 5})},
        {"f32.transposed", at::randn({4, 6}).t()},  // not contiguous
        {"f32.scalar", at::scalar_tensor(3.5)},
        {"f32.empty", at::empty({0, 3})},
        {"f16", at::randn({7}).to(at::kHalf)},
        {"bf16", at::randn({3, 3}).to(at::kBFloat16)},
        {"i64", at::randint(-(int64_t(1) << 40), int64_t(1) << 40, {5}, at::kLong)},
        {"i32", at::randint(-100000, 100000, {2, 2}, at::kInt)},
        {"i16", at::randint(-30000, 30000, {3}, at::kShort)},
        {"i8", at::randint(-128, 128, {9}, at::kChar)},
        {"u8", at::randint(0, 256, {11}, at::kByte)},
        {"bool", at::randint(0, 2, {13}).to(at::kBool)},
    };
    const std::map<std::string, std::string> metadata = {
        {"format", "pt"}, {"note", "\xc3\xbcnicode \"quoted\"\n\ttab\\"}, {"empty", ""}};
    const std::string dir = testsupport::makeTempDir("st-roundtrip");
    const std::string path = dir + "/all.safetensors";
    writeSafetensors(path, tensors, metadata);
    QCOMPARE(filesIn(dir), std::vector<std::string>{"all.safetensors"});

    auto file = SafetensorsFile::open(path);
    QCOMPARE(file->metadata(), metadata);
    QCOMPARE(file->tensors().size(), tensors.size());
    for (const auto& [name, t] : tensors) {
        const at::Tensor r = file->tensor(name);
        QCOMPARE(r.scalar_type(), t.scalar_type());
        QCOMPARE(r.sizes().vec(), t.sizes().vec());
        QVERIFY2(bytesOf(r) == bytesOf(t), name.c_str());
    }
    // Data order of the reference writer: I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL; then name.
    std::vector<std::string> order;
    for (const TensorInfo& t : file->tensors()) order.push_back(t.name);
    const std::vector<std::string> expected = {"i64", "f64", "f32", "f32.empty", "f32.scalar", "f32.transposed", "i32",
                                               "bf16", "f16", "i16", "i8", "u8", "bool"};
    QCOMPARE(order, expected);
    // Every tensor is aligned for its dtype, so every non-empty one is zero-copy.
    for (const TensorInfo& t : file->tensors())
        if (t.end > t.begin)
            QCOMPARE(static_cast<const void*>(file->tensor(t.name).data_ptr()), static_cast<const void*>(file->data(t)));
}

void TestSafetensors::writerMatchesReferenceHeaderFormat() {
    const std::string dir = testsupport::makeTempDir("st-format");
    writeSafetensors(dir + "/empty.safetensors", {});
    QCOMPARE(testsupport::readFile(dir + "/empty.safetensors"), stImage("{}      ", ""));

    writeSafetensors(dir + "/meta.safetensors", {}, {{"framework", "pt"}});
    const std::string metaHeader = R"({"__metadata__":{"framework":"pt"}})";
    QCOMPARE(testsupport::readFile(dir + "/meta.safetensors"),
             stImage(metaHeader + std::string((8 - metaHeader.size() % 8) % 8, ' '), ""));

    const float v[6] = {0, 1, 2, 3, 4, 5};
    const at::Tensor t = at::from_blob(const_cast<float*>(v), {1, 2, 3}).clone();
    writeSafetensors(dir + "/one.safetensors", {{"attn.0", t}});
    const std::string oneHeader = R"({"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}})";
    const std::string expected = stImage(oneHeader + std::string((8 - oneHeader.size() % 8) % 8, ' '),
                                         std::string(reinterpret_cast<const char*>(v), sizeof v));
    QCOMPARE(testsupport::readFile(dir + "/one.safetensors"), expected);
    QCOMPARE(expected.size() % 8, std::size_t(0));
}

void TestSafetensors::rewritingFixturesIsByteIdentical() {
    const std::string dir = testsupport::makeTempDir("st-rewrite");
    int count = 0, identical = 0;
    for (const auto& entry : fs::recursive_directory_iterator(modelsDir())) {
        if (entry.path().extension() != ".safetensors") continue;
        const std::string src = entry.path().string();
        auto file = SafetensorsFile::open(src);
        auto tensors = allTensors(*file);
        std::reverse(tensors.begin(), tensors.end());  // the writer orders them itself
        const std::string out = dir + "/rewritten.safetensors";
        writeSafetensors(out, tensors, file->metadata());

        auto back = SafetensorsFile::open(out);
        QCOMPARE(back->metadata(), file->metadata());
        for (const TensorInfo& t : file->tensors()) QCOMPARE(bytesOf(back->tensor(t.name)), bytesOf(file->tensor(t.name)));
        const std::string written = testsupport::readFile(out), original = testsupport::readFile(src);
        QCOMPARE(written.size(), original.size());

        // The reference writes __metadata__ keys in Rust HashMap order (random per process); we
        // write them sorted. Where the original happens to be sorted the files must be identical;
        // otherwise everything after the __metadata__ object must be.
        uint64_t n = 0;
        std::memcpy(&n, original.data(), 8);
        const auto header = nlohmann::ordered_json::parse(original.substr(8, n));
        std::vector<std::string> metaKeys;
        std::size_t metaEnd = 8 + 1;  // just after '{'
        if (header.contains("__metadata__")) {
            for (const auto& item : header.at("__metadata__").items()) metaKeys.push_back(item.key());
            metaEnd += std::string(R"("__metadata__":)").size() + header.at("__metadata__").dump().size();
        }
        if (std::is_sorted(metaKeys.begin(), metaKeys.end())) {
            QVERIFY2(written == original, ("not byte-identical: " + src).c_str());
            ++identical;
        } else {
            QVERIFY2(written.substr(metaEnd) == original.substr(metaEnd), ("differs after metadata: " + src).c_str());
            QVERIFY(written.substr(0, metaEnd) != original.substr(0, metaEnd));
        }
        ++count;
    }
    QVERIFY(count >= 19);
    QVERIFY(identical >= 15);
}

void TestSafetensors::checkpointOpensFoldersFilesAndShards() {
    const std::string modelDir = modelsDir() + "/gpt2/model";
    const Checkpoint single = Checkpoint::open(modelDir);
    QCOMPARE(single.files().size(), std::size_t(1));
    const std::vector<std::string> names = single.names();
    QCOMPARE(names.size(), std::size_t(28));
    QVERIFY(std::is_sorted(names.begin(), names.end()));
    QCOMPARE(Checkpoint::open(modelDir + "/model.safetensors").names(), single.names());
    QCOMPARE(Checkpoint::open(modelsDir() + "/gpt2/adapter").names().size(), std::size_t(4));
    uint64_t bytes = 0;
    for (const TensorInfo& t : single.files()[0]->tensors()) bytes += t.end - t.begin;
    QCOMPARE(single.totalBytes(), bytes);

    // Split the model into two shards with an index as save_pretrained(max_shard_size=...) does.
    const std::string dir = testsupport::makeTempDir("st-shards");
    auto file = single.files()[0];
    std::vector<std::pair<std::string, at::Tensor>> first, second;
    nlohmann::json index = {{"metadata", {{"total_size", bytes}}}, {"weight_map", nlohmann::json::object()}};
    for (const TensorInfo& t : file->tensors()) {
        const bool inFirst = t.name.find(".h.0.") != std::string::npos;
        (inFirst ? first : second).emplace_back(t.name, file->tensor(t.name));
        index["weight_map"][t.name] = inFirst ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
    }
    QVERIFY(!first.empty() && !second.empty());
    writeSafetensors(dir + "/model-00001-of-00002.safetensors", first, {{"format", "pt"}});
    writeSafetensors(dir + "/model-00002-of-00002.safetensors", second, {{"format", "pt"}});
    testsupport::writeFile(dir + "/model.safetensors.index.json", index.dump(2));

    for (const std::string& where : {dir, dir + "/model.safetensors.index.json"}) {
        const Checkpoint sharded = Checkpoint::open(where);
        QCOMPARE(sharded.files().size(), std::size_t(2));
        QCOMPARE(sharded.names(), single.names());
        QCOMPARE(sharded.totalBytes(), bytes);
        QCOMPARE(sharded.metadata().at("format"), std::string("pt"));
        QCOMPARE(sharded.metadata().at("total_size"), std::to_string(bytes));
        for (const std::string& name : single.names()) {
            QVERIFY(sharded.contains(name));
            QCOMPARE(bytesOf(sharded.tensor(name)), bytesOf(single.tensor(name)));
            QCOMPARE(sharded.find(name)->shape, single.find(name)->shape);
        }
        QVERIFY(!sharded.contains("lm_head.weight"));
        QVERIFY(sharded.find("lm_head.weight") == nullptr);
        QVERIFY(errorOf([&] { sharded.tensor("lm_head.weight"); }).find("'lm_head.weight' is not in this checkpoint") !=
                std::string::npos);
    }
}

void TestSafetensors::checkpointRejectsBrokenIndexes() {
    const std::string dir = testsupport::makeTempDir("st-badindex");
    writeSafetensors(dir + "/shard-1.safetensors", {{"a", at::ones({2})}});
    auto writeIndex = [&](const nlohmann::json& weightMap) {
        testsupport::writeFile(dir + "/model.safetensors.index.json", nlohmann::json{{"weight_map", weightMap}}.dump());
    };

    writeIndex({{"a", "shard-1.safetensors"}, {"b", "shard-2.safetensors"}});
    std::string msg = errorOf([&] { Checkpoint::open(dir); });
    QVERIFY2(msg.find("shard 'shard-2.safetensors' (holding tensor 'b') does not exist") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("model.safetensors.index.json") != std::string::npos, msg.c_str());

    writeIndex({{"a", "shard-1.safetensors"}, {"c", "shard-1.safetensors"}});
    msg = errorOf([&] { Checkpoint::open(dir); });
    QVERIFY2(msg.find("tensor 'c' is listed in shard 'shard-1.safetensors' but is not in it") != std::string::npos,
             msg.c_str());

    // Shards must be files of the index's folder: no climbing out by name or by link.
    const std::string outside = testsupport::makeTempDir("st-outside");
    writeSafetensors(outside + "/other.safetensors", {{"a", at::ones({2})}});
    writeIndex({{"a", "../" + std::filesystem::path(outside).filename().string() + "/other.safetensors"}});
    msg = errorOf([&] { Checkpoint::open(dir); });
    QVERIFY2(msg.find("lies outside the model folder") != std::string::npos, msg.c_str());
    writeIndex({{"a", outside + "/other.safetensors"}});
    msg = errorOf([&] { Checkpoint::open(dir); });
    QVERIFY2(msg.find("lies outside the model folder") != std::string::npos, msg.c_str());
    std::filesystem::create_symlink(outside + "/other.safetensors", dir + "/linked.safetensors");
    writeIndex({{"a", "linked.safetensors"}});
    msg = errorOf([&] { Checkpoint::open(dir); });
    QVERIFY2(msg.find("is a link to") != std::string::npos && msg.find("outside the model folder") != std::string::npos,
             msg.c_str());
    // Hugging Face's cache layout: snapshots/<rev>/x -> ../../blobs/<hash> stays inside models--*.
    const std::string repo = testsupport::makeTempDir("st-cache") + "/models--org--name";
    std::filesystem::create_directories(repo + "/snapshots/abc");
    std::filesystem::create_directories(repo + "/blobs");
    writeSafetensors(repo + "/blobs/0123", {{"a", at::ones({2})}});
    std::filesystem::create_symlink("../../blobs/0123", repo + "/snapshots/abc/model-1.safetensors");
    testsupport::writeFile(repo + "/snapshots/abc/model.safetensors.index.json",
                           nlohmann::json{{"weight_map", {{"a", "model-1.safetensors"}}}}.dump());
    QCOMPARE(Checkpoint::open(repo + "/snapshots/abc").names().size(), std::size_t(1));

    testsupport::writeFile(dir + "/model.safetensors.index.json", R"({"metadata": {}})");
    msg = errorOf([&] { Checkpoint::open(dir); });
    QVERIFY2(msg.find("missing object 'weight_map'") != std::string::npos, msg.c_str());

    const std::string empty = testsupport::makeTempDir("st-emptyfolder");
    msg = errorOf([&] { Checkpoint::open(empty); });
    QVERIFY2(msg.find("folder holds no model.safetensors") != std::string::npos, msg.c_str());
    msg = errorOf([&] { Checkpoint::open(empty + "/missing.safetensors"); });
    QVERIFY2(msg.find("no such file or folder") != std::string::npos, msg.c_str());
    msg = errorOf([&] { SafetensorsFile::open(empty); });
    QVERIFY2(msg.find("is a folder") != std::string::npos, msg.c_str());
}

void TestSafetensors::writerRejectsBadInput() {
    const std::string dir = testsupport::makeTempDir("st-badwrite");
    const std::string path = dir + "/x.safetensors";
    std::string msg = errorOf([&] { writeSafetensors(path, {{"a", at::ones({2})}, {"a", at::ones({3})}}); });
    QVERIFY2(msg.find("tensor 'a': name given twice") != std::string::npos, msg.c_str());
    msg = errorOf([&] { writeSafetensors(path, {{"__metadata__", at::ones({2})}}); });
    QVERIFY2(msg.find("reserved") != std::string::npos, msg.c_str());
    msg = errorOf([&] { writeSafetensors(path, {{"u", at::Tensor()}}); });
    QVERIFY2(msg.find("tensor 'u': tensor is undefined") != std::string::npos, msg.c_str());
    msg = errorOf([&] { writeSafetensors(path, {{"bad\xff", at::ones({1})}}); });
    QVERIFY2(msg.find("not valid UTF-8") != std::string::npos, msg.c_str());
    QVERIFY(filesIn(dir).empty());
}

void TestSafetensors::failedWriteLeavesTargetAndNoTemporaries() {
    const std::string dir = testsupport::makeTempDir("st-atomic");
    const std::string path = dir + "/model.safetensors";
    writeSafetensors(path, {{"w", at::arange(10, at::kFloat)}});
    const std::string before = testsupport::readFile(path);

    // Unsupported dtype: rejected before anything is written.
    std::string msg = errorOf([&] {
        writeSafetensors(path, {{"w", at::ones({2})}, {"c", at::ones({2}, at::kComplexFloat)}});
    });
    QVERIFY2(msg.find("tensor 'c'") != std::string::npos && msg.find("cannot be stored in safetensors") != std::string::npos,
             msg.c_str());
    QVERIFY2(msg.find(path) != std::string::npos, msg.c_str());

    // A tensor that fails while the data is streamed (a meta tensor has no bytes): the partial
    // temporary file is removed and the target keeps its old content.
    msg = errorOf([&] {
        writeSafetensors(path, {{"a", at::ones({1000}, at::kLong)}, {"b", at::empty({4}, at::device(at::kMeta))}});
    });
    QVERIFY2(msg.find("tensor 'b': cannot copy it to CPU memory") != std::string::npos, msg.c_str());

    // Missing target folder.
    msg = errorOf([&] { writeSafetensors(dir + "/no/such/folder/x.safetensors", {{"w", at::ones({2})}}); });
    QVERIFY2(msg.find("no/such/folder/x.safetensors") != std::string::npos, msg.c_str());

    QCOMPARE(testsupport::readFile(path), before);
    QCOMPARE(filesIn(dir), std::vector<std::string>{"model.safetensors"});
    QCOMPARE(SafetensorsFile::open(path)->tensor("w")[9].item<float>(), 9.0f);

    // Saving over the file that is mapped: the rename leaves the old mapping (and its views) intact.
    auto mapped = SafetensorsFile::open(path);
    const at::Tensor view = mapped->tensor("w");
    writeSafetensors(path, {{"w", view * 2}, {"extra", view}});
    QCOMPARE(view[9].item<float>(), 9.0f);
    auto rewritten = SafetensorsFile::open(path);
    QCOMPARE(rewritten->tensor("w")[9].item<float>(), 18.0f);
    QVERIFY(at::equal(rewritten->tensor("extra"), view));
    QCOMPARE(filesIn(dir), std::vector<std::string>{"model.safetensors"});
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"

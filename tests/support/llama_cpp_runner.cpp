#include "llama_cpp_runner.h"

#include "model/model_spec.h"
#include "test_support.h"

#include <QFileInfo>
#include <QProcess>
#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <filesystem>

using nlohmann::json;
namespace fs = std::filesystem;

namespace llamacpp {
namespace {

const std::vector<int64_t> kPromptSeed{1, 17, 42, 9, 5, 63, 7, 30};

// GPT-2's byte-to-character table: printable Latin-1 bytes stand for themselves, the rest from U+0100.
std::vector<std::string> byteLevelAlphabet() {
    std::vector<std::string> chars;
    auto utf8 = [](unsigned cp) {
        std::string s;
        if (cp < 0x80) s += char(cp);
        else { s += char(0xC0 | (cp >> 6)); s += char(0x80 | (cp & 0x3F)); }
        return s;
    };
    unsigned extra = 0;
    std::vector<std::string> byByte(256);
    for (unsigned b = 0; b < 256; ++b) {
        const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
        byByte[b] = printable ? utf8(b) : utf8(256 + extra++);
    }
    for (unsigned b = 33; b < 256; ++b) if ((b <= 126) || (b >= 161 && b != 173)) chars.push_back(byByte[b]);
    for (unsigned b = 0; b < 256; ++b) if (!((b >= 33 && b <= 126) || (b >= 161 && b != 173))) chars.push_back(byByte[b]);
    return chars;
}

} // namespace

QString installDir() {
    return qEnvironmentVariable("LORASTUDIO_LLAMA_CPP_NODE", QStringLiteral(LORASTUDIO_LLAMA_CPP_NODE_DIR));
}

std::vector<int64_t> promptFor(int64_t vocab) {
    std::vector<int64_t> p;
    for (int64_t id : kPromptSeed) p.push_back(id % vocab);
    return p;
}

// A byte-level BPE tokenizer.json of exactly `vocab` ids for a fixture model that has none:
// byte symbols, then letter-pair merges, the last id <|endoftext|>.
void writeSyntheticTokenizer(const std::string& folder, int64_t vocab) {
    json v = json::object(), merges = json::array();
    const auto alphabet = byteLevelAlphabet();
    int64_t id = 0;
    for (const auto& c : alphabet) {
        if (id >= vocab - 1) break;
        v[c] = id++;
    }
    for (char a = 'a'; a <= 'z' && id < vocab - 1; ++a)
        for (char b = 'a'; b <= 'z' && id < vocab - 1; ++b) {
            const std::string pair{a, b};
            if (v.contains(pair) || !v.contains(std::string(1, a)) || !v.contains(std::string(1, b))) continue;
            v[pair] = id++;
            merges.push_back(std::string(1, a) + " " + std::string(1, b));
        }
    json t;
    t["version"] = "1.0";
    t["added_tokens"] = json::array({{{"id", vocab - 1}, {"content", "<|endoftext|>"}, {"single_word", false}, {"lstrip", false},
                                      {"rstrip", false}, {"normalized", false}, {"special", true}}});
    t["normalizer"] = nullptr;
    t["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
    t["post_processor"] = nullptr;
    t["decoder"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}};
    t["model"] = {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"continuing_subword_prefix", nullptr},
                  {"end_of_word_suffix", nullptr}, {"fuse_unk", false}, {"byte_fallback", false}, {"vocab", v}, {"merges", merges}};
    testsupport::writeFile(folder + "/tokenizer.json", t.dump());
    testsupport::writeFile(folder + "/tokenizer_config.json",
                           R"({"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "add_bos_token": false})");
}

// A copy of a fixture model folder with a tokenizer (GGUF needs one in the file).
std::string modelWithTokenizer(const std::string& src, const std::string& dst) {
    fs::create_directories(dst);
    for (const auto& e : fs::directory_iterator(src))
        if (e.is_regular_file()) fs::copy_file(e.path(), fs::path(dst) / e.path().filename(), fs::copy_options::overwrite_existing);
    if (!fs::exists(fs::path(dst) / "tokenizer.json"))
        writeSyntheticTokenizer(dst, lorastudio::parseModelConfig(dst + "/config.json").vocabSize);
    return dst;
}

json runLlamaCpp(const json& jobs, const std::string& dir) {
    const std::string jobFile = dir + "/jobs.json", outFile = dir + "/results.json";
    testsupport::writeFile(jobFile, jobs.dump());
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const QString modules = installDir();
    // The install's own Node.js 20 where the system has none that new (tests/llama_cpp/install_node_llama_cpp.sh).
    const QString node = QFileInfo::exists(modules + QStringLiteral("/bin/node")) ? modules + QStringLiteral("/bin/node") : QStringLiteral("node");
    p.start(node, {QString::fromStdString(testsupport::sourceDir() + "/tests/llama_cpp/run_llama_cpp.mjs"),
                                     QStringLiteral("--modules"), modules, QStringLiteral("--threads"), QStringLiteral("2"),
                                     QStringLiteral("--out"), QString::fromStdString(outFile), QString::fromStdString(jobFile)});
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        qWarning("node-llama-cpp run failed (exit %d): is it installed in %s (tests/llama_cpp/install_node_llama_cpp.sh)?",
                 p.exitCode(), qPrintable(modules));
        return json();
    }
    return json::parse(testsupport::readFile(outFile));
}

std::vector<int64_t> tokensOf(const json& result) {
    if (result.contains("error")) {
        qWarning("llama.cpp job failed: %s", result["error"].get<std::string>().c_str());
        return {};
    }
    return result.at("tokens").get<std::vector<int64_t>>();
}

std::string show(const std::vector<int64_t>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
    return s + "]";
}

double maxAbsDifference(const json& a, const json& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i].get<double>() - b[i].get<double>()));
    return m;
}

} // namespace llamacpp

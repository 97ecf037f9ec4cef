// Tokenizer metadata for GGUF. See gguf_vocab.h.
#include "export/gguf_vocab.h"

#include "common/error.h"
#include "common/json_file.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <limits>
#include <map>
#include <unordered_map>

namespace fs = std::filesystem;
using nlohmann::json;

namespace lorastudio {
namespace {

// llama.cpp's token types.
enum TokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

// The split patterns of the byte-level BPE families llama.cpp names (as tokenizer.json writes them).
const char* const kLlama3Split =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const char* const kQwen2Split =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// tokenizer.ggml.pre for a byte-level pre-tokenizer; empty when llama.cpp has no name for it.
std::string preTokenizerName(const json& pre) {
    if (!pre.is_object()) return {};
    const std::string type = pre.value("type", "");
    if (type == "ByteLevel") return pre.value("use_regex", true) ? "gpt-2" : std::string();
    if (type != "Sequence" || !pre.contains("pretokenizers")) return {};
    const json& parts = pre["pretokenizers"];
    if (parts.size() != 2 || parts[0].value("type", "") != "Split" || parts[1].value("type", "") != "ByteLevel") return {};
    const json& pattern = parts[0]["pattern"];
    const std::string regex = pattern.is_object() ? pattern.value("Regex", "") : std::string();
    if (regex == kLlama3Split) return "llama-bpe";
    if (regex == kQwen2Split) return "qwen2";
    return {};
}

// Does the text get a "▁" in front (Llama 2 / Mistral's SentencePiece convention)?
bool addsSpacePrefix(const json& tokenizer) {
    const json& n = tokenizer["normalizer"];
    auto prepends = [](const json& x) { return x.is_object() && x.value("type", "") == "Prepend"; };
    if (prepends(n)) return true;
    if (n.is_object() && n.contains("normalizers"))
        for (const json& x : n["normalizers"])
            if (prepends(x)) return true;
    const json& p = tokenizer["pre_tokenizer"];
    if (p.is_object() && p.value("type", "") == "Metaspace")
        return p.value("prepend_scheme", std::string("always")) != "never" && p.value("add_prefix_space", true);
    return false;
}

std::string mergeText(const json& m, const std::string& where) {
    if (m.is_string()) return m.get<std::string>();
    if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())
        return m[0].get<std::string>() + " " + m[1].get<std::string>();
    throw Error(where, "model.merges holds an entry that is neither \"a b\" nor [\"a\", \"b\"]");
}

bool isByteToken(const std::string& t) {
    return t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && std::isxdigit(static_cast<unsigned char>(t[3])) &&
           std::isxdigit(static_cast<unsigned char>(t[4]));
}

std::size_t utf8Characters(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

} // namespace

namespace {

// Texts and llama.cpp types by id, padded to the model's rows: the model's vocabulary, then the
// added tokens (which may repeat a vocabulary entry).
struct TokenTable {
    std::vector<std::string> texts;
    std::vector<int32_t> types;
};

TokenTable readTokenTable(const json& j, int64_t n, const std::string& path) {
    const json& model = j["model"];
    TokenTable t{std::vector<std::string>(static_cast<std::size_t>(n)), std::vector<int32_t>(static_cast<std::size_t>(n), Unused)};
    std::vector<bool> known(static_cast<std::size_t>(n), false);
    auto place = [&](int64_t id, const std::string& text, int32_t type) {
        if (id < 0 || id >= n)
            throw Error(path, "token '" + text + "' has id " + std::to_string(id) + ", but the model's embedding has " +
                                  std::to_string(n) + " rows", "is this the model's own tokenizer?");
        t.texts[id] = text;
        t.types[id] = type;
        known[id] = true;
    };
    const bool byteFallback = model.value("byte_fallback", false);
    const std::string unk = model.value("unk_token", json()).is_string() ? model["unk_token"].get<std::string>() : std::string();
    for (const auto& [text, id] : model.at("vocab").items()) {
        int32_t type = Normal;
        if (byteFallback && isByteToken(text)) type = Byte;
        if (!unk.empty() && text == unk) type = Unknown;
        place(id.get<int64_t>(), text, type);
    }
    if (j.contains("added_tokens"))
        for (const json& a : j["added_tokens"])
            place(a.at("id").get<int64_t>(), a.at("content").get<std::string>(), a.value("special", false) ? Control : UserDefined);
    std::unordered_map<std::string, int64_t> seen;
    for (int64_t id = 0; id < n; ++id) {
        if (!known[id]) t.texts[id] = "[PAD" + std::to_string(id) + "]";
        const auto [it, fresh] = seen.emplace(t.texts[id], id);
        if (!fresh)
            throw Error(path, "token text '" + t.texts[id] + "' has two ids (" + std::to_string(it->second) + " and " +
                                  std::to_string(id) + ")", "llama.cpp refuses duplicate token texts");
    }
    return t;
}

// SentencePiece style: llama.cpp merges the adjacent pair whose result has the highest score, so a
// token scores minus the rank of the first merge that makes it; multi-character tokens no merge
// makes are never produced by the BPE and come last.
std::vector<float> mergeRankScores(const TokenTable& t, const std::vector<std::string>& merges) {
    const std::size_t n = t.texts.size();
    std::vector<float> scores(n, 0.0f);
    std::vector<bool> made(n, false);
    std::unordered_map<std::string, std::size_t> idOf;
    for (std::size_t id = 0; id < n; ++id) idOf.emplace(t.texts[id], id);
    for (std::size_t r = 0; r < merges.size(); ++r) {
        const auto space = merges[r].find(' ');
        if (space == std::string::npos) continue;
        const auto it = idOf.find(merges[r].substr(0, space) + merges[r].substr(space + 1));
        if (it == idOf.end() || made[it->second]) continue;
        made[it->second] = true;
        scores[it->second] = -static_cast<float>(r);
    }
    for (std::size_t id = 0; id < n; ++id)
        if (!made[id] && t.types[id] == Normal && utf8Characters(t.texts[id]) > 1) scores[id] = -1e9f;
    return scores;
}

void writeSpecialIds(const Tokenizer& tokenizer, const ModelSpec& spec, const std::string& path, gguf::Writer& w) {
    using gguf::Value;
    const int64_t n = spec.vocabSize;
    auto setId = [&](const char* key, const std::optional<int32_t>& id) {
        if (id && *id >= 0 && *id < n) w.set(key, Value::u32(static_cast<uint32_t>(*id)));
    };
    std::optional<int32_t> bos = tokenizer.bosId(), eos = tokenizer.eosId();
    if (!bos && spec.bosTokenId >= 0) bos = static_cast<int32_t>(spec.bosTokenId);
    if (!eos && !spec.eosTokenIds.empty()) eos = static_cast<int32_t>(spec.eosTokenIds.front());
    setId("tokenizer.ggml.bos_token_id", bos);
    setId("tokenizer.ggml.eos_token_id", eos);
    setId("tokenizer.ggml.unknown_token_id", tokenizer.unkId());
    setId("tokenizer.ggml.padding_token_id", tokenizer.padId());
    const bool addBos = !tokenizer.specialPrefix().empty();
    if (addBos && !bos) throw Error(path, "the tokenizer puts a prefix token before every text but has no BOS token");
    w.set("tokenizer.ggml.add_bos_token", Value::boolean(addBos));
    w.set("tokenizer.ggml.add_eos_token", Value::boolean(!tokenizer.specialSuffix().empty()));
    if (!tokenizer.chatTemplate().empty()) w.set("tokenizer.chat_template", Value::string(tokenizer.chatTemplate()));
}

} // namespace

GgufVocabInfo writeGgufVocabulary(const std::string& modelFolder, const ModelSpec& spec, gguf::Writer& w,
                                  std::vector<std::string>& warnings) {
    using gguf::Value;
    const std::string path = (fs::path(modelFolder) / "tokenizer.json").string();
    if (!fs::exists(path))
        throw Error("GGUF export", "no tokenizer.json in " + modelFolder,
                    "llama.cpp needs the vocabulary in the file; copy the base model's tokenizer.json there");
    const json j = readJsonFile(path);
    const json& model = j["model"];
    if (!model.is_object() || model.value("type", "") != "BPE")
        throw Error(path, "model.type is '" + (model.is_object() ? model.value("type", "") : std::string()) + "'",
                    "GGUF export supports BPE tokenizers (GPT-2, Llama, Mistral, Qwen)");
    const Tokenizer tokenizer = Tokenizer::fromFolder(modelFolder);
    const TokenTable table = readTokenTable(j, spec.vocabSize, path);
    std::vector<std::string> merges;
    for (const json& m : model.value("merges", json::array())) merges.push_back(mergeText(m, path));

    GgufVocabInfo info;
    info.tokens = spec.vocabSize;
    if (model.value("byte_fallback", false)) {
        info.model = "llama";
        w.set("tokenizer.ggml.model", Value::string("llama"));
        w.set("tokenizer.ggml.tokens", Value::strings(table.texts));
        w.set("tokenizer.ggml.scores", Value::floats(mergeRankScores(table, merges)));
        w.set("tokenizer.ggml.token_type", Value::ints(table.types));
        w.set("tokenizer.ggml.add_space_prefix", Value::boolean(addsSpacePrefix(j)));
    } else {
        info.model = "gpt2";
        info.pre = preTokenizerName(j["pre_tokenizer"]);
        if (info.pre.empty()) {
            warnings.push_back(path + ": llama.cpp has no name for this pre-tokenizer; its default splitting is written, so "
                                      "token ids of some texts may differ from training");
            info.pre = "default";
        }
        info.merges = static_cast<int64_t>(merges.size());
        w.set("tokenizer.ggml.model", Value::string("gpt2"));
        w.set("tokenizer.ggml.pre", Value::string(info.pre));
        w.set("tokenizer.ggml.tokens", Value::strings(table.texts));
        w.set("tokenizer.ggml.token_type", Value::ints(table.types));
        w.set("tokenizer.ggml.merges", Value::strings(merges));
    }
    writeSpecialIds(tokenizer, spec, path, w);
    return info;
}

} // namespace lorastudio

// See tokenizer.h. The encode pipeline, in the order of Hugging Face tokenizers: added tokens are cut
// out of the raw text; each remaining span is normalized, cut again at normalized added tokens,
// pre-tokenized into words and merged by the BPE model; then the special affixes are added.
#include "tokenizer/tokenizer.h"

#include "common/error.h"
#include "common/json_file.h"
#include "tokenizer/added_tokens.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/decoders.h"
#include "tokenizer/normalizers.h"
#include "tokenizer/post_processors.h"
#include "tokenizer/pre_tokenizers.h"
#include "tokenizer/tokenizer_config.h"
#include "tokenizer/unicode_utils.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lorastudio {

namespace tok {

struct TokenizerImpl {
    std::shared_ptr<const Normalizer> normalizer;
    std::shared_ptr<const PreTokenizer> preTokenizer;
    std::unique_ptr<BpeModel> model;
    AddedVocabulary added;
    std::shared_ptr<const Decoder> decoder;
    SpecialAffixes affixes;
    TokenizerConfig config;
    std::optional<int32_t> bosId, eosId, padId, unkId;
    int32_t vocabSize = 0;

    std::optional<int32_t> tokenToId(const std::string& token) const {
        if (auto id = added.idOf(token)) return id;
        return model->tokenToId(token);
    }
    const std::string* idToToken(int32_t id) const {
        if (const AddedToken* t = added.byId(id)) return &t->content;
        return model->idToToken(id);
    }
    void encodeText(const std::string& text, std::vector<int32_t>& ids) const;
};

namespace {

// Rejects what the reference cannot represent either: BPE is the one model implemented.
void checkModelType(const nlohmann::json& model, const JsonSite& site) {
    if (!model.is_object()) site.fail("must be an object");
    std::string type;
    if (findKey(model, "type")) {
        type = getRequired<std::string>(model, "type", site);
    } else if (findKey(model, "merges")) {
        type = "BPE"; // very old files omit the type
    } else {
        site.key("type").fail("missing required key");
    }
    if (type == "BPE") return;
    if (type == "WordPiece" || type == "Unigram" || type == "WordLevel")
        site.key("type").fail("model type '" + type + "' is not supported yet",
                              "LoRA Studio reads BPE tokenizers (GPT-2, Llama, Mistral, Qwen families)");
    site.key("type").fail("unknown model type '" + type + "'", "expected BPE");
}

// transformers' clean_up_tokenization: drop the space before punctuation and English contractions.
std::string cleanUpTokenizationSpaces(std::string s) {
    static const std::pair<const char*, const char*> kRules[] = {
        {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
        {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (const auto& [from, to] : kRules) {
        const std::string f = from, t = to;
        std::string out;
        std::size_t prev = 0, pos = 0;
        while ((pos = s.find(f, prev)) != std::string::npos) {
            out.append(s, prev, pos - prev);
            out += t;
            prev = pos + f.size();
        }
        out.append(s, prev, std::string::npos);
        s.swap(out);
    }
    return s;
}

std::optional<int32_t> lookupOptional(const TokenizerImpl& impl, const std::optional<std::string>& token) {
    if (!token) return std::nullopt;
    return impl.tokenToId(*token);
}

// add_bos_token / add_eos_token of tokenizer_config.json, when present, decide whether BOS leads and
// EOS ends the special affixes, whatever the post-processor says (as transformers' Llama tokenizers
// rebuild their template from these flags).
void applyConfigFlags(TokenizerImpl& impl) {
    auto adjust = [](std::vector<int32_t>& ids, std::optional<bool> flag, std::optional<int32_t> id, bool front) {
        if (!flag || !id) return;
        const bool present = std::find(ids.begin(), ids.end(), *id) != ids.end();
        if (*flag && !present) ids.insert(front ? ids.begin() : ids.end(), *id);
        if (!*flag && present) ids.erase(std::remove(ids.begin(), ids.end(), *id), ids.end());
    };
    adjust(impl.affixes.prefix, impl.config.addBosToken, impl.bosId, true);
    adjust(impl.affixes.suffix, impl.config.addEosToken, impl.eosId, false);
}

std::shared_ptr<TokenizerImpl> load(const std::string& tokenizerPath, const std::string& configPath,
                                    const std::string& chatTemplatePath) {
    const nlohmann::json root = readJsonFile(tokenizerPath);
    const JsonSite site{tokenizerPath, ""};
    if (!root.is_object()) site.fail("expected a JSON object at the top level", "is this a tokenizer.json file?");
    const auto* model = findKey(root, "model");
    if (!model) site.key("model").fail("missing required key", "is this a tokenizer.json file?");
    checkModelType(*model, site.key("model"));

    auto impl = std::make_shared<TokenizerImpl>();
    if (!configPath.empty()) impl->config = TokenizerConfig::fromJson(readJsonFile(configPath), configPath);
    static const nlohmann::json kNull;
    auto section = [&](const char* key) -> const nlohmann::json& {
        const auto* v = findKey(root, key);
        return v ? *v : kNull;
    };
    impl->normalizer = makeNormalizer(section("normalizer"), site.key("normalizer"));
    impl->preTokenizer = makePreTokenizer(section("pre_tokenizer"), site.key("pre_tokenizer"));
    impl->model = std::make_unique<BpeModel>(*model, site.key("model"));
    impl->added = AddedVocabulary(section("added_tokens"), site.key("added_tokens"), impl->normalizer.get(),
                                  !impl->config.splitSpecialTokens);
    impl->decoder = makeDecoder(section("decoder"), site.key("decoder"));
    const TokenizerImpl* self = impl.get();
    auto post = makePostProcessor(section("post_processor"), site.key("post_processor"),
                                  [self](const std::string& t) { return self->tokenToId(t); });
    if (post) post->apply(impl->affixes);

    if (impl->config.chatTemplate.empty() && !chatTemplatePath.empty()) {
        std::ifstream in(chatTemplatePath, std::ios::binary);
        if (!in) throw Error(chatTemplatePath, "cannot open file", "check its permissions");
        std::ostringstream ss;
        ss << in.rdbuf();
        impl->config.chatTemplate = ss.str();
    }
    impl->bosId = lookupOptional(*impl, impl->config.bosToken);
    impl->eosId = lookupOptional(*impl, impl->config.eosToken);
    impl->padId = lookupOptional(*impl, impl->config.padToken);
    impl->unkId = lookupOptional(*impl, impl->config.unkToken);
    if (!impl->unkId) impl->unkId = lookupOptional(*impl, impl->model->unkToken());
    applyConfigFlags(*impl);

    int32_t limit = impl->model->idLimit();
    for (const AddedToken& t : impl->added.tokens()) limit = std::max(limit, t.id + 1);
    impl->vocabSize = limit;
    return impl;
}

} // namespace

void TokenizerImpl::encodeText(const std::string& text, std::vector<int32_t>& ids) const {
    std::vector<TextSegment> segments, subSegments;
    std::vector<Piece> pieces;
    added.splitRaw(text, segments);
    for (const TextSegment& seg : segments) {
        if (seg.token >= 0) {
            ids.push_back(added.tokens()[static_cast<std::size_t>(seg.token)].id);
            continue;
        }
        std::string normalized = text.substr(seg.begin, seg.end - seg.begin);
        if (normalizer) normalizer->normalize(normalized);
        if (normalized.empty()) continue;
        subSegments.clear();
        added.splitNormalized(normalized, subSegments);
        for (const TextSegment& sub : subSegments) {
            if (sub.token >= 0) {
                ids.push_back(added.tokens()[static_cast<std::size_t>(sub.token)].id);
                continue;
            }
            pieces.clear();
            pieces.push_back({normalized.substr(sub.begin, sub.end - sub.begin), seg.begin == 0 && sub.begin == 0});
            if (preTokenizer) preTokenizer->preTokenize(pieces);
            for (const Piece& p : pieces) model->tokenize(p.text, ids);
        }
    }
}

} // namespace tok

Tokenizer::Tokenizer(std::shared_ptr<const tok::TokenizerImpl> impl) : m_impl(std::move(impl)) {}

Tokenizer Tokenizer::fromFolder(const std::string& dir) {
    namespace fs = std::filesystem;
    const fs::path base(dir);
    const fs::path json = base / "tokenizer.json";
    if (!fs::exists(json)) {
        std::string hint = "LoRA Studio needs the Hugging Face fast-tokenizer file tokenizer.json";
        if (fs::exists(base / "tokenizer.model")) hint += "; a SentencePiece tokenizer.model alone is not supported yet";
        throw Error(dir, "no tokenizer.json in this folder", hint);
    }
    const fs::path config = base / "tokenizer_config.json";
    const fs::path chatTemplate = base / "chat_template.jinja";
    return Tokenizer(tok::load(json.string(), fs::exists(config) ? config.string() : std::string(),
                               fs::exists(chatTemplate) ? chatTemplate.string() : std::string()));
}

Tokenizer Tokenizer::fromFiles(const std::string& tokenizerJson, const std::string& tokenizerConfigJson) {
    return Tokenizer(tok::load(tokenizerJson, tokenizerConfigJson, std::string()));
}

std::vector<int32_t> Tokenizer::encode(const std::string& text, bool addSpecialTokens) const {
    if (const std::size_t bad = tok::findInvalidUtf8(text); bad != std::string::npos)
        throw Error("Tokenizer::encode", "the text is not valid UTF-8 (byte " + std::to_string(bad) + ")",
                    "re-save the data file as UTF-8");
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3 + 8);
    if (addSpecialTokens) ids = m_impl->affixes.prefix;
    m_impl->encodeText(text, ids);
    if (addSpecialTokens) ids.insert(ids.end(), m_impl->affixes.suffix.begin(), m_impl->affixes.suffix.end());
    return ids;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecialTokens) const {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
        if (skipSpecialTokens && isSpecial(id)) continue;
        if (const std::string* t = m_impl->idToToken(id)) tokens.push_back(*t);
    }
    std::string text;
    if (m_impl->decoder) {
        m_impl->decoder->decodeChain(tokens);
        for (const std::string& t : tokens) text += t;
    } else {
        for (std::size_t i = 0; i < tokens.size(); ++i) text += (i ? " " : "") + tokens[i];
    }
    if (m_impl->config.cleanUpTokenizationSpaces) text = tok::cleanUpTokenizationSpaces(std::move(text));
    return text;
}

const std::vector<int32_t>& Tokenizer::specialPrefix() const { return m_impl->affixes.prefix; }
const std::vector<int32_t>& Tokenizer::specialSuffix() const { return m_impl->affixes.suffix; }
int32_t Tokenizer::vocabSize() const { return m_impl->vocabSize; }
std::optional<int32_t> Tokenizer::tokenToId(const std::string& token) const { return m_impl->tokenToId(token); }

std::string Tokenizer::idToToken(int32_t id) const {
    const std::string* t = m_impl->idToToken(id);
    return t ? *t : std::string();
}

std::optional<int32_t> Tokenizer::bosId() const { return m_impl->bosId; }
std::optional<int32_t> Tokenizer::eosId() const { return m_impl->eosId; }
std::optional<int32_t> Tokenizer::padId() const { return m_impl->padId; }
std::optional<int32_t> Tokenizer::unkId() const { return m_impl->unkId; }

bool Tokenizer::isSpecial(int32_t id) const {
    const tok::AddedToken* t = m_impl->added.byId(id);
    return t && t->special;
}

const std::string& Tokenizer::chatTemplate() const { return m_impl->config.chatTemplate; }
std::optional<int64_t> Tokenizer::modelMaxLength() const { return m_impl->config.modelMaxLength; }

} // namespace lorastudio

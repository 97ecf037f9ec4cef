// The BPE model of tokenizer.json ("model": {"type": "BPE", ...}): vocabulary, ranked merges in
// either file format ("a b" strings or [a, b] pairs), byte_fallback (<0xNN> tokens), unk_token and
// fuse_unk, ignore_merges, continuing_subword_prefix / end_of_word_suffix. Words are merged lowest
// rank first (ties: leftmost), as Hugging Face tokenizers does. Thread-safe; a sharded word cache
// makes repeated words cheap.
#pragma once
#include "tokenizer/json_site.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lorastudio::tok {

// Open-addressing map from token text to id, looked up by string_view without allocating.
class TokenIdMap {
public:
    void build(const std::vector<std::pair<std::string, int32_t>>& entries);
    std::optional<int32_t> find(std::string_view key) const;
    std::size_t size() const { return m_count; }

private:
    struct Slot {
        uint64_t hash = 0;
        uint32_t offset = 0;
        uint32_t length = 0;
        int32_t id = -1; // -1: empty
    };
    std::vector<Slot> m_slots;
    std::string m_arena;
    std::size_t m_count = 0;
};

class BpeModel {
public:
    // model: the "model" object of tokenizer.json (its type already checked to be BPE).
    BpeModel(const nlohmann::json& model, const JsonSite& site);
    ~BpeModel();
    BpeModel(const BpeModel&) = delete;
    BpeModel& operator=(const BpeModel&) = delete;

    // Appends the ids of one pre-tokenized word.
    void tokenize(std::string_view word, std::vector<int32_t>& out) const;

    std::optional<int32_t> tokenToId(std::string_view token) const { return m_vocab.find(token); }
    // nullptr when no token has this id.
    const std::string* idToToken(int32_t id) const;
    // One past the largest id of the vocabulary.
    int32_t idLimit() const { return static_cast<int32_t>(m_tokens.size()); }
    const std::optional<std::string>& unkToken() const { return m_unkToken; }

private:
    struct MergeTable;
    class WordCache;

    void mergeWord(std::string_view word, std::vector<int32_t>& out) const;

    TokenIdMap m_vocab;
    std::vector<std::string> m_tokens;  // by id
    std::vector<uint8_t> m_hasToken;    // by id
    std::unique_ptr<MergeTable> m_merges;
    std::unique_ptr<WordCache> m_cache;
    std::array<int32_t, 256> m_byteIds{}; // ids of <0xNN>, -1 when absent
    std::optional<std::string> m_unkToken;
    std::optional<int32_t> m_unkId;
    std::string m_continuingSubwordPrefix;
    std::string m_endOfWordSuffix;
    bool m_byteFallback = false;
    bool m_fuseUnk = false;
    bool m_ignoreMerges = false;
};

} // namespace lorastudio::tok

// See bpe_model.h. The merge loop keeps the word as a linked list of symbols and a min-heap of
// candidate merges keyed by (rank, position); stale heap entries are skipped when popped.
#include "tokenizer/bpe_model.h"

#include "tokenizer/unicode_utils.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

namespace lorastudio::tok {

namespace {

uint64_t hashBytes(std::string_view s) {
    uint64_t h = 1469598103934665603ull; // FNV-1a
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

std::size_t tableSizeFor(std::size_t n) {
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    return cap;
}

std::string byteTokenName(unsigned b) {
    static const char* hex = "0123456789ABCDEF";
    return std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
}

} // namespace

void TokenIdMap::build(const std::vector<std::pair<std::string, int32_t>>& entries) {
    m_slots.assign(tableSizeFor(entries.size()), Slot{});
    m_arena.clear();
    m_count = 0;
    const std::size_t mask = m_slots.size() - 1;
    for (const auto& [text, id] : entries) {
        const uint64_t h = hashBytes(text);
        std::size_t i = h & mask;
        bool replaced = false;
        while (m_slots[i].id >= 0) {
            const Slot& s = m_slots[i];
            if (s.hash == h && std::string_view(m_arena).substr(s.offset, s.length) == text) {
                m_slots[i].id = id; // a later duplicate wins, like a JSON object read into a map
                replaced = true;
                break;
            }
            i = (i + 1) & mask;
        }
        if (replaced) continue;
        m_slots[i] = Slot{h, static_cast<uint32_t>(m_arena.size()), static_cast<uint32_t>(text.size()), id};
        m_arena += text;
        ++m_count;
    }
}

std::optional<int32_t> TokenIdMap::find(std::string_view key) const {
    if (m_slots.empty()) return std::nullopt;
    const uint64_t h = hashBytes(key);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (s.id < 0) return std::nullopt;
        if (s.hash == h && s.length == key.size() && std::string_view(m_arena).substr(s.offset, s.length) == key)
            return s.id;
    }
}

// (left id, right id) -> (rank, merged id), open addressing on a 64-bit key.
struct BpeModel::MergeTable {
    struct Slot {
        uint64_t key = ~0ull;
        uint32_t rank = 0;
        int32_t newId = -1;
    };
    std::vector<Slot> slots;
    std::size_t mask = 0;

    static uint64_t keyOf(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }
    static std::size_t hashOf(uint64_t k) { return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> 20); }

    void reserve(std::size_t n) {
        slots.assign(tableSizeFor(n), Slot{});
        mask = slots.size() - 1;
    }
    // Keeps the first (lowest) rank when a pair is listed twice.
    void insert(int32_t a, int32_t b, uint32_t rank, int32_t newId) {
        const uint64_t k = keyOf(a, b);
        std::size_t i = hashOf(k) & mask;
        while (slots[i].key != ~0ull) {
            if (slots[i].key == k) return;
            i = (i + 1) & mask;
        }
        slots[i] = Slot{k, rank, newId};
    }
    const Slot* find(int32_t a, int32_t b) const {
        const uint64_t k = keyOf(a, b);
        for (std::size_t i = hashOf(k) & mask;; i = (i + 1) & mask) {
            if (slots[i].key == k) return &slots[i];
            if (slots[i].key == ~0ull) return nullptr;
        }
    }
};

// Word -> ids, split in shards with one mutex each so concurrent encoders rarely wait. A full shard
// is emptied rather than grown: memory stays bounded over a long training run.
class BpeModel::WordCache {
public:
    static constexpr std::size_t kShards = 64;
    static constexpr std::size_t kPerShard = 4096;
    static constexpr std::size_t kMaxWordBytes = 256;

    bool get(std::string_view word, std::vector<int32_t>& out) const {
        Shard& s = shardFor(word);
        std::lock_guard<std::mutex> lock(s.mutex);
        auto it = s.map.find(std::string(word));
        if (it == s.map.end()) return false;
        out.insert(out.end(), it->second.begin(), it->second.end());
        return true;
    }
    void put(std::string_view word, const int32_t* ids, std::size_t n) const {
        Shard& s = shardFor(word);
        std::lock_guard<std::mutex> lock(s.mutex);
        if (s.map.size() >= kPerShard) s.map.clear();
        s.map.emplace(std::string(word), std::vector<int32_t>(ids, ids + n));
    }

private:
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, std::vector<int32_t>> map;
    };
    Shard& shardFor(std::string_view word) const { return m_shards[hashBytes(word) % kShards]; }
    mutable std::array<Shard, kShards> m_shards;
};

BpeModel::BpeModel(const nlohmann::json& model, const JsonSite& site)
    : m_merges(std::make_unique<MergeTable>()), m_cache(std::make_unique<WordCache>()) {
    // Vocabulary.
    const auto* vocab = findKey(model, "vocab");
    if (!vocab || !vocab->is_object()) site.key("vocab").fail("must be an object mapping tokens to ids");
    std::vector<std::pair<std::string, int32_t>> entries;
    entries.reserve(vocab->size());
    int32_t maxId = -1;
    for (auto it = vocab->begin(); it != vocab->end(); ++it) {
        if (!it.value().is_number_integer() || (!it.value().is_number_unsigned() && it.value().get<int64_t>() < 0))
            site.key("vocab").fail("token '" + it.key() + "' has an id that is not a non-negative integer");
        const int32_t id = tokenId(it.value(), site.key("vocab").key(it.key()));
        entries.emplace_back(it.key(), id);
        maxId = std::max(maxId, id);
    }
    m_vocab.build(entries);
    m_tokens.assign(static_cast<std::size_t>(maxId + 1), std::string());
    m_hasToken.assign(static_cast<std::size_t>(maxId + 1), 0);
    for (auto& [text, id] : entries) {
        m_tokens[static_cast<std::size_t>(id)] = std::move(text);
        m_hasToken[static_cast<std::size_t>(id)] = 1;
    }

    // Options.
    if (findKey(model, "unk_token")) {
        m_unkToken = getRequired<std::string>(model, "unk_token", site);
        m_unkId = m_vocab.find(*m_unkToken);
        if (!m_unkId) site.key("unk_token").fail("'" + *m_unkToken + "' is not in model.vocab");
    }
    m_continuingSubwordPrefix = getOr<std::string>(model, "continuing_subword_prefix", "", site);
    m_endOfWordSuffix = getOr<std::string>(model, "end_of_word_suffix", "", site);
    m_byteFallback = getOr<bool>(model, "byte_fallback", false, site);
    m_fuseUnk = getOr<bool>(model, "fuse_unk", false, site);
    m_ignoreMerges = getOr<bool>(model, "ignore_merges", false, site);
    for (unsigned b = 0; b < 256; ++b) m_byteIds[b] = m_vocab.find(byteTokenName(b)).value_or(-1);

    // Merges: "a b" strings (older files) or ["a", "b"] pairs (newer files); rank = position.
    static const nlohmann::json kNoMerges = nlohmann::json::array(); // a vocabulary-only BPE is valid
    const auto* merges = findKey(model, "merges");
    if (!merges) merges = &kNoMerges;
    if (!merges->is_array()) site.key("merges").fail("must be a list");
    m_merges->reserve(merges->size());
    const std::size_t prefixLen = m_continuingSubwordPrefix.size();
    for (std::size_t i = 0; i < merges->size(); ++i) {
        const auto& m = (*merges)[i];
        std::string a, b;
        if (m.is_string()) {
            const std::string& line = m.get_ref<const std::string&>();
            const auto space = line.find(' ');
            if (space == std::string::npos) site.key("merges").index(i).fail("'" + line + "' is not of the form \"a b\"");
            a = line.substr(0, space);
            b = line.substr(space + 1);
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            a = m[0].get<std::string>();
            b = m[1].get<std::string>();
        } else {
            site.key("merges").index(i).fail("expected \"a b\" or [\"a\", \"b\"]");
        }
        const auto aId = m_vocab.find(a), bId = m_vocab.find(b);
        if (!aId || !bId)
            site.key("merges").index(i).fail("merge of '" + a + "' and '" + b + "' uses a token missing from model.vocab",
                                             "the tokenizer.json file may be truncated or edited by hand");
        const std::string merged = a + (b.size() >= prefixLen ? b.substr(prefixLen) : b);
        const auto newId = m_vocab.find(merged);
        if (!newId)
            site.key("merges").index(i).fail("merged token '" + merged + "' is missing from model.vocab",
                                             "the tokenizer.json file may be truncated or edited by hand");
        m_merges->insert(*aId, *bId, static_cast<uint32_t>(i), *newId);
    }
}

BpeModel::~BpeModel() = default;

const std::string* BpeModel::idToToken(int32_t id) const {
    if (id < 0 || id >= idLimit() || !m_hasToken[static_cast<std::size_t>(id)]) return nullptr;
    return &m_tokens[static_cast<std::size_t>(id)];
}

void BpeModel::tokenize(std::string_view word, std::vector<int32_t>& out) const {
    if (word.empty()) return;
    if (m_ignoreMerges) {
        if (auto id = m_vocab.find(word)) {
            out.push_back(*id);
            return;
        }
    }
    const bool cacheable = word.size() <= WordCache::kMaxWordBytes;
    if (cacheable && m_cache->get(word, out)) return;
    const std::size_t before = out.size();
    mergeWord(word, out);
    if (cacheable) m_cache->put(word, out.data() + before, out.size() - before);
}

namespace {

struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
    bool alive;
};

struct Candidate {
    uint32_t rank;
    uint32_t pos;
    int32_t newId;
    // Heap order: lowest rank first, then leftmost.
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
};

} // namespace

void BpeModel::mergeWord(std::string_view word, std::vector<int32_t>& out) const {
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Candidate> heap;
    thread_local std::string piece;
    symbols.clear();
    heap.clear();

    auto addSymbol = [&](int32_t id) {
        const auto n = static_cast<int32_t>(symbols.size());
        symbols.push_back(Symbol{id, n - 1, n + 1, true});
    };

    // 1. One symbol per character (with prefix/suffix where configured); unknown characters become
    //    <0xNN> byte tokens when byte_fallback is on, else the unk token (runs fused if fuse_unk).
    int32_t pendingUnk = -1; // an unk symbol not yet added, kept back so that fuse_unk can grow it
    auto flushUnk = [&] {
        if (pendingUnk >= 0) addSymbol(pendingUnk);
        pendingUnk = -1;
    };
    std::size_t i = 0;
    while (i < word.size()) {
        const std::size_t len = std::min<std::size_t>(utf8SeqLength(static_cast<unsigned char>(word[i])), word.size() - i);
        const bool first = i == 0, last = i + len >= word.size();
        std::string_view ch = word.substr(i, len);
        i += len;
        std::optional<int32_t> id;
        if ((first || m_continuingSubwordPrefix.empty()) && (!last || m_endOfWordSuffix.empty())) {
            id = m_vocab.find(ch);
        } else {
            piece.assign(first ? "" : m_continuingSubwordPrefix);
            piece.append(ch);
            if (last) piece.append(m_endOfWordSuffix);
            id = m_vocab.find(piece);
            ch = piece;
        }
        if (id) {
            flushUnk();
            addSymbol(*id);
            continue;
        }
        if (m_byteFallback) {
            bool all = true;
            for (char c : ch) all = all && m_byteIds[static_cast<unsigned char>(c)] >= 0;
            if (all) {
                flushUnk();
                for (char c : ch) addSymbol(m_byteIds[static_cast<unsigned char>(c)]);
                continue;
            }
        }
        if (m_unkId) {
            if (!m_fuseUnk) flushUnk();
            pendingUnk = *m_unkId;
        }
        // No unk token and no byte fallback: the character is dropped, as the reference does.
    }
    flushUnk();
    if (symbols.empty()) return;
    symbols.back().next = -1;

    // 2. Merge the lowest-ranked adjacent pair until none is left.
    auto push = [&](int32_t pos) {
        const Symbol& s = symbols[static_cast<std::size_t>(pos)];
        if (s.next < 0) return;
        if (const auto* m = m_merges->find(s.id, symbols[static_cast<std::size_t>(s.next)].id)) {
            heap.push_back(Candidate{m->rank, static_cast<uint32_t>(pos), m->newId});
            std::push_heap(heap.begin(), heap.end(), std::greater<>());
        }
    };
    for (int32_t p = 0; p + 1 < static_cast<int32_t>(symbols.size()); ++p) push(p);
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>());
        const Candidate top = heap.back();
        heap.pop_back();
        Symbol& left = symbols[top.pos];
        if (!left.alive || left.next < 0) continue;
        Symbol& right = symbols[static_cast<std::size_t>(left.next)];
        const auto* m = m_merges->find(left.id, right.id);
        if (!m || m->newId != top.newId) continue; // stale: one side changed since it was queued
        left.id = top.newId;
        right.alive = false;
        left.next = right.next;
        if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = static_cast<int32_t>(top.pos);
        if (left.prev >= 0) push(left.prev);
        push(static_cast<int32_t>(top.pos));
    }
    for (int32_t p = 0; p >= 0; p = symbols[static_cast<std::size_t>(p)].next) out.push_back(symbols[static_cast<std::size_t>(p)].id);
}

} // namespace lorastudio::tok

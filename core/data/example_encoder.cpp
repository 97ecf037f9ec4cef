// See example_encoder.h.
#include "data/example_encoder.h"

#include <algorithm>

namespace lorastudio {

namespace {
int64_t countTrained(const std::vector<int32_t>& labels) {
    return std::count_if(labels.begin(), labels.end(), [](int32_t l) { return l != kIgnoreIndex; });
}
} // namespace

int32_t TokenizedExample::rowLength() const {
    return static_cast<int32_t>(std::max(inputIds.size(), rejectedIds.size()));
}

int64_t TokenizedExample::trainedTokens() const {
    const int64_t chosen = countTrained(labels);
    if (!isPair()) return chosen;
    const int64_t rejected = countTrained(rejectedLabels);
    return chosen > 0 && rejected > 0 ? chosen + rejected : 0;
}

TokenizedExample TokenizedExample::rejectedExample() const {
    TokenizedExample r;
    r.inputIds = rejectedIds;
    r.labels = rejectedLabels;
    r.fullLength = static_cast<int32_t>(rejectedIds.size());
    return r;
}

ExampleEncoder::ExampleEncoder(Tokenizer tokenizer, int maxLength, bool wholeText, int maxPromptLength)
    : m_tokenizer(std::move(tokenizer)), m_maxLength(std::max(1, maxLength)), m_wholeText(wholeText),
      m_maxPromptLength(std::max(0, maxPromptLength)) {}

void ExampleEncoder::cutPrompt(TokenizedExample& ex) const {
    const auto first = std::find_if(ex.labels.begin(), ex.labels.end(), [](int32_t l) { return l != kIgnoreIndex; });
    if (first == ex.labels.end()) return;  // no answer to make room for
    const std::ptrdiff_t prompt = first - ex.labels.begin();
    const std::ptrdiff_t prefix = std::min<std::ptrdiff_t>(prompt, static_cast<std::ptrdiff_t>(m_tokenizer.specialPrefix().size()));
    const std::ptrdiff_t keep = std::max<std::ptrdiff_t>(0, m_maxPromptLength - prefix);  // prompt tokens after the prefix
    const std::ptrdiff_t drop = prompt - prefix - keep;
    if (drop <= 0) return;
    ex.inputIds.erase(ex.inputIds.begin() + prefix, ex.inputIds.begin() + prefix + drop);
    ex.labels.erase(ex.labels.begin() + prefix, ex.labels.begin() + prefix + drop);
}

namespace {

struct FlaggedRun {
    std::size_t begin, end; // bytes of the joined text
    bool trained;
};

std::size_t commonPrefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
    std::size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}

} // namespace

std::size_t ExampleEncoder::tokenBoundary(const std::string& text, std::size_t boundary, const std::vector<int32_t>& ids,
                                          bool& straddles) const {
    const std::vector<int32_t> before = m_tokenizer.encode(text.substr(0, boundary), false);
    std::size_t k = commonPrefix(before, ids);
    straddles = false;
    if (k == before.size()) return k;
    // The ids diverge at k (a merge across the boundary, or a pre-tokenizer that looks ahead):
    // move on over the tokens that still decode to a prefix of the text before the boundary.
    const std::string target = m_tokenizer.decode(before, false);
    std::vector<int32_t> head(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k));
    while (k < ids.size()) {
        head.push_back(ids[k]);
        const std::string decoded = m_tokenizer.decode(head, false);
        if (decoded.size() > target.size() || target.compare(0, decoded.size(), decoded) != 0) break;
        ++k;
        if (decoded == target) return k;
    }
    straddles = true;
    return k;
}

void ExampleEncoder::encodeWhole(const std::vector<const TextSegment*>& segments, TokenizedExample& ex) const {
    std::string text;
    std::vector<FlaggedRun> runs;
    for (const TextSegment* s : segments) {
        if (!runs.empty() && runs.back().trained == s->trained) runs.back().end += s->text.size();
        else runs.push_back(FlaggedRun{text.size(), text.size() + s->text.size(), s->trained});
        text += s->text;
    }
    const std::vector<int32_t> ids = m_tokenizer.encode(text, false);
    std::vector<bool> trained(ids.size(), false);
    // The runs encoded one by one: when they give the same ids, each token belongs to one run.
    std::vector<int32_t> joined;
    std::vector<bool> flags;
    for (const FlaggedRun& r : runs) {
        for (int32_t id : m_tokenizer.encode(text.substr(r.begin, r.end - r.begin), false)) {
            joined.push_back(id);
            flags.push_back(r.trained);
        }
    }
    if (joined == ids) {
        trained = flags;
    } else {
        for (const FlaggedRun& r : runs) {
            if (!r.trained) continue;
            bool straddles = false;
            const std::size_t first = r.begin == 0 ? 0 : tokenBoundary(text, r.begin, ids, straddles);
            std::size_t last = ids.size();
            if (r.end < text.size()) last = tokenBoundary(text, r.end, ids, straddles) + (straddles ? 1 : 0);
            for (std::size_t t = first; t < std::min(last, ids.size()); ++t) trained[t] = true;
        }
    }
    for (std::size_t t = 0; t < ids.size(); ++t) {
        ex.inputIds.push_back(ids[t]);
        ex.labels.push_back(trained[t] ? ids[t] : kIgnoreIndex);
    }
}

TokenizedExample ExampleEncoder::encode(const std::vector<TextSegment>& segments) const {
    TokenizedExample ex;
    auto push = [&ex](int32_t id, bool trained) {
        ex.inputIds.push_back(id);
        ex.labels.push_back(trained ? id : kIgnoreIndex);
    };
    for (int32_t id : m_tokenizer.specialPrefix()) push(id, false);

    const auto eos = m_tokenizer.eosId();
    std::size_t i = 0;
    while (i < segments.size()) {
        const TextSegment& seg = segments[i];
        if (seg.kind == TextSegment::Kind::Eos) {
            if (eos) push(*eos, seg.trained);
            ++i;
            continue;
        }
        if (m_wholeText) {
            std::vector<const TextSegment*> text;
            for (; i < segments.size() && segments[i].kind == TextSegment::Kind::Text; ++i) text.push_back(&segments[i]);
            encodeWhole(text, ex);
            continue;
        }
        std::string run = seg.text;
        std::size_t j = i + 1;
        for (; j < segments.size() && segments[j].kind == TextSegment::Kind::Text && segments[j].trained == seg.trained; ++j)
            run += segments[j].text;
        for (int32_t id : m_tokenizer.encode(run, false)) push(id, seg.trained);
        i = j;
    }
    ex.fullLength = static_cast<int32_t>(ex.inputIds.size());
    if (m_maxPromptLength > 0 && ex.inputIds.size() > static_cast<std::size_t>(m_maxLength)) cutPrompt(ex);
    if (ex.inputIds.size() > static_cast<std::size_t>(m_maxLength)) {
        ex.inputIds.resize(m_maxLength);
        ex.labels.resize(m_maxLength);
    }
    return ex;
}

std::vector<PreviewSegment> previewSegments(const TokenizedExample& example, const Tokenizer& tokenizer) {
    std::vector<PreviewSegment> out;
    std::size_t i = 0;
    while (i < example.inputIds.size()) {
        const bool trained = example.labels[i] != kIgnoreIndex;
        std::size_t j = i;
        while (j < example.inputIds.size() && (example.labels[j] != kIgnoreIndex) == trained) ++j;
        std::vector<int32_t> ids(example.inputIds.begin() + i, example.inputIds.begin() + j);
        out.push_back(PreviewSegment{tokenizer.decode(ids, false), trained, static_cast<int32_t>(ids.size())});
        i = j;
    }
    return out;
}

} // namespace lorastudio

// See example_encoder.h.
#include "data/example_encoder.h"

#include <algorithm>

namespace lorastudio {

int64_t TokenizedExample::trainedTokens() const {
    return std::count_if(labels.begin(), labels.end(), [](int32_t l) { return l != kIgnoreIndex; });
}

ExampleEncoder::ExampleEncoder(Tokenizer tokenizer, int maxLength)
    : m_tokenizer(std::move(tokenizer)), m_maxLength(std::max(1, maxLength)) {}

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
        std::string run = seg.text;
        std::size_t j = i + 1;
        for (; j < segments.size() && segments[j].kind == TextSegment::Kind::Text && segments[j].trained == seg.trained; ++j)
            run += segments[j].text;
        for (int32_t id : m_tokenizer.encode(run, false)) push(id, seg.trained);
        i = j;
    }
    ex.fullLength = static_cast<int32_t>(ex.inputIds.size());
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

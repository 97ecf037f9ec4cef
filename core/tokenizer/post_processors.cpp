// See post_processors.h. Pair templates are not needed by LoRA Studio (one text per example) and
// are ignored; a template that names an undefined special token is an error at load time.
#include "tokenizer/post_processors.h"

namespace lorastudio::tok {

namespace {

class AffixProcessor final : public PostProcessor {
public:
    explicit AffixProcessor(SpecialAffixes own) : m_own(std::move(own)) {}
    void apply(SpecialAffixes& affixes) const override {
        affixes.prefix.insert(affixes.prefix.begin(), m_own.prefix.begin(), m_own.prefix.end());
        affixes.suffix.insert(affixes.suffix.end(), m_own.suffix.begin(), m_own.suffix.end());
    }

private:
    SpecialAffixes m_own;
};

class SequenceProcessor final : public PostProcessor {
public:
    explicit SequenceProcessor(std::vector<std::shared_ptr<const PostProcessor>> parts) : m_parts(std::move(parts)) {}
    void apply(SpecialAffixes& affixes) const override {
        for (const auto& p : m_parts) p->apply(affixes);
    }

private:
    std::vector<std::shared_ptr<const PostProcessor>> m_parts;
};

SpecialAffixes parseTemplate(const nlohmann::json& j, const JsonSite& site) {
    const auto* single = findKey(j, "single");
    if (!single || !single->is_array()) site.key("single").fail("must be a list of template pieces");
    const auto* specials = findKey(j, "special_tokens");
    SpecialAffixes affixes;
    bool seenSequence = false;
    for (std::size_t i = 0; i < single->size(); ++i) {
        const JsonSite at = site.key("single").index(i);
        const auto& item = (*single)[i];
        if (const auto* seq = findKey(item, "Sequence")) {
            if (getRequired<std::string>(*seq, "id", at.key("Sequence")) == "A") seenSequence = true;
            continue;
        }
        const auto* special = findKey(item, "SpecialToken");
        if (!special) at.fail("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
        const std::string name = getRequired<std::string>(*special, "id", at.key("SpecialToken"));
        const nlohmann::json* def = specials ? findKey(*specials, name) : nullptr;
        if (!def)
            at.key("SpecialToken").fail("names '" + name + "', which is not defined in special_tokens",
                                        "add it to post_processor.special_tokens");
        const auto ids = getRequired<std::vector<int32_t>>(*def, "ids", site.key("special_tokens").key(name));
        auto& dst = seenSequence ? affixes.suffix : affixes.prefix;
        dst.insert(dst.end(), ids.begin(), ids.end());
    }
    if (!seenSequence) site.key("single").fail("has no {\"Sequence\": {\"id\": \"A\"}} piece for the text");
    return affixes;
}

// RobertaProcessing / BertProcessing: "cls": [token, id], "sep": [token, id].
int32_t pairId(const nlohmann::json& j, const std::string& key, const JsonSite& site, const TokenLookup& lookup) {
    const auto* v = findKey(j, key);
    if (!v || !v->is_array() || v->size() != 2 || !(*v)[0].is_string())
        site.key(key).fail("must be [token, id]");
    if ((*v)[1].is_number_integer()) return (*v)[1].get<int32_t>();
    if (auto id = lookup((*v)[0].get<std::string>())) return *id;
    site.key(key).fail("token '" + (*v)[0].get<std::string>() + "' is not in the vocabulary");
}

} // namespace

std::shared_ptr<const PostProcessor> makePostProcessor(const nlohmann::json& j, const JsonSite& site,
                                                       const TokenLookup& lookup) {
    if (j.is_null()) return nullptr;
    const std::string type = componentType(j, site);
    if (type == "TemplateProcessing") return std::make_shared<AffixProcessor>(parseTemplate(j, site));
    if (type == "ByteLevel") return std::make_shared<AffixProcessor>(SpecialAffixes{});
    if (type == "RobertaProcessing" || type == "BertProcessing")
        return std::make_shared<AffixProcessor>(
            SpecialAffixes{{pairId(j, "cls", site, lookup)}, {pairId(j, "sep", site, lookup)}});
    if (type == "Sequence") {
        const auto* list = findKey(j, "processors");
        if (!list || !list->is_array()) site.key("processors").fail("must be a list of post-processors");
        std::vector<std::shared_ptr<const PostProcessor>> parts;
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto part = makePostProcessor((*list)[i], site.key("processors").index(i), lookup);
            if (part) parts.push_back(std::move(part));
        }
        return std::make_shared<SequenceProcessor>(std::move(parts));
    }
    site.key("type").fail("unknown post-processor type '" + type + "'",
                          "supported: TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing, Sequence");
}

} // namespace lorastudio::tok

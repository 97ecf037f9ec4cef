// See tokenizer_config.h. Unknown keys are ignored: transformers writes many we do not need.
#include "tokenizer/tokenizer_config.h"

#include "tokenizer/json_site.h"

namespace lorastudio::tok {

namespace {

// "bos_token": "<s>" | {"__type": "AddedToken", "content": "<s>", ...} | null
std::optional<std::string> specialTokenName(const nlohmann::json& j, const std::string& key, const JsonSite& site) {
    const auto* v = findKey(j, key);
    if (!v) return std::nullopt;
    if (v->is_string()) return v->get<std::string>();
    if (v->is_object()) return getRequired<std::string>(*v, "content", site.key(key));
    site.key(key).fail(std::string("must be a string or an AddedToken object, found ") + v->type_name(),
                       "write the token's text, e.g. \"" + key + "\": \"</s>\"");
}

} // namespace

TokenizerConfig TokenizerConfig::fromJson(const nlohmann::json& j, const std::string& path) {
    const JsonSite site{path, ""};
    if (!j.is_object()) site.fail("expected a JSON object at the top level");
    TokenizerConfig c;
    c.bosToken = specialTokenName(j, "bos_token", site);
    c.eosToken = specialTokenName(j, "eos_token", site);
    c.padToken = specialTokenName(j, "pad_token", site);
    c.unkToken = specialTokenName(j, "unk_token", site);
    if (findKey(j, "add_bos_token")) c.addBosToken = getRequired<bool>(j, "add_bos_token", site);
    if (findKey(j, "add_eos_token")) c.addEosToken = getRequired<bool>(j, "add_eos_token", site);
    c.cleanUpTokenizationSpaces = getOr<bool>(j, "clean_up_tokenization_spaces", false, site);
    c.splitSpecialTokens = getOr<bool>(j, "split_special_tokens", false, site);

    if (const auto* t = findKey(j, "chat_template")) {
        if (t->is_string()) {
            c.chatTemplate = t->get<std::string>();
        } else if (t->is_array()) {
            // Several named templates: [{"name": "default", "template": "..."}, ...]
            for (std::size_t i = 0; i < t->size(); ++i) {
                const JsonSite at = site.key("chat_template").index(i);
                const std::string name = getOr<std::string>((*t)[i], "name", "", at);
                if (name == "default" || c.chatTemplate.empty())
                    c.chatTemplate = getRequired<std::string>((*t)[i], "template", at);
                if (name == "default") break;
            }
        } else {
            site.key("chat_template").fail("must be a string or a list of {name, template}");
        }
    }

    if (const auto* m = findKey(j, "model_max_length")) {
        if (m->is_number_integer() || m->is_number_unsigned()) {
            if (m->is_number_unsigned() && m->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
                // transformers' VERY_LARGE_INTEGER: no limit
            } else if (m->get<int64_t>() > 0) {
                c.modelMaxLength = m->get<int64_t>();
            }
        } else if (m->is_number_float()) {
            // 1e30 and the like mean "no limit"; a float such as 2048.0 is still a length.
            const double v = m->get<double>();
            if (v > 0 && v < 1e15) c.modelMaxLength = static_cast<int64_t>(v);
        } else {
            site.key("model_max_length").fail(std::string("must be a number, found ") + m->type_name());
        }
    }
    return c;
}

} // namespace lorastudio::tok

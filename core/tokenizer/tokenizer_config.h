// tokenizer_config.json, the transformers-side settings next to tokenizer.json: the names of the
// BOS/EOS/PAD/UNK tokens (plain strings or AddedToken objects), add_bos_token/add_eos_token, the
// chat template, model_max_length, clean_up_tokenization_spaces and split_special_tokens. Every
// field is optional.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace lorastudio::tok {

struct TokenizerConfig {
    std::optional<std::string> bosToken, eosToken, padToken, unkToken;
    std::optional<bool> addBosToken, addEosToken; // absent: the post-processor alone decides
    std::string chatTemplate;                     // Jinja source, empty when none
    std::optional<int64_t> modelMaxLength;        // absent or "unlimited" (transformers writes 1e30)
    bool cleanUpTokenizationSpaces = false;
    bool splitSpecialTokens = false; // special tokens written in the text are encoded as plain text

    // path names the file in errors.
    static TokenizerConfig fromJson(const nlohmann::json& j, const std::string& path);
};

} // namespace lorastudio::tok

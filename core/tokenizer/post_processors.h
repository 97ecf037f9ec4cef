// The "post_processor" section of tokenizer.json, for one sequence: TemplateProcessing (the
// "single" template), RobertaProcessing, BertProcessing, ByteLevel (nothing to do for ids) and
// Sequence. Each yields the special ids to put before and after the encoded text.
#pragma once
#include "tokenizer/json_site.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lorastudio::tok {

struct SpecialAffixes {
    std::vector<int32_t> prefix; // ids before the text, e.g. BOS
    std::vector<int32_t> suffix; // ids after the text, e.g. EOS
};

class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    // Wraps the current affixes (the processors before this one in a Sequence) with this one's.
    virtual void apply(SpecialAffixes& affixes) const = 0;
};

using TokenLookup = std::function<std::optional<int32_t>(const std::string&)>;

// Builds the post-processor described by j; nullptr for a JSON null. lookup resolves token strings
// where the file gives no id. Throws Error naming the key path for an unknown type.
std::shared_ptr<const PostProcessor> makePostProcessor(const nlohmann::json& j, const JsonSite& site,
                                                       const TokenLookup& lookup);

} // namespace lorastudio::tok

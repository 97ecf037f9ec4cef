// The "normalizer" section of tokenizer.json: NFC/NFD/NFKC/NFKD, Lowercase, Strip, StripAccents,
// Prepend, Replace (string or regex) and Sequence. Normalizers are immutable once built.
#pragma once
#include "tokenizer/json_site.h"

#include <memory>
#include <string>

namespace lorastudio::tok {

class Normalizer {
public:
    virtual ~Normalizer() = default;
    // Rewrites text (valid UTF-8) in place.
    virtual void normalize(std::string& text) const = 0;
};

// Builds the normalizer described by j; nullptr for a JSON null. Throws Error naming the key path
// for an unknown "type" or a malformed field.
std::shared_ptr<const Normalizer> makeNormalizer(const nlohmann::json& j, const JsonSite& site);

} // namespace lorastudio::tok

// The "decoder" section of tokenizer.json: ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip,
// BPEDecoder and Sequence. A decoder rewrites the list of token strings; decode() concatenates the
// result. Immutable once built.
#pragma once
#include "tokenizer/json_site.h"

#include <memory>
#include <string>
#include <vector>

namespace lorastudio::tok {

class Decoder {
public:
    virtual ~Decoder() = default;
    virtual void decodeChain(std::vector<std::string>& tokens) const = 0;
};

// Builds the decoder described by j; nullptr for a JSON null. Throws Error naming the key path for
// an unknown type.
std::shared_ptr<const Decoder> makeDecoder(const nlohmann::json& j, const JsonSite& site);

} // namespace lorastudio::tok

// libFuzzer harness: tokenizer.json + tokenizer_config.json (core/tokenizer). Input: tokenizer.json,
// optionally kSplit and tokenizer_config.json. Builds the tokenizer, encodes a fixed text (with and
// without special tokens), decodes the ids back, and looks up the special tokens.
#include "fuzz_support.h"

#include "tokenizer/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto parts = fuzz::split(data, size, 2);
    const auto dir = fuzz::freshScratch();
    const std::string json = fuzz::writeFile(dir / "tokenizer.json", parts[0]);
    const std::string config = parts.size() > 1 ? fuzz::writeFile(dir / "tokenizer_config.json", parts[1]) : std::string();
    fuzz::expectCleanFailure("tokenizer", [&] {
        const auto tok = lorastudio::Tokenizer::fromFiles(json, config);
        static const std::string text =
            "Hello world! The quick brown fox's 123 jumps\n\tover   the lazy dog. \xC3\xA9t\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD <s></s> <|im_start|>";
        for (bool special : {false, true}) {
            const auto ids = tok.encode(text, special);
            tok.decode(ids, false);
            tok.decode(ids, true);
        }
        tok.decode({0, 1, 2, -1, 1 << 30}, false);
        for (int32_t id = 0; id < 4; ++id) tok.idToToken(id);
        tok.tokenToId("<s>");
        (void)tok.vocabSize();
    });
    return 0;
}

// libFuzzer harness: the GGUF reader (core/io/gguf_reader). Input: a .gguf file. Reads the header,
// metadata and tensor infos, describes every value (as `inspect` does) and decodes every tensor.
#include "fuzz_support.h"

#include "io/gguf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto dir = fuzz::freshScratch();
    const std::string path = fuzz::writeFile(dir / "model.gguf", std::string(reinterpret_cast<const char*>(data), size));
    fuzz::expectCleanFailure("GGUF reader", [&] {
        const auto file = lorastudio::gguf::read(path);
        for (const auto& [key, value] : file.metadata) {
            value.describe();
            (void)value.number();
        }
        (void)file.stringValue("general.architecture");
        for (const auto& t : file.tensors) {
            (void)t.shapeString();
            lorastudio::gguf::readTensor(file, t);
        }
    });
    return 0;
}

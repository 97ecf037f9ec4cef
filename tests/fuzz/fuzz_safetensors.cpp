// libFuzzer harness: safetensors (core/io). Input either one .safetensors image, validated in memory
// (parseFile) and through SafetensorsFile::open, or, when it holds kSplit, a sharded checkpoint:
// model.safetensors.index.json, kSplit, then up to three shards model-0000K-of-00003.safetensors.
// Every tensor that opens is viewed and summed, so bad offsets would read out of bounds.
#include "fuzz_support.h"

#include "io/safetensors.h"
#include "io/safetensors_header.h"

#include <ATen/ops/sum.h>

using namespace lorastudio;

namespace {
void touch(const at::Tensor& t) {
    if (t.numel() > 0 && t.numel() < (1 << 20)) (void)t.to(at::kDouble).sum().item<double>();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto parts = fuzz::split(data, size, 4);
    const auto dir = fuzz::freshScratch();
    if (parts.size() == 1) {
        fuzz::expectCleanFailure("safetensors header", [&] { safetensors_detail::parseFile(data, size, "fuzz.safetensors"); });
        const std::string path = fuzz::writeFile(dir / "model.safetensors", parts[0]);
        fuzz::expectCleanFailure("safetensors file", [&] {
            const Checkpoint cp = Checkpoint::open(path);
            for (const auto& name : cp.names()) touch(cp.tensor(name));
        });
        return 0;
    }
    const std::string index = fuzz::writeFile(dir / "model.safetensors.index.json", parts[0]);
    for (size_t k = 1; k < parts.size(); ++k)
        fuzz::writeFile(dir / ("model-0000" + std::to_string(k) + "-of-00003.safetensors"), parts[k]);
    fuzz::expectCleanFailure("sharded checkpoint", [&] {
        const Checkpoint cp = Checkpoint::open(index);
        for (const auto& name : cp.names()) touch(cp.tensor(name));
        (void)cp.metadata();
    });
    return 0;
}

// libFuzzer harness: config.json -> ModelSpec (core/model/model_spec, config_keys, architecture_table).
// Input: config.json text. Parses it; for a spec that parses, lists every expected parameter and
// counts them (what the estimate and the loader do before touching any weight).
#include "fuzz_support.h"

#include "model/model_spec.h"

using namespace lorastudio;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzz::expectCleanFailure("config.json", [&] {
        const ModelSpec spec = parseModelConfigText(text, "config.json");
        const auto params = expectedParameters(spec);
        for (const auto& p : params) (void)shapeString(p.shape);
        (void)parameterCount(spec);
        (void)spec.rotaryDim();
        for (int64_t layer = 0; layer < spec.numLayers; ++layer) (void)spec.slidingLayer(layer);
    });
    return 0;
}

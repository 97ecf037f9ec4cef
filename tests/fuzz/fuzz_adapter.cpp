// libFuzzer harness: PEFT adapters (core/lora/peft_adapter). Input: adapter_config.json, kSplit,
// adapter_model.safetensors. Reads the config, then attaches and loads the adapter onto a fresh tiny
// Llama (the shape of shared/fixtures/models/llama, vocabulary cut to 64), so the tensors' names and
// shapes are checked against a real model.
#include "fuzz_support.h"

#include "lora/peft_adapter.h"
#include "model/causal_lm.h"
#include "model/model_spec.h"

#include <torch/csrc/autograd/grad_mode.h>

using namespace lorastudio;

namespace {
const char* const kBaseConfig = R"({"architectures": ["LlamaForCausalLM"], "hidden_act": "silu", "hidden_size": 64,
  "intermediate_size": 176, "max_position_embeddings": 128, "model_type": "llama", "num_attention_heads": 4,
  "num_hidden_layers": 2, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 10000.0,
  "tie_word_embeddings": false, "vocab_size": 64})";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const ModelSpec spec = parseModelConfigText(kBaseConfig, "fuzz base config.json");
    const auto parts = fuzz::split(data, size, 2);
    const auto dir = fuzz::freshScratch();
    fuzz::writeFile(dir / "adapter_config.json", parts[0]);
    if (parts.size() > 1) fuzz::writeFile(dir / "adapter_model.safetensors", parts[1]);
    fuzz::expectCleanFailure("adapter", [&] {
        const AdapterConfig config = readAdapterConfig(dir.string(), spec.architecture);
        for (const auto& w : config.warnings) (void)w.size();
        at::NoGradGuard noGrad;
        auto model = createCausalLM(spec, at::TensorOptions().dtype(at::kFloat));
        LoraAttachOptions options;
        options.initialize = false;
        loadAdapter(model, dir.string(), options);
    });
    return 0;
}

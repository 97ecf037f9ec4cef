// Where a module sits in the model, parsed from its Hugging Face name: the layer index and the
// module kind used as the heatmap's column, e.g. "model.layers.3.self_attn.q_proj" -> (3,
// "self_attn.q_proj"), "transformer.h.0.attn.c_attn" -> (0, "attn.c_attn"). No torch.
#pragma once
#include <string>

namespace lorastudio {

struct ModuleLocation {
    int layer = -1;     // -1 when the name has no numeric component (e.g. "lm_head")
    std::string kind;   // components after the layer index; the whole (cleaned) name when there is none
    std::string stack;  // components before the layer index, e.g. "model.layers", "transformer.h"; "" when none
};

// The layer is the first all-digit component (at most 9 digits). A PEFT key prefix
// "base_model.model." and a suffix from ".lora_A"/".lora_B"/".lora_embedding_A"/... on are
// removed first, so a tensor key works as well as a module name.
ModuleLocation parseModuleName(const std::string& name);

// The name without the PEFT prefix and LoRA suffix (as parseModuleName cleans it).
std::string cleanModuleName(const std::string& name);

} // namespace lorastudio

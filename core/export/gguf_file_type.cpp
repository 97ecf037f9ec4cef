// See gguf_file_type.h.
#include "export/gguf_file_type.h"

#include "common/enum_names.h"
#include "common/string_ends.h"

#include <iterator>

namespace lorastudio {
namespace {

using gguf::TensorType;

constexpr GgufFileType kAll[] = {GgufFileType::F32,  GgufFileType::F16,  GgufFileType::BF16,  GgufFileType::Q8_0,
                                 GgufFileType::Q4_0, GgufFileType::Q4_K_M, GgufFileType::Q5_K_M};

// "blk.12.attn_v.weight" -> 12; -1 for tensors outside the layers.
int64_t layerOf(const std::string& name) {
    if (name.rfind("blk.", 0) != 0) return -1;
    try {
        return std::stoll(name.substr(4));
    } catch (...) {
        return -1;
    }
}

// llama.cpp's choice of layers that keep more bits in its mixed types.
bool moreBits(int64_t layer, int64_t layers) {
    return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
}

TensorType preferredType(GgufFileType t, const GgufMatrix& m) {
    const bool head = m.name == "output.weight" || (m.tiedOutput && m.name == "token_embd.weight");
    // llama.cpp's quantizer leaves position embeddings (GPT-2's table) unquantized.
    if (isQuantized(t) && m.name == "position_embd.weight") return TensorType::F32;
    switch (t) {
    case GgufFileType::F32: return TensorType::F32;
    case GgufFileType::F16: return TensorType::F16;
    case GgufFileType::BF16: return TensorType::BF16;
    case GgufFileType::Q8_0: return TensorType::Q8_0;
    case GgufFileType::Q4_0: return head ? TensorType::Q6_K : TensorType::Q4_0;
    case GgufFileType::Q4_K_M:
    case GgufFileType::Q5_K_M: {
        const int64_t layer = layerOf(m.name);
        // attn_v and what holds v (GPT-2's and Phi-3's fused attn_qkv) as llama.cpp counts them, and ffn_down.
        const bool widened = layer >= 0 &&
                             (endsWith(m.name, ".attn_v.weight") || endsWith(m.name, ".attn_qkv.weight") ||
                              endsWith(m.name, ".ffn_down.weight")) &&
                             moreBits(layer, m.layers);
        return head || widened ? TensorType::Q6_K : t == GgufFileType::Q4_K_M ? TensorType::Q4_K : TensorType::Q5_K;
    }
    }
    return TensorType::F16;
}

} // namespace

const char* ggufFileTypeName(GgufFileType t) {
    switch (t) {
    case GgufFileType::F32: return "f32";
    case GgufFileType::F16: return "f16";
    case GgufFileType::BF16: return "bf16";
    case GgufFileType::Q8_0: return "q8_0";
    case GgufFileType::Q4_0: return "q4_0";
    case GgufFileType::Q4_K_M: return "q4_k_m";
    case GgufFileType::Q5_K_M: return "q5_k_m";
    }
    return "?";
}

std::optional<GgufFileType> parseGgufFileType(const std::string& s) {
    for (GgufFileType t : kAll)
        if (equalsIgnoreCase(s, ggufFileTypeName(t))) return t;
    return std::nullopt;
}

std::string ggufFileTypeList() {
    std::string list;
    const std::size_t n = std::size(kAll);
    for (std::size_t i = 0; i < n; ++i) list += std::string(i == 0 ? "" : i + 1 == n ? " or " : ", ") + ggufFileTypeName(kAll[i]);
    return list;
}

uint32_t llamaFileType(GgufFileType t) {
    switch (t) {
    case GgufFileType::F32: return 0;
    case GgufFileType::F16: return 1;
    case GgufFileType::Q4_0: return 2;
    case GgufFileType::Q8_0: return 7;
    case GgufFileType::Q4_K_M: return 15;
    case GgufFileType::Q5_K_M: return 17;
    case GgufFileType::BF16: return 32;
    }
    return 1;
}

bool isQuantized(GgufFileType t) {
    return t == GgufFileType::Q8_0 || t == GgufFileType::Q4_0 || t == GgufFileType::Q4_K_M || t == GgufFileType::Q5_K_M;
}

std::optional<gguf::TensorType> adapterTensorType(GgufFileType t) {
    switch (t) {
    case GgufFileType::F32: return TensorType::F32;
    case GgufFileType::F16: return TensorType::F16;
    case GgufFileType::BF16: return TensorType::BF16;
    default: return std::nullopt;
    }
}

gguf::TensorType matrixType(GgufFileType t, const GgufMatrix& m, gguf::TensorType* preferred) {
    const TensorType want = preferredType(t, m);
    if (preferred) *preferred = want;
    if (gguf::canStore(want, m.rowLength)) return want;
    const TensorType fallback = want == TensorType::Q4_K   ? TensorType::Q5_0
                                : want == TensorType::Q5_K ? TensorType::Q5_1
                                : want == TensorType::Q6_K ? TensorType::Q8_0
                                                           : TensorType::F16;
    return gguf::canStore(fallback, m.rowLength) ? fallback : TensorType::F16;
}

} // namespace lorastudio

// What a GGUF export's `--type` picks: one tensor type for every matrix (f32, f16, bf16, q8_0,
// q4_0), or q4_k_m, the mix llama.cpp's quantizer calls Q4_K_M (the type Ollama's library ships
// most models in): Q4_K matrices, Q6_K for the output head (the embedding when the head is tied
// to it) and for attn_v and ffn_down in the layers llama.cpp gives more bits (the first and last
// eighth, and every third layer between); q5_k_m the same with Q5_K. A matrix whose rows are not
// whole blocks of its type falls back as llama.cpp's quantizer does: Q4_K to Q5_0, Q5_K to Q5_1,
// Q6_K to Q8_0, and to F16 where the rows are not whole blocks of 32 either. Norms, biases,
// rope_freqs and position tables stay F32.
#pragma once
#include "io/gguf.h"

#include <cstdint>
#include <optional>
#include <string>

namespace lorastudio {

enum class GgufFileType { F32, F16, BF16, Q8_0, Q4_0, Q4_K_M, Q5_K_M };

const char* ggufFileTypeName(GgufFileType t);                          // "f32", ..., "q4_k_m"
std::optional<GgufFileType> parseGgufFileType(const std::string& s);   // any case
std::string ggufFileTypeList();                                         // "f32, f16, bf16, q8_0, q4_0, q4_k_m or q5_k_m"
uint32_t llamaFileType(GgufFileType t);                                 // general.file_type (llama.cpp's LLAMA_FTYPE_*)
bool isQuantized(GgufFileType t);                                       // q8_0, q4_0, q4_k_m, q5_k_m
// The tensor type of a GGUF LoRA adapter of that file type: F32, F16, BF16; nullopt for the
// quantized ones (llama.cpp's adapters are not quantized).
std::optional<gguf::TensorType> adapterTensorType(GgufFileType t);

struct GgufMatrix {
    std::string name;          // GGUF name: "blk.3.ffn_down.weight", "output.weight", ...
    uint64_t rowLength = 0;    // ne[0]
    int64_t layers = 0;        // the model's layer count
    bool tiedOutput = false;   // no output.weight: token_embd is the head too
};
// The type that matrix is stored as, after the fallback for rows that are not whole blocks;
// `preferred` (optional) receives the type the recipe wanted.
gguf::TensorType matrixType(GgufFileType t, const GgufMatrix& m, gguf::TensorType* preferred = nullptr);

} // namespace lorastudio

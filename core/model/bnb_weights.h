// Linear weights that bitsandbytes stored quantized in a checkpoint: what transformers'
// save_pretrained writes for a model loaded with BitsAndBytesConfig (the Hub's "-bnb-4bit" and
// "-8bit" folders; config.json then has quantization_config.quant_method "bitsandbytes").
// - 4-bit (nf4): <w> uint8 [n/2, 1] (two code indices a byte, the first in the high nibble),
//   <w>.quant_map fp32 [16], <w>.absmax fp32 [blocks of 64], and <w>.quant_state.bitsandbytes__nf4
//   (uint8 bytes of a JSON object: quant_type, blocksize, dtype, shape, nested_blocksize,
//   nested_offset, ...). With double quantization <w>.absmax is uint8 codes into
//   <w>.nested_quant_map fp32 [256], times <w>.nested_absmax per 256 blocks, plus nested_offset.
// - 8-bit (LLM.int8): <w> int8 [out, in], <module>.SCB fp32 [out] (each row's absmax: w = q * SCB /
//   127), <module>.weight_format (0: rows as stored).
// <w> is the module's ".weight" name. Read as stored, exactly (tests/fixtures/bnb).
#pragma once
#include "io/safetensors.h"
#include "model/model_spec.h"
#include "quant/quantized_weight.h"

#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

// What loading a folder whose config.json declares `stored` (ModelSpec::storedQuantization) does,
// for logs: one sentence, empty when nothing is stored quantized.
std::string bnbLoadNote(const StoredQuantization& stored);

enum class BnbStorage { None, Nf4, Int8 };

// How the checkpoint stores `weightName`; throws an Error naming the tensor for bitsandbytes layouts
// this reader does not take (fp4).
BnbStorage bnbStorage(const Checkpoint& checkpoint, const std::string& weightName, const std::string& where);
// The checkpoint tensors of a stored weight beside weightName itself (absmax, quant_map, SCB, ...).
std::vector<std::string> bnbCompanions(const Checkpoint& checkpoint, const std::string& weightName);
// The stored weight, validated against `shape` ([out, in]) and copied out of the file onto `device`.
// `where` names the checkpoint in errors.
std::shared_ptr<const QuantizedWeight> readBnbWeight(const Checkpoint& checkpoint, const std::string& weightName,
                                                     const std::vector<int64_t>& shape, const at::Device& device,
                                                     const std::string& where);

} // namespace lorastudio

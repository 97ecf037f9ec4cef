// bitsandbytes' stored weights -> QuantizedWeight. See bnb_weights.h.
#include "model/bnb_weights.h"

#include "common/error.h"
#include "model/model_spec.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace lorastudio {

namespace {

const char* const kNf4State = ".quant_state.bitsandbytes__nf4";
const char* const kFp4State = ".quant_state.bitsandbytes__fp4";

// "<module>.weight" -> "<module>." (SCB and weight_format sit beside the weight).
std::string modulePrefix(const std::string& weightName) {
    const std::string suffix = "weight";
    if (weightName.size() >= suffix.size() && weightName.compare(weightName.size() - suffix.size(), suffix.size(), suffix) == 0)
        return weightName.substr(0, weightName.size() - suffix.size());
    return weightName + ".";
}

const TensorInfo& need(const Checkpoint& ckpt, const std::string& name, DType dtype, const std::string& where) {
    const TensorInfo* t = ckpt.find(name);
    if (!t) throw Error(where, "tensor '" + name + "' is missing (bitsandbytes stores it with the quantized weight)",
                        "the checkpoint is incomplete: download or save it again");
    if (t->dtype != dtype)
        throw Error(where, "tensor '" + name + "' is " + dtypeName(t->dtype) + ", bitsandbytes writes " + dtypeName(dtype));
    return *t;
}

int64_t numelOf(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    return n;
}

// A fresh copy (never a view of the mapped file) on the device.
at::Tensor owned(const Checkpoint& ckpt, const std::string& name, const at::Device& device) {
    return ckpt.tensor(name).to(device, /*non_blocking=*/false, /*copy=*/true).contiguous();
}

nlohmann::json quantState(const Checkpoint& ckpt, const std::string& name, const std::string& where) {
    need(ckpt, name, DType::U8, where);
    const at::Tensor bytes = ckpt.tensor(name).contiguous();
    const std::string text(reinterpret_cast<const char*>(bytes.data_ptr<uint8_t>()), bytes.numel());
    try {
        auto j = nlohmann::json::parse(text);
        if (!j.is_object()) throw std::runtime_error("not a JSON object");
        return j;
    } catch (const std::exception& e) {
        throw Error(where, "tensor '" + name + "' is not bitsandbytes' quant_state JSON: " + e.what(),
                    "the checkpoint is damaged: download or save it again");
    }
}

template <class T>
T stateKey(const nlohmann::json& j, const char* key, const std::string& name, const std::string& where) {
    if (!j.contains(key)) throw Error(where, "'" + name + "' has no '" + key + "'", "the checkpoint is damaged");
    try {
        return j.at(key).get<T>();
    } catch (const std::exception&) {
        throw Error(where, "'" + name + "': '" + key + "' has the wrong type", "the checkpoint is damaged");
    }
}

std::shared_ptr<const QuantizedWeight> readNf4(const Checkpoint& ckpt, const std::string& w,
                                               const std::vector<int64_t>& shape, const at::Device& device,
                                               const std::string& where) {
    const std::string stateName = w + kNf4State;
    const nlohmann::json state = quantState(ckpt, stateName, where);
    if (stateKey<std::string>(state, "quant_type", stateName, where) != "nf4")
        throw Error(where, "'" + stateName + "': quant_type is not nf4");
    const auto stored = stateKey<std::vector<int64_t>>(state, "shape", stateName, where);
    if (stored != shape)
        throw Error(where, "'" + w + "' holds a " + shapeString(stored) + " weight, the model expects " + shapeString(shape),
                    "is this checkpoint for a different architecture/size?");
    Nf4Weight q;
    q.shape = shape;
    q.blockSize = stateKey<int64_t>(state, "blocksize", stateName, where);
    if (q.blockSize < 2 || q.blockSize > 4096 || q.blockSize % 2 != 0)  // bitsandbytes writes 32 ... 4096
        throw Error(where, "'" + stateName + "': blocksize " + std::to_string(q.blockSize) + " is not an even number in 2..4096");
    const int64_t n = numelOf(shape), blocks = (n + q.blockSize - 1) / q.blockSize;

    const TensorInfo& packed = need(ckpt, w, DType::U8, where);
    if (numelOf(packed.shape) != (n + 1) / 2)
        throw Error(where, "'" + w + "' has " + std::to_string(numelOf(packed.shape)) + " bytes, a 4-bit " +
                               shapeString(shape) + " weight needs " + std::to_string((n + 1) / 2));
    const TensorInfo& map = need(ckpt, w + ".quant_map", DType::F32, where);
    if (numelOf(map.shape) != 16) throw Error(where, "'" + w + ".quant_map' does not hold 16 values");
    const at::Tensor code = ckpt.tensor(w + ".quant_map").reshape({-1});
    const auto& nf4 = nf4Codebook();
    for (int i = 0; i < 16; ++i)
        if (std::fabs(code[i].item<float>() - nf4[i]) > 1e-6f)
            throw Error(where, "'" + w + ".quant_map' is not the NF4 code (value " + std::to_string(i) + ")",
                        "only bitsandbytes' nf4 code is read");
    q.packed = owned(ckpt, w, device).view({-1});

    if (state.contains("nested_blocksize")) {
        if (stateKey<int64_t>(state, "nested_blocksize", stateName, where) != 256)
            throw Error(where, "'" + stateName + "': nested_blocksize is not 256", "bitsandbytes always writes 256");
        const TensorInfo& codes = need(ckpt, w + ".absmax", DType::U8, where);
        const TensorInfo& nested = need(ckpt, w + ".nested_absmax", DType::F32, where);
        const TensorInfo& nestedMap = need(ckpt, w + ".nested_quant_map", DType::F32, where);
        if (numelOf(codes.shape) != blocks || numelOf(nested.shape) != (blocks + 255) / 256 || numelOf(nestedMap.shape) != 256)
            throw Error(where, "'" + w + "': absmax, nested_absmax or nested_quant_map has the wrong size for " +
                                   std::to_string(blocks) + " blocks");
        q.doubleQuantized = true;
        q.absmaxCodes = owned(ckpt, w + ".absmax", device).view({-1});
        q.absmaxScales = owned(ckpt, w + ".nested_absmax", device).view({-1});
        q.absmaxCodebook = owned(ckpt, w + ".nested_quant_map", device).view({-1});
        const double offset = stateKey<double>(state, "nested_offset", stateName, where);
        if (!std::isfinite(offset) || std::fabs(offset) > 3.0e38)
            throw Error(where, "'" + stateName + "': nested_offset is not a finite float32", "the checkpoint is damaged");
        q.absmaxOffset = static_cast<float>(offset);
    } else {
        const TensorInfo& absmax = need(ckpt, w + ".absmax", DType::F32, where);
        if (numelOf(absmax.shape) != blocks)
            throw Error(where, "'" + w + ".absmax' has " + std::to_string(numelOf(absmax.shape)) + " values for " +
                                   std::to_string(blocks) + " blocks");
        q.absmax = owned(ckpt, w + ".absmax", device).view({-1});
    }
    return std::make_shared<const QuantizedWeight>(QuantizedWeight::fromNf4(std::move(q)));
}

std::shared_ptr<const QuantizedWeight> readInt8(const Checkpoint& ckpt, const std::string& w,
                                                const std::vector<int64_t>& shape, const at::Device& device,
                                                const std::string& where) {
    const std::string prefix = modulePrefix(w);
    const TensorInfo& values = need(ckpt, w, DType::I8, where);
    if (values.shape != shape)
        throw Error(where, "'" + w + "' is " + shapeString(values.shape) + ", the model expects " + shapeString(shape),
                    "is this checkpoint for a different architecture/size?");
    const TensorInfo& scb = need(ckpt, prefix + "SCB", DType::F32, where);
    if (numelOf(scb.shape) != shape[0])
        throw Error(where, "'" + prefix + "SCB' has " + std::to_string(numelOf(scb.shape)) + " values for " +
                               std::to_string(shape[0]) + " rows");
    if (const TensorInfo* format = ckpt.find(prefix + "weight_format")) {
        const at::Tensor f = ckpt.tensor(prefix + "weight_format");
        if (format->dtype != DType::U8 || f.numel() != 1 || f.reshape({-1})[0].item<int>() != 0)
            throw Error(where, "'" + prefix + "weight_format' is not 0 (rows as stored)",
                        "only the row layout bitsandbytes writes to files is read");
    }
    Int8Weight q;
    q.values = owned(ckpt, w, device);
    q.scales = (owned(ckpt, prefix + "SCB", device).view({-1}) / 127.0).contiguous();
    return std::make_shared<const QuantizedWeight>(QuantizedWeight::fromInt8Rows(std::move(q)));
}

} // namespace

std::string bnbLoadNote(const StoredQuantization& stored) {
    if (!stored.any()) return {};
    return "the base model stores its linear weights quantized by bitsandbytes (" + stored.describe() +
           "): with lora.quantization they stay as stored, without it they are dequantized; merge and export add "
           "ΔW to the dequantized weights (the folder has no 16-bit originals)";
}

BnbStorage bnbStorage(const Checkpoint& checkpoint, const std::string& weightName, const std::string& where) {
    if (checkpoint.contains(weightName + kNf4State)) return BnbStorage::Nf4;
    if (checkpoint.contains(weightName + kFp4State))
        throw Error(where, "'" + weightName + "' is stored as bitsandbytes fp4, which LoRA Studio does not read",
                    "use the model's 16-bit checkpoint, or an nf4 / 8-bit one");
    const TensorInfo* t = checkpoint.find(weightName);
    if (t && t->dtype == DType::I8 && checkpoint.contains(modulePrefix(weightName) + "SCB")) return BnbStorage::Int8;
    return BnbStorage::None;
}

std::vector<std::string> bnbCompanions(const Checkpoint& checkpoint, const std::string& weightName) {
    std::vector<std::string> out;
    const std::string prefix = modulePrefix(weightName);
    for (const std::string& name : {weightName + kNf4State, weightName + ".quant_map", weightName + ".absmax",
                                    weightName + ".nested_absmax", weightName + ".nested_quant_map", prefix + "SCB",
                                    prefix + "weight_format"})
        if (checkpoint.contains(name)) out.push_back(name);
    return out;
}

std::shared_ptr<const QuantizedWeight> readBnbWeight(const Checkpoint& checkpoint, const std::string& weightName,
                                                     const std::vector<int64_t>& shape, const at::Device& device,
                                                     const std::string& where) {
    if (shape.size() != 2) throw Error(where, "'" + weightName + "': stored quantized weights must be 2-D");
    switch (bnbStorage(checkpoint, weightName, where)) {
    case BnbStorage::Nf4: return readNf4(checkpoint, weightName, shape, device, where);
    case BnbStorage::Int8: return readInt8(checkpoint, weightName, shape, device, where);
    case BnbStorage::None: break;
    }
    throw Error(where, "'" + weightName + "' is not stored quantized by bitsandbytes");
}

} // namespace lorastudio

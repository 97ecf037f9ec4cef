// `lorastudio-cli inspect FILE.gguf [--json]`: a GGUF file's header, every metadata key with its
// type and value, and every tensor (type, PyTorch-order shape, offset), read and validated by
// core/io's reader; --json adds each tensor's decoded min/max/mean (every byte is read).
#include "cli_format.h"
#include "io/gguf.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace lorastudio::cli {

void inspectGguf(const std::string& path, bool json) {
    const gguf::File f = gguf::read(path);
    uint64_t tensorBytes = 0;
    for (const auto& t : f.tensors) tensorBytes += t.bytes();
    if (json) {
        nlohmann::json j;
        j["version"] = f.version;
        j["alignment"] = f.alignment;
        j["file_bytes"] = f.fileSize;
        j["tensor_bytes"] = tensorBytes;
        for (const auto& [k, v] : f.metadata) {
            if (v.type == gguf::ValueType::Array) j["metadata"][k] = {{"type", std::string("array of ") + gguf::valueTypeName(v.elemType)}, {"length", v.items.size()}};
            else if (v.type == gguf::ValueType::String) j["metadata"][k] = v.s;
            else j["metadata"][k] = *v.number();
        }
        for (const auto& t : f.tensors) {
            const std::vector<float> x = gguf::readTensor(f, t);
            double sum = 0;
            for (float e : x) sum += e;
            const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
            j["tensors"].push_back({{"name", t.name}, {"type", gguf::tensorTypeName(t.type)}, {"ne", t.ne}, {"offset", t.offset},
                                    {"bytes", t.bytes()}, {"min", x.empty() ? 0.0 : *lo}, {"max", x.empty() ? 0.0 : *hi},
                                    {"mean", x.empty() ? 0.0 : sum / double(x.size())}});
        }
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "file:       " << path << " (" << humanBytes(f.fileSize) << ")\n"
              << "format:     GGUF v" << f.version << ", alignment " << f.alignment << ", " << f.metadata.size() << " keys, "
              << f.tensors.size() << " tensors (" << humanBytes(tensorBytes) << ")\n"
              << "metadata:\n";
    for (const auto& [k, v] : f.metadata)
        std::cout << "  " << padRight(k, 44) << " " << padRight(v.type == gguf::ValueType::Array ? "array" : gguf::valueTypeName(v.type), 7)
                  << " " << v.describe() << "\n";
    std::cout << "tensors:\n";
    for (const auto& t : f.tensors)
        std::cout << "  " << padRight(t.name, 40) << " " << padRight(gguf::tensorTypeName(t.type), 5) << " " << padRight(t.shapeString(), 14)
                  << " @ " << t.offset << "\n";
}

} // namespace lorastudio::cli

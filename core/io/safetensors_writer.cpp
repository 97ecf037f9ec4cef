// writeSafetensors: lays a file out as the reference library (safetensors 0.4) does - data sorted by
// dtype alignment (descending) then name, compact JSON header padded with spaces to 8 bytes - and
// writes it atomically. Tensors are moved to CPU one at a time, so peak memory is one tensor.
#include "io/safetensors.h"
#include "io/safetensors_header.h"

#include "common/atomic_file.h"

#include "common/error.h"

#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <set>

namespace lorastudio {

namespace {

// A JSON string literal as serde_json writes it (UTF-8 kept, control characters escaped).
std::string jsonString(const std::string& s, const std::string& path, const std::string& what) {
    try {
        return nlohmann::json(s).dump();
    } catch (const nlohmann::json::exception&) {
        throw Error(path, what + " is not valid UTF-8", "safetensors headers are UTF-8 JSON");
    }
}

} // namespace

namespace safetensors_detail {

std::string safetensorsHeader(const std::vector<SafetensorsEntry>& entries,
                              const std::map<std::string, std::string>& metadata, const std::string& path) {
    // Keys in the order the reference writes them: __metadata__ first, then tensors in data order.
    std::string json = "{";
    if (!metadata.empty()) {
        json += "\"__metadata__\":{";
        bool first = true;
        for (const auto& [k, v] : metadata) {
            if (!first) json += ',';
            first = false;
            json += jsonString(k, path, "metadata key '" + k + "'") + ':' +
                    jsonString(v, path, "metadata value of '" + k + "'");
        }
        json += '}';
    }
    uint64_t offset = 0;
    for (const SafetensorsEntry& e : entries) {
        if (json.size() > 1) json += ',';
        json += jsonString(e.name, path, "tensor name '" + e.name + "'");
        json += ":{\"dtype\":\"";
        json += dtypeName(e.dtype);
        json += "\",\"shape\":[";
        for (std::size_t i = 0; i < e.shape.size(); ++i) json += (i ? "," : "") + std::to_string(e.shape[i]);
        json += "],\"data_offsets\":[" + std::to_string(offset) + ',' + std::to_string(offset + e.nbytes) + "]}";
        offset += e.nbytes;
    }
    json += '}';
    json.append((8 - json.size() % 8) % 8, ' ');  // the data region starts 8-byte aligned
    return json;
}

} // namespace safetensors_detail

using safetensors_detail::SafetensorsEntry;

void writeSafetensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    // Everything that can be checked is checked before a byte is written.
    std::vector<SafetensorsEntry> entries;
    entries.reserve(tensors.size());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const auto& [name, t] = tensors[i];
        const std::string where = "tensor '" + name + "': ";
        if (name == "__metadata__")
            throw Error(path, where + "the name is reserved for the header's metadata", "rename the tensor");
        if (!seen.insert(name).second)
            throw Error(path, where + "name given twice", "tensor names in a safetensors file are unique");
        if (!t.defined()) throw Error(path, where + "tensor is undefined (empty handle)");
        SafetensorsEntry e;
        e.name = name;
        e.index = i;
        try {
            e.dtype = fromScalarType(t.scalar_type());
        } catch (const Error& err) {
            throw Error(path, where + err.what());
        }
        e.shape = t.sizes().vec();
        e.nbytes = static_cast<uint64_t>(t.numel()) * dtypeSize(e.dtype);
        entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(), [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
        const int ra = safetensors_detail::dtypeRank(a.dtype), rb = safetensors_detail::dtypeRank(b.dtype);
        return ra != rb ? ra > rb : a.name < b.name;
    });
    const std::string header = safetensors_detail::safetensorsHeader(entries, metadata, path);

    writeFileAtomic(path, [&](std::ostream& out) {
        const uint64_t n = header.size();
        char len[8];
        for (int i = 0; i < 8; ++i) len[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
        out.write(len, 8);
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        for (const SafetensorsEntry& e : entries) {
            if (e.nbytes == 0) continue;
            // One tensor at a time on CPU, row-major, so a GPU model is never copied whole.
            at::Tensor c;
            try {
                c = tensors[e.index].second.cpu().contiguous();
            } catch (const c10::Error& err) {
                throw Error(path, "tensor '" + e.name + "': cannot copy it to CPU memory: " + err.what_without_backtrace(),
                            "is the tensor on a device that holds data (not 'meta')?");
            }
            out.write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(e.nbytes));
            if (!out) {
                const int err = errno;
                throw Error(path, "tensor '" + e.name + "': " + writeFailureText(err),
                            isDiskFull(err) ? diskFullHint() : "is the disk full or the folder read-only?");
            }
        }
    });
}

} // namespace lorastudio

// Checkpoint: every tensor of a model, from one .safetensors file or from the shards listed by a
// Hugging Face model.safetensors.index.json (weight_map: tensor name -> shard file name).
#include "io/safetensors.h"

#include "common/error.h"
#include "common/json_file.h"
#include "io/folder_safety.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string metadataValue(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// A shard named by an index must be a file of the index's own folder: no absolute path, no "..",
// and no symlink whose target lies outside it. Hugging Face's cache links snapshots/<rev>/<file>
// to ../../blobs/<hash>, so within a cache repository folder (models--*) the repository is the bound.
void checkShardPlace(const std::string& indexPath, const fs::path& dir, const std::string& shard) {
    const fs::path name(shard);
    bool climbs = name.is_absolute() || name.has_root_path();
    for (const auto& part : name) climbs = climbs || part == "..";
    if (climbs)
        throw Error(indexPath, "shard '" + shard + "' lies outside the model folder",
                    "an index names shards by their file names in its own folder; this one is broken or unsafe");
    std::error_code ec;
    const fs::path bound = containmentBound(dir);
    const fs::path target = fs::weakly_canonical(fs::absolute(dir / name), ec);
    if (!ec && !liesWithin(target, bound))
        throw Error(indexPath, "shard '" + shard + "' is a link to " + target.string() + ", outside the model folder",
                    "copy the file into the model folder if it belongs to this model");
}

} // namespace

Checkpoint Checkpoint::open(const std::string& path) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st))
        throw Error(path, "no such file or folder", "check the path");

    if (fs::is_directory(st)) {
        // Same preference as transformers: a single file first, then the sharded index.
        const fs::path dir(path);
        for (const char* name : {"model.safetensors", "model.safetensors.index.json", "adapter_model.safetensors"}) {
            const fs::path candidate = dir / name;
            if (fs::is_regular_file(candidate, ec)) return open(candidate.string());
        }
        throw Error(path, "folder holds no model.safetensors, model.safetensors.index.json or adapter_model.safetensors",
                    "is this a Hugging Face model folder? (.bin/.pt checkpoints are not read; convert them to safetensors)");
    }
    if (endsWith(path, ".json")) return openIndex(path);

    Checkpoint cp;
    cp.m_files.push_back(SafetensorsFile::open(path));
    for (const TensorInfo& t : cp.m_files[0]->tensors()) cp.m_owner[t.name] = 0;
    cp.m_metadata = cp.m_files[0]->metadata();
    return cp;
}

// Builds a Checkpoint from an index. Each shard is opened (and fully validated) once; every name
// of the weight_map must be in the shard it points to.
Checkpoint Checkpoint::openIndex(const std::string& indexPath) {
    const nlohmann::json index = readJsonFile(indexPath);
    if (!index.is_object()) throw Error(indexPath, "index is not a JSON object", "is this a *.safetensors.index.json?");
    auto wm = index.find("weight_map");
    if (wm == index.end() || !wm->is_object())
        throw Error(indexPath, "missing object 'weight_map' (tensor name -> shard file)",
                    "is this a *.safetensors.index.json?");
    if (wm->empty()) throw Error(indexPath, "'weight_map' is empty", "the index lists no tensors");

    const fs::path dir = fs::path(indexPath).parent_path();
    Checkpoint cp;
    std::map<std::string, std::size_t> shardIndex;  // shard file name -> index in m_files
    auto& files = cp.m_files;
    for (auto it = wm->begin(); it != wm->end(); ++it) {
        if (!it.value().is_string())
            throw Error(indexPath, "weight_map entry for tensor '" + it.key() + "' is not a file name",
                        "each weight_map value names a shard, e.g. \"model-00001-of-00002.safetensors\"");
        const std::string shard = it.value().get<std::string>();
        auto found = shardIndex.find(shard);
        if (found == shardIndex.end()) {
            checkShardPlace(indexPath, dir, shard);
            const fs::path shardPath = dir / shard;
            std::error_code ec;
            if (!fs::is_regular_file(shardPath, ec))
                throw Error(indexPath, "shard '" + shard + "' (holding tensor '" + it.key() + "') does not exist",
                            "the download is incomplete; fetch " + shardPath.string());
            files.push_back(SafetensorsFile::open(shardPath.string()));
            found = shardIndex.emplace(shard, files.size() - 1).first;
        }
        if (!files[found->second]->contains(it.key()))
            throw Error(indexPath, "tensor '" + it.key() + "' is listed in shard '" + shard + "' but is not in it",
                        "the index and the shards do not belong together; download them again");
        cp.m_owner[it.key()] = found->second;
    }

    // The first shard's __metadata__ (e.g. format: pt), then the index's own "metadata" (e.g.
    // total_size), non-string values as their JSON text.
    cp.m_metadata = files.front()->metadata();
    if (auto md = index.find("metadata"); md != index.end() && md->is_object())
        for (auto it = md->begin(); it != md->end(); ++it) cp.m_metadata[it.key()] = metadataValue(it.value());
    return cp;
}

std::vector<std::string> Checkpoint::names() const {
    std::vector<std::string> out;
    out.reserve(m_owner.size());
    for (const auto& [name, idx] : m_owner) out.push_back(name);  // std::map: already sorted
    return out;
}

bool Checkpoint::contains(const std::string& name) const { return m_owner.count(name) != 0; }

const TensorInfo* Checkpoint::find(const std::string& name) const {
    auto it = m_owner.find(name);
    return it == m_owner.end() ? nullptr : m_files[it->second]->find(name);
}

at::Tensor Checkpoint::tensor(const std::string& name) const {
    auto it = m_owner.find(name);
    if (it == m_owner.end()) {
        const std::string where = m_files.size() == 1 ? m_files[0]->path()
                                                      : fs::path(m_files[0]->path()).parent_path().string();
        throw Error(where, "tensor '" + name + "' is not in this checkpoint",
                    "check the tensor name (the checkpoint has " + std::to_string(m_owner.size()) + " tensors)");
    }
    return m_files[it->second]->tensor(name);
}

void Checkpoint::releasePages(const std::string& name) const {
    auto it = m_owner.find(name);
    if (it == m_owner.end()) return;
    const auto& file = m_files[it->second];
    if (const TensorInfo* info = file->find(name)) file->releasePages(*info);
}

uint64_t Checkpoint::totalBytes() const {
    uint64_t total = 0;
    for (const auto& [name, idx] : m_owner) {
        const TensorInfo* t = m_files[idx]->find(name);
        total += t->end - t->begin;
    }
    return total;
}

} // namespace lorastudio

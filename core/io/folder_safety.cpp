// See folder_safety.h. Listing only: no file found here is opened, except config.json and
// tokenizer_config.json, parsed as plain JSON for their auto_map key.
#include "io/folder_safety.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

bool hasPickleExtension(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".bin" || ext == ".pt" || ext == ".pth" || ext == ".ckpt" || ext == ".pkl" || ext == ".pickle";
}

std::string joinNames(const std::vector<std::string>& names) {
    std::string out;
    const std::size_t shown = std::min<std::size_t>(names.size(), 4);
    for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + std::string("'") + names[i] + "'";
    if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
    return out;
}

// auto_map's class references ("configuration_x.XConfig", "repo--modeling_x.XModel"), or nothing.
std::vector<std::string> autoMapEntries(const fs::path& jsonPath) {
    std::ifstream in(jsonPath, std::ios::binary);
    if (!in) return {};
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return {};
    auto it = j.find("auto_map");
    if (it == j.end() || it->is_null()) return {};
    std::vector<std::string> out;
    if (it->is_object())
        for (auto e = it->begin(); e != it->end(); ++e) {
            if (e->is_string()) out.push_back(e->get<std::string>());
            else if (e->is_array())
                for (const auto& s : *e)
                    if (s.is_string()) out.push_back(s.get<std::string>());
        }
    if (out.empty()) out.push_back(it->dump());
    return out;
}

} // namespace

fs::path containmentBound(const fs::path& dir) {
    std::error_code ec;
    const fs::path folder = fs::weakly_canonical(fs::absolute(dir), ec);
    for (fs::path p = folder; p.has_parent_path() && p != p.parent_path(); p = p.parent_path())
        if (p.filename().string().rfind("models--", 0) == 0) return p;
    return folder;
}

bool liesWithin(const fs::path& inner, const fs::path& outer) {
    const fs::path rel = inner.lexically_relative(outer);
    return !rel.empty() && *rel.begin() != "..";
}

std::vector<std::string> folderSafetyWarnings(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    const fs::path folder(dir);

    for (const char* name : {"config.json", "tokenizer_config.json"}) {
        const auto entries = autoMapEntries(folder / name);
        if (!entries.empty())
            out.push_back((folder / name).string() + ": 'auto_map' names custom Python code (" + joinNames(entries) +
                          "); LoRA Studio never imports or runs it (hint: the model is built from this build's own "
                          "architecture table, so a model that needs its own code may not load as intended)");
    }

    std::vector<std::string> pickles, python, outside;
    const fs::path bound = containmentBound(folder);
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path p = it->path();
        const std::string name = p.filename().string();
        if (hasPickleExtension(p)) pickles.push_back(name);
        if (p.extension() == ".py") python.push_back(name);
        if (it->is_symlink(ec)) {
            std::error_code ec2;
            const fs::path target = fs::weakly_canonical(fs::absolute(p), ec2);
            if (!ec2 && !liesWithin(target, bound))
                out.push_back(p.string() + ": is a link to " + target.string() +
                              ", outside the model folder; it is read from there (hint: copy the file into the folder "
                              "if it belongs to this model, or remove the link)");
        }
    }
    std::sort(pickles.begin(), pickles.end());
    std::sort(python.begin(), python.end());
    if (!pickles.empty())
        out.push_back(folder.string() + ": holds pickle file(s) " + joinNames(pickles) +
                      "; they are never opened, since unpickling can run code (hint: only *.safetensors weights are "
                      "read; convert the checkpoint with transformers' save_pretrained(safe_serialization=True))");
    if (!python.empty())
        out.push_back(folder.string() + ": holds Python file(s) " + joinNames(python) +
                      "; they are never run (hint: LoRA Studio reads config.json, *.safetensors and tokenizer files only)");
    return out;
}

} // namespace lorastudio

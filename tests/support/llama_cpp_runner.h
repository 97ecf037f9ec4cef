// Running our GGUF files in the real llama.cpp of the CTest fixture llama_cpp_install
// (tests/llama_cpp/README.md), shared by the GGUF test programs.
#pragma once
#include <nlohmann/json.hpp>

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace llamacpp {
// The node-llama-cpp install: $LORASTUDIO_LLAMA_CPP_NODE, else the build's LORASTUDIO_LLAMA_CPP_NODE_DIR.
QString installDir();
// A fixed prompt of token ids below `vocab`.
std::vector<int64_t> promptFor(int64_t vocab);
// A byte-level BPE tokenizer.json (+ tokenizer_config.json) of exactly `vocab` ids for a fixture model that has none.
void writeSyntheticTokenizer(const std::string& folder, int64_t vocab);
// A copy of a fixture model folder with a tokenizer (GGUF needs one in the file); returns dst.
std::string modelWithTokenizer(const std::string& src, const std::string& dst);
// Runs the jobs ({"jobs": [...]}) with tests/llama_cpp/run_llama_cpp.mjs in `dir`; null with a warning on failure.
nlohmann::json runLlamaCpp(const nlohmann::json& jobs, const std::string& dir);
// A generate job's tokens; empty with a warning when the job failed.
std::vector<int64_t> tokensOf(const nlohmann::json& result);
std::string show(const std::vector<int64_t>& v);
// Largest element-wise difference of two logit rows.
double maxAbsDifference(const nlohmann::json& a, const nlohmann::json& b);
} // namespace llamacpp

// Encode throughput of the native tokenizer (figures only, not a test): loads a tokenizer folder
// (default: the qwen3 fixture) and encodes a few MB made of the fixture corpus repeated, on one
// thread and on several. Usage: bench_tokenizer [tokenizer-folder] [megabytes] [threads]
#include "tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string fixturesDir() {
    if (const char* env = std::getenv("LORASTUDIO_FIXTURES"); env && *env) return env;
    return "../shared/fixtures";
}

} // namespace

int main(int argc, char** argv) {
    const std::string folder = argc > 1 ? argv[1] : fixturesDir() + "/tokenizers/qwen3";
    const double megabytes = argc > 2 ? std::atof(argv[2]) : 4.0;
    const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
    try {
        auto t0 = std::chrono::steady_clock::now();
        const lorastudio::Tokenizer tok = lorastudio::Tokenizer::fromFolder(folder);
        std::printf("load %s: %.2f s (vocab %d)\n", folder.c_str(), secondsSince(t0), tok.vocabSize());

        std::ifstream in(fixturesDir() + "/tokenizers/corpus.json");
        std::stringstream ss;
        ss << in.rdbuf();
        std::vector<std::string> docs;
        std::size_t bytes = 0;
        const auto corpus = nlohmann::json::parse(ss.str());
        while (bytes < megabytes * 1e6)
            for (const auto& t : corpus) {
                docs.push_back(t.get<std::string>());
                bytes += docs.back().size();
            }

        std::size_t tokens = 0;
        t0 = std::chrono::steady_clock::now();
        for (const auto& d : docs) tokens += tok.encode(d, false).size();
        const double s1 = secondsSince(t0);
        std::printf("1 thread : %.1f MB in %.3f s = %.1f MB/s, %.2f M tokens/s (%zu docs, %zu tokens)\n",
                    bytes / 1e6, s1, bytes / 1e6 / s1, tokens / 1e6 / s1, docs.size(), tokens);

        t0 = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        for (int k = 0; k < threads; ++k)
            pool.emplace_back([&, k] {
                for (std::size_t i = static_cast<std::size_t>(k); i < docs.size(); i += static_cast<std::size_t>(threads))
                    tok.encode(docs[i], false);
            });
        for (auto& th : pool) th.join();
        const double sN = secondsSince(t0);
        std::printf("%d threads: %.1f MB in %.3f s = %.1f MB/s\n", threads, bytes / 1e6, sN, bytes / 1e6 / sN);

        // Text the word cache has never seen: every word made unique by a counter.
        std::string fresh;
        for (int i = 0; fresh.size() < 1e6; ++i) fresh += "w" + std::to_string(i * 7919) + "x training data, ";
        t0 = std::chrono::steady_clock::now();
        tokens = tok.encode(fresh, false).size();
        const double sF = secondsSince(t0);
        std::printf("uncached words: %.1f MB in %.3f s = %.1f MB/s\n", fresh.size() / 1e6, sF, fresh.size() / 1e6 / sF);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_tokenizer: %s\n", e.what());
        return 1;
    }
    return 0;
}

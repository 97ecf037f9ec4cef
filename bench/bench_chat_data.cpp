// Loading chat data rendered by the model's own Jinja template against a built-in one: records/s
// of Dataset::load over synthetic conversations. Prints figures; never passes or fails.
// usage: bench_chat_data TOKENIZER_FOLDER [RECORDS=2000] [TURNS=2]
#include "data/dataset.h"
#include "tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace lorastudio;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s TOKENIZER_FOLDER [RECORDS] [TURNS]\n", argv[0]);
        return 2;
    }
    const Tokenizer tokenizer = Tokenizer::fromFolder(argv[1]);
    const int records = argc > 2 ? std::stoi(argv[2]) : 2000;
    const int turns = argc > 3 ? std::stoi(argv[3]) : 2;
    const std::string path = (std::filesystem::temp_directory_path() / "bench_chat_data.jsonl").string();
    {
        std::ofstream out(path);
        for (int i = 0; i < records; ++i) {
            nlohmann::json messages = nlohmann::json::array();
            messages.push_back({{"role", "system"}, {"content", "You are a helpful assistant."}});
            for (int t = 0; t < turns; ++t) {
                messages.push_back({{"role", "user"}, {"content", "Question " + std::to_string(i) + ": how many legs does a duck have, and why?"}});
                messages.push_back({{"role", "assistant"}, {"content", "A duck has two legs; birds walk on two legs and use their wings to fly. " + std::to_string(t)}});
            }
            out << nlohmann::json{{"messages", messages}}.dump() << "\n";
        }
    }
    for (ChatTemplate t : {ChatTemplate::ChatML, ChatTemplate::Model}) {
        if (t == ChatTemplate::Model && tokenizer.chatTemplate().empty()) continue;
        DataSettings s;
        s.path = path;
        s.chatTemplate = t;
        s.maxLength = 4096;
        const auto start = std::chrono::steady_clock::now();
        const Dataset d = Dataset::load(s, tokenizer);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("template %-7s %d records x %d turns: %.2f s, %.0f records/s, %lld tokens, %zu warnings\n",
                    enumName(t).c_str(), records, turns, seconds, records / seconds,
                    static_cast<long long>(d.train().stats().totalTokens), d.warnings().size());
    }
    std::filesystem::remove(path);
    return 0;
}

// `lorastudio-cli tokenize MODEL_DIR [--special] [--decode]`: text on stdin -> JSON ids on stdout,
// or with --decode, JSON ids on stdin -> text.
#include "cli_commands.h"
#include "common/json_file.h"
#include "tokenizer/tokenizer.h"

#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace lorastudio::cli {

void addTokenizeCommand(CLI::App& app) {
    struct Options {
        std::string modelDir;
        bool special = false;
        bool decode = false;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("tokenize", "Read text on stdin, write its token ids as JSON");
    cmd->add_option("MODEL_DIR", opts->modelDir, "Folder with tokenizer.json")->required();
    cmd->add_flag("--special", opts->special, "Add special tokens (e.g. BOS) as the tokenizer config says");
    cmd->add_flag("--decode", opts->decode, "Reverse: read a JSON list of ids on stdin, write the text");
    cmd->callback([opts] {
        const Tokenizer tok = Tokenizer::fromFolder(opts->modelDir);
        std::string input(std::istreambuf_iterator<char>(std::cin), {});
        if (opts->decode) {
            const auto ids = parseJson(input, "stdin").get<std::vector<int32_t>>();
            std::cout << tok.decode(ids, !opts->special);
            return;
        }
        std::cout << nlohmann::json(tok.encode(input, opts->special)).dump() << "\n";
    });
}

} // namespace lorastudio::cli

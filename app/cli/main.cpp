// lorastudio-cli: the headless front end over core. Thin: parse arguments, call core, print.
#include "common/error.h"
#include "lorastudio/version.h"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"LoRA Studio command line"};
    app.set_version_flag("--version", std::string("lorastudio-cli ") + LORASTUDIO_VERSION);
    CLI11_PARSE(app, argc, argv);
    return 0;
}

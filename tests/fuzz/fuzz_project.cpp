// libFuzzer harness: project YAML (core/project). Input: project.yaml text. Parses it; a project that
// parses is written back out and must parse again (projectToYaml's promise).
#include "fuzz_support.h"

#include "project/project_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzz::expectCleanFailure("project YAML", [&] {
        std::vector<lorastudio::Warning> warnings;
        const auto config = lorastudio::parseProject(text, "project.yaml", &warnings);
        for (const auto& w : warnings) (void)w.text();
        const std::string again = lorastudio::projectToYaml(config);
        try {
            lorastudio::parseProject(again, "project.yaml (written back)");
        } catch (const lorastudio::Error& e) {
            std::fprintf(stderr, "FINDING: a parsed project does not parse once written back: %s\n%s\n", e.what(),
                         again.c_str());
            std::abort();
        }
    });
    return 0;
}

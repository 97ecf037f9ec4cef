// libFuzzer harness: the chat-template renderer (core/template). Input: a Jinja template, optionally
// followed by kSplit and a JSON array of messages (else a fixed two-turn conversation). Parses, then
// renders with and without the generation prompt.
#include "fuzz_support.h"

#include "template/compiled_chat_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto parts = fuzz::split(data, size, 2);
    fuzz::expectCleanFailure("chat template", [&] {
        lorastudio::CompiledChatTemplate tpl(parts[0]);
        tpl.setClock([] { return std::tm{}; });
        lorastudio::ChatRenderInput input;
        input.messages = nlohmann::ordered_json::array(
            {{{"role", "system"}, {"content", "Be brief."}},
             {{"role", "user"}, {"content", "Hi <b>there</b>"}},
             {{"role", "assistant"}, {"content", "Hello!"}}});
        if (parts.size() > 1) {
            auto messages = nlohmann::ordered_json::parse(parts[1], nullptr, false);
            if (!messages.is_discarded()) input.messages = std::move(messages);
        }
        input.specialTokens = {{"bos_token", "<s>"}, {"eos_token", "</s>"}};
        tpl.render(input);
        input.addGenerationPrompt = true;
        input.extra = {{"enable_thinking", false}};
        tpl.render(input);
    });
    return 0;
}

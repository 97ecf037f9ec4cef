// Which characters of a rendered conversation belong to the assistant's turns (trained) and which
// are context (not trained), derived from the chat template itself, with no markers: each assistant
// turn is found by rendering the conversation up to it (with the generation prompt) and through it.
#pragma once
#include "template/compiled_chat_template.h"

#include <string>
#include <vector>

namespace lorastudio {

struct TemplatePiece {
    std::string text;
    bool trained = false;
    bool operator==(const TemplatePiece& o) const { return text == o.text && trained == o.trained; }
};

struct CompletionMask {
    std::vector<TemplatePiece> pieces; // concatenated: exactly the full rendering
    bool exact = true;                 // false: some turn was located by the fallback rule (see warnings)
    std::vector<std::string> warnings; // one per turn the fallback rule located, naming the message index
};

enum class MaskFallback {
    Approximate, // locate the turn as described below and add a warning
    Error,       // throw lorastudio::Error instead
};

// The full rendering is render(messages, add_generation_prompt=false). For assistant message i:
//   G = render(messages[:i], add_generation_prompt=true)  (everything before the reply),
//   W = render(messages[:i+1], add_generation_prompt=false) (everything through the reply), less a
//       trailer: text a template writes after the last message only (Phi-3's EOS), i.e. the longest
//       text W, the full rendering and render([]) all end with, looked for only when W is not
//       already a prefix of the full rendering.
// Exact rule: G and W are both prefixes of the full rendering; trained: [|G|, |W|).
// Fallback rule, when that fails (templates that render earlier turns differently from a
// conversation ending there, e.g. reasoning stripped from earlier assistant turns, or a generation
// prompt the rendered history lacks, as DeepSeek-R1's "<think>\n"): trained from where G stops
// agreeing with the full rendering (never before the previous turn's end) through the message's
// content (its first occurrence there) and as much of what follows the content in W as the full
// rendering repeats, or else as far as W agrees with it; a turn without text (an assistant that
// only calls tools) through where the closing bytes of its rendering in W (up to 64: the call's
// end and the turn's end marker) next occur; a turn that comes out empty stays untrained. Each such turn adds a warning naming the message, and `exact` is false; with
// MaskFallback::Error it is an error instead.
// Messages other than role "assistant" are never trained, nor those before message firstTrained
// (context: the shared start of a preference pair). `input.addGenerationPrompt` is ignored.
CompletionMask deriveCompletionMask(const CompiledChatTemplate& tmpl, const ChatRenderInput& input,
                                    MaskFallback fallback = MaskFallback::Approximate, size_t firstTrained = 0);

} // namespace lorastudio

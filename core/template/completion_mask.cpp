// Completion-only masks from prefix renderings of the chat template (see completion_mask.h).
#include "template/completion_mask.h"

#include "common/error.h"

#include <algorithm>

namespace lorastudio {

namespace {

size_t commonPrefix(const std::string& a, const std::string& b) {
    const size_t n = std::min(a.size(), b.size());
    size_t i = 0;
    while (i < n && a[i] == b[i]) ++i;
    return i;
}

// A boundary found by comparing bytes may fall inside a UTF-8 character: move it to the character's start.
size_t charStart(const std::string& s, size_t pos) {
    while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
    return pos;
}

std::string renderPrefix(const CompiledChatTemplate& tmpl, const ChatRenderInput& input, size_t count, bool generationPrompt) {
    ChatRenderInput part = input;
    part.messages = nlohmann::ordered_json::array();
    for (size_t k = 0; k < count; ++k) part.messages.push_back(input.messages[k]);
    part.addGenerationPrompt = generationPrompt;
    return tmpl.render(part);
}

void addPiece(std::vector<TemplatePiece>& pieces, const std::string& text, bool trained) {
    if (text.empty()) return;
    if (!pieces.empty() && pieces.back().trained == trained) pieces.back().text += text;
    else pieces.push_back(TemplatePiece{text, trained});
}

// What the template writes after the last message (Phi-3's EOS), as W ends with it: the longest text
// that W, the full rendering and the rendering of an empty conversation all end with. Only looked for
// when W is not simply a prefix of the full rendering.
size_t trailerLength(const std::string& w, const std::string& full, const std::string& empty) {
    if (full.compare(0, w.size(), w) == 0) return 0;
    size_t n = 0;
    while (n < w.size() && n < full.size() && n < empty.size() && w[w.size() - 1 - n] == full[full.size() - 1 - n] &&
           w[w.size() - 1 - n] == empty[empty.size() - 1 - n])
        ++n;
    while (n > 0 && (static_cast<unsigned char>(w[w.size() - n]) & 0xC0) == 0x80) --n; // whole characters
    return n;
}

// Where the turn's closing text (the last bytes `turn` has: "</tool_call><|im_end|>\n") next occurs
// in `full` from `start`, and its end there; npos when it does not.
size_t closingEnd(const std::string& full, const std::string& turn, size_t start) {
    constexpr size_t kClosing = 64;
    if (turn.empty()) return std::string::npos;
    const size_t from = turn.size() > kClosing ? charStart(turn, turn.size() - kClosing) : 0;
    const std::string closing = turn.substr(from);
    const size_t at = full.find(closing, start);
    return at == std::string::npos ? std::string::npos : at + closing.size();
}

// The fallback's end of a turn that starts at `start` in `full`: past the message's content where
// the full rendering has it, then as far as the text after the content in `body` agrees. A turn
// without text (a tool call) ends where the closing text of its rendering in `body` (`turn`) recurs.
size_t fallbackEnd(const std::string& full, const std::string& body, const std::string& turn, const std::string& content,
                   size_t start) {
    size_t end = charStart(full, commonPrefix(body, full));
    if (content.empty()) {
        const size_t closing = closingEnd(full, turn, start);
        return std::max(start, closing != std::string::npos ? closing : end);
    }
    const size_t at = full.find(content, start);
    const size_t inBody = body.rfind(content);
    if (at == std::string::npos || inBody == std::string::npos) return std::max(start, end);
    const size_t after = at + content.size();
    const std::string tail = body.substr(inBody + content.size());
    return std::max({start, end, charStart(full, after + commonPrefix(tail, full.substr(after)))});
}

} // namespace

CompletionMask deriveCompletionMask(const CompiledChatTemplate& tmpl, const ChatRenderInput& input, MaskFallback fallback,
                                    size_t firstTrained) {
    if (!input.messages.is_array()) throw Error("completion mask", "messages must be a JSON array");
    ChatRenderInput fullInput = input;
    fullInput.addGenerationPrompt = false;
    const std::string full = tmpl.render(fullInput);
    std::string empty; // the rendering of no messages, for the trailer; some templates refuse it
    try {
        empty = renderPrefix(tmpl, input, 0, false);
    } catch (const Error&) {
    }

    CompletionMask mask;
    size_t done = 0; // bytes of `full` already assigned to pieces
    for (size_t i = 0; i < input.messages.size(); ++i) {
        const auto& m = input.messages[i];
        if (i < firstTrained || !m.is_object() || m.value("role", std::string()) != "assistant") continue;
        const std::string before = renderPrefix(tmpl, input, i, true);
        std::string body = i + 1 == input.messages.size() ? full : renderPrefix(tmpl, input, i + 1, false);
        body.resize(body.size() - trailerLength(body, full, empty));
        size_t start = before.size();
        size_t end = body.size();
        const bool exact = start >= done && end >= start && full.compare(0, before.size(), before) == 0 &&
                           full.compare(0, body.size(), body) == 0;
        if (!exact) {
            const std::string what = "assistant message " + std::to_string(i) +
                                     ": the template renders the conversation differently once later messages follow "
                                     "(the rendering up to this turn is not a prefix of the whole)";
            if (fallback == MaskFallback::Error)
                throw Error("completion mask", what, "use MaskFallback::Approximate, or a template that keeps earlier turns as they were");
            start = std::max(done, charStart(full, commonPrefix(before, full)));
            const std::string content = m.contains("content") && m["content"].is_string() ? m["content"].get<std::string>() : "";
            const bool bodyFollowsBefore = body.compare(0, before.size(), before) == 0;
            end = fallbackEnd(full, body, bodyFollowsBefore ? body.substr(before.size()) : std::string(), content, start);
            mask.exact = false;
            mask.warnings.push_back(what + (end > start ? "; trained the " + std::to_string(end - start) +
                                                              " bytes from where the generation prompt stops matching "
                                                              "through the message's content and what follows it in both"
                                                        : "; this turn is left untrained"));
        }
        addPiece(mask.pieces, full.substr(done, start - done), false);
        addPiece(mask.pieces, full.substr(start, end - start), true);
        done = end;
    }
    addPiece(mask.pieces, full.substr(done), false);
    return mask;
}

} // namespace lorastudio

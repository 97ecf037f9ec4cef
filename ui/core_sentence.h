// Core's English sentences (warnings it writes for the CLI) said again in the studio's language:
// each known sentence is a pattern with its variable parts (numbers, names, file:line) captured
// and a text for tr() with %1... for them, in capture order. A sentence no pattern matches, or
// whose text has no translation loaded, stays core's own (its plurals are right in English).
#pragma once
#include <QString>

#include <cstddef>
#include <string>

namespace lorastudio::ui {

struct CoreSentence {
    const char* pattern;  // core's sentence, anchored, its variable parts captured
    const char* text;     // the same sentence for tr() in `context`
};

QString coreSentenceText(const char* context, const CoreSentence* forms, std::size_t count, const std::string& core);
// The index of the form that matches `core`; -1 for none.
int coreSentenceForm(const CoreSentence* forms, std::size_t count, const std::string& core);

template <std::size_t N>
QString coreSentenceText(const char* context, const CoreSentence (&forms)[N], const std::string& core) {
    return coreSentenceText(context, forms, N, core);
}

} // namespace lorastudio::ui

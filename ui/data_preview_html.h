// The Data page's preview of tokenized examples as HTML: masked runs in the disabled text colour,
// trained runs in the normal text colour on a faint highlight (colours from the palette, so they
// read in light and dark themes); a preference pair shows both sequences under their labels.
#pragma once
#include "data/example_set.h"

#include <QPalette>
#include <QString>

namespace lorastudio::ui {

QString maskedColor(const QPalette& palette);
QString trainedBackground(const QPalette& palette);
// One example: "file:line · N tokens, M trained" (and where it was cut), then its text.
QString exampleHtml(const PreviewExample& example, const QPalette& palette);

} // namespace lorastudio::ui

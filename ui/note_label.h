// The amber note a panel shows under its controls when a setting is off ("Cannot start: ...",
// "r = 200 exceeds min(in, out) ..."): wrapped, hidden until there is something to say.
#pragma once
#include <QLabel>

namespace lorastudio::ui {

inline QLabel* makeNoteLabel(const QString& objectName) {
    auto* label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("QLabel { color: #a15c00; }"));
    label->hide();
    return label;
}

} // namespace lorastudio::ui

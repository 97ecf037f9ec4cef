// docs/errors.md read by the GUI tests: each case's id, exit status, message and hint, as the
// catalogue lists them ('…' standing for text that varies).
#pragma once
#include "ui_test_support.h"

#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <vector>

namespace lorastudio::ui::test {

struct CatalogueCase {
    QString id;
    int exit = -1;
    QString message;
    QString hint;  // "none" when the case has no hint

    // The error as core composes it: "message (hint: hint)".
    QString coreText() const { return hint == QLatin1String("none") ? message : message + QStringLiteral(" (hint: ") + hint + QLatin1Char(')'); }
};

// Every "### `id`" section of docs/errors.md with its Exit, Message and Hint lines.
inline std::vector<CatalogueCase> catalogueCases() {
    std::vector<CatalogueCase> cases;
    QFile doc(sourcePath(QStringLiteral("docs/errors.md")));
    if (!doc.open(QIODevice::ReadOnly)) return cases;
    const QRegularExpression ticked(QStringLiteral("^[^`]*`(.*)`[^`]*$"));
    const QRegularExpression heading(QStringLiteral("^### `([^`]+)`"));
    for (const QString& line : QString::fromUtf8(doc.readAll()).split(QLatin1Char('\n'))) {
        if (const auto h = heading.match(line); h.hasMatch()) {
            cases.push_back({h.captured(1), -1, {}, {}});
        } else if (cases.empty()) {
            continue;
        } else if (line.startsWith(QLatin1String("- **Exit:**"))) {
            cases.back().exit = line.mid(11).trimmed().toInt();
        } else if (line.startsWith(QLatin1String("- **Message:**"))) {
            cases.back().message = ticked.match(line).captured(1);
        } else if (line.startsWith(QLatin1String("- **Hint:**"))) {
            cases.back().hint = line.contains(QLatin1Char('`')) ? ticked.match(line).captured(1) : QStringLiteral("none");
        }
    }
    return cases;
}

inline CatalogueCase catalogueCase(const QString& id) {
    for (const CatalogueCase& c : catalogueCases())
        if (c.id == id) return c;
    return {};
}

} // namespace lorastudio::ui::test

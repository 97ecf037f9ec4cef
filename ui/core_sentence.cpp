// See core_sentence.h.
#include "core_sentence.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <utility>

namespace lorastudio::ui {

namespace {

// The first form that matches, with its match; -1 for none.
std::pair<int, QRegularExpressionMatch> firstMatch(const CoreSentence* forms, std::size_t count, const QString& core) {
    for (std::size_t f = 0; f < count; ++f) {
        QRegularExpressionMatch m = QRegularExpression(QString::fromLatin1(forms[f].pattern)).match(core);
        if (m.hasMatch()) return {int(f), m};
    }
    return {-1, QRegularExpressionMatch()};
}

} // namespace

int coreSentenceForm(const CoreSentence* forms, std::size_t count, const std::string& coreText) {
    return firstMatch(forms, count, QString::fromStdString(coreText)).first;
}

QString coreSentenceText(const char* context, const CoreSentence* forms, std::size_t count, const std::string& coreText) {
    const QString core = QString::fromStdString(coreText);
    const auto [f, m] = firstMatch(forms, count, core);
    if (f < 0) return core;
    const QString translated = QCoreApplication::translate(context, forms[f].text);
    if (translated == QLatin1String(forms[f].text)) return core;  // no translation: core's own words (its plurals)
    QString out = translated;
    for (int i = 1; i <= m.lastCapturedIndex(); ++i) out = out.arg(m.captured(i));
    return out;
}

} // namespace lorastudio::ui

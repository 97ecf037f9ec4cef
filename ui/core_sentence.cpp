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

// `text` with each %N replaced by capture N, in one pass: a captured path or name that holds "%2"
// stays as it is (QString::arg, applied capture by capture, would fill that in again).
QString withCaptures(const QString& text, const QRegularExpressionMatch& m) {
    QString out;
    out.reserve(text.size() + 64);
    auto digit = [&](int k) { return k < text.size() && text[k].isDigit() ? text[k].digitValue() : -1; };
    for (int i = 0; i < text.size(); ++i) {
        // %N or %NN, the longer where it names a capture ("%12" with one capture is "%1" then "2").
        const int one = digit(i + 1), two = one >= 0 && digit(i + 2) >= 0 ? one * 10 + digit(i + 2) : -1;
        const int n = two >= 1 && two <= m.lastCapturedIndex() ? two : one;
        if (text[i] == QLatin1Char('%') && n >= 1 && n <= m.lastCapturedIndex()) {
            out += m.captured(n);
            i += n == two ? 2 : 1;
        } else {
            out += text[i];
        }
    }
    return out;
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
    if (translated == QString::fromUtf8(forms[f].text)) return core;  // no translation: core's own words (its plurals)
    return withCaptures(translated, m);
}

} // namespace lorastudio::ui

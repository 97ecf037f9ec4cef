// See core_sentence.h.
#include "core_sentence.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace lorastudio::ui {

namespace {

QRegularExpressionMatch matchForm(const CoreSentence& form, const QString& core) {
    return QRegularExpression(QString::fromLatin1(form.pattern)).match(core);
}

} // namespace

int coreSentenceForm(const CoreSentence* forms, std::size_t count, const std::string& coreText) {
    const QString core = QString::fromStdString(coreText);
    for (std::size_t f = 0; f < count; ++f)
        if (matchForm(forms[f], core).hasMatch()) return int(f);
    return -1;
}

QString coreSentenceText(const char* context, const CoreSentence* forms, std::size_t count, const std::string& coreText) {
    const int f = coreSentenceForm(forms, count, coreText);
    const QString core = QString::fromStdString(coreText);
    if (f < 0) return core;
    const QString translated = QCoreApplication::translate(context, forms[f].text);
    if (translated == QLatin1String(forms[f].text)) return core;  // no translation: core's own words (its plurals)
    const QRegularExpressionMatch m = matchForm(forms[f], core);
    QString out = translated;
    for (int i = 1; i <= m.lastCapturedIndex(); ++i) out = out.arg(m.captured(i));
    return out;
}

} // namespace lorastudio::ui

// Out-of-range input reported, not clamped (see checked_spin_box.h).
#include "checked_spin_box.h"

#include <QLocale>
#include <QToolTip>

namespace lorastudio::ui {

namespace {

enum class Typed { Blank, NotANumber, Number };

// The number typed into a spin box, without prefix, suffix and group separators.
template <typename Box> Typed typedNumber(const Box* box, const QString& input, double* value) {
    QString text = input;
    if (!box->prefix().isEmpty() && text.startsWith(box->prefix())) text.remove(0, box->prefix().size());
    if (!box->suffix().isEmpty() && text.endsWith(box->suffix())) text.chop(box->suffix().size());
    text = text.trimmed();
    text.remove(box->locale().groupSeparator());
    if (text.isEmpty() || text == QLatin1String("-") || text == QLatin1String("+")) return Typed::Blank;
    bool ok = false;
    *value = box->locale().toDouble(text, &ok);
    return ok ? Typed::Number : Typed::NotANumber;
}

// While typing, a number out of range is Intermediate (kept, not refused key by key); `base`, the
// box's own validator, judges everything else.
template <typename Box, typename Base>
QValidator::State checkedState(const Box* box, QString& input, int& pos, const Base& base) {
    double value = 0;
    switch (typedNumber(box, input, &value)) {
    case Typed::Blank: return QValidator::Intermediate;
    case Typed::Number:
        if (value < box->minimum() || value > box->maximum()) return QValidator::Intermediate;
        [[fallthrough]];
    default: return base(input, pos);
    }
}

// When editing ends on a number outside the box's range: the message is kept in `last`, shown at
// the field and sent as outOfRange(); the text goes back to the box's value either way.
template <typename Box>
void restoreReporting(Box* box, QString& input, const QString& minimum, const QString& maximum, const QString& kept,
                      QString& last) {
    double value = 0;
    if (typedNumber(box, input, &value) == Typed::Number && (value < box->minimum() || value > box->maximum())) {
        QString typed = input;
        typed.remove(box->prefix()).remove(box->suffix());
        last = outOfRangeMessage(typed.trimmed(), minimum, maximum, kept, value > box->maximum());
        if (box->isVisible()) QToolTip::showText(box->mapToGlobal(QPoint(0, box->height())), last, box);
        Q_EMIT box->outOfRange(last);
    }
    input = kept;
}

} // namespace

QString outOfRangeMessage(const QString& typed, const QString& minimum, const QString& maximum, const QString& kept, bool above) {
    return above ? CheckedSpinBox::tr("%1 is above the largest value here, %2: kept %3").arg(typed, maximum, kept)
                 : CheckedSpinBox::tr("%1 is below the smallest value here, %2: kept %3").arg(typed, minimum, kept);
}

QValidator::State CheckedSpinBox::validate(QString& input, int& pos) const {
    return checkedState(this, input, pos, [this](QString& i, int& p) { return QSpinBox::validate(i, p); });
}

void CheckedSpinBox::fixup(QString& input) const {
    restoreReporting(const_cast<CheckedSpinBox*>(this), input, locale().toString(minimum()), locale().toString(maximum()),
                     textFromValue(value()), m_lastRejection);
}

QValidator::State CheckedDoubleSpinBox::validate(QString& input, int& pos) const {
    return checkedState(this, input, pos, [this](QString& i, int& p) { return QDoubleSpinBox::validate(i, p); });
}

void CheckedDoubleSpinBox::fixup(QString& input) const {
    restoreReporting(const_cast<CheckedDoubleSpinBox*>(this), input, locale().toString(minimum(), 'g', 6),
                     locale().toString(maximum(), 'g', 6), textFromValue(value()), m_lastRejection);
}

} // namespace lorastudio::ui

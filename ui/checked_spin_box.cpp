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

// Whether the typed text is a number outside the box's range: then the message is kept, shown at
// the field and returned.
template <typename Box>
QString rejection(Box* box, const QString& input, const QString& minimum, const QString& maximum, const QString& kept) {
    double value = 0;
    if (typedNumber(box, input, &value) != Typed::Number || (value >= box->minimum() && value <= box->maximum())) return {};
    QString typed = input;
    typed.remove(box->prefix()).remove(box->suffix());
    const QString message = outOfRangeMessage(typed.trimmed(), minimum, maximum, kept, value > box->maximum());
    if (box->isVisible()) QToolTip::showText(box->mapToGlobal(QPoint(0, box->height())), message, box);
    return message;
}

} // namespace

QString outOfRangeMessage(const QString& typed, const QString& minimum, const QString& maximum, const QString& kept, bool above) {
    return above ? CheckedSpinBox::tr("%1 is above the largest value here, %2: kept %3").arg(typed, maximum, kept)
                 : CheckedSpinBox::tr("%1 is below the smallest value here, %2: kept %3").arg(typed, minimum, kept);
}

// While typing, a number out of range is Intermediate (kept, not refused key by key); the base
// class judges everything else.
QValidator::State CheckedSpinBox::validate(QString& input, int& pos) const {
    double value = 0;
    switch (typedNumber(this, input, &value)) {
    case Typed::Blank: return QValidator::Intermediate;
    case Typed::Number:
        if (value < minimum() || value > maximum()) return QValidator::Intermediate;
        [[fallthrough]];
    default: return QSpinBox::validate(input, pos);
    }
}

void CheckedSpinBox::fixup(QString& input) const {
    auto* self = const_cast<CheckedSpinBox*>(this);
    const QString message = rejection(self, input, locale().toString(minimum()), locale().toString(maximum()), textFromValue(value()));
    if (!message.isEmpty()) {
        m_lastRejection = message;
        Q_EMIT self->outOfRange(message);
    }
    input = textFromValue(value());
}

QValidator::State CheckedDoubleSpinBox::validate(QString& input, int& pos) const {
    double value = 0;
    switch (typedNumber(this, input, &value)) {
    case Typed::Blank: return QValidator::Intermediate;
    case Typed::Number:
        if (value < minimum() || value > maximum()) return QValidator::Intermediate;
        [[fallthrough]];
    default: return QDoubleSpinBox::validate(input, pos);
    }
}

void CheckedDoubleSpinBox::fixup(QString& input) const {
    auto* self = const_cast<CheckedDoubleSpinBox*>(this);
    const QString message = rejection(self, input, locale().toString(minimum(), 'g', 6), locale().toString(maximum(), 'g', 6),
                                      textFromValue(value()));
    if (!message.isEmpty()) {
        m_lastRejection = message;
        Q_EMIT self->outOfRange(message);
    }
    input = textFromValue(value());
}

} // namespace lorastudio::ui

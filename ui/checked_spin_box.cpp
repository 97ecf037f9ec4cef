// Out-of-range input reported, not clamped (see checked_spin_box.h).
#include "checked_spin_box.h"

#include <QLocale>
#include <QToolTip>

namespace lorastudio::ui {

namespace {

// The number in a spin box's text without prefix, suffix and group separators.
QString bareNumber(const QAbstractSpinBox* box, QString text, const QString& prefix, const QString& suffix) {
    if (!prefix.isEmpty() && text.startsWith(prefix)) text.remove(0, prefix.size());
    if (!suffix.isEmpty() && text.endsWith(suffix)) text.chop(suffix.size());
    text = text.trimmed();
    text.remove(box->locale().groupSeparator());
    return text;
}

void tell(QAbstractSpinBox* box, const QString& message) {
    if (box->isVisible()) QToolTip::showText(box->mapToGlobal(QPoint(0, box->height())), message, box);
}

} // namespace

QString outOfRangeMessage(const QString& typed, const QString& minimum, const QString& maximum, const QString& kept, bool above) {
    return above ? CheckedSpinBox::tr("%1 is above the largest value here, %2: kept %3").arg(typed, maximum, kept)
                 : CheckedSpinBox::tr("%1 is below the smallest value here, %2: kept %3").arg(typed, minimum, kept);
}

QValidator::State CheckedSpinBox::validate(QString& input, int& pos) const {
    const QString number = bareNumber(this, input, prefix(), suffix());
    if (number.isEmpty() || number == QLatin1String("-") || number == QLatin1String("+")) return QValidator::Intermediate;
    bool ok = false;
    const qlonglong value = locale().toLongLong(number, &ok);
    if (!ok) return QSpinBox::validate(input, pos);
    return value >= minimum() && value <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void CheckedSpinBox::fixup(QString& input) const {
    const QString number = bareNumber(this, input, prefix(), suffix());
    bool ok = false;
    const qlonglong value = locale().toLongLong(number, &ok);
    if (ok && (value < minimum() || value > maximum())) {
        m_lastRejection = outOfRangeMessage(number, locale().toString(minimum()), locale().toString(maximum()),
                                            locale().toString(this->value()), value > maximum());
        auto* self = const_cast<CheckedSpinBox*>(this);
        tell(self, m_lastRejection);
        Q_EMIT self->outOfRange(m_lastRejection);
    }
    input = textFromValue(this->value());
}

QValidator::State CheckedDoubleSpinBox::validate(QString& input, int& pos) const {
    const QString number = bareNumber(this, input, prefix(), suffix());
    if (number.isEmpty() || number == QLatin1String("-") || number == QLatin1String("+")) return QValidator::Intermediate;
    bool ok = false;
    const double value = locale().toDouble(number, &ok);
    if (!ok) return QDoubleSpinBox::validate(input, pos);
    if (value >= minimum() && value <= maximum()) return QDoubleSpinBox::validate(input, pos);
    return QValidator::Intermediate;
}

void CheckedDoubleSpinBox::fixup(QString& input) const {
    const QString number = bareNumber(this, input, prefix(), suffix());
    bool ok = false;
    const double value = locale().toDouble(number, &ok);
    if (ok && (value < minimum() || value > maximum())) {
        m_lastRejection = outOfRangeMessage(number, locale().toString(minimum(), 'g', 6), locale().toString(maximum(), 'g', 6),
                                            textFromValue(this->value()), value > maximum());
        auto* self = const_cast<CheckedDoubleSpinBox*>(this);
        tell(self, m_lastRejection);
        Q_EMIT self->outOfRange(m_lastRejection);
    }
    input = textFromValue(this->value());
}

} // namespace lorastudio::ui

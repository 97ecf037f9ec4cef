// Spin boxes that report an out-of-range value instead of clamping it in silence. A plain
// QSpinBox refuses the keystroke that would leave its range (100000 in a box up to 4096 stays
// 10000... then 1000) and turns 0 back into the minimum without a word. These accept any number
// while typing; when editing ends with one outside the range, the box keeps its last good value
// and says why, in a tooltip at the field and in outOfRange() (the window's status bar shows it).
// A typed number takes effect when editing ends (Enter, Tab, focus out), not digit by digit.
#pragma once
#include <QDoubleSpinBox>
#include <QSpinBox>

namespace lorastudio::ui {

class CheckedSpinBox : public QSpinBox {
    Q_OBJECT
public:
    explicit CheckedSpinBox(QWidget* parent = nullptr) : QSpinBox(parent) { setKeyboardTracking(false); }
    QString lastRejection() const { return m_lastRejection; }

Q_SIGNALS:
    void outOfRange(const QString& message);

protected:
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;

private:
    mutable QString m_lastRejection;
};

class CheckedDoubleSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit CheckedDoubleSpinBox(QWidget* parent = nullptr) : QDoubleSpinBox(parent) { setKeyboardTracking(false); }
    QString lastRejection() const { return m_lastRejection; }

Q_SIGNALS:
    void outOfRange(const QString& message);

protected:
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;

private:
    mutable QString m_lastRejection;
};

// The message both boxes give: "100000 is above the largest value here, 4096: kept 8".
QString outOfRangeMessage(const QString& typed, const QString& minimum, const QString& maximum, const QString& kept, bool above);

} // namespace lorastudio::ui

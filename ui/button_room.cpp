// Minimum widths for push buttons from their texts (see button_room.h).
#include "button_room.h"

#include <QPushButton>
#include <QStyle>

namespace lorastudio::ui {

int buttonTextRoom(const QPushButton* button) {
    QString text = button->text();
    for (int i = 0; i < text.size(); ++i)  // "&x" is a mnemonic, "&&" a literal '&'
        if (text[i] == QLatin1Char('&')) text.remove(i, 1);
    const QStyle* style = button->style();
    int room = button->fontMetrics().horizontalAdvance(text) + 2 * style->pixelMetric(QStyle::PM_ButtonMargin, nullptr, button) +
               2 * style->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, button);
    if (button->menu()) room += style->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, button);
    if (!button->icon().isNull()) room += button->iconSize().width() + 4;
    return room;
}

void giveButtonsRoom(QWidget* root) {
    for (QPushButton* button : root->findChildren<QPushButton*>())
        if (!button->text().isEmpty()) button->setMinimumWidth(std::max(button->minimumWidth(), buttonTextRoom(button)));
}

} // namespace lorastudio::ui

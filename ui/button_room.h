// Buttons that never cut their text: QPushButton::sizeHint() leaves about 5 px beside the text,
// which some styles (Fusion under Xvfb, zh_CN fonts) need more of, so "Attention q, v" showed as
// "Attention q, ". giveButtonsRoom() raises each push button's minimum width to its text plus the
// style's full button margin and frame on both sides.
#pragma once

class QPushButton;
class QWidget;

namespace lorastudio::ui {

int buttonTextRoom(const QPushButton* button);
void giveButtonsRoom(QWidget* root);  // every QPushButton below root, as their texts are now

} // namespace lorastudio::ui

// The studio's appearance: the system's style and palette, or a light or dark palette on Qt's
// Fusion style (the same on every platform). Chosen in Preferences, kept in QSettings, applied at
// once and at every start. Charts and labels take their colours from the palette.
#pragma once
#include <QString>

namespace lorastudio::ui {

enum class Theme { System, Light, Dark };

extern const char* const kThemeKey;  // "ui/theme": "system", "light" or "dark"

Theme savedTheme();
void saveTheme(Theme theme);
QString themeName(Theme theme);      // the settings value
// Applies a theme to the running application (call after QApplication exists).
void applyTheme(Theme theme);

} // namespace lorastudio::ui

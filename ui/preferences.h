// Preferences: the interface language (system, English, Simplified Chinese; applied at the next
// start), the appearance (system, light, dark; applied at once, see theme.h) and the autosave
// interval, kept in QSettings; plus loading the translations at startup.
#pragma once
#include <QDialog>
#include <QString>

class QApplication;
class QComboBox;
class QSpinBox;

namespace lorastudio::ui {

// QSettings keys.
extern const char* const kLanguageKey;        // "" = follow the system locale, or "en", "zh_CN"
extern const char* const kAutosaveSecondsKey; // seconds between autosaves

// The language to use: the setting, else the system locale's if a translation exists, else "en".
QString chosenLanguage();
// Installs LoRA Studio's (embedded) and Qt's own translators for chosenLanguage(). Call after
// QApplication exists and before any window is built. Returns the language used.
QString installTranslations(QApplication& app);
int autosaveSeconds();

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget* parent = nullptr);
    void accept() override; // stores the settings

private:
    QComboBox* m_language = nullptr;
    QComboBox* m_theme = nullptr;
    QSpinBox* m_autosave = nullptr;
};

} // namespace lorastudio::ui

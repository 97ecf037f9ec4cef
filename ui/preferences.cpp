// Preferences dialog and the startup language selection.
#include "preferences.h"

#include "theme.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QSpinBox>
#include <QTranslator>
#include <QVBoxLayout>

namespace lorastudio::ui {

const char* const kLanguageKey = "ui/language";
const char* const kAutosaveSecondsKey = "ui/autosaveSeconds";

namespace {

const QStringList& availableLanguages() {
    static const QStringList languages = {QStringLiteral("en"), QStringLiteral("zh_CN")};
    return languages;
}

} // namespace

QString chosenLanguage() {
    const QString setting = QSettings().value(QLatin1String(kLanguageKey)).toString();
    if (availableLanguages().contains(setting)) return setting;
    const QLocale system;
    for (const QString& ui : system.uiLanguages()) {
        QString name = ui;
        name.replace(QLatin1Char('-'), QLatin1Char('_'));
        if (name.startsWith(QLatin1String("zh")) &&
            !name.contains(QLatin1String("Hant")) && !name.contains(QLatin1String("TW")) &&
            !name.contains(QLatin1String("HK")))
            return QStringLiteral("zh_CN");
        if (name.startsWith(QLatin1String("en"))) return QStringLiteral("en");
    }
    return QStringLiteral("en");
}

QString installTranslations(QApplication& app) {
    const QString language = chosenLanguage();
    auto* own = new QTranslator(&app);
    if (own->load(QStringLiteral(":/i18n/lorastudio_%1.qm").arg(language))) app.installTranslator(own);
    auto* qt = new QTranslator(&app);
    if (qt->load(QStringLiteral("qtbase_%1").arg(language), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    QLocale::setDefault(QLocale(language));
    return language;
}

int autosaveSeconds() { return QSettings().value(QLatin1String(kAutosaveSecondsKey), 30).toInt(); }

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Preferences"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_language = new QComboBox;
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    const QString current = QSettings().value(QLatin1String(kLanguageKey)).toString();
    m_language->setCurrentIndex(std::max(0, m_language->findData(current)));
    form->addRow(tr("Language:"), m_language);
    auto* note = new QLabel(tr("A new language takes effect the next time LoRA Studio starts."));
    note->setWordWrap(true);
    form->addRow(QString(), note);
    m_theme = new QComboBox;
    m_theme->setObjectName(QStringLiteral("preferencesTheme"));
    m_theme->addItem(tr("System"), themeName(Theme::System));
    m_theme->addItem(tr("Light"), themeName(Theme::Light));
    m_theme->addItem(tr("Dark"), themeName(Theme::Dark));
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(themeName(savedTheme()))));
    form->addRow(tr("Appearance:"), m_theme);
    m_autosave = new QSpinBox;
    m_autosave->setRange(5, 3600);
    m_autosave->setSuffix(tr(" s"));
    m_autosave->setValue(autosaveSeconds());
    m_autosave->setToolTip(tr("How often unsaved changes are copied aside for recovery after a crash."));
    form->addRow(tr("Autosave every:"), m_autosave);
    layout->addLayout(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    layout->addWidget(buttons);
}

void PreferencesDialog::accept() {
    QSettings settings;
    settings.setValue(QLatin1String(kLanguageKey), m_language->currentData().toString());
    settings.setValue(QLatin1String(kAutosaveSecondsKey), m_autosave->value());
    const Theme theme = m_theme->currentIndex() == 2 ? Theme::Dark : m_theme->currentIndex() == 1 ? Theme::Light : Theme::System;
    if (theme != savedTheme()) {
        saveTheme(theme);
        applyTheme(theme);
    }
    QDialog::accept();
}

} // namespace lorastudio::ui

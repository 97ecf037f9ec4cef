// Light and dark palettes on Fusion, or the system's own look (see theme.h).
#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace lorastudio::ui {

const char* const kThemeKey = "ui/theme";

namespace {

// What the application looked like before any theme was applied: "System" goes back to it.
struct SystemLook {
    QString style;
    QPalette palette;
};
SystemLook& systemLook() {
    static SystemLook look{QApplication::style() ? QApplication::style()->name() : QString(), QApplication::palette()};
    return look;
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b), text(0xe6, 0xe6, 0xe6), disabled(0x8a, 0x8a, 0x8a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x48, 0x48, 0x48));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x40, 0x40));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::PlaceholderText, disabled);
    for (const auto role : {QPalette::Text, QPalette::WindowText, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

} // namespace

Theme savedTheme() {
    const QString name = QSettings().value(QLatin1String(kThemeKey)).toString();
    if (name == QLatin1String("dark")) return Theme::Dark;
    if (name == QLatin1String("light")) return Theme::Light;
    return Theme::System;
}

QString themeName(Theme theme) {
    switch (theme) {
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::Light: return QStringLiteral("light");
    default: return QStringLiteral("system");
    }
}

void saveTheme(Theme theme) { QSettings().setValue(QLatin1String(kThemeKey), themeName(theme)); }

void applyTheme(Theme theme) {
    const SystemLook& system = systemLook();  // captured before the first change
    if (theme == Theme::System) {
        if (QStyle* style = QStyleFactory::create(system.style)) QApplication::setStyle(style);
        QApplication::setPalette(system.palette);
        return;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette() : QApplication::style()->standardPalette());
}

} // namespace lorastudio::ui

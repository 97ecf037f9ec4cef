// Number formatting for the panels (see ui_format.h).
#include "ui_format.h"

#include <QLocale>

namespace lorastudio::ui {

QString formatBytes(double bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024.0 && unit < 4) {
        bytes /= 1024.0;
        ++unit;
    }
    const QLocale locale;
    return (unit == 0 ? locale.toString(qint64(bytes)) : locale.toString(bytes, 'f', bytes < 10 ? 2 : 1)) +
           QLatin1Char(' ') + QLatin1String(units[unit]);
}

QString formatParameterCount(qint64 count) {
    const QLocale locale;
    if (count >= 1000000000LL) return locale.toString(double(count) / 1e9, 'f', 2) + QStringLiteral(" B");
    if (count >= 1000000LL) return locale.toString(double(count) / 1e6, 'f', 1) + QStringLiteral(" M");
    return locale.toString(count);
}

QString formatInteger(qint64 value) { return QLocale().toString(value); }

} // namespace lorastudio::ui

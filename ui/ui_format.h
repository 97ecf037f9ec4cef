// Number formatting shared by the panels: byte sizes, parameter counts, thousands separators,
// in the user's locale (so 简体中文 and English both read naturally).
#pragma once
#include <QString>

namespace lorastudio::ui {

// 3560360 -> "3.4 MiB"
QString formatBytes(double bytes);
// 124439808 -> "124.4 M", 1100048384 -> "1.1 B", 2048 -> "2,048"
QString formatParameterCount(qint64 count);
// 1234567 -> "1,234,567" (locale separators)
QString formatInteger(qint64 value);

} // namespace lorastudio::ui

// Includes qcustomplot.h in a QT_NO_KEYWORDS build: the header writes `signals:` and `foreach`,
// so both are defined to their Q_ forms for its duration only.
#pragma once
#include <QtGlobal>

#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef foreach
#else
#include <qcustomplot.h>
#endif

namespace lorastudio::ui {

// Plot colours that keep their contrast on both light and dark window backgrounds (mid
// saturation and lightness; from the Tableau 10 set).
QColor plotColor(int index);
// Sets the plot's background, axes, grid and legend from the widget palette.
void stylePlot(QCustomPlot* plot, const QPalette& palette);

} // namespace lorastudio::ui

// See data_preview_html.h.
#include "data_preview_html.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace lorastudio::ui {

QString maskedColor(const QPalette& palette) { return palette.color(QPalette::Disabled, QPalette::Text).name(); }
QString trainedBackground(const QPalette& palette) {
    const QColor c = palette.color(QPalette::Highlight);
    return QStringLiteral("rgba(%1,%2,%3,0.22)").arg(c.red()).arg(c.green()).arg(c.blue());
}

namespace {

// Runs of tokens as HTML; adds their tokens and trained tokens to total and trained.
QString segmentsHtml(const std::vector<PreviewSegment>& segments, const QPalette& palette, int& total, int& trained) {
    const QString masked = maskedColor(palette);
    const QString trainedBgCss = trainedBackground(palette);
    QString body;
    for (const PreviewSegment& s : segments) {
        total += s.tokens;
        if (s.trained) trained += s.tokens;
        const QString text = QString::fromStdString(s.text).toHtmlEscaped();
        body += s.trained ? QStringLiteral("<span style=\"background-color:%1\">%2</span>").arg(trainedBgCss, text)
                          : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(masked, text);
    }
    return QStringLiteral("<p style=\"white-space:pre-wrap; font-family:monospace; margin-top:0\">%1</p>").arg(body);
}

} // namespace

// A preference pair shows both sequences, each under its label.
QString exampleHtml(const PreviewExample& example, const QPalette& palette) {
    int total = 0, trained = 0;
    QString body;
    if (example.rejectedSegments.empty()) {
        body = segmentsHtml(example.segments, palette, total, trained);
    } else {
        const QString label = QStringLiteral("<p style=\"margin:0\"><i>%1</i></p>");
        body = label.arg(QCoreApplication::translate("DataPanel", "chosen").toHtmlEscaped()) +
               segmentsHtml(example.segments, palette, total, trained) +
               label.arg(QCoreApplication::translate("DataPanel", "rejected").toHtmlEscaped()) +
               segmentsHtml(example.rejectedSegments, palette, total, trained);
    }
    QString header = QCoreApplication::translate("DataPanel", "%1:%2 · %3 tokens, %4 trained")
                         .arg(QFileInfo(QString::fromStdString(example.path)).fileName())
                         .arg(example.line)
                         .arg(total)
                         .arg(trained);
    if (example.truncated) header += QCoreApplication::translate("DataPanel", " · cut from %1 tokens").arg(example.fullLength);
    return QStringLiteral("<p style=\"margin-bottom:2px\"><b>%1</b></p>%2").arg(header.toHtmlEscaped(), body);
}

} // namespace lorastudio::ui

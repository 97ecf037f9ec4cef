// effectiveOutputDir: core's resolved output_dir when it is writable, else a per-user fallback.
#include "output_location.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace lorastudio::ui {

namespace {

// True when `folder` exists and is writable, or could be created: its nearest existing ancestor
// is a writable folder.
bool canWriteTo(const QString& folder) {
    QFileInfo info(folder);
    while (!info.exists()) {
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath()) return false;
        info = QFileInfo(parent);
    }
    return info.isDir() && info.isWritable();
}

} // namespace

OutputLocation effectiveOutputDir(const ProjectConfig& config, const QString& projectName) {
    OutputLocation out;
    const QString resolved = QDir::cleanPath(QString::fromStdString(resolvedOutputDir(config)));
    const QString absolute = QFileInfo(resolved).absoluteFilePath();
    if (canWriteTo(absolute)) {
        out.path = absolute;
        return out;
    }
    QString tail = QString::fromStdString(config.outputDir);
    if (QDir::isAbsolutePath(tail) || tail.startsWith(QLatin1Char('~')) || tail.contains(QLatin1String("..")))
        tail = QFileInfo(absolute).fileName();
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs/") +
                         (projectName.isEmpty() ? QStringLiteral("untitled") : projectName);
    out.path = QDir::cleanPath(base + QLatin1Char('/') + tail);
    out.redirected = true;
    return out;
}

} // namespace lorastudio::ui

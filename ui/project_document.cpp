// ProjectDocument: loading, saving and editing the open project through core/project, with the
// modified state derived from a comparison against the last saved config.
#include "project_document.h"

#include "common/error.h"
#include "project/project_file.h"

#include <QDir>
#include <QFileInfo>

namespace lorastudio::ui {

namespace {

bool isHomeRelative(const std::string& p) { return p == "~" || p.rfind("~/", 0) == 0; }

// A relative input path written for `oldDir`, rewritten so it names the same file from `newDir`.
std::string rebase(const std::string& written, const QString& oldDir, const QString& newDir) {
    if (written.empty() || isHomeRelative(written) || QDir::isAbsolutePath(QString::fromStdString(written)))
        return written;
    const QString absolute = QDir(oldDir).absoluteFilePath(QString::fromStdString(written));
    return QDir::cleanPath(QDir(newDir).relativeFilePath(absolute)).toStdString();
}

} // namespace

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent), m_config(defaultProject()), m_saved(m_config) {}

QString ProjectDocument::displayName() const {
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

void ProjectDocument::edit(Part part, const std::function<void(ProjectConfig&)>& apply) {
    ProjectConfig next = m_config;
    apply(next);
    if (next == m_config) return;
    m_config = std::move(next);
    Q_EMIT changed(part);
    updateModified();
}

void ProjectDocument::newProject() {
    m_config = defaultProject();
    setSaved(m_config, QString());
    Q_EMIT replaced();
}

bool ProjectDocument::load(const QString& path, QString* error, QStringList* warnings) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    try {
        std::vector<Warning> found;
        ProjectConfig loaded = loadProject(absolute.toStdString(), &found);
        if (warnings)
            for (const auto& w : found) warnings->append(QString::fromStdString(w.text()));
        m_config = loaded;
        setSaved(loaded, absolute);
        Q_EMIT replaced();
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool ProjectDocument::save(const QString& path, QString* error) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString newDir = QFileInfo(absolute).absolutePath();
    ProjectConfig toSave = m_config;
    const QString oldDir = m_config.projectDir.empty() ? QDir::currentPath() : QString::fromStdString(m_config.projectDir);
    if (QDir(oldDir) != QDir(newDir)) {
        toSave.baseModel = rebase(toSave.baseModel, oldDir, newDir);
        toSave.data.path = rebase(toSave.data.path, oldDir, newDir);
        toSave.data.validationPath = rebase(toSave.data.validationPath, oldDir, newDir);
    }
    toSave.projectDir = newDir.toStdString();
    try {
        saveProject(toSave, absolute.toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    const bool pathsMoved = !(toSave == m_config);
    m_config = toSave;
    setSaved(toSave, absolute);
    if (pathsMoved) Q_EMIT changed(Part::All);
    return true;
}

void ProjectDocument::restore(const ProjectConfig& config, const QString& filePath) {
    ProjectConfig saved = defaultProject();
    if (!filePath.isEmpty()) {
        try {
            saved = loadProject(filePath.toStdString());
        } catch (const std::exception&) {
            // The original is gone or broken: everything recovered counts as unsaved.
        }
    }
    m_config = config;
    m_config.projectDir = filePath.isEmpty() ? std::string() : QFileInfo(filePath).absolutePath().toStdString();
    setSaved(saved, filePath);
    Q_EMIT replaced();
}

std::string ProjectDocument::pathForProject(const QString& absolutePath) const {
    const QString cleaned = QDir::cleanPath(absolutePath);
    if (!m_config.projectDir.empty()) {
        const QDir projectDir(QString::fromStdString(m_config.projectDir));
        const QString relative = projectDir.relativeFilePath(cleaned);
        if (!relative.startsWith(QLatin1String("..")) && !QDir::isAbsolutePath(relative))
            return relative.toStdString();
    }
    return cleaned.toStdString();
}

QString ProjectDocument::resolvedBaseModel() const {
    return QString::fromStdString(lorastudio::resolvedBaseModel(m_config));
}

QString ProjectDocument::resolvedDataPath() const {
    return QString::fromStdString(lorastudio::resolvedDataPath(m_config));
}

void ProjectDocument::setSaved(const ProjectConfig& saved, const QString& path) {
    m_saved = saved;
    const bool pathChanged = path != m_filePath;
    m_filePath = path;
    if (pathChanged) Q_EMIT filePathChanged(path);
    updateModified();
}

void ProjectDocument::updateModified() {
    const bool modified = !(m_config == m_saved);
    if (modified == m_modified) return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

} // namespace lorastudio::ui

// ProjectDocument: loading, saving and editing the open project through core/project, with the
// modified state derived from a comparison against the last saved config.
#include "project_document.h"

#include "common/error.h"
#include "error_text.h"
#include "project/project_carry.h"
#include "project/project_file.h"
#include "open_warning_text.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QUndoStack>

#include <sstream>

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

QString partName(ProjectDocument::Part part) {
    switch (part) {
    case ProjectDocument::Part::BaseModel: return ProjectDocument::tr("base model");
    case ProjectDocument::Part::Lora: return ProjectDocument::tr("adapter settings");
    case ProjectDocument::Part::Data: return ProjectDocument::tr("data settings");
    case ProjectDocument::Part::Training: return ProjectDocument::tr("run settings");
    case ProjectDocument::Part::Output: return ProjectDocument::tr("output folder");
    default: return ProjectDocument::tr("project");
    }
}

constexpr qint64 kMergeWithinMs = 1200;  // edits of one part closer than this are one undo step

} // namespace

// One edit: the config before and after. Consecutive edits of the same part within
// kMergeWithinMs merge (a number typed digit by digit is undone at once).
class EditCommand : public QUndoCommand {
public:
    EditCommand(ProjectDocument* document, ProjectDocument::Part part, ProjectConfig before, ProjectConfig after)
        : m_document(document), m_part(part), m_before(std::move(before)), m_after(std::move(after)) {
        setText(ProjectDocument::tr("change to the %1").arg(partName(part)));
        m_clock.start();
    }
    int id() const override { return 1000 + int(m_part); }
    bool mergeWith(const QUndoCommand* other) override {
        const auto* next = static_cast<const EditCommand*>(other);
        if (m_clock.elapsed() > kMergeWithinMs) return false;
        m_after = next->m_after;
        m_clock.restart();
        setObsolete(m_after == m_before);  // typed back to where it was: no step at all
        return true;
    }
    void redo() override { m_document->apply(m_after, m_part); }
    void undo() override { m_document->apply(m_before, m_part); }

private:
    ProjectDocument* m_document;
    ProjectDocument::Part m_part;
    ProjectConfig m_before, m_after;
    QElapsedTimer m_clock;
};

ProjectDocument::ProjectDocument(QObject* parent)
    : QObject(parent), m_config(defaultProject()), m_saved(m_config), m_undo(new QUndoStack(this)) {}

QString ProjectDocument::displayName() const {
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

void ProjectDocument::edit(Part part, const std::function<void(ProjectConfig&)>& change) {
    ProjectConfig next = m_config;
    change(next);
    if (next == m_config) return;
    m_undo->push(new EditCommand(this, part, m_config, std::move(next)));  // push() applies it
}

void ProjectDocument::apply(const ProjectConfig& config, Part part) {
    if (config == m_config) return;
    m_config = config;
    Q_EMIT changed(part);
    updateModified();
}

void ProjectDocument::newProject() {
    m_undo->clear();
    m_sourceText.clear();
    m_corrections.clear();
    m_config = defaultProject();
    setSaved(m_config, QString());
    Q_EMIT replaced();
}

bool ProjectDocument::load(const QString& path, QString* error, QStringList* warnings) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    try {
        std::vector<Warning> found;
        std::string text;
        ProjectConfig loaded = loadProject(absolute.toStdString(), &found, &text);
        if (warnings)
            for (const auto& w : found) warnings->append(projectWarningText(w));
        m_sourceText = std::move(text);
        m_corrections.clear();
        for (const Warning& w : found) {
            // Only a rename within the key's own section can be applied in place.
            const auto dot = w.key.rfind('.');
            const std::string section = dot == std::string::npos ? std::string() : w.key.substr(0, dot);
            const std::string wrong = dot == std::string::npos ? w.key : w.key.substr(dot + 1);
            if (w.suggestion.empty() || w.suggestion.find('.') != std::string::npos || w.line <= 0) continue;
            m_corrections.push_back({w.line, w.column, w.key, section, wrong, w.suggestion});
        }
        m_undo->clear();
        m_config = loaded;
        setSaved(loaded, absolute);
        Q_EMIT replaced();
        return true;
    } catch (const std::exception& e) {
        if (error) *error = errorText(e);
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
        const CarriedText carried = saveProjectKeeping(toSave, absolute.toStdString(), m_sourceText);
        m_sourceText = carried.text;
        m_keptKeys.clear();
        for (const std::string& k : carried.keptKeys) m_keptKeys << QString::fromStdString(k);
    } catch (const std::exception& e) {
        if (error) *error = errorText(e);
        return false;
    }
    m_corrections.clear();  // what is left unknown is kept as written
    const bool pathsMoved = !(toSave == m_config);
    m_config = toSave;
    setSaved(toSave, absolute);
    if (pathsMoved) {
        m_undo->clear();  // earlier steps hold paths relative to the old folder
        Q_EMIT changed(Part::All);
    }
    return true;
}

void ProjectDocument::restore(const ProjectConfig& config, const QString& filePath) {
    ProjectConfig saved = defaultProject();
    std::string text;
    if (!filePath.isEmpty()) {
        try {
            saved = loadProject(filePath.toStdString(), nullptr, &text);
        } catch (const std::exception&) {
            // The original is gone or broken: everything recovered counts as unsaved.
        }
    }
    m_undo->clear();
    m_sourceText = std::move(text);
    m_corrections.clear();
    m_config = config;
    m_config.projectDir = filePath.isEmpty() ? std::string() : QFileInfo(filePath).absolutePath().toStdString();
    setSaved(saved, filePath);
    Q_EMIT replaced();
}

QStringList ProjectDocument::commentsSavingWouldLose() const {
    QStringList lost;
    for (const std::string& c : projectToYamlKeeping(m_config, m_sourceText).lostComments) lost << QString::fromStdString(c);
    return lost;
}

QStringList ProjectDocument::corrections() const {
    QStringList list;
    for (const Correction& c : m_corrections) {
        const std::string right = c.section.empty() ? c.right : c.section + "." + c.right;
        list << QStringLiteral("%1 → %2").arg(QString::fromStdString(c.key), QString::fromStdString(right));
    }
    return list;
}

int ProjectDocument::applyCorrections(QString* error) {
    // Split into lines, rename each key where the warning found it, join again.
    std::vector<std::string> lines;
    {
        std::istringstream in(m_sourceText);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
    }
    int applied = 0;
    for (const Correction& c : m_corrections) {
        if (c.line > int(lines.size())) continue;
        std::string& line = lines[std::size_t(c.line - 1)];
        const std::size_t at = std::size_t(std::max(0, c.column - 1));
        if (line.compare(at, c.wrong.size(), c.wrong) != 0) continue;  // the text is not what was read
        line.replace(at, c.wrong.size(), c.right);
        ++applied;
    }
    if (applied == 0) return 0;
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    try {
        ProjectConfig corrected = parseProject(text, m_filePath.toStdString());
        corrected.projectDir = m_config.projectDir;
        m_sourceText = text;
        m_corrections.clear();
        edit(Part::All, [&](ProjectConfig& c) { c = corrected; });
    } catch (const std::exception& e) {
        if (error) *error = errorText(e);
        return 0;
    }
    return applied;
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

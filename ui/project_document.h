// ProjectDocument: the open project (a ProjectConfig), where it lives on disk and whether it has
// unsaved changes. Every panel edits the project through edit(), which emits changed(part); the
// document is modified exactly when its config differs from what was last loaded or saved.
// Every edit is one step on the document's undo stack (quick edits of the same part, as typing
// in a field makes them, merge into one); undoing or redoing emits changed(part) like an edit.
#pragma once
#include "project/project_config.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QUndoStack;

namespace lorastudio::ui {

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    // Which part of the project an edit touched, so panels refresh only what depends on it.
    enum class Part { BaseModel = 1, Lora = 2, Data = 4, Training = 8, Output = 16, All = 31 };

    explicit ProjectDocument(QObject* parent = nullptr);

    const ProjectConfig& config() const { return m_config; }
    // Absolute path of project.yaml; empty for a project never saved.
    QString filePath() const { return m_filePath; }
    // "demo.yaml", or "Untitled" for a new project.
    QString displayName() const;
    bool isModified() const { return m_modified; }

    // Changes the config through `apply` and emits changed(part) (and modifiedChanged when the
    // modified state flips). No signal when `apply` leaves the config as it was.
    void edit(Part part, const std::function<void(ProjectConfig&)>& apply);

    // The edits since the project was opened (or made new): Edit > Undo / Redo.
    QUndoStack* undoStack() const { return m_undo; }

    // A new project with every default and no base model.
    void newProject();
    // Loads project.yaml; on failure returns false with a message naming file, line and key and
    // leaves the document as it was. Unknown keys come back in `warnings` ("file:line: ...").
    bool load(const QString& path, QString* error, QStringList* warnings = nullptr);
    // Validates and writes atomically. Saving to another folder rewrites relative input paths
    // (base_model, data) so they still point at the same files; output_dir stays as written.
    // Keys the studio does not know and the user's comments in the opened file are kept (see
    // core/project/project_carry.h); keptKeys() says which keys were.
    bool save(const QString& path, QString* error);
    QStringList keptKeys() const { return m_keptKeys; }
    // The user's comments that saving now could not place (their key is gone): the window asks first.
    QStringList commentsSavingWouldLose() const;

    // Misspelled keys of the opened file that have a correction in the same section
    // ("training.lr_sheduler → training.schedule"), and applying them: the file's text is
    // corrected and read again (one undoable edit). Returns how many were applied.
    QStringList corrections() const;
    int applyCorrections(QString* error);
    // A recovered (autosaved) config for `filePath` (may be empty): shown as modified.
    void restore(const ProjectConfig& config, const QString& filePath);

    // The text to store for a path the user picked: relative to the project's folder when the
    // file lies inside it, absolute otherwise.
    std::string pathForProject(const QString& absolutePath) const;
    // base_model / data path of the config, resolved against the project's folder.
    QString resolvedBaseModel() const;
    QString resolvedDataPath() const;

Q_SIGNALS:
    // The whole project was replaced (new, open, recovery).
    void replaced();
    // One part changed through edit().
    void changed(lorastudio::ui::ProjectDocument::Part part);
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);

private:
    friend class EditCommand;
    void apply(const ProjectConfig& config, Part part);  // undo / redo: no new stack entry
    void setSaved(const ProjectConfig& saved, const QString& path);
    void updateModified();

    struct Correction {
        int line = 0, column = 0;   // 1-based, of the misspelled key
        std::string key, section, wrong, right;
    };
    ProjectConfig m_config;
    std::string m_sourceText;          // the opened (or last saved) file's text: what saving keeps from
    std::vector<Correction> m_corrections;
    QStringList m_keptKeys;
    ProjectConfig m_saved; // as last loaded or saved: modified = config != saved
    QString m_filePath;
    bool m_modified = false;
    QUndoStack* m_undo;
};

} // namespace lorastudio::ui

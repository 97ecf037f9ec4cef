// Autosave for crash recovery: while the project has unsaved changes, its YAML is written every
// few seconds to AppDataLocation/autosave/<session>.yaml (first line: which project it belongs to),
// guarded by a lock file held while this process runs. A file whose lock is stale (its process
// died) is offered for recovery on the next start; saving or closing cleanly removes it.
#pragma once
#include "project/project_config.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QLockFile;
class QTimer;

namespace lorastudio::ui {

class ProjectDocument;

struct RecoverableProject {
    QString autosavePath;  // the autosave file
    QString originalPath;  // the project.yaml it belongs to; empty for an untitled project
    QDateTime savedAt;
};

class Autosave : public QObject {
    Q_OBJECT
public:
    Autosave(ProjectDocument* document, QObject* parent = nullptr);
    ~Autosave() override; // removes this session's file (a clean exit has nothing to recover)

    static QString folder();
    // Autosave files of sessions that ended without cleaning up, newest first.
    static QList<RecoverableProject> recoverable();
    // Reads one back; false with `error` set when it no longer parses.
    static bool read(const RecoverableProject& project, ProjectConfig& config, QString* error);
    static void remove(const RecoverableProject& project);

    void setIntervalSeconds(int seconds);
    // Writes the autosave file now when the project has unsaved changes, else removes it.
    void saveNow();
    QString filePath() const { return m_path; }

private:
    void discard();

    ProjectDocument* m_document;
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
    QTimer* m_timer;
};

} // namespace lorastudio::ui

// ModelContext: the inspected base model of the open project, shared by the panels. It re-reads
// the folder when the project's base_model changes and tells the panels through modelChanged().
#pragma once
#include "model_info.h"

#include <QObject>
#include <QString>

namespace lorastudio::ui {

class ProjectDocument;

class ModelContext : public QObject {
    Q_OBJECT
public:
    explicit ModelContext(ProjectDocument* document, QObject* parent = nullptr);

    bool hasModel() const { return m_hasModel; }
    const ModelInfo& info() const { return m_info; }  // valid when hasModel()
    QString folder() const { return m_folder; }       // resolved base_model ("" when none)
    QString error() const { return m_error; }         // why the folder could not be read

    // Reads the folder again (e.g. after the files changed on disk).
    void reload();

Q_SIGNALS:
    void modelChanged();

private:
    void follow(); // re-inspects when the resolved base model differs from the current one

    ProjectDocument* m_document;
    ModelInfo m_info;
    bool m_hasModel = false;
    QString m_folder;
    QString m_error;
};

} // namespace lorastudio::ui

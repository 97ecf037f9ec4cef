// ModelContext: follows the project's base_model and inspects it through core (model_info.h).
#include "model_context.h"

#include "error_text.h"
#include "project_document.h"

namespace lorastudio::ui {

ModelContext::ModelContext(ProjectDocument* document, QObject* parent) : QObject(parent), m_document(document) {
    connect(document, &ProjectDocument::replaced, this, &ModelContext::follow);
    connect(document, &ProjectDocument::changed, this, [this](ProjectDocument::Part part) {
        if (int(part) & int(ProjectDocument::Part::BaseModel)) follow();
    });
    follow();
}

void ModelContext::follow() {
    const QString folder = m_document->config().baseModel.empty() ? QString() : m_document->resolvedBaseModel();
    if (folder == m_folder && (m_hasModel || !m_error.isEmpty() || folder.isEmpty())) return;
    m_folder = folder;
    reload();
}

void ModelContext::reload() {
    m_hasModel = false;
    m_error.clear();
    m_info = ModelInfo{};
    if (!m_folder.isEmpty()) {
        try {
            m_info = inspectModel(m_folder.toStdString());
            m_hasModel = true;
        } catch (const std::exception& e) {
            m_error = errorText(e);
        }
    }
    Q_EMIT modelChanged();
}

} // namespace lorastudio::ui

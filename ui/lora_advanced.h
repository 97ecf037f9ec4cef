// LoraAdvancedEditor: the LoRA keys most runs leave alone — exclude_modules, modules_to_save,
// rank_pattern and alpha_pattern — with a message per bad regex or value. A valid edit is written
// at once; an invalid one is shown and leaves the project as it was.
#pragma once
#include "project/project_config.h"

#include <QStringList>
#include <QWidget>

#include <string>
#include <utility>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace lorastudio::ui {

class PatternTable;
class ProjectDocument;

class LoraAdvancedEditor : public QWidget {
    Q_OBJECT
public:
    explicit LoraAdvancedEditor(ProjectDocument* document, QWidget* parent = nullptr);

    QLineEdit* excludeEdit() const { return m_exclude; }
    QCheckBox* excludeRegexBox() const { return m_excludeRegex; }
    QLineEdit* modulesToSaveEdit() const { return m_modulesToSave; }
    PatternTable* rankTable() const { return m_rank; }
    PatternTable* alphaTable() const { return m_alpha; }
    QLabel* errorLabel() const { return m_error; }

    // Controls from the project. force: also fields whose project value did not change (a new
    // project); otherwise a half-typed field survives edits of other keys.
    void refresh(bool force);

private:
    enum Field { Exclude, ModulesToSave, RankPattern, AlphaPattern, FieldCount };
    void excludeEdited();
    void modulesToSaveEdited();
    void rankEdited();
    void alphaEdited();
    void setError(Field field, const QString& message);

    ProjectDocument* m_document;
    QLineEdit* m_exclude = nullptr;
    QCheckBox* m_excludeRegex = nullptr;
    QLineEdit* m_modulesToSave = nullptr;
    PatternTable* m_rank = nullptr;
    PatternTable* m_alpha = nullptr;
    QLabel* m_error = nullptr;
    QStringList m_errors;
    // What the controls show, so a refresh leaves fields alone whose project value did not change.
    ModuleSelection m_shownExclude;
    std::vector<std::string> m_shownModulesToSave;
    std::vector<std::pair<std::string, int>> m_shownRank;
    std::vector<std::pair<std::string, double>> m_shownAlpha;
};

} // namespace lorastudio::ui

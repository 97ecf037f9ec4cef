// Warnings on opening a model folder (core/io/folder_safety.cpp: auto_map code, pickle and Python
// files, links out of the folder) or a project file (core/project: unknown keys, no version) in the
// studio's language, their paths, names and file:line:column kept (ui/core_sentence.h).
// test_open_warning_text makes core write each one and checks both languages.
#pragma once
#include <QString>

#include <string>

namespace lorastudio {
struct Warning;
}

namespace lorastudio::ui {

QString folderWarningText(const std::string& coreWarning);
// "file:line:col: message (did you mean 'x'?)" as Warning::text() writes it, in the studio's language.
QString projectWarningText(const Warning& warning);

// Which known sentence it is (0 .. count - 1), -1 for none: for the test that has core write each.
int folderWarningForm(const std::string& coreWarning);
int folderWarningFormCount();
int projectWarningForm(const std::string& message);
int projectWarningFormCount();

} // namespace lorastudio::ui

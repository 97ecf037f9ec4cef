// The Data page's warnings in the studio's language. Core writes them in English for the CLI
// (core/data: dataset.cpp, chat_template.cpp); each known sentence is said again through tr()
// with its numbers, names and file:line kept (ui/core_sentence.h). test_data_warning_text makes
// core produce each one and checks both languages.
#pragma once
#include <QString>

#include <string>

namespace lorastudio::ui {

QString dataWarningText(const std::string& coreWarning);
// Which of the known sentences it is (0 .. dataWarningFormCount() - 1); -1 for none.
int dataWarningForm(const std::string& coreWarning);
int dataWarningFormCount();

} // namespace lorastudio::ui

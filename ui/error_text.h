// Core's errors (lorastudio::Error: "<where>: <what> (hint: <hint>)") in the studio's language: the
// message and the hint are each matched against the sentences of docs/errors.md's catalogue
// (ui/core_sentence.h) and said again through tr(), their paths, names, numbers and line:column kept.
// What a parser says in its own words (nlohmann-json, yaml-cpp, the Jinja parser) stays as it said it;
// a sentence no form matches stays core's own. test_error_text checks every case of the catalogue.
#pragma once
#include <QString>

#include <exception>
#include <string>

namespace lorastudio::ui {

QString errorText(const std::string& coreError);
QString errorText(const std::exception& e);

// Which known message / hint it is (0 .. count - 1), -1 for none: for the test.
int errorMessageForm(const std::string& message);
int errorMessageFormCount();
int errorHintForm(const std::string& hint);
int errorHintFormCount();

// The hint alone in the studio's language (ui/error_hint_text.cpp); core's words where none matches.
QString errorHintText(const std::string& hint);

} // namespace lorastudio::ui

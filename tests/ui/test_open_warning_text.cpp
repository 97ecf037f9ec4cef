// Warnings on opening a model folder or a project in the studio's language (ui/open_warning_text.h):
// core is made to write each (a folder with auto_map code, pickle and Python files and a link out of
// it; a project with a misspelled key and no version); with no translation, or the English one, the
// studio shows core's sentence word for word (a project warning as Warning::text() writes it); in
// zh_CN every one is Chinese and keeps its paths, names, keys and line:column.
#include "io/folder_safety.h"
#include "project/project_file.h"

#include "open_warning_text.h"
#include "ui_test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <set>

using namespace lorastudio;
using namespace lorastudio::ui;
namespace fs = std::filesystem;

namespace {

// A model folder holding everything folderSafetyWarnings speaks of; `outside` holds the link's target.
std::vector<std::string> folderWarnings(const std::string& folder, const std::string& outside) {
    fs::create_directories(folder);
    std::ofstream(folder + "/config.json") << R"({"model_type": "x", "auto_map": {"AutoModelForCausalLM": "modeling_x.XModel"}})";
    std::ofstream(folder + "/pytorch_model.bin") << "not opened";
    std::ofstream(folder + "/modeling_x.py") << "# never run\n";
    std::ofstream(outside + "/model.safetensors") << "elsewhere";
    fs::create_symlink(outside + "/model.safetensors", folder + "/model.safetensors");
    return folderSafetyWarnings(folder);
}

std::vector<Warning> projectWarnings() {
    std::vector<Warning> warnings;
    parseProject("base_model: m\ntraining:\n  lr_sheduler: cosine\n", "project.yaml", &warnings);
    return warnings;
}

} // namespace

class TestOpenWarningText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void englishIsCoresText_data() { test::addEnglishRows(); }

    void englishIsCoresText() {
        QFETCH(QString, qm);
        const test::ScopedTranslator translator(qm);
        QVERIFY(translator.loaded());
        QTemporaryDir scratch, outside;
        for (const std::string& w : folderWarnings(scratch.path().toStdString() + "/model", outside.path().toStdString()))
            QCOMPARE(folderWarningText(w), QString::fromStdString(w));
        for (const Warning& w : projectWarnings()) QCOMPARE(projectWarningText(w), QString::fromStdString(w.text()));
    }

    void chineseForEverySentence() {
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(translator.loaded());
        QTemporaryDir scratch, outside;
        const auto folder = folderWarnings(scratch.path().toStdString() + "/model", outside.path().toStdString());
        std::set<int> forms;
        for (const std::string& w : folder) {
            forms.insert(folderWarningForm(w));
            test::verifyChineseKeeps(folderWarningText(w), w, QStringLiteral("[^ (:;,]+/[^ (:;,]+|'[\\w.]+'"));
            if (QTest::currentTestFailed()) return;
        }
        QVERIFY(!forms.count(-1));
        QCOMPARE(int(forms.size()), folderWarningFormCount());

        const auto project = projectWarnings();
        std::set<int> messages;
        bool suggested = false;
        for (const Warning& w : project) {
            messages.insert(projectWarningForm(w.message));
            suggested = suggested || !w.suggestion.empty();
            test::verifyChineseKeeps(projectWarningText(w), w.text(), QStringLiteral("project\\.yaml:\\d+:\\d+|'[\\w.]+'"));
            if (QTest::currentTestFailed()) return;
        }
        QVERIFY(suggested);  // "(did you mean 'schedule'?)" said in Chinese, the key kept
        QVERIFY(!messages.count(-1));
        QCOMPARE(int(messages.size()), projectWarningFormCount());
    }
};

QTEST_MAIN(TestOpenWarningText)
#include "test_open_warning_text.moc"

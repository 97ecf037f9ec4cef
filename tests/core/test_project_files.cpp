// Writing and finding project files (core/project): saving keeps the unknown keys and comments
// of the file it replaces, saves are atomic (no temporaries left, an invalid or unwritable save
// keeps the original), relative paths resolve against the project's folder, a missing file is named.
#include "common/error.h"
#include "project/project_carry.h"
#include "project/project_file.h"
#include "project_test_helpers.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <cstdlib>
#include <filesystem>
#include <regex>
#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace lorastudio;
using namespace projecttest;
using testsupport::errorOf;
namespace fs = std::filesystem;

class TestProjectFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Saving keeps what the user wrote: a file the studio wrote comes back byte for byte; in a
    // hand-written one, unknown keys stay in their section and the user's comments stay by their keys.
    void savingKeepsUnknownKeysAndComments() {
        const ProjectConfig rich = richProject();
        const std::string own = projectToYaml(rich);
        const CarriedText same = projectToYamlKeeping(rich, own);
        QCOMPARE(q(same.text), q(own));
        QVERIFY(same.keptKeys.empty());
        QCOMPARE(same.keptComments, 0);

        const std::string mine = "# My experiment: rank sweep, see notes.md\n"
                                 "version: 1\n"
                                 "base_model: m\n"
                                 "wandb:\n"
                                 "  project: sweep   # lost: inside a kept unknown block\n"
                                 "lora:\n"
                                 "  # the rank we sweep\n"
                                 "  r: 4\n"
                                 "  future_option: [1, 2]\n"
                                 "training:\n"
                                 "  lr: 3e-4   # from the paper\n"
                                 "  my_note: \"keep me\"\n"
                                 "# trailing thoughts\n";
        std::vector<Warning> warnings;
        ProjectConfig c = parseProject(mine, "mine.yaml", &warnings);
        QCOMPARE(int(warnings.size()), 3);
        c.lora.r = 8;  // an edit in the studio
        const CarriedText kept = projectToYamlKeeping(c, mine);
        const QString text = q(kept.text);
        // Unknown keys: kept, in their sections, and they read back as the same warnings.
        QCOMPARE(int(kept.keptKeys.size()), 3);
        QVERIFY(text.contains("  my_note: keep me") || text.contains("  my_note: \"keep me\""));
        QVERIFY(text.contains("  future_option: [1, 2]"));
        QVERIFY(text.contains("wandb:\n  project: sweep"));
        std::vector<Warning> again;
        const ProjectConfig reread = parseProject(kept.text, "mine.yaml", &again);
        QCOMPARE(int(again.size()), 3);
        QCOMPARE(reread.lora.r, 8);
        QCOMPARE(reread.training.lr, 3e-4);
        // Comments by their keys: above r, after lr (in place of the studio's note), the header and the end.
        QVERIFY(text.contains("  # the rank we sweep\n  r: 8"));
        QVERIFY2(std::regex_search(kept.text, std::regex("\n  lr: [0-9.e-]+ +# from the paper\n")), kept.text.c_str());
        QVERIFY(text.startsWith("# LoRA Studio project") || text.contains("# My experiment: rank sweep, see notes.md\nversion: 1"));
        QVERIFY(text.contains("# My experiment: rank sweep, see notes.md"));
        QVERIFY(text.endsWith("# trailing thoughts\n"));
        QCOMPARE(kept.keptComments, 4);
        // The one comment inside a carried unknown block cannot be kept, and is said to be lost.
        QCOMPARE(int(kept.lostComments.size()), 1);
        QCOMPARE(q(kept.lostComments[0]), QString("# lost: inside a kept unknown block"));
        // Saving the kept text again changes nothing more.
        QCOMPARE(q(projectToYamlKeeping(reread, kept.text).text), text);
    }

    void saveLeavesNoTemporaryFiles() {
        const std::string dir = testsupport::makeTempDir("project-save");
        ProjectConfig c = defaultProject();
        c.baseModel = "m";
        saveProject(c, dir + "/p.yaml");
        c.lora.r = 32;
        saveProject(c, dir + "/p.yaml"); // replaces
        QCOMPARE(int(listDir(dir).size()), 1);
        QCOMPARE(loadProject(dir + "/p.yaml").lora.r, 32);
    }

    void saveInvalidProjectRefusesAndKeepsFile() {
        const std::string dir = testsupport::makeTempDir("project-invalid");
        testsupport::writeFile(dir + "/p.yaml", "original");
        ProjectConfig c = defaultProject();
        c.baseModel = "m";
        c.training.lr = -1;
        const std::string message = errorOf([&] { saveProject(c, dir + "/p.yaml"); });
        QVERIFY2(message.find("training.lr: must be > 0") != std::string::npos, message.c_str());
        QVERIFY(message.find(dir + "/p.yaml") != std::string::npos);
        QCOMPARE(q(testsupport::readFile(dir + "/p.yaml")), QString("original"));
    }

    void saveIntoMissingFolderFails() {
        const std::string dir = testsupport::makeTempDir("project-missing");
        ProjectConfig c = defaultProject();
        c.baseModel = "m";
        const std::string target = dir + "/no/such/folder/p.yaml";
        const std::string message = errorOf([&] { saveProject(c, target); });
        QVERIFY2(message.find(target) != std::string::npos, message.c_str());
        QVERIFY(!fs::exists(dir + "/no"));
        QCOMPARE(int(listDir(dir).size()), 0);
    }

    void failedRenameKeepsOriginalAndCleansUp() {
        // The target is a non-empty folder, so the final rename fails after the temporary is written.
        const std::string dir = testsupport::makeTempDir("project-rename");
        fs::create_directories(dir + "/p.yaml");
        testsupport::writeFile(dir + "/p.yaml/keep", "x");
        ProjectConfig c = defaultProject();
        c.baseModel = "m";
        QVERIFY(!errorOf([&] { saveProject(c, dir + "/p.yaml"); }).empty());
        QCOMPARE(int(listDir(dir).size()), 1);
        QCOMPARE(q(testsupport::readFile(dir + "/p.yaml/keep")), QString("x"));
    }

    void saveIntoReadOnlyFolderKeepsOriginal() {
        const std::string dir = testsupport::makeTempDir("project-readonly");
        ProjectConfig c = defaultProject();
        c.baseModel = "m";
        saveProject(c, dir + "/p.yaml");
        const std::string before = testsupport::readFile(dir + "/p.yaml");
#ifdef _WIN32
        QSKIP("POSIX folder permissions: Windows has no read-only folder mode");
#else
        ::chmod(dir.c_str(), 0555);
        const bool stillWritable = ::access(dir.c_str(), W_OK) == 0; // root ignores the mode
        std::string message;
        if (!stillWritable) {
            c.lora.r = 64;
            message = errorOf([&] { saveProject(c, dir + "/p.yaml"); });
        }
        ::chmod(dir.c_str(), 0755);
        if (stillWritable) QSKIP("running as root: a read-only folder is still writable");
        QVERIFY2(message.find("p.yaml") != std::string::npos, message.c_str());
        QCOMPARE(q(testsupport::readFile(dir + "/p.yaml")), q(before));
        QCOMPARE(int(listDir(dir).size()), 1);
#endif
    }

    void relativePathsResolveAgainstProjectFolder() {
        const std::string dir = testsupport::makeTempDir("project-paths");
        fs::create_directories(dir + "/proj");
        testsupport::writeFile(dir + "/proj/p.yaml", "version: 1\nbase_model: ../models/tiny\noutput_dir: runs/a\n"
                                                     "data:\n  path: /abs/train.jsonl\n  validation: val.jsonl\n");
        const ProjectConfig c = loadProject(dir + "/proj/p.yaml");
        QCOMPARE(q(c.baseModel), QString("../models/tiny")); // the text is kept
        QCOMPARE(q(resolvedBaseModel(c)), q((fs::path(dir) / "models/tiny").lexically_normal().string()));
        QCOMPARE(q(resolvedOutputDir(c)), q((fs::path(dir) / "proj/runs/a").string()));
        QCOMPARE(q(resolvedDataPath(c)), QString("/abs/train.jsonl"));
        QCOMPARE(q(resolvedValidationPath(c)), q((fs::path(dir) / "proj/val.jsonl").string()));
        // Saving elsewhere keeps the relative text.
        saveProject(c, dir + "/copy.yaml");
        QVERIFY(testsupport::readFile(dir + "/copy.yaml").find("base_model: '../models/tiny'") != std::string::npos);
        // "~/" expands to $HOME; no project folder means the current folder.
        ProjectConfig h = defaultProject();
        const char* home = std::getenv("HOME");
        if (home && *home)
            QCOMPARE(q(resolveProjectPath(h, "~/models/x")), q((fs::path(home) / "models/x").lexically_normal().string()));
        QCOMPARE(q(resolveProjectPath(h, "models/./x")), QString("models/x"));
        QCOMPARE(q(resolveProjectPath(h, "")), QString());
    }

    void loadMissingFileNamesIt() {
        const std::string message = errorOf([] { loadProject("/nonexistent/dir/p.yaml"); });
        QVERIFY2(message.find("/nonexistent/dir/p.yaml: cannot open") == 0, message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestProjectFiles)
#include "test_project_files.moc"

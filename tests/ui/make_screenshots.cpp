// Not a test: renders the studio on the demo project and saves a PNG of each panel (and of the data
// panel's tabs, Run settings, About, the advisor, a regex in the modules panel, the Playground and
// the Merge & export dialog after a short real run, the dark palette) for docs/screenshots.
// Run under Xvfb so fonts match a real screen:
//   xvfb-run -a -s "-screen 0 1400x900x24" ./build/tests/make_screenshots resources/demo/demo.yaml docs/screenshots
#include "about_dialog.h"
#include "data_panel.h"
#include "estimate/memory_estimate.h"
#include "estimate_view.h"
#include "export_dialog.h"
#include "lora_panel.h"
#include "main_window.h"
#include "modules_panel.h"
#include "playground_panel.h"
#include "preferences.h"
#include "project_document.h"
#include "training_controller.h"
#include "training_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

void settle(int ms = 300) { QTest::qWait(ms); }

bool save(QWidget* widget, const QString& path) {
    QImage image = widget->grab().toImage();
    if (image.width() > 900) image = image.scaledToWidth(900, Qt::SmoothTransformation);
    const bool ok = image.save(path);
    qInfo("%s %s", qPrintable(path), ok ? "written" : "FAILED");
    return ok;
}

// A docked panel whole: the panel inside the dock's scroll area, at its full height (the dock
// shows only what fits at 1400 x 900).
bool savePanel(const MainWindow& window, const QString& id, const QString& path) {
    auto* scroll = window.dock(id)->findChild<QScrollArea*>();
    return save(scroll ? scroll->widget() : window.dock(id), path);
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x2f, 0x2f, 0x2f));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x8a, 0x8a, 0x8a));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x8a, 0x8a, 0x8a));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x8a, 0x8a, 0x8a));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8a, 0x8a));
    return p;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's settings and autosaves alone
    QApplication::setOrganizationName(QStringLiteral("LoRAStudioScreenshots"));
    QApplication::setApplicationName(QStringLiteral("lorastudio-screenshots"));
    QSettings().clear();
    installTranslations(app); // as the studio does: the system locale's language (English plurals too)
    if (argc < 3) {
        qWarning("usage: make_screenshots PROJECT OUT_DIR");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[2]);
    QDir().mkpath(out);
    auto file = [&out](const char* name) { return QDir(out).filePath(QString::fromLatin1(name)); };

    // A small hub cache with the demo model in it, so the model panel has something to list.
    QTemporaryDir cache;
    {
        const QString project = QFileInfo(QString::fromLocal8Bit(argv[1])).absolutePath();
        const QString snapshot = cache.path() + QStringLiteral("/models--lorastudio--tiny-gpt2-demo/snapshots/3f1c2a9e7b");
        QDir().mkpath(snapshot);
        QDir().mkpath(cache.path() + QStringLiteral("/models--lorastudio--tiny-gpt2-demo/refs"));
        for (const char* name : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
            QFile::link(project + QStringLiteral("/model/") + QLatin1String(name), snapshot + QLatin1Char('/') + QLatin1String(name));
        QFile ref(cache.path() + QStringLiteral("/models--lorastudio--tiny-gpt2-demo/refs/main"));
        ref.open(QIODevice::WriteOnly);
        ref.write("3f1c2a9e7b");
        qputenv("HF_HUB_CACHE", cache.path().toLocal8Bit());
    }

    MainWindow window;
    window.show();
    auto* data = window.panel<DataPanel>(QStringLiteral("panel.data"));
    QSignalSpy loaded(data, &DataPanel::loaded);
    if (!window.openFile(QString::fromLocal8Bit(argv[1]))) return 1;
    loaded.wait(20000);
    settle(800);

    save(&window, file("studio.png"));
    savePanel(window, QStringLiteral("panel.model"), file("model_panel.png"));
    savePanel(window, QStringLiteral("panel.modules"), file("modules_panel.png"));
    savePanel(window, QStringLiteral("panel.lora"), file("lora_panel.png"));
    {
        QDockWidget* settings = window.dock(QStringLiteral("panel.run_settings"));
        settings->setFloating(true); // every training key at once
        settings->resize(620, 880);
        settle();
        save(settings, file("run_settings.png"));
        settings->setFloating(false);
        window.dock(QStringLiteral("panel.lora"))->raise();
        AboutDialog about(&window);
        about.show();
        settle();
        save(&about, file("about_dialog.png"));
    }
    savePanel(window, QStringLiteral("panel.data"), file("data_preview.png"));
    data->tabs()->setCurrentIndex(1);
    settle();
    savePanel(window, QStringLiteral("panel.data"), file("data_lengths.png"));

    // Data with malformed lines: the Problems tab.
    const QString broken = QDir::temp().filePath(QStringLiteral("lorastudio_screenshot_data.jsonl"));
    {
        QFile f(broken);
        f.open(QIODevice::WriteOnly);
        f.write("{\"instruction\": \"Name a farm animal.\", \"input\": \"\", \"output\": \"A cow.\"}\n"
                "{\"instruction\": \"broken\", \"output\": \n"
                "{\"instruction\": \"What does a duck eat?\", \"input\": \"\", \"output\": \"Bread.\"}\n"
                "{\"instruction\": \"No answer here\"}\n"
                "[1, 2, 3]\n");
    }
    const ProjectConfig original = window.document()->config();
    window.document()->edit(ProjectDocument::Part::Data, [&](ProjectConfig& c) { c.data.path = broken.toStdString(); });
    data->reloadNow();
    loaded.wait(20000);
    data->tabs()->setCurrentIndex(2);
    settle();
    savePanel(window, QStringLiteral("panel.data"), file("data_problems.png"));

    // A regex in the modules panel, and a run that does not fit (fit advice).
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
        c = original;
        c.lora.targetModules = ModuleSelection::fromRegex(".*\\.h\\.[23]\\.(attn\\.c_attn|mlp\\.c_fc)");
        c.training.batchSize = 4096;
        c.data.maxLength = 256;
    });
    auto* modules = window.panel<ModulesPanel>(QStringLiteral("panel.modules"));
    modules->tree()->expandAll();
    settle();
    for (QTreeWidgetItemIterator it(modules->tree()); *it; ++it)
        if ((*it)->font(0).bold()) {
            modules->tree()->scrollToItem(*it, QAbstractItemView::PositionAtTop);
            break;
        }
    settle();
    savePanel(window, QStringLiteral("panel.modules"), file("modules_regex.png"));
    savePanel(window, QStringLiteral("panel.lora"), file("lora_fit_advice.png"));

    // A short real run (the demo's 60 steps, ~40 s on a CPU), then the Playground with both models
    // answering one instruction, and the Merge & export dialog after a merged export.
    QTemporaryDir run;
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
        c = original;
        c.outputDir = (run.path() + QStringLiteral("/output")).toStdString();
    });
    auto* training = window.panel<TrainingPanel>(QStringLiteral("panel.training"));
    auto* controller = window.findChild<TrainingController*>();
    QSignalSpy trained(controller, &TrainingController::finished);
    if (!training->startTraining() || !trained.wait(180000)) return 1;
    auto* playground = window.panel<PlaygroundPanel>(QStringLiteral("panel.playground"));
    window.dock(QStringLiteral("panel.playground"))->raise();
    playground->findChild<QPlainTextEdit*>(QStringLiteral("playgroundPrompt"))->setPlainText(QStringLiteral(
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
        "### Instruction:\nHow many legs does a horse have?\n\n### Response:\n"));
    QSignalSpy generated(playground, &PlaygroundPanel::generationFinished);
    if (!playground->generateBoth() || !generated.wait(60000)) return 1;
    QDockWidget* playgroundDock = window.dock(QStringLiteral("panel.playground"));
    playgroundDock->setFloating(true); // the docked tab is short at 1400 x 900: show it at a readable size
    playgroundDock->resize(1100, 560);
    settle();
    save(playgroundDock, file("playground.png"));
    playgroundDock->setFloating(false);
    ExportDialog* exporter = training->openExportDialog();
    exporter->setKind(ExportDialog::Kind::Merged);
    exporter->setTarget(run.path() + QStringLiteral("/merged"));
    QSignalSpy exported(exporter, &ExportDialog::exportFinished);
    if (!exporter->startExport() || !exported.wait(120000)) return 1;
    settle();
    save(exporter, file("export_dialog.png"));
    exporter->close();
    window.dock(QStringLiteral("panel.training"))->raise();

    // The dark palette: every colour comes from it.
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) { c = original; });
    data->tabs()->setCurrentIndex(0);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(darkPalette());
    data->reloadNow();
    loaded.wait(20000);
    settle(800);
    save(&window, file("studio_dark.png"));
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) { c = original; });
    QFile::remove(broken);
    window.setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
    return 0;
}

// Not a test: renders the studio on the demo project for docs/screenshots. After a short real run
// (so Train, Inspect, Playground and Export have something to show) it saves the whole window on
// every page as page-<name>-<W>x<H>[-<language>].png, at the size of the screen it runs on; with
// --extras also the About dialog, the Inspect page's "where learning happened", a resized adapter on
// the Export page, the Data page's Problems tab, the Model page with a broken model folder, the
// Adapter page with a regex and fit advice, and the dark theme. Run under Xvfb so fonts match a real screen:
//   xvfb-run -a -s "-screen 0 1280x720x24" ./build/tests/make_screenshots resources/demo/demo.yaml docs/screenshots [--language zh_CN] [--extras]
#include "about_dialog.h"
#include "distributed_dialog.h"
#include "model_context.h"

#include <QSpinBox>
#include "data_panel.h"
#include "estimate/memory_estimate.h"
#include "export_panel.h"
#include "main_window.h"
#include "modules_panel.h"
#include "playground_panel.h"
#include "preferences.h"
#include "rank_panel.h"
#include "project_document.h"
#include "theme.h"
#include "training_controller.h"
#include "training_panel.h"

#include <QApplication>
#include <QDir>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

void settle(int ms = 300) { QTest::qWait(ms); }

bool save(QWidget* widget, const QString& path) {
    const bool ok = widget->grab().toImage().save(path);
    qInfo("%s %s", qPrintable(path), ok ? "written" : "FAILED");
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's settings and autosaves alone
    QApplication::setOrganizationName(QStringLiteral("LoRAStudioScreenshots"));
    QApplication::setApplicationName(QStringLiteral("lorastudio-screenshots"));
    QSettings().clear();
    const QStringList args = QApplication::arguments();
    if (args.size() < 3) {
        qWarning("usage: make_screenshots PROJECT OUT_DIR [--language zh_CN] [--extras]");
        return 2;
    }
    const int languageAt = args.indexOf(QStringLiteral("--language"));
    const QString language = languageAt > 0 && languageAt + 1 < args.size() ? args.at(languageAt + 1) : QStringLiteral("en");
    const bool extras = args.contains(QStringLiteral("--extras"));
    QSettings().setValue(QLatin1String(kLanguageKey), language);
    installTranslations(app);
    const QString out = args.at(2);
    QDir().mkpath(out);
    auto file = [&out](const QString& name) { return QDir(out).filePath(name); };
    const QSize screen = QGuiApplication::primaryScreen()->size();
    const QString suffix = QStringLiteral("-%1x%2%3").arg(screen.width()).arg(screen.height())
                               .arg(language == QLatin1String("en") ? QString() : QLatin1Char('-') + language);

    // A small hub cache with the demo model in it, so the model page has something to list.
    QTemporaryDir cache;
    {
        const QString project = QFileInfo(args.at(1)).absolutePath();
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
    window.setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
    auto* data = window.panel<DataPanel>(QStringLiteral("panel.data"));
    QSignalSpy loaded(data, &DataPanel::loaded);
    // A step that fails or runs past its time says which (a busy machine can make training slow).
    auto failed = [](const char* step) { qWarning("make_screenshots: %s failed or timed out", step); return 1; };
    if (!window.openFile(args.at(1))) return failed("opening the project");
    loaded.wait(20000);
    settle(800);
    const ProjectConfig original = window.document()->config();

    // A short real run (the demo's 60 steps, ~40 s on a CPU), then the Playground with both models
    // answering one instruction, a merged export and a GGUF one.
    QTemporaryDir run;
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
        c = original;
        c.outputDir = (run.path() + QStringLiteral("/output")).toStdString();
    });
    auto* training = window.panel<TrainingPanel>(QStringLiteral("panel.training"));
    auto* controller = window.findChild<TrainingController*>();
    QSignalSpy trained(controller, &TrainingController::finished);
    window.showPage(QStringLiteral("page.train"));
    if (!training->startTraining() || !trained.wait(600000)) return failed("the demo run");
    auto* playground = window.panel<PlaygroundPanel>(QStringLiteral("panel.playground"));
    playground->findChild<QPlainTextEdit*>(QStringLiteral("playgroundPrompt"))
        ->setPlainText(QStringLiteral("How many legs does a horse have?"));  // wrapped in the data's template
    QSignalSpy generated(playground, &PlaygroundPanel::generationFinished);
    if (!playground->generateBoth() || !generated.wait(120000)) return failed("the Playground's generation");
    auto* exporter = window.panel<ExportPanel>(QStringLiteral("panel.export"));
    exporter->setKind(ExportPanel::Kind::Merged);
    exporter->setTarget(run.path() + QStringLiteral("/merged"));
    QSignalSpy exported(exporter, &ExportPanel::exportFinished);
    if (!exporter->startExport() || !exported.wait(120000)) return failed("an export");
    // Then the GGUF for llama.cpp / Ollama: the page is shown with that choice and its result.
    exporter->setKind(ExportPanel::Kind::GgufMerged);
    exporter->setGgufType(QStringLiteral("q4_k_m"));
    exporter->setOllama(true);
    exporter->setTarget(run.path() + QStringLiteral("/gguf/demo-q4_k_m.gguf"));
    if (!exporter->startExport() || !exported.wait(120000)) return failed("an export");

    for (const QString& id : window.pageIds()) {
        window.showPage(id);
        settle(500);
        save(&window, file(QStringLiteral("page-%1%2.png").arg(id.mid(5), suffix)));
    }
    if (!extras) return 0;

    AboutDialog about(&window);
    about.show();
    settle();
    save(&about, file(QStringLiteral("about_dialog.png")));
    about.close();

    // Train -> Several GPUs…: a job of 2 machines x 2 ranks, its global batch and launch files.
    DistributedDialog several(PanelContext{window.document(), window.findChild<ModelContext*>(), &window, controller}, &window);
    several.machinesBox()->setValue(2);
    several.show();
    settle();
    save(&several, file(QStringLiteral("distributed_dialog%1.png").arg(suffix)));
    several.close();

    // Inspect: where learning happened (the run's adapter opened with the base model, so the
    // amplification shows); Export: a resized adapter (95% of each update's energy) and its check.
    auto* rank = window.panel<RankPanel>(QStringLiteral("panel.rank"));
    QSignalSpy analysed(rank, &RankPanel::analysisFinished);
    rank->openAdapter(run.path() + QStringLiteral("/output/adapter"));
    analysed.wait(60000);
    rank->tabs()->setCurrentIndex(1);
    window.showPage(QStringLiteral("page.inspect"));
    settle();
    save(&window, file(QStringLiteral("inspect_learning%1.png").arg(suffix)));
    rank->tabs()->setCurrentIndex(0);
    exporter->setKind(ExportPanel::Kind::Resized);
    exporter->setResizeShare(0.95);
    exporter->setTarget(run.path() + QStringLiteral("/resized"));
    if (!exporter->startExport() || !exported.wait(120000)) return failed("an export");
    window.showPage(QStringLiteral("page.export"));
    settle();
    save(&window, file(QStringLiteral("export_resized%1.png").arg(suffix)));

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
    window.document()->edit(ProjectDocument::Part::Data, [&](ProjectConfig& c) { c.data.path = broken.toStdString(); });
    data->reloadNow();
    loaded.wait(20000);
    data->tabs()->setCurrentIndex(2);
    window.showPage(QStringLiteral("page.data"));
    settle();
    save(&window, file(QStringLiteral("data_problems%1.png").arg(suffix)));
    data->tabs()->setCurrentIndex(1);
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) { c = original; });
    data->reloadNow();
    loaded.wait(20000);
    settle();
    save(&window, file(QStringLiteral("data_lengths%1.png").arg(suffix)));
    data->tabs()->setCurrentIndex(0);

    // A base model folder whose weights are cut short: the Model page's message line, in the
    // studio's language (core's error said again, ui/error_text.h).
    QTemporaryDir brokenModel;
    const QString modelCopy = brokenModel.filePath(QStringLiteral("model"));
    QDir().mkpath(modelCopy);
    const QDir demoModel(window.document()->resolvedBaseModel());
    for (const QString& name : demoModel.entryList(QDir::Files)) QFile::copy(demoModel.filePath(name), modelCopy + QLatin1Char('/') + name);
    QFile::resize(modelCopy + QStringLiteral("/model.safetensors"), 100);
    window.document()->edit(ProjectDocument::Part::BaseModel, [&](ProjectConfig& c) { c.baseModel = modelCopy.toStdString(); });
    window.showPage(QStringLiteral("page.model"));
    settle();
    save(&window, file(QStringLiteral("model_error%1.png").arg(suffix)));
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) { c = original; });
    settle();

    // A regex in the modules panel, and a run that does not fit (fit advice).
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
        c = original;
        c.lora.targetModules = ModuleSelection::fromRegex(".*\\.h\\.[23]\\.(attn\\.c_attn|mlp\\.c_fc)");
        c.training.batchSize = 4096;
        c.data.maxLength = 256;
    });
    window.showPage(QStringLiteral("page.adapter"));
    auto* modules = window.panel<ModulesPanel>(QStringLiteral("panel.modules"));
    modules->tree()->expandAll();
    settle();
    for (QTreeWidgetItemIterator it(modules->tree()); *it; ++it)
        if ((*it)->font(0).bold()) {
            modules->tree()->scrollToItem(*it, QAbstractItemView::PositionAtTop);
            break;
        }
    settle();
    save(&window, file(QStringLiteral("adapter_fit_advice%1.png").arg(suffix)));

    // The dark theme: every colour comes from its palette.
    window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) { c = original; });
    applyTheme(Theme::Dark);
    window.showPage(QStringLiteral("page.train"));
    settle(800);
    save(&window, file(QStringLiteral("train_dark%1.png").arg(suffix)));
    QFile::remove(broken);
    return 0;
}

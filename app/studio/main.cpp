// `lorastudio [PROJECT]`: the studio's main(). Sets up the application (names for QSettings and
// AppDataLocation, translations, icon), opens the given project file (argv, or the desktop's
// "open this document" event: a double click), and offers crash recovery.
#include "about_dialog.h"
#include "main_window.h"
#include "model_context.h"
#include "preferences.h"
#include "theme.h"
#include "training_panel.h"

#include "estimate/memory_estimate.h"
#include "lorastudio/version.h"
#include "runtime/process_setup.h"
#include "runtime/runtime_info.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileOpenEvent>
#include <QScreen>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

// `--version` works without a display: answered before QApplication needs a platform plugin.
bool printVersionIfAsked(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") != 0 && std::strcmp(argv[i], "-v") != 0) continue;
        const lorastudio::RuntimeInfo info = lorastudio::runtimeInfo();
        std::printf("lorastudio %s\nQt %s (built with %s)\nLibTorch %s\nDevices: %s\nAttention: %s\nCPU bf16: %s\n"
                    "Allocator: %s\n",
                    LORASTUDIO_VERSION, qVersion(), QT_VERSION_STR, info.torchVersion.c_str(),
                    lorastudio::describeDevices(info).c_str(), info.attention.c_str(), info.cpuBf16.c_str(),
                    lorastudio::allocatorName().c_str());
        return true;
    }
    return false;
}

// macOS (Finder) and some desktops hand a double-clicked document over as a QFileOpenEvent, not argv.
class FileOpenFilter : public QObject {
public:
    explicit FileOpenFilter(lorastudio::ui::MainWindow* window) : QObject(window), m_window(window) {}
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::FileOpen) {
            const QString path = static_cast<QFileOpenEvent*>(event)->file();
            if (!path.isEmpty()) m_window->openFile(path);
            return true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    lorastudio::ui::MainWindow* m_window;
};

// `--smoke-test PROJECT` (packaging checks, offscreen): build the whole window with every page,
// open the project quietly, let the event loop run briefly, print what was loaded, exit 0 on success.
int runSmokeTest(lorastudio::ui::MainWindow& window, const QString& path) {
    window.show();
    const bool opened = window.openFile(path, /*quiet=*/true);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 500) QApplication::processEvents(QEventLoop::AllEvents, 50);
    const QStringList pages = window.pageIds();
    lorastudio::ui::ModelContext* model = window.modelContext();
    std::printf("smoke test: lorastudio %s, Qt %s, platform %s\n", LORASTUDIO_VERSION, qVersion(),
                qPrintable(QGuiApplication::platformName()));
    std::printf("smoke test: project %s: %s\n", qPrintable(QDir::toNativeSeparators(path)), opened ? "opened" : "NOT opened");
    std::printf("smoke test: base model: %s\n", model->hasModel() ? "loaded" : "NOT loaded");
    std::printf("smoke test: %d pages:", int(pages.size()));
    for (const QString& page : pages) std::printf(" %s", qPrintable(page));
    std::printf("\n");
    const bool ok = opened && model->hasModel() && !pages.isEmpty();
    std::printf("smoke test: %s\n", ok ? "passed" : "FAILED");
    std::fflush(stdout);
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    if (printVersionIfAsked(argc, argv)) return 0;
    // As the CLI does: passive OpenMP workers and the allocator's options (re-executes once).
    lorastudio::prepareProcess(argc, argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LoRAStudio"));
    QApplication::setApplicationName(QStringLiteral("LoRA Studio"));
    QApplication::setApplicationVersion(QStringLiteral(LORASTUDIO_VERSION));
    QApplication::setWindowIcon(lorastudio::ui::applicationIcon());
    QGuiApplication::setDesktopFileName(QStringLiteral("lorastudio"));
    lorastudio::ui::installTranslations(app);
    if (const auto theme = lorastudio::ui::savedTheme(); theme != lorastudio::ui::Theme::System) lorastudio::ui::applyTheme(theme);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "LoRA fine-tuning studio"));
    parser.addHelpOption();
    parser.addOption(QCommandLineOption({QStringLiteral("v"), QStringLiteral("version")},
                                        QApplication::translate("main", "Print the versions of LoRA Studio, Qt and LibTorch, and the devices")));
    parser.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "project.yaml to open"),
                                 QStringLiteral("[PROJECT]"));
    const QCommandLineOption train(QStringLiteral("train"),
                                   QApplication::translate("main", "Start training the opened project at once (demos)"));
    const QCommandLineOption pageOption(QStringLiteral("page"),
                                        QApplication::translate("main", "Show the page with this id, e.g. page.train"),
                                        QStringLiteral("id"));
    const QCommandLineOption smokeTest(QStringLiteral("smoke-test"),
                                       QApplication::translate("main", "Open the project with every panel, print what was loaded and exit (packaging checks)"));
    parser.addOption(train);
    parser.addOption(pageOption);
    parser.addOption(smokeTest);
    parser.process(app);

    lorastudio::ui::MainWindow window;
    const QStringList args = parser.positionalArguments();
    if (parser.isSet(smokeTest)) {
        if (args.isEmpty()) {
            std::fprintf(stderr, "--smoke-test needs a project file\n");
            return 2;
        }
        return runSmokeTest(window, args.first());
    }
    app.installEventFilter(new FileOpenFilter(&window));
    window.show();
    if (!args.isEmpty()) window.openFile(args.first());
    QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
    QTimer::singleShot(300, &window, [&] {
        if (parser.isSet(train)) {
            window.showPage(QStringLiteral("page.train"));
            if (auto* panel = window.findChild<lorastudio::ui::TrainingPanel*>()) panel->startTraining();
        }
        if (parser.isSet(pageOption)) window.showPage(parser.value(pageOption));
    });
    return app.exec();
}

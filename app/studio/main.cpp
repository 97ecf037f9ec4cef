// `lorastudio [PROJECT]`: the studio's main(). Sets up the application (names for QSettings and
// AppDataLocation, translations), opens the given project file, and offers crash recovery.
#include "main_window.h"
#include "preferences.h"
#include "training_panel.h"

#include "estimate/memory_estimate.h"
#include "lorastudio/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QScreen>
#include <QTimer>

int main(int argc, char** argv) {
    // As the CLI does: the allocator policy the memory estimate assumes, set before any tensor work.
    lorastudio::configureCpuAllocatorForTraining();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LoRAStudio"));
    QApplication::setApplicationName(QStringLiteral("LoRA Studio"));
    QApplication::setApplicationVersion(QStringLiteral(LORASTUDIO_VERSION));
    lorastudio::ui::installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "LoRA fine-tuning studio"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "project.yaml to open"),
                                 QStringLiteral("[PROJECT]"));
    const QCommandLineOption train(QStringLiteral("train"),
                                   QApplication::translate("main", "Start training the opened project at once (demos)"));
    const QCommandLineOption raise(QStringLiteral("raise"),
                                   QApplication::translate("main", "Bring the panel with this id to the front, e.g. panel.training"),
                                   QStringLiteral("id"));
    const QCommandLineOption floatPanel(QStringLiteral("float"),
                                        QApplication::translate("main", "Show the panel with this id as a large floating window (screenshots)"),
                                        QStringLiteral("id"));
    parser.addOption(train);
    parser.addOption(raise);
    parser.addOption(floatPanel);
    parser.process(app);

    lorastudio::ui::MainWindow window;
    window.show();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty()) window.openFile(args.first());
    QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
    QTimer::singleShot(300, &window, [&] {
        for (const QString& id : parser.values(raise))
            if (auto* dock = window.findChild<QDockWidget*>(id)) dock->raise();
        for (const QString& id : parser.values(floatPanel))
            if (auto* dock = window.findChild<QDockWidget*>(id)) {
                dock->setFloating(true);
                dock->setGeometry(QGuiApplication::primaryScreen()->availableGeometry().adjusted(10, 10, -10, -10));
                dock->raise();
            }
        if (parser.isSet(train))
            if (auto* panel = window.findChild<lorastudio::ui::TrainingPanel*>()) panel->startTraining();
    });
    return app.exec();
}

// `lorastudio [PROJECT]`: the studio's main(). Sets up the application (names for QSettings and
// AppDataLocation, translations), opens the given project file, and offers crash recovery.
#include "main_window.h"
#include "preferences.h"

#include "estimate/memory_estimate.h"
#include "lorastudio/version.h"

#include <QApplication>
#include <QCommandLineParser>
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
    parser.process(app);

    lorastudio::ui::MainWindow window;
    window.show();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty()) window.openFile(args.first());
    QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
    return app.exec();
}

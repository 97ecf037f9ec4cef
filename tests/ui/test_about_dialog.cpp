// The About dialog and the application icon: the dialog shows CMake's project version, the Qt the
// process runs on, a LibTorch version and the devices; the icon renders from the embedded PNGs.
#include "about_dialog.h"
#include "ui_test_support.h"

#include <QLabel>
#include <QRegularExpression>
#include <QtTest>

using namespace lorastudio::ui;

class TestAboutDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void showsVersions() {
        AboutDialog dialog;
        const auto text = [&](const char* name) {
            auto* label = dialog.findChild<QLabel*>(QLatin1String(name));
            return label ? label->text() : QStringLiteral("<missing %1>").arg(QLatin1String(name));
        };
        // LORASTUDIO_PROJECT_VERSION comes straight from CMake's PROJECT_VERSION (tests/CMakeLists.txt).
        QCOMPARE(text("aboutVersion"), QStringLiteral(LORASTUDIO_PROJECT_VERSION));
        QVERIFY2(text("aboutQt").startsWith(QLatin1String(qVersion())), qPrintable(text("aboutQt")));
        QVERIFY2(text("aboutQt").contains(QLatin1String(QT_VERSION_STR)), qPrintable(text("aboutQt")));
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+")).match(text("aboutTorch")).hasMatch(),
                 qPrintable(text("aboutTorch")));
        QVERIFY2(text("aboutDevices").startsWith(QLatin1String("CPU: ")), qPrintable(text("aboutDevices")));
        QVERIFY(text("aboutDevices").contains(QLatin1String("CUDA: ")));
        // This build's process groups: Gloo wherever Gloo's headers were found (Debian: libgloo-dev).
        QVERIFY2(text("aboutDataParallel").startsWith(QLatin1String("Gloo")), qPrintable(text("aboutDataParallel")));
        QVERIFY(dialog.detailsText().contains(QLatin1String(LORASTUDIO_PROJECT_VERSION)));
    }

    void iconIsEmbedded() {
        const QIcon icon = applicationIcon();
        QVERIFY(!icon.isNull());
        QCOMPARE(icon.pixmap(48, 48).size(), QSize(48, 48));
        QVERIFY(!icon.pixmap(16, 16).toImage().isNull());
    }
};

QTEST_MAIN(TestAboutDialog)
#include "test_about_dialog.moc"

// The studio's frame at a laptop's 1280 x 720, in English and Simplified Chinese: every page shows
// the header, its cost (Adapter) and its primary buttons inside the window without scrolling, no
// page needs a horizontal scroll bar, no button is cut; the navigation and View menu reach every
// page; splitters can always be dragged back and View > Reset layout restores the first-start sizes.
#include "estimate_view.h"
#include "lora_panel.h"
#include "main_window.h"
#include "preferences.h"
#include "project_document.h"
#include "theme.h"
#include "studio_header.h"
#include "training_panel.h"
#include "ui_test_support.h"

#include <QAction>
#include <QToolButton>
#include <QComboBox>
#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTranslator>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

// The widgets each page is for: they must be on screen as the page opens.
const QHash<QString, QStringList>& primaryWidgets() {
    static const QHash<QString, QStringList> widgets = {
        {QStringLiteral("page.model"), {QStringLiteral("modelBrowse"), QStringLiteral("modelRescan")}},
        {QStringLiteral("page.adapter"), {QStringLiteral("preset0"), QStringLiteral("preset1"), QStringLiteral("trainableParameters"),
                                          QStringLiteral("memoryEstimate")}},
        {QStringLiteral("page.data"), {QStringLiteral("dataBrowse")}},
        {QStringLiteral("page.train"), {QStringLiteral("trainStart"), QStringLiteral("trainPause"), QStringLiteral("trainStop"),
                                        QStringLiteral("trainResume"), QStringLiteral("trainExport")}},
        {QStringLiteral("page.inspect"), {QStringLiteral("rankOpen"), QStringLiteral("rankCompare")}},
        {QStringLiteral("page.playground"), {QStringLiteral("playgroundGenerate")}},
        {QStringLiteral("page.export"), {QStringLiteral("exportButton")}}};
    return widgets;
}

// `widget` lies wholly inside the window and inside the viewport of the scroll area it is in (it is
// seen without scrolling).
QString whereOutside(const QWidget* widget, const QWidget* window) {
    const QRect inWindow(widget->mapTo(window, QPoint(0, 0)), widget->size());
    if (!window->rect().contains(inWindow))
        return QStringLiteral("outside the window (%1,%2 %3x%4)").arg(inWindow.x()).arg(inWindow.y()).arg(inWindow.width()).arg(inWindow.height());
    for (const QWidget* p = widget->parentWidget(); p; p = p->parentWidget())
        if (const auto* scroll = qobject_cast<const QScrollArea*>(p)) {
            const QRect inViewport(widget->mapTo(scroll->viewport(), QPoint(0, 0)), widget->size());
            if (!scroll->viewport()->rect().contains(inViewport)) return QStringLiteral("below the fold of %1").arg(scroll->objectName());
        }
    return {};
}

// The width a button needs to show its text whole: the text, the style's margins and the frame on
// both sides (QPushButton::sizeHint() can be a few pixels short of it, and the text is then cut).
int textRoom(const QPushButton* button) {
    QString text = button->text();
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01")).remove(QLatin1Char('&')).replace(QLatin1Char('\x01'), QLatin1Char('&'));
    const QStyle* style = button->style();
    return button->fontMetrics().horizontalAdvance(text) + 2 * style->pixelMetric(QStyle::PM_ButtonMargin, nullptr, button) +
           2 * style->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, button) +
           (button->menu() ? style->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, button) : 0);
}

} // namespace

class TestStudioLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }
    void init() { QSettings().clear(); }

    void everyPageFitsALaptopScreen_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QString();
        QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
    }

    void everyPageFitsALaptopScreen() {
        QFETCH(QString, language);
        QTranslator translator;
        if (!language.isEmpty()) {
            QVERIFY(translator.load(QStringLiteral(":/i18n/lorastudio_%1.qm").arg(language)));
            QCoreApplication::installTranslator(&translator);
        }
        MainWindow window;
        window.setGeometry(0, 0, 1280, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(test::demoProject(), true));
        QCOMPARE(window.size(), QSize(1280, 720));
        QCOMPARE(window.pageIds().size(), 7);
        QStringList problems;
        auto check = [&](const QString& id) {
            window.showPage(id);
            QTest::qWait(50);
            QCOMPARE(window.currentPage(), id);
            if (const QString where = whereOutside(window.header(), &window); !where.isEmpty())
                problems << id + QStringLiteral(": header ") + where;
            for (QLabel* label : {window.header()->trainableLabel(), window.header()->memoryLabel(), window.header()->runLabel()})
                if (label->text().isEmpty()) problems << id + QStringLiteral(": empty header label ") + label->objectName();
            for (const QString& name : primaryWidgets().value(id)) {
                auto* widget = window.page(id)->findChild<QWidget*>(name);
                if (!widget) { problems << id + QStringLiteral(": no ") + name; continue; }
                if (!widget->isVisible()) { problems << id + QStringLiteral(": hidden ") + name; continue; }
                if (const QString where = whereOutside(widget, &window); !where.isEmpty())
                    problems << QStringLiteral("%1: %2 %3").arg(id, name, where);
            }
            for (QScrollArea* scroll : window.page(id)->findChildren<QScrollArea*>())
                if (scroll->isVisible() && scroll->widget() &&
                    (scroll->horizontalScrollBar()->isVisible() ||
                     scroll->widget()->minimumSizeHint().width() > scroll->viewport()->width()))  // cut, if its bar is off
                    problems << QStringLiteral("%1: %2 scrolls sideways (content %3 px in %4 px)")
                                    .arg(id, scroll->objectName())
                                    .arg(scroll->widget()->minimumSizeHint().width())
                                    .arg(scroll->viewport()->width());
            for (QPushButton* button : window.page(id)->findChildren<QPushButton*>())
                if (button->isVisible() && button->width() < textRoom(button))
                    problems << QStringLiteral("%1: button \"%2\" cut (%3 of %4 px)")
                                    .arg(id, button->text()).arg(button->width()).arg(textRoom(button));
        };
        for (const QString& id : window.pageIds()) check(id);
        // The states that used to push panels sideways: LoRA's Advanced section open, a very long
        // base-model path (and its error) on the Model page.
        window.panel<LoraPanel>(QStringLiteral("panel.lora"))->advancedToggle()->setChecked(true);
        check(QStringLiteral("page.adapter"));
        window.document()->edit(ProjectDocument::Part::BaseModel, [](ProjectConfig& c) {
            c.baseModel = "/home/someone/.cache/huggingface/hub/models--meta-llama--Llama-3.2-1B-Instruct/snapshots/"
                          "9213176726f574b556790deb65791e0c5aa438b6/not-here-at-all";
        });
        check(QStringLiteral("page.model"));
        // A run that does not fit: the advice (its first Apply link included) is in view as well.
        window.document()->edit(ProjectDocument::Part::All, [](ProjectConfig& c) {
            c.baseModel = test::demoModel().toStdString();
            c.training.batchSize = 4096;
        });
        window.showPage(QStringLiteral("page.adapter"));
        QTest::qWait(50);
        if (auto* advice = window.page(QStringLiteral("page.adapter"))->findChild<QLabel*>(QStringLiteral("fitAdvice"));
            !advice || !advice->isVisible())
            problems << QStringLiteral("page.adapter: no fit advice for a run that does not fit");
        else if (const QString where = whereOutside(advice, &window); !where.isEmpty())
            problems << QStringLiteral("page.adapter: fit advice ") + where;
        if (!language.isEmpty()) QCoreApplication::removeTranslator(&translator);
        window.setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void headerShowsTheCostOnEveryPage() {
        MainWindow window;
        QVERIFY(window.openFile(test::demoProject(), true));
        const EstimateView* estimate = window.panel<LoraPanel>(QStringLiteral("panel.lora"))->estimateView();
        // The same exact count as the Adapter page's cost box: 45,056 for the demo (r 8, c_attn + c_proj... see test_lora_panel).
        QVERIFY2(window.header()->trainableLabel()->text().contains(QStringLiteral("45.1 K")) ||
                     window.header()->trainableLabel()->text().contains(QStringLiteral("45,056")),
                 qPrintable(window.header()->trainableLabel()->text()));
        QVERIFY(estimate->memoryLabel()->text().contains(QStringLiteral("fits")));
        QVERIFY2(window.header()->memoryLabel()->text().contains(QStringLiteral("fits")), qPrintable(window.header()->memoryLabel()->text()));
        QVERIFY(window.header()->fits());
        QVERIFY(window.header()->runLabel()->text().contains(QStringLiteral("No run yet")));
        // A run that cannot fit says so in the header at once.
        window.document()->edit(ProjectDocument::Part::All, [](ProjectConfig& c) { c.training.batchSize = 1 << 20; });
        QVERIFY(!window.header()->fits());
        QVERIFY(window.header()->memoryLabel()->text().contains(QStringLiteral("does not fit")));
        window.setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
    }

    void navigationAndViewMenuReachEveryPage() {
        MainWindow window;
        QCOMPARE(window.navigation()->count(), window.pageIds().size());
        for (int row = 0; row < window.navigation()->count(); ++row) {
            window.navigation()->setCurrentRow(row);
            QCOMPARE(window.currentPage(), window.pageIds().at(row));
        }
        // View menu: Ctrl+1 ... for the pages, in order.
        QList<QAction*> pageActions;
        for (QAction* a : window.findChildren<QAction*>())
            if (window.pageIds().contains(a->data().toString())) pageActions << a;
        QCOMPARE(pageActions.size(), window.pageIds().size());
        for (QAction* a : pageActions) {
            a->trigger();
            QCOMPARE(window.currentPage(), a->data().toString());
        }
        // The training panel's Export… button opens the Export page.
        window.showPage(QStringLiteral("page.train"));
        window.panel<TrainingPanel>(QStringLiteral("panel.training"))->exportButton()->click();
        QCOMPARE(window.currentPage(), QStringLiteral("page.export"));
        // The header's run state leads to the Train page.
        Q_EMIT window.header()->runLabel()->linkActivated(QStringLiteral("page.train"));
        QCOMPARE(window.currentPage(), QStringLiteral("page.train"));
    }

    void splittersNeverStickAndResetRestores() {
        {
            MainWindow window;
            window.setGeometry(0, 0, 1280, 720);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QSplitter* splitter = window.pageSplitter(QStringLiteral("page.train"));
            window.showPage(QStringLiteral("page.train"));
            QTRY_COMPARE(splitter->sizes().first(), 400);  // the registry's first-start width
            // Dragged all the way to one side: neither panel collapses, and it can be dragged back.
            splitter->setSizes({5000, 0});
            QVERIFY(splitter->sizes().at(1) >= 160);
            splitter->setSizes({0, 5000});
            QVERIFY(splitter->sizes().at(0) >= 160);
            // A size that fits whatever screen the reopened window is restored onto (restoreGeometry
            // keeps a window on its screen: Qt 6.8's offscreen one is 800 wide).
            splitter->setSizes({300, splitter->width() - 300});
            QVERIFY(qAbs(splitter->sizes().first() - 300) <= splitter->handleWidth());
            window.close();  // the layout is saved on close
        }
        {
            MainWindow reopened;
            reopened.show();
            QVERIFY(QTest::qWaitForWindowExposed(&reopened));
            QSplitter* splitter = reopened.pageSplitter(QStringLiteral("page.train"));
            QTRY_VERIFY2(qAbs(splitter->sizes().first() - 300) <= splitter->handleWidth(),
                         qPrintable(QStringLiteral("%1 + %2").arg(splitter->sizes().at(0)).arg(splitter->sizes().at(1))));
            QCOMPARE(reopened.currentPage(), QStringLiteral("page.train"));  // reopened on the page left
            reopened.resetLayoutAction()->trigger();
            QTRY_COMPARE(splitter->sizes().first(), 400);
            QCOMPARE(reopened.geometry().size(), QGuiApplication::primaryScreen()->availableGeometry().size());
            QVERIFY(!QSettings().contains(QStringLiteral("window/splitter/page.train")));
        }
    }

    // Preferences > Appearance: Dark applies at once and is kept; System brings the first look back.
    void darkThemeFromPreferences() {
        const QPalette before = QApplication::palette();
        {
            PreferencesDialog dialog;
            auto* theme = dialog.findChild<QComboBox*>(QStringLiteral("preferencesTheme"));
            QVERIFY(theme);
            QCOMPARE(theme->currentData().toString(), QStringLiteral("system"));
            theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
            dialog.accept();
        }
        QCOMPARE(savedTheme(), Theme::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 180);
        {
            PreferencesDialog dialog;
            auto* theme = dialog.findChild<QComboBox*>(QStringLiteral("preferencesTheme"));
            QCOMPARE(theme->currentData().toString(), QStringLiteral("dark"));
            theme->setCurrentIndex(theme->findData(QStringLiteral("system")));
            dialog.accept();
        }
        QCOMPARE(savedTheme(), Theme::System);
        QCOMPARE(QApplication::palette().color(QPalette::Window), before.color(QPalette::Window));
    }
};

QTEST_MAIN(TestStudioLayout)
#include "test_studio_layout.moc"

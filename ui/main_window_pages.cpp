// MainWindow's pages (see main_window.h): the header, the navigation list and a page per registry
// entry with its panels in scroll areas and splitters; remembering, restoring and resetting their
// sizes. The menus, files and runs are in main_window.cpp.
#include "main_window.h"

#include "button_room.h"
#include "checked_spin_box.h"
#include "studio_header.h"
#include "training_panel.h"

#include <QAction>
#include <QActionGroup>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenu>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace lorastudio::ui {

namespace {

const char* const kGeometryKey = "window/geometry";
const char* const kPageKey = "window/page";
const char* const kLayoutVersionKey = "window/layoutVersion";
// Bump when the pages' arrangement changes, so old saved sizes are not applied to it.
// 1-3: docks; 4: a page per stage.
constexpr int kLayoutVersion = 4;
QString splitterKey(const QString& pageId) { return QStringLiteral("window/splitter/") + pageId; }

// The window at first start (and after Reset layout): the whole screen's free area, as a studio is
// used (a laptop's 1280 x 720 included: every page is laid out for it).
QRect defaultGeometry() {
    const QScreen* screen = QGuiApplication::primaryScreen();
    return screen ? screen->availableGeometry() : QRect(0, 0, 1400, 900);
}

} // namespace

QWidget* MainWindow::panelWidget(const QString& id) const { return m_panelById.value(id); }

QWidget* MainWindow::page(const QString& id) const {
    for (int i = 0; i < m_pages->count(); ++i)
        if (m_pages->widget(i)->objectName() == id) return m_pages->widget(i);
    return nullptr;
}

QString MainWindow::pageOfPanel(const QString& panelId) const { return m_pageOfPanel.value(panelId); }

QStringList MainWindow::pageIds() const {
    QStringList ids;
    for (int i = 0; i < m_pages->count(); ++i) ids << m_pages->widget(i)->objectName();
    return ids;
}

QString MainWindow::currentPage() const { return m_pages->currentWidget() ? m_pages->currentWidget()->objectName() : QString(); }

void MainWindow::showPage(const QString& id) {
    const int index = pageIds().indexOf(id);
    if (index >= 0) m_navigation->setCurrentRow(index);
}

QSplitter* MainWindow::pageSplitter(const QString& id) const { return m_splitterOfPage.value(id); }

void MainWindow::buildPages() {
    registerStudioPages(m_registry);
    const PanelContext context{m_document, m_model, this, m_training, m_data};
    auto* central = new QWidget;
    auto* outer = new QVBoxLayout(central);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    m_header = new StudioHeader(context);
    outer->addWidget(m_header);
    auto* body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(0);
    m_navigation = new QListWidget;
    m_navigation->setObjectName(QStringLiteral("pageList"));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_navigation->setAutoFillBackground(true);
    m_navigation->setBackgroundRole(QPalette::AlternateBase);
    m_navigation->setSpacing(2);
    m_pages = new QStackedWidget;
    body->addWidget(m_navigation);
    body->addWidget(m_pages, 1);
    outer->addLayout(body, 1);
    setCentralWidget(central);

    auto* pageGroup = new QActionGroup(this);
    QFont navFont = m_navigation->font();
    navFont.setPointSizeF(navFont.pointSizeF() * 1.1);
    m_navigation->setFont(navFont);
    int widest = 0;
    for (const PageSpec& spec : m_registry.pages()) {
        QWidget* pageWidget = buildPage(spec, context);
        giveButtonsRoom(pageWidget);
        // An out-of-range number is said at the field and here, never clamped in silence.
        for (auto* box : pageWidget->findChildren<CheckedSpinBox*>())
            connect(box, &CheckedSpinBox::outOfRange, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
        for (auto* box : pageWidget->findChildren<CheckedDoubleSpinBox*>())
            connect(box, &CheckedDoubleSpinBox::outOfRange, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
        m_pages->addWidget(pageWidget);
        auto* item = new QListWidgetItem(spec.title(), m_navigation);
        item->setToolTip(spec.description());
        item->setSizeHint(QSize(0, QFontMetrics(navFont).height() * 2));
        widest = std::max(widest, QFontMetrics(navFont).horizontalAdvance(spec.title()));
        // View menu: one entry per page, Ctrl+1 ... Ctrl+7.
        QAction* go = m_viewMenu->addAction(spec.title());
        go->setCheckable(true);
        go->setActionGroup(pageGroup);
        go->setData(spec.id);
        if (m_pageActions.size() < 9) go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + m_pageActions.size())));
        connect(go, &QAction::triggered, this, [this, id = spec.id] { showPage(id); });
        m_pageActions.append(go);
    }
    m_navigation->setFixedWidth(widest + 48);
    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0) return;
        m_pages->setCurrentIndex(row);
        if (row < m_pageActions.size()) m_pageActions[row]->setChecked(true);
    });
    connect(m_header, &StudioHeader::pageRequested, this, &MainWindow::showPage);
    if (auto* training = panel<TrainingPanel>(QStringLiteral("panel.training")))
        connect(training, &TrainingPanel::exportRequested, this, [this] { showPage(QStringLiteral("page.export")); });
    m_navigation->setCurrentRow(0);

    m_viewMenu->addSeparator();
    m_resetLayoutAction = m_viewMenu->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);
    m_resetLayoutAction->setObjectName(QStringLiteral("resetLayout"));
    m_resetLayoutAction->setToolTip(tr("The window size and the pages' panel sizes as at first start"));
}

QWidget* MainWindow::buildPage(const PageSpec& spec, const PanelContext& context) {
    QList<QWidget*> scrolls;
    for (const PanelSpec& panelSpec : spec.panels) {
        QWidget* panelWidget = panelSpec.create(context);
        panelWidget->setObjectName(panelSpec.id);
        m_panelById.insert(panelSpec.id, panelWidget);
        m_pageOfPanel.insert(panelSpec.id, spec.id);
        // Each panel scrolls inside its page (vertically: panels are laid out for the page's width,
        // the geometry tests check that no page needs a horizontal scroll bar at 1280 x 720).
        auto* scroll = new QScrollArea;
        scroll->setObjectName(panelSpec.id + QStringLiteral(".scroll"));
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        scroll->setWidget(panelWidget);
        scroll->setMinimumWidth(160);  // a splitter can always be dragged back: no panel collapses
        scrolls.append(scroll);
    }
    if (scrolls.size() == 1) {
        scrolls.first()->setObjectName(spec.id);
        return scrolls.first();
    }
    auto* splitter = new QSplitter(spec.orientation);
    splitter->setObjectName(spec.id);
    splitter->setChildrenCollapsible(false);
    splitter->setHandleWidth(6);
    for (int i = 0; i < scrolls.size(); ++i) {
        splitter->addWidget(scrolls[i]);
        splitter->setStretchFactor(i, spec.panels[std::size_t(i)].initialSize > 0 ? 0 : 1);
    }
    m_splitterOfPage.insert(spec.id, splitter);
    return splitter;
}

void MainWindow::applyDefaultSizes() {
    for (const PageSpec& spec : m_registry.pages()) {
        QSplitter* splitter = pageSplitter(spec.id);
        if (!splitter) continue;
        const int total = spec.orientation == Qt::Horizontal ? m_pages->width() : m_pages->height();
        QList<int> sizes;
        int fixed = 0, rest = 0;
        for (const PanelSpec& p : spec.panels) {
            fixed += p.initialSize;
            if (p.initialSize <= 0) ++rest;
        }
        const int share = rest > 0 ? std::max(200, (total - fixed) / rest) : 0;
        for (const PanelSpec& p : spec.panels) sizes << (p.initialSize > 0 ? p.initialSize : share);
        splitter->setSizes(sizes);
    }
}

void MainWindow::restoreLayout() {
    QSettings settings;
    const bool sameLayout = settings.value(QLatin1String(kLayoutVersionKey)).toInt() == kLayoutVersion;
    const QByteArray geometry = settings.value(QLatin1String(kGeometryKey)).toByteArray();
    if (!sameLayout || geometry.isEmpty() || !restoreGeometry(geometry)) setGeometry(defaultGeometry());
    applyDefaultSizes();
    QTimer::singleShot(0, this, [this, sameLayout] {
        applyDefaultSizes();  // now that the window has its size
        if (!sameLayout) return;
        QSettings saved;
        for (auto it = m_splitterOfPage.cbegin(); it != m_splitterOfPage.cend(); ++it)
            it.value()->restoreState(saved.value(splitterKey(it.key())).toByteArray());
    });
    if (sameLayout) showPage(settings.value(QLatin1String(kPageKey)).toString());
}

void MainWindow::saveLayout() const {
    QSettings settings;
    settings.setValue(QLatin1String(kLayoutVersionKey), kLayoutVersion);
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    settings.setValue(QLatin1String(kPageKey), currentPage());
    for (auto it = m_splitterOfPage.cbegin(); it != m_splitterOfPage.cend(); ++it)
        settings.setValue(splitterKey(it.key()), it.value()->saveState());
}

void MainWindow::resetLayout() {
    QSettings settings;
    settings.remove(QLatin1String(kGeometryKey));
    settings.remove(QLatin1String(kPageKey));
    for (auto it = m_splitterOfPage.cbegin(); it != m_splitterOfPage.cend(); ++it) settings.remove(splitterKey(it.key()));
    if (isMaximized() || isFullScreen()) showNormal();
    setGeometry(defaultGeometry());
    applyDefaultSizes();
    QTimer::singleShot(0, this, &MainWindow::applyDefaultSizes);
    statusBar()->showMessage(tr("Layout reset"), 3000);
}

} // namespace lorastudio::ui

// MainWindow: menus, docks from the panel registry, project file handling, autosave and recovery.
#include "main_window.h"

#include "about_dialog.h"
#include "autosave.h"
#include "model_context.h"
#include "output_location.h"
#include "preferences.h"
#include "project_document.h"
#include "training_controller.h"
#include "ui_format.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

namespace lorastudio::ui {

namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentFiles";
const char* const kGeometryKey = "window/geometry";
const char* const kStateKey = "window/state";
// Bump when the default dock arrangement changes, so old saved layouts are not applied to it.
constexpr int kLayoutVersion = 3;  // 2: the bottom dock of the run's panels; 3: panels scroll in their docks, Run settings beside LoRA

QString projectFilter() { return MainWindow::tr("LoRA Studio projects (*.yaml *.yml);;All files (*)"); }

} // namespace

namespace {
// The platform's bindings for a standard key plus the usual one: without a platform theme (a bare
// X session, Xvfb) Qt binds nothing to SaveAs, and Ctrl+Shift+S would do nothing.
QList<QKeySequence> withUsualKey(QKeySequence::StandardKey standard, const QKeySequence& usual) {
    QList<QKeySequence> keys = QKeySequence::keyBindings(standard);
    if (!keys.contains(usual)) keys.append(usual);
    return keys;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_document(new ProjectDocument(this)),
      m_model(new ModelContext(m_document, this)),
      m_autosave(new Autosave(m_document, this)),
      m_training(new TrainingController(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    m_autosave->setIntervalSeconds(autosaveSeconds());
    m_choosePathToOpen = [this](const QString& title, const QString& folder, const QString& filter) {
        return QFileDialog::getOpenFileName(this, title, folder, filter);
    };
    m_choosePathToSave = [this](const QString& title, const QString& folder, const QString& filter) {
        return QFileDialog::getSaveFileName(this, title, folder, filter);
    };
    m_askUnsaved = [this] {
        return QMessageBox::warning(this, tr("Unsaved changes"),
                                    tr("%1 has unsaved changes. Save them before closing it?").arg(m_document->displayName()),
                                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };

    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    buildMenus();
    buildPanels();
    restoreLayout();

    m_modelStatus = new QLabel;
    m_outputStatus = new QLabel;
    // Long paths must not widen the window: the labels may be cut (the tooltip has it all).
    m_outputStatus->setMinimumWidth(80);
    m_outputStatus->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    statusBar()->addPermanentWidget(m_modelStatus);
    statusBar()->addPermanentWidget(m_outputStatus);

    connect(m_document, &ProjectDocument::modifiedChanged, this, &MainWindow::setWindowModified);
    connect(m_document, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ProjectDocument::replaced, this, &MainWindow::updateStatus);
    connect(m_document, &ProjectDocument::changed, this, &MainWindow::updateStatus);
    connect(m_model, &ModelContext::modelChanged, this, &MainWindow::updateStatus);
    updateTitle();
    updateStatus();
    statusBar()->showMessage(tr("Ready"), 3000);
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::dock(const QString& id) const {
    for (QDockWidget* d : m_docks)
        if (d->objectName() == id) return d;
    return nullptr;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_newAction = file->addAction(tr("&New Project"), this, &MainWindow::fileNew);
    m_newAction->setShortcut(QKeySequence::New);
    m_openAction = file->addAction(tr("&Open Project…"), this, &MainWindow::fileOpen);
    m_openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    m_saveAction = file->addAction(tr("&Save"), this, &MainWindow::fileSave);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = file->addAction(tr("Save &As…"), this, &MainWindow::fileSaveAs);
    m_saveAsAction->setShortcuts(withUsualKey(QKeySequence::SaveAs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)));
    file->addSeparator();
    QAction* prefs = file->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    prefs->setShortcut(QKeySequence::Preferences);
    prefs->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcuts(withUsualKey(QKeySequence::Quit, QKeySequence(Qt::CTRL | Qt::Key_Q)));
    quit->setMenuRole(QAction::QuitRole);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About LoRA Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::buildPanels() {
    registerStudioPanels(m_registry);
    const PanelContext context{m_document, m_model, this, m_training};
    QHash<Qt::DockWidgetArea, QDockWidget*> lastInArea;
    int shortcut = 1;
    for (const PanelSpec& spec : m_registry.panels()) {
        auto* dock = new QDockWidget(spec.title(), this);
        dock->setObjectName(spec.id);
        // Each panel scrolls inside its dock: a panel's natural minimum height (forms, charts) must
        // not force the window taller than a laptop screen or starve the run's dock below.
        auto* scroll = new QScrollArea;
        scroll->setObjectName(spec.id + QStringLiteral(".scroll"));
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        scroll->setWidget(spec.create(context));
        dock->setWidget(scroll);
        dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                          QDockWidget::DockWidgetClosable);
        QDockWidget* tabWith = spec.tabifyWith.isEmpty() ? nullptr : this->dock(spec.tabifyWith);
        if (tabWith) {
            tabifyDockWidget(tabWith, dock);
        } else if (QDockWidget* previous = lastInArea.value(spec.area)) {
            splitDockWidget(previous, dock, spec.split);
        } else {
            addDockWidget(spec.area, dock);
        }
        lastInArea[spec.area] = dock;
        QAction* toggle = dock->toggleViewAction();
        if (shortcut <= 9) toggle->setShortcut(QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key(Qt::Key_0 + shortcut++)));
        m_viewMenu->addAction(toggle);
        m_docks.append(dock);
    }
    // Panels share the window: without a central widget the docks take all the room.
    setCentralWidget(nullptr);
    // 1400 x 900 at first start, or less on a smaller screen.
    QSize size(1400, 900);
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size());
    resize(size);
}

void MainWindow::applyDefaultDockSizes() {
    QList<QDockWidget*> wide, tall;
    QList<int> widths, heights;
    for (const PanelSpec& spec : m_registry.panels()) {
        if (!spec.tabifyWith.isEmpty()) continue;
        if (spec.initialWidth > 0) {
            wide.append(dock(spec.id));
            widths.append(spec.initialWidth);
        }
        if (spec.initialHeight > 0) {
            tall.append(dock(spec.id));
            heights.append(spec.initialHeight);
        }
    }
    resizeDocks(wide, widths, Qt::Horizontal);
    resizeDocks(tall, heights, Qt::Vertical);
    // A tabbed dock opens on the panel the others were tabified with, not on the last one added
    // (done here: before the layout has its tab bars, raise() does not pick a tab).
    for (const PanelSpec& spec : m_registry.panels())
        if (QDockWidget* first = spec.tabifyWith.isEmpty() ? nullptr : dock(spec.tabifyWith)) first->raise();
}

void MainWindow::restoreLayout() {
    QSettings settings;
    restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray());
    // First start (or a new layout version): the registry's sizes, once the window has its size.
    if (!restoreState(settings.value(QLatin1String(kStateKey)).toByteArray(), kLayoutVersion))
        QTimer::singleShot(0, this, &MainWindow::applyDefaultDockSizes);
}

bool MainWindow::openFile(const QString& path, bool quiet) {
    QString error;
    QStringList warnings;
    if (!m_document->load(path, &error, &warnings)) {
        if (quiet)
            statusBar()->showMessage(error);
        else
            QMessageBox::critical(this, tr("Cannot open the project"), error);
        return false;
    }
    rememberRecent(m_document->filePath());
    if (!warnings.isEmpty() && !quiet)
        QMessageBox::information(this, tr("Project opened with warnings"), warnings.join(QLatin1Char('\n')));
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_document->filePath())), 5000);
    return true;
}

void MainWindow::offerRecovery() {
    for (const RecoverableProject& found : Autosave::recoverable()) {
        const QString name = found.originalPath.isEmpty() ? tr("An untitled project")
                                                          : QDir::toNativeSeparators(found.originalPath);
        QMessageBox box(QMessageBox::Question, tr("Recover unsaved changes"),
                        tr("LoRA Studio did not close normally last time. %1 has unsaved changes from %2.\n\n"
                           "Restore them?")
                            .arg(name, QLocale().toString(found.savedAt, QLocale::ShortFormat)),
                        QMessageBox::NoButton, this);
        QPushButton* restore = box.addButton(tr("Restore"), QMessageBox::AcceptRole);
        box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        QPushButton* later = box.addButton(tr("Decide Later"), QMessageBox::RejectRole);
        box.exec();
        if (box.clickedButton() == later) continue;
        if (box.clickedButton() == restore) {
            ProjectConfig config;
            QString error;
            if (!Autosave::read(found, config, &error)) {
                QMessageBox::critical(this, tr("Cannot recover the project"),
                                      tr("%1\n\nThe autosave file is kept at %2.").arg(error, found.autosavePath));
                continue;
            }
            m_document->restore(config, found.originalPath);
            Autosave::remove(found);
            m_autosave->saveNow();
            statusBar()->showMessage(tr("Recovered unsaved changes of %1").arg(name), 5000);
            return; // one project per window; others are offered next time
        }
        Autosave::remove(found);
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_training->isActive() &&
        QMessageBox::question(this, tr("Training is running"),
                              tr("Stop the training run and quit? It writes a checkpoint and the adapter first."),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    settings.setValue(QLatin1String(kStateKey), saveState(kLayoutVersion));
    event->accept();
}

void MainWindow::fileNew() {
    if (!maybeSave()) return;
    m_document->newProject();
    statusBar()->showMessage(tr("New project: choose a base model and data"), 5000);
}

void MainWindow::fileOpen() {
    if (!maybeSave()) return;
    const QString folder = m_document->filePath().isEmpty() ? QDir::homePath() : QFileInfo(m_document->filePath()).absolutePath();
    const QString path = m_choosePathToOpen(tr("Open Project"), folder, projectFilter());
    if (!path.isEmpty()) openFile(path);
}

bool MainWindow::fileSave() {
    if (m_document->filePath().isEmpty()) return fileSaveAs();
    QString error;
    if (!m_document->save(m_document->filePath(), &error)) {
        QMessageBox::critical(this, tr("Cannot save the project"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_document->filePath())), 5000);
    return true;
}

bool MainWindow::fileSaveAs() {
    const QString current = m_document->filePath();
    // *.lorastudio.yaml is the desktop's project type (packaging/linux/lorastudio-mime.xml): such a
    // file opens in the studio on a double click; any other .yaml still opens through File > Open.
    const QString suggestion = current.isEmpty() ? QDir::home().filePath(QStringLiteral("project.lorastudio.yaml")) : current;
    QString path = m_choosePathToSave(tr("Save Project As"), suggestion, projectFilter());
    if (path.isEmpty()) return false;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".lorastudio.yaml");
    QString error;
    if (!m_document->save(path, &error)) {
        QMessageBox::critical(this, tr("Cannot save the project"), error);
        return false;
    }
    rememberRecent(m_document->filePath());
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_document->filePath())), 5000);
    return true;
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified()) return true;
    switch (m_askUnsaved()) {
    case QMessageBox::Save:
        return fileSave();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::rememberRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value(QLatin1String(kRecentKey)).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(QLatin1String(kRecentKey), recent);
}

void MainWindow::fillRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QLatin1String(kRecentKey)).toStringList();
    int index = 1;
    for (const QString& path : recent) {
        QAction* action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(index++).arg(QDir::toNativeSeparators(path)), this, [this, path] {
                if (maybeSave()) openFile(path);
            });
        action->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty()) m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear List"), this, [] { QSettings().remove(QLatin1String(kRecentKey)); });
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — LoRA Studio").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateStatus() {
    if (m_model->hasModel()) {
        const ModelInfo& info = m_model->info();
        m_modelStatus->setText(tr("%1 · %2 parameters")
                                   .arg(QString::fromLatin1(architectureName(info.spec.architecture)),
                                        formatParameterCount(info.parameters)));
    } else {
        m_modelStatus->setText(m_model->folder().isEmpty() ? tr("No base model") : tr("Base model not readable"));
    }
    const QString projectName = QFileInfo(m_document->filePath()).completeBaseName();
    const OutputLocation output = effectiveOutputDir(m_document->config(), projectName);
    m_outputStatus->setText(tr("Output: %1%2")
                                .arg(QDir::toNativeSeparators(output.path),
                                     output.redirected ? tr(" (project folder is read-only)") : QString()));
    m_outputStatus->setToolTip(m_outputStatus->text());
}

void MainWindow::showPreferences() {
    PreferencesDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted) m_autosave->setIntervalSeconds(autosaveSeconds());
}

void MainWindow::showAbout() {
    AboutDialog dialog(this);
    dialog.exec();
}

} // namespace lorastudio::ui

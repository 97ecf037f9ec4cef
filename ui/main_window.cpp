// MainWindow: menus, project file handling (open, save keeping what the user wrote, corrections),
// autosave and recovery, leaving or re-attaching to a run. The pages are in main_window_pages.cpp.
#include "main_window.h"

#include "about_dialog.h"
#include "autosave.h"
#include "data_summary.h"
#include "model_context.h"
#include "output_location.h"
#include "preferences.h"
#include "project_document.h"
#include "training_controller.h"
#include "train/background_run.h"
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
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

namespace lorastudio::ui {

namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentFiles";
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
      m_training(new TrainingController(this)),
      m_data(new DataSummary(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    m_autosave->setIntervalSeconds(autosaveSeconds());
    m_choosePathToOpen = [this](const QString& title, const QString& folder, const QString& filter) {
        return QFileDialog::getOpenFileName(this, title, folder, filter);
    };
    m_choosePathToSave = [this](const QString& title, const QString& folder, const QString& filter) {
        return QFileDialog::getSaveFileName(this, title, folder, filter);
    };
    m_askRunning = [this] {
        QMessageBox box(QMessageBox::Question, tr("Training is running"),
                        tr("Keep training after LoRA Studio closes? The run stops at its next step with a checkpoint and "
                           "continues at once in a background process (lorastudio-cli) in the same run folder. Opening "
                           "this project again shows it live, with Pause and Stop."),
                        QMessageBox::NoButton, this);
        QPushButton* keep = box.addButton(tr("Keep Training in Background"), QMessageBox::AcceptRole);
        QPushButton* stop = box.addButton(tr("Stop and Quit"), QMessageBox::DestructiveRole);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(keep);
        box.exec();
        return box.clickedButton() == keep ? RunningChoice::KeepInBackground
               : box.clickedButton() == stop ? RunningChoice::Stop
                                             : RunningChoice::Cancel;
    };
    m_askLoseComments = [this](const QStringList& lost) {
        return QMessageBox::question(this, tr("Comments will go"),
                                     tr("These comments belong to keys that are no longer in the project, so saving drops them:\n\n%1\n\nSave anyway?")
                                         .arg(lost.join(QLatin1Char('\n'))),
                                     QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Save;
    };
    m_askUnsaved = [this] {
        return QMessageBox::warning(this, tr("Unsaved changes"),
                                    tr("%1 has unsaved changes. Save them before closing it?").arg(m_document->displayName()),
                                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };

    buildMenus();
    buildPages();
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

    QMenu* editMenu = menuBar()->addMenu(tr("&Edit"));
    m_undoAction = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcuts(withUsualKey(QKeySequence::Undo, QKeySequence(Qt::CTRL | Qt::Key_Z)));
    m_redoAction = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcuts(withUsualKey(QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
    editMenu->addAction(m_undoAction);
    editMenu->addAction(m_redoAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About LoRA Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
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
    attachToBackgroundRun();
    if (!warnings.isEmpty() && !quiet) offerCorrections(warnings);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_document->filePath())), 5000);
    return true;
}

void MainWindow::offerCorrections(const QStringList& warnings) {
    const QStringList corrections = m_document->corrections();
    QMessageBox box(QMessageBox::Information, tr("Project opened with warnings"), warnings.join(QLatin1Char('\n')),
                    QMessageBox::NoButton, this);
    QPushButton* apply = nullptr;
    if (!corrections.isEmpty()) {
        box.setInformativeText(tr("Correct the misspelled keys? %1\n\nKeys left as they are stay in the file when it is saved.")
                                   .arg(corrections.join(QStringLiteral(", "))));
        apply = box.addButton(tr("Apply Corrections"), QMessageBox::AcceptRole);
        box.addButton(tr("Keep as Written"), QMessageBox::RejectRole);
    } else {
        box.setInformativeText(tr("Unknown keys stay in the file when it is saved."));
        box.addButton(QMessageBox::Ok);
    }
    box.exec();
    if (apply && box.clickedButton() == apply) {
        QString error;
        const int applied = m_document->applyCorrections(&error);
        if (!error.isEmpty()) QMessageBox::warning(this, tr("Cannot apply the corrections"), error);
        else statusBar()->showMessage(tr("%n key(s) corrected: save to write them", nullptr, applied), 8000);
    }
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

bool MainWindow::maybeLeaveRun() {
    if (!m_training->isActive() || m_training->isAttached()) return true;  // a background run goes on by itself
    switch (m_askRunning()) {
    case RunningChoice::KeepInBackground: {
        QString error;
        statusBar()->showMessage(tr("Handing the run over to a background process…"));
        if (!m_training->handOver(TrainingController::backgroundCliPath(), &error)) {
            QMessageBox::critical(this, tr("Cannot keep training in the background"), error);
            return false;
        }
        return true;
    }
    case RunningChoice::Stop:
        return true;  // the controller stops the run (checkpoint and adapter) as the window goes
    default:
        return false;
    }
}

void MainWindow::attachToBackgroundRun() {
    const QString projectName = QFileInfo(m_document->filePath()).completeBaseName();
    const QString out = effectiveOutputDir(m_document->config(), projectName).path;
    if (m_training->isActive() || !backgroundRunAlive(out.toStdString())) return;
    QString error;
    if (m_training->attach(out, &error)) {
        showPage(QStringLiteral("page.train"));
        statusBar()->showMessage(tr("Following the run training in the background (process %1)").arg(m_training->attachedPid()), 8000);
    } else {
        statusBar()->showMessage(error, 8000);
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeLeaveRun()) {
        event->ignore();
        return;
    }
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    saveLayout();
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

bool MainWindow::commentsMayGo() {
    const QStringList lost = m_document->commentsSavingWouldLose();
    if (lost.isEmpty()) return true;
    return m_askLoseComments(lost);
}

bool MainWindow::fileSave() {
    if (m_document->filePath().isEmpty()) return fileSaveAs();
    if (!commentsMayGo()) return false;
    QString error;
    if (!m_document->save(m_document->filePath(), &error)) {
        QMessageBox::critical(this, tr("Cannot save the project"), error);
        return false;
    }
    showSaved();
    return true;
}

void MainWindow::showSaved() {
    const QStringList kept = m_document->keptKeys();
    statusBar()->showMessage(kept.isEmpty() ? tr("Saved %1").arg(QDir::toNativeSeparators(m_document->filePath()))
                                            : tr("Saved %1, keeping %2 as written")
                                                  .arg(QDir::toNativeSeparators(m_document->filePath()), kept.join(QStringLiteral(", "))),
                             8000);
}

bool MainWindow::fileSaveAs() {
    const QString current = m_document->filePath();
    // *.lorastudio.yaml is the desktop's project type (packaging/linux/lorastudio-mime.xml): such a
    // file opens in the studio on a double click; any other .yaml still opens through File > Open.
    const QString suggestion = current.isEmpty() ? QDir::home().filePath(QStringLiteral("project.lorastudio.yaml")) : current;
    QString path = m_choosePathToSave(tr("Save Project As"), suggestion, projectFilter());
    if (path.isEmpty()) return false;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".lorastudio.yaml");
    if (!commentsMayGo()) return false;
    QString error;
    if (!m_document->save(path, &error)) {
        QMessageBox::critical(this, tr("Cannot save the project"), error);
        return false;
    }
    rememberRecent(m_document->filePath());
    showSaved();
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

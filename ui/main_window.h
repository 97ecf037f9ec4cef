// MainWindow: the studio's frame. File menu (New, Open, Save, Save As, Recent, Quit) on a
// ProjectDocument, a dirty marker and a confirmation before losing changes, autosave and crash
// recovery, one dock per registered panel (layout and geometry remembered), Preferences, a status bar.
#pragma once
#include "panel_registry.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMessageBox>

#include <functional>

class QAction;
class QLabel;
class QMenu;

namespace lorastudio::ui {

class Autosave;
class ModelContext;
class ProjectDocument;
class TrainingController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ProjectDocument* document() const { return m_document; }
    ModelContext* modelContext() const { return m_model; }
    Autosave* autosave() const { return m_autosave; }
    TrainingController* training() const { return m_training; }
    // The dock of a registered panel by id ("panel.model", ...); nullptr when there is none.
    QDockWidget* dock(const QString& id) const;
    template <typename Panel> Panel* panel(const QString& id) const;

    QAction* newAction() const { return m_newAction; }
    QAction* openAction() const { return m_openAction; }
    QAction* saveAction() const { return m_saveAction; }
    QAction* saveAsAction() const { return m_saveAsAction; }

    // Opens a project file (no questions asked about the current one). Errors go to a message box
    // (or the status bar with quiet = true); returns success.
    bool openFile(const QString& path, bool quiet = false);
    // Offers to restore autosaved changes left by a session that did not end cleanly.
    void offerRecovery();

    // Replace the file dialogs and the unsaved-changes question (tests drive the actions with
    // these; the defaults show the usual dialogs). A chooser returns "" for cancel.
    using PathChooser = std::function<QString(const QString& title, const QString& folder, const QString& filter)>;
    void setOpenPathChooser(PathChooser chooser) { m_choosePathToOpen = std::move(chooser); }
    void setSavePathChooser(PathChooser chooser) { m_choosePathToSave = std::move(chooser); }
    void setUnsavedChangesPrompt(std::function<QMessageBox::StandardButton()> prompt) { m_askUnsaved = std::move(prompt); }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildPanels();
    void restoreLayout();
    void applyDefaultDockSizes();
    void fileNew();
    void fileOpen();
    bool fileSave();
    bool fileSaveAs();
    bool maybeSave(); // true when it is fine to drop the current project
    void rememberRecent(const QString& path);
    void fillRecentMenu();
    void updateTitle();
    void updateStatus();
    void showPreferences();
    void showAbout();

    ProjectDocument* m_document;
    ModelContext* m_model;
    Autosave* m_autosave;
    TrainingController* m_training;
    PanelRegistry m_registry;
    QList<QDockWidget*> m_docks;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QLabel* m_modelStatus = nullptr;
    QLabel* m_outputStatus = nullptr;
    PathChooser m_choosePathToOpen;
    PathChooser m_choosePathToSave;
    std::function<QMessageBox::StandardButton()> m_askUnsaved;
};

template <typename Panel> Panel* MainWindow::panel(const QString& id) const {
    QDockWidget* d = dock(id);
    return d ? d->findChild<Panel*>() : nullptr; // the panel sits in a scroll area in the dock
}

} // namespace lorastudio::ui

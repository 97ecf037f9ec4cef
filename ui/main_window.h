// MainWindow: the studio's frame. File menu (New, Open, Save, Save As, Recent, Quit) on a
// ProjectDocument, a dirty marker and a confirmation before losing changes, autosave and crash
// recovery; a header that stays above every page (cost and run state), a navigation list with one
// page per stage of the work (see panel_registry.h; splitter sizes remembered, View > Reset layout),
// Preferences, a status bar.
#pragma once
#include "panel_registry.h"

#include <QMainWindow>
#include <QHash>
#include <QMessageBox>

#include <functional>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QSplitter;
class QStackedWidget;

namespace lorastudio::ui {

class Autosave;
class DataSummary;
class ModelContext;
class ProjectDocument;
class StudioHeader;
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
    // A registered panel by id ("panel.model", ...); nullptr when there is none.
    QWidget* panelWidget(const QString& id) const;
    template <typename Panel> Panel* panel(const QString& id) const { return qobject_cast<Panel*>(panelWidget(id)); }
    // Pages by id ("page.model", ...): the page's widget, the page a panel is on, showing one.
    QWidget* page(const QString& id) const;
    QString pageOfPanel(const QString& panelId) const;
    QStringList pageIds() const;
    QString currentPage() const;
    void showPage(const QString& id);
    // The splitter of a page with two panels (nullptr for a one-panel page).
    QSplitter* pageSplitter(const QString& id) const;
    StudioHeader* header() const { return m_header; }
    QListWidget* navigation() const { return m_navigation; }
    QAction* resetLayoutAction() const { return m_resetLayoutAction; }
    // View > Reset layout: the first-start window size, page sizes and page; nothing saved is kept.
    void resetLayout();

    QAction* newAction() const { return m_newAction; }
    QAction* openAction() const { return m_openAction; }
    QAction* saveAction() const { return m_saveAction; }
    QAction* saveAsAction() const { return m_saveAsAction; }
    QAction* undoAction() const { return m_undoAction; }
    QAction* redoAction() const { return m_redoAction; }

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
    // Closing during a run: keep training in the background, stop the run, or stay.
    enum class RunningChoice { KeepInBackground, Stop, Cancel };
    void setRunningPrompt(std::function<RunningChoice()> prompt) { m_askRunning = std::move(prompt); }
    // Saving would drop these user comments (their keys are gone): true to save anyway.
    void setLoseCommentsPrompt(std::function<bool(const QStringList&)> prompt) { m_askLoseComments = std::move(prompt); }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildPages();
    QWidget* buildPage(const PageSpec& spec, const PanelContext& context);
    void restoreLayout();
    void saveLayout() const;
    void applyDefaultSizes();
    void fileNew();
    void fileOpen();
    bool fileSave();
    bool fileSaveAs();
    bool maybeSave(); // true when it is fine to drop the current project
    bool commentsMayGo();  // asks when saving would drop user comments
    void showSaved();
    void offerCorrections(const QStringList& warnings);
    bool maybeLeaveRun(); // closing during a run: hand it to the background, stop it, or stay
    void attachToBackgroundRun(); // the opened project's run goes on in a background process: follow it
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
    DataSummary* m_data;
    PageRegistry m_registry;
    StudioHeader* m_header = nullptr;
    QListWidget* m_navigation = nullptr;
    QStackedWidget* m_pages = nullptr;
    QHash<QString, QWidget*> m_panelById;
    QHash<QString, QString> m_pageOfPanel;
    QHash<QString, QSplitter*> m_splitterOfPage;
    QList<QAction*> m_pageActions;
    QAction* m_resetLayoutAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QLabel* m_modelStatus = nullptr;
    QLabel* m_outputStatus = nullptr;
    PathChooser m_choosePathToOpen;
    PathChooser m_choosePathToSave;
    std::function<QMessageBox::StandardButton()> m_askUnsaved;
    std::function<RunningChoice()> m_askRunning;
    std::function<bool(const QStringList&)> m_askLoseComments;
};

} // namespace lorastudio::ui

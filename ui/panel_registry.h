// The studio's panels as a registry: each entry says how to build one panel and where its dock
// goes. The main window makes a QDockWidget per entry (objectName = id, so saved layouts find it)
// and a View menu toggle. Later panels (Training, Rank, Merge & export, Playground) add entries
// in registerStudioPanels() without touching the window.
#pragma once
#include <QString>
#include <qnamespace.h>

#include <functional>
#include <vector>

class QMainWindow;
class QWidget;

namespace lorastudio::ui {

class ModelContext;
class ProjectDocument;
class TrainingController;

// What a panel may use: the open project (edit it through document->edit), the inspected base
// model, the window (for dialogs and the status bar), and the one training bridge.
struct PanelContext {
    ProjectDocument* document = nullptr;
    ModelContext* model = nullptr;
    QMainWindow* window = nullptr;
    TrainingController* training = nullptr;
};

struct PanelSpec {
    QString id;                              // stable, e.g. "panel.model"; never translated
    std::function<QString()> title;          // translated at creation time
    Qt::DockWidgetArea area = Qt::LeftDockWidgetArea;
    QString tabifyWith;                      // id of a panel to share a tabbed dock with ("": none)
    std::function<QWidget*(const PanelContext&)> create;
    // How it shares its area with the panel registered before it there: below it (Vertical) or
    // beside it (Horizontal).
    Qt::Orientation split = Qt::Vertical;
    int initialWidth = 0;                    // pixels at first start (0: an even share)
    int initialHeight = 0;
};

class PanelRegistry {
public:
    void add(PanelSpec spec) { m_panels.push_back(std::move(spec)); }
    const std::vector<PanelSpec>& panels() const { return m_panels; }

private:
    std::vector<PanelSpec> m_panels;
};

// Registers the studio's panels, in View-menu order.
void registerStudioPanels(PanelRegistry& registry);

} // namespace lorastudio::ui

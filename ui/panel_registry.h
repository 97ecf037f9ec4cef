// The studio's pages as a registry: one page per stage of the work (Model, Adapter, Data, Train,
// Inspect, Playground, Export), each made of one or more panels laid side by side (or stacked) in a
// splitter. The main window builds a navigation entry and a page per entry; a panel keeps its
// stable id ("panel.model", ...) so tests and saved layouts find it. A new panel is one more entry
// in registerStudioPages(), without touching the window.
#pragma once
#include <QString>
#include <qnamespace.h>

#include <functional>
#include <vector>

class QMainWindow;
class QWidget;

namespace lorastudio::ui {

class DataSummary;
class ModelContext;
class ProjectDocument;
class TrainingController;

// What a panel may use: the open project (edit it through document->edit), the inspected base
// model, the window (for dialogs and the status bar), the one training bridge, and what the Data
// page learnt of the data (null where no Data page runs).
struct PanelContext {
    ProjectDocument* document = nullptr;
    ModelContext* model = nullptr;
    QMainWindow* window = nullptr;
    TrainingController* training = nullptr;
    DataSummary* data = nullptr;
};

struct PanelSpec {
    QString id;                                          // stable, e.g. "panel.model"; never translated
    std::function<QWidget*(const PanelContext&)> create;
    int initialSize = 0;   // pixels along the page's splitter at first start (0: takes what is left)
};

struct PageSpec {
    QString id;                              // stable, e.g. "page.adapter"; never translated
    std::function<QString()> title;          // translated at creation time
    std::function<QString()> description;    // the navigation entry's tooltip
    std::vector<PanelSpec> panels;           // in splitter order
    Qt::Orientation orientation = Qt::Horizontal;  // panels side by side, or stacked (Vertical)
};

class PageRegistry {
public:
    void add(PageSpec spec) { m_pages.push_back(std::move(spec)); }
    const std::vector<PageSpec>& pages() const { return m_pages; }

private:
    std::vector<PageSpec> m_pages;
};

// Registers the studio's pages, in navigation order.
void registerStudioPages(PageRegistry& registry);

} // namespace lorastudio::ui

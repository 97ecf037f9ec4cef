// The studio's panels, registered in View-menu order. A new panel (Training, Rank, Merge & export,
// Playground) is one more registry.add(...) here with its dock area (and a panel to share a tab with).
#include "data_panel.h"
#include "lora_panel.h"
#include "model_panel.h"
#include "modules_panel.h"
#include "panel_registry.h"
#include "playground_panel.h"
#include "rank_panel.h"
#include "run_settings_panel.h"
#include "training_panel.h"

namespace lorastudio::ui {

void registerStudioPanels(PanelRegistry& registry) {
    registry.add({QStringLiteral("panel.model"), [] { return ModelPanel::tr("Model"); }, Qt::LeftDockWidgetArea, {},
                  [](const PanelContext& c) { return new ModelPanel(c); }, Qt::Vertical, 460});
    registry.add({QStringLiteral("panel.modules"), [] { return ModulesPanel::tr("Modules"); }, Qt::LeftDockWidgetArea,
                  {}, [](const PanelContext& c) { return new ModulesPanel(c); }});
    registry.add({QStringLiteral("panel.lora"), [] { return LoraPanel::tr("LoRA"); }, Qt::RightDockWidgetArea, {},
                  [](const PanelContext& c) { return new LoraPanel(c); }, Qt::Vertical, 420});
    registry.add({QStringLiteral("panel.data"), [] { return DataPanel::tr("Data"); }, Qt::RightDockWidgetArea, {},
                  [](const PanelContext& c) { return new DataPanel(c); }, Qt::Horizontal, 520});
    // The run's panels share one wide tabbed dock along the bottom: charts and heatmaps need width.
    registry.add({QStringLiteral("panel.training"), [] { return TrainingPanel::tr("Training"); }, Qt::BottomDockWidgetArea,
                  {}, [](const PanelContext& c) { return new TrainingPanel(c); }, Qt::Vertical, 0, 460});
    registry.add({QStringLiteral("panel.rank"), [] { return RankPanel::tr("Rank"); }, Qt::BottomDockWidgetArea,
                  QStringLiteral("panel.training"), [](const PanelContext& c) { return new RankPanel(c); }});
    registry.add({QStringLiteral("panel.playground"), [] { return PlaygroundPanel::tr("Playground"); },
                  Qt::BottomDockWidgetArea, QStringLiteral("panel.training"),
                  [](const PanelContext& c) { return new PlaygroundPanel(c); }});
    // Run settings shares a tab with LoRA: the training keys sit beside the estimate they change,
    // without taking height from the bottom dock. Registered last: LoRA and Data must be split
    // before a tab joins LoRA (splitting a tabbed dock adds a tab instead), and existing shortcuts stay.
    registry.add({QStringLiteral("panel.run_settings"), [] { return RunSettingsPanel::tr("Run settings"); },
                  Qt::RightDockWidgetArea, QStringLiteral("panel.lora"),
                  [](const PanelContext& c) { return new RunSettingsPanel(c); }});
}

} // namespace lorastudio::ui

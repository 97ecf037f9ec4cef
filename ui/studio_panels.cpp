// The studio's pages, in navigation order (see panel_registry.h). A page with two panels puts them
// in a splitter; the first panel's initial width is given, the second takes the rest.
#include "data_panel.h"
#include "export_panel.h"
#include "lora_panel.h"
#include "model_panel.h"
#include "modules_panel.h"
#include "panel_registry.h"
#include "playground_panel.h"
#include "rank_panel.h"
#include "run_settings_panel.h"
#include "training_panel.h"

#include <QCoreApplication>

namespace lorastudio::ui {

namespace {
QString pageText(const char* text) { return QCoreApplication::translate("lorastudio::ui::StudioPages", text); }
} // namespace

void registerStudioPages(PageRegistry& registry) {
    registry.add({QStringLiteral("page.model"), [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Model")); },
                  [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "The base model: its folder, architecture and size")); },
                  {{QStringLiteral("panel.model"), [](const PanelContext& c) { return new ModelPanel(c); }}}});
    // The module tree needs height and the LoRA settings with their cost need width: side by side.
    registry.add({QStringLiteral("page.adapter"), [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Adapter")); },
                  [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Target modules, rank, alpha and what they cost")); },
                  {{QStringLiteral("panel.modules"), [](const PanelContext& c) { return new ModulesPanel(c); }, 520},
                   {QStringLiteral("panel.lora"), [](const PanelContext& c) { return new LoraPanel(c); }}}});
    registry.add({QStringLiteral("page.data"), [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Data")); },
                  [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "The training data, its template and its token lengths")); },
                  {{QStringLiteral("panel.data"), [](const PanelContext& c) { return new DataPanel(c); }}}});
    // The run's settings beside the charts they shape.
    registry.add({QStringLiteral("page.train"), [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Train")); },
                  [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Run settings, start and watch the run, earlier runs")); },
                  {{QStringLiteral("panel.run_settings"), [](const PanelContext& c) { return new RunSettingsPanel(c); }, 400},
                   {QStringLiteral("panel.training"), [](const PanelContext& c) { return new TrainingPanel(c); }}}});
    registry.add({QStringLiteral("page.inspect"), [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Inspect")); },
                  [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Singular values of the learned update, per module; compare checkpoints")); },
                  {{QStringLiteral("panel.rank"), [](const PanelContext& c) { return new RankPanel(c); }}}});
    registry.add({QStringLiteral("page.playground"), [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Playground")); },
                  [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Generate with the base and the adapted model side by side")); },
                  {{QStringLiteral("panel.playground"), [](const PanelContext& c) { return new PlaygroundPanel(c); }}}});
    registry.add({QStringLiteral("page.export"), [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Export")); },
                  [] { return pageText(QT_TRANSLATE_NOOP("lorastudio::ui::StudioPages", "Write the PEFT adapter or the merged model")); },
                  {{QStringLiteral("panel.export"), [](const PanelContext& c) { return new ExportPanel(c); }}}});
}

} // namespace lorastudio::ui

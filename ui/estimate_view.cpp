// EstimateView: core/estimate's counts, memory estimate and fit advice, shown and translated.
#include "estimate_view.h"

#include "error_text.h"
#include "estimate/device_memory.h"
#include "data_summary.h"
#include "estimate/fit_advisor.h"
#include "memory_bar.h"
#include "model_context.h"
#include "model_info.h"
#include "project_document.h"
#include "ui_format.h"

#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <map>
#include <optional>

namespace lorastudio::ui {

namespace {

constexpr int kShownSuggestions = 4;

// The translated label of one of MemoryEstimate::components() (core names them in English).
QString componentLabel(const std::string& name) {
    static const std::map<std::string, const char*> labels = {
        {"weights", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Weights")},
        {"LoRA parameters", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "LoRA")},
        {"gradients", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Gradients")},
        {"optimizer states", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Optimizer")},
        {"activations", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Activations")},
        {"logits and loss", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Logits")},
        {"working memory", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Working memory")},
        {"data-parallel group", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Data-parallel group")},
        {"overhead", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "Overhead")}};
    const auto it = labels.find(name);
    return it != labels.end() ? EstimateView::tr(it->second) : QString::fromStdString(name);
}


// What a suggestion changes, said in the user's language: found by comparing the suggested
// project with the current one (core's own text is the fallback).
QString describeChange(const ProjectConfig& now, const FitSuggestion& s) {
    const ProjectConfig& p = s.project;
    if (p.training.gradientCheckpointing != now.training.gradientCheckpointing)
        return EstimateView::tr("enable gradient checkpointing");
    if (p.training.batchSize != now.training.batchSize)
        return EstimateView::tr("batch size %1 → %2 with gradient accumulation %3 → %4 (same effective batch)")
            .arg(now.training.batchSize).arg(p.training.batchSize)
            .arg(now.training.gradientAccumulation).arg(p.training.gradientAccumulation);
    if (p.training.precision != now.training.precision)
        return EstimateView::tr("train in %1").arg(QString::fromStdString(enumName(p.training.precision)));
    if (p.data.maxLength != now.data.maxLength)
        return s.options.longestExample && *s.options.longestExample > p.data.maxLength
                   ? EstimateView::tr("max length %1 → %2 tokens, cutting the examples longer than that")
                         .arg(now.data.maxLength).arg(p.data.maxLength)
                   : EstimateView::tr("max length %1 → %2 tokens").arg(now.data.maxLength).arg(p.data.maxLength);
    if (p.lora.loraDropout != now.lora.loraDropout) return EstimateView::tr("LoRA dropout 0");
    if (p.lora.r != now.lora.r) return EstimateView::tr("rank %1 → %2").arg(now.lora.r).arg(p.lora.r);
    if (p.lora.modulesToSave != now.lora.modulesToSave) return EstimateView::tr("no modules trained in full");
    return QString::fromStdString(s.change);
}

// "512 tokens (max_length)", "83 tokens (the data's longest example; max_length 512)", ...
QString sequenceText(const MemoryEstimate& e, const ProjectConfig& project, bool dataRead) {
    if (e.sequenceFromData)
        return EstimateView::tr("%1 tokens (the data's longest example; max_length %2)").arg(e.sequence).arg(project.data.maxLength);
    if (project.data.packing) return EstimateView::tr("%1 tokens (packed rows of max_length)").arg(e.sequence);
    if (e.sequence < project.data.maxLength) return EstimateView::tr("%1 tokens (the model's longest)").arg(e.sequence);
    return dataRead ? EstimateView::tr("%1 tokens (max_length, which the data's longest example reaches)").arg(e.sequence)
                    : EstimateView::tr("%1 tokens (max_length, until the Data page has read the data)").arg(e.sequence);
}

} // namespace

// The translated name of MemoryEstimate::peakPhase.
QString peakPhaseText(const std::string& phase) {
    static const std::map<std::string, const char*> labels = {
        {"loss backward", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "the loss backward")},
        {"layer backward", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "a layer's backward")},
        {"forward", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "the forward pass")},
        {"recompute", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "a checkpointed layer's recomputation")},
        {"gradient all-reduce", QT_TRANSLATE_NOOP("lorastudio::ui::EstimateView", "the gradient all-reduce")}};
    const auto it = labels.find(phase);
    return it != labels.end() ? EstimateView::tr(it->second) : QString::fromStdString(phase);
}

EstimateView::EstimateView(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_trainable = new QLabel;
    m_trainable->setObjectName(QStringLiteral("trainableParameters"));
    QFont big = m_trainable->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_trainable->setFont(big);
    m_trainable->setWordWrap(true);
    layout->addWidget(m_trainable);
    m_peftLine = new QLabel;
    m_peftLine->setObjectName(QStringLiteral("peftLine"));
    m_peftLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_peftLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_peftLine->setToolTip(tr("The line PEFT's print_trainable_parameters() prints for this configuration."));
    m_peftLine->setWordWrap(true);
    layout->addWidget(m_peftLine);
    m_memory = new QLabel;
    m_memory->setObjectName(QStringLiteral("memoryEstimate"));
    m_memory->setWordWrap(true);
    layout->addWidget(m_memory);
    // When the run does not fit, what to change comes right under the verdict, before the bar: on a
    // laptop screen it is what must be in view.
    m_advice = new QLabel;
    m_advice->setObjectName(QStringLiteral("fitAdvice"));
    m_advice->setWordWrap(true);
    m_advice->setTextFormat(Qt::RichText);
    m_advice->setVisible(false);
    layout->addWidget(m_advice);
    m_bar = new MemoryBar;
    layout->addWidget(m_bar);
    m_sizedFor = new QLabel;
    m_sizedFor->setWordWrap(true);
    layout->addWidget(m_sizedFor);
    layout->addStretch(1);

    connect(m_advice, &QLabel::linkActivated, this, &EstimateView::applySuggestion);
    connect(context.document, &ProjectDocument::replaced, this, &EstimateView::update);
    connect(context.document, &ProjectDocument::changed, this, &EstimateView::update);
    connect(context.model, &ModelContext::modelChanged, this, &EstimateView::update);
    if (context.data) connect(context.data, &DataSummary::changed, this, &EstimateView::update);
    update();
}

void EstimateView::update() {
    const ProjectConfig& project = m_context.document->config();
    m_advice->setVisible(false);
    if (!m_context.model->hasModel()) {
        m_trainable->setText(tr("Choose a base model to see what training costs."));
        m_peftLine->clear();
        m_memory->clear();
        m_sizedFor->clear();
        m_bar->setSegments({}, 0, QString());
        return;
    }
    const ModelSpec& spec = m_context.model->info().spec;
    MemoryEstimate estimate;
    std::optional<FitReport> fit;
    QString capacityName; // "RAM" or the GPU's name
    const MemoryOptions options = sizedForData(m_context.data);
    try {
        if (const auto memory = deviceMemory(project.training.device)) {
            // One core call gives every figure shown: the estimate inside the report is the same.
            fit = adviseFit(spec, project, memory->totalBytes, options);
            estimate = fit->estimate;
            capacityName = QString::fromStdString(memory->name);
        } else {
            estimate = estimateMemory(spec, project, options);
        }
    } catch (const std::exception& e) {
        m_trainable->setText(tr("No estimate"));
        m_peftLine->setText(errorText(e));
        m_memory->clear();
        m_sizedFor->clear();
        m_bar->setSegments({}, 0, QString());
        return;
    }

    const ParameterCounts& counts = estimate.counts;
    m_trainable->setText(tr("%1 trainable parameters (%2 % of %3)")
                             .arg(formatInteger(counts.trainableParameters))
                             .arg(QLocale().toString(counts.trainablePercent(), 'f', 4))
                             .arg(formatInteger(counts.allParameters)));
    m_peftLine->setText(QString::fromStdString(trainableParametersLine(counts)));

    QVector<MemorySegment> segments;
    for (const MemoryComponent& c : estimate.components())
        if (c.bytes > 0) segments.append({componentLabel(c.name), double(c.bytes)});
    const bool cpu = estimate.device == MemoryDevice::Cpu;
    const double capacity = fit ? double(fit->availableBytes) : 0.0;
    const QString where = cpu ? tr("RAM") : capacityName;
    m_bar->setSegments(segments, capacity, fit ? QStringLiteral("%1 %2").arg(where, formatBytes(capacity)) : QString());
    m_memory->setText(fit ? tr("Peak memory: %1 of %2 %3 · %4")
                                .arg(formatBytes(double(estimate.total)), formatBytes(capacity), where,
                                     fit->fits ? tr("fits") : tr("does not fit"))
                          : tr("Peak GPU memory: %1 (the GPU's size cannot be read: no NVIDIA driver)")
                                .arg(formatBytes(double(estimate.total))));
    // DPO and ORPO: a batch of pairs is twice as many rows.
    const QString batch = estimate.rows != estimate.batch
                              ? tr("batch %1 pairs (%2 rows)").arg(estimate.batch).arg(estimate.rows)
                              : tr("batch %1").arg(estimate.batch);
    m_sizedFor->setText(tr("Sized for %1: %2 × %3, %4, gradient checkpointing %5; peak during %6.")
                            .arg(QString::fromLatin1(memoryDeviceName(estimate.device)))
                            .arg(batch)
                            .arg(sequenceText(estimate, project, options.longestExample.has_value()))
                            .arg(QString::fromStdString(enumName(project.training.precision)))
                            .arg(project.training.gradientCheckpointing ? tr("on") : tr("off"))
                            .arg(peakPhaseText(estimate.peakPhase)));

    if (fit && !fit->fits) {
        QString html = QStringLiteral("<b>⚠ %1</b>").arg(
            tr("This run needs about %1 more than the %2 available. Changes that help, largest saving first:")
                .arg(formatBytes(double(fit->requiredBytes - fit->availableBytes)), formatBytes(capacity)));
        html += QStringLiteral("<ul style=\"margin-left:12px\">");
        for (int i = 0; i < int(fit->suggestions.size()) && i < kShownSuggestions; ++i) {
            const FitSuggestion& s = fit->suggestions[std::size_t(i)];
            html += QStringLiteral("<li>%1: %2 %3 <a href=\"apply:%4\">%5</a></li>")
                        .arg(describeChange(project, s).toHtmlEscaped(),
                             tr("saves %1 (peak %2)").arg(formatBytes(double(s.savedBytes)), formatBytes(double(s.totalAfter))),
                             s.fitsAfter ? tr("— fits") : QString())
                        .arg(i)
                        .arg(tr("Apply"));
        }
        html += QStringLiteral("</ul>");
        if (fit->suggestions.empty()) html += tr("No single setting saves enough: choose a smaller model or a bigger machine.");
        m_advice->setText(html);
        m_advice->setVisible(true);
    }
}

void EstimateView::applySuggestion(const QString& link) {
    if (!link.startsWith(QLatin1String("apply:")) || !m_context.model->hasModel()) return;
    const int index = link.mid(6).toInt();
    const ProjectConfig& project = m_context.document->config();
    // Recompute rather than keep stale reports: the suggestion applies to the project as it is now.
    const auto memory = deviceMemory(project.training.device);
    if (!memory) return;
    FitReport fit = adviseFit(m_context.model->info().spec, project, memory->totalBytes);
    if (index < 0 || index >= int(fit.suggestions.size())) return;
    ProjectConfig changed = fit.suggestions[std::size_t(index)].project;
    changed.projectDir = project.projectDir;
    m_context.document->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) { c = changed; });
}

} // namespace lorastudio::ui

// StudioHeader (see the header file).
#include "studio_header.h"
#include "data_summary.h"
#include "error_text.h"

#include "estimate/device_memory.h"
#include "estimate/fit_advisor.h"
#include "model_context.h"
#include "project_document.h"
#include "training_controller.h"
#include "ui_format.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

#include <optional>

namespace lorastudio::ui {

namespace {
QLabel* headerLabel(const char* name, const QString& tip) {
    auto* label = new QLabel;
    label->setObjectName(QString::fromLatin1(name));
    label->setToolTip(tip);
    label->setTextFormat(Qt::RichText);
    label->setMinimumWidth(40);  // long texts are cut, never widen the window
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    return label;
}
QString link(const QString& page, const QString& text) {
    return QStringLiteral("<a href=\"%1\" style=\"text-decoration:none; color:palette(window-text)\">%2</a>").arg(page, text);
}
} // namespace

StudioHeader::StudioHeader(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    setObjectName(QStringLiteral("studioHeader"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(18);
    m_project = headerLabel("headerProject", tr("The open project"));
    m_trainable = headerLabel("headerTrainable", tr("Trainable parameters of this adapter (exact, as PEFT counts them). Click for the Adapter page."));
    m_memory = headerLabel("headerMemory", tr("Estimated peak memory of a training step against the device's memory. Click for the Adapter page."));
    m_run = headerLabel("headerRun", tr("The training run. Click for the Train page."));
    layout->addWidget(m_project, 2);
    layout->addWidget(m_trainable, 3);
    layout->addWidget(m_memory, 4);
    layout->addWidget(m_run, 3);
    for (QLabel* label : {m_trainable, m_memory, m_run})
        connect(label, &QLabel::linkActivated, this, &StudioHeader::pageRequested);

    connect(context.document, &ProjectDocument::replaced, this, &StudioHeader::updateCost);
    connect(context.document, &ProjectDocument::changed, this, &StudioHeader::updateCost);
    connect(context.document, &ProjectDocument::filePathChanged, this, &StudioHeader::updateCost);
    connect(context.model, &ModelContext::modelChanged, this, &StudioHeader::updateCost);
    if (context.data) connect(context.data, &DataSummary::changed, this, &StudioHeader::updateCost);
    if (TrainingController* t = context.training) {
        connect(t, &TrainingController::stateChanged, this, [this](TrainingController::State state) {
            if (state == TrainingController::State::Running && !m_ended.isEmpty()) {
                m_ended.clear();  // a new run
                m_sawStep = false;
            }
            updateRunState();
        });
        connect(t, &TrainingController::stepCompleted, this, &StudioHeader::onStep);
        connect(t, &TrainingController::finished, this, &StudioHeader::onFinished);
        connect(t, &TrainingController::failed, this, [this](const QString&) {
            m_ended = tr("Failed");
            updateRunState();
        });
    }
    updateCost();
    updateRunState();
}

void StudioHeader::updateCost() {
    const QString name = m_context.document->displayName();
    m_project->setText(QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped()));
    m_fits = false;
    if (!m_context.model->hasModel()) {
        m_trainable->setText(tr("No base model"));
        m_memory->setText(link(QStringLiteral("page.model"), tr("Choose a base model on the Model page")));
        return;
    }
    const ProjectConfig& project = m_context.document->config();
    try {
        const ModelSpec& spec = m_context.model->info().spec;
        // With the device's size known, the fit report carries the estimate: one core call.
        const auto memory = deviceMemory(project.training.device);
        const MemoryOptions options = sizedForData(m_context.data);
        const std::optional<FitReport> fit =
            memory ? std::optional<FitReport>(adviseFit(spec, project, memory->totalBytes, options)) : std::nullopt;
        const MemoryEstimate estimate = fit ? fit->estimate : estimateMemory(spec, project, options);
        const ParameterCounts& counts = estimate.counts;
        m_trainable->setText(link(QStringLiteral("page.adapter"),
                                  tr("<b>%1</b> trainable (%2 %)")
                                      .arg(formatParameterCount(counts.trainableParameters))
                                      .arg(QLocale().toString(counts.trainablePercent(), 'f', 2))));
        if (!fit) {
            m_memory->setText(link(QStringLiteral("page.adapter"),
                                   tr("Peak <b>%1</b> (the GPU's size cannot be read)").arg(formatBytes(double(estimate.total)))));
            return;
        }
        m_fits = fit->fits;
        const QString where = estimate.device == MemoryDevice::Cpu ? tr("RAM") : QString::fromStdString(memory->name);
        const QString verdict = fit->fits ? QStringLiteral("<span style=\"color:#2e7d32\">✔ %1</span>").arg(tr("fits"))
                                         : QStringLiteral("<span style=\"color:#c62828\">✘ %1</span>").arg(tr("does not fit"));
        m_memory->setText(link(QStringLiteral("page.adapter"),
                               tr("Peak <b>%1</b> of %2 %3 · %4")
                                   .arg(formatBytes(double(estimate.total)), formatBytes(double(fit->availableBytes)), where, verdict)));
    } catch (const std::exception& e) {
        m_trainable->setText(tr("No estimate"));
        m_memory->setText(errorText(e).toHtmlEscaped());
    }
}

void StudioHeader::onStep(const StepMetrics& m) {
    m_sawStep = true;
    m_step = m.step;
    m_totalSteps = m.totalSteps;
    updateRunState();
}

void StudioHeader::onFinished(const TrainResult& result) {
    m_step = result.step;
    m_totalSteps = result.totalSteps;
    switch (result.outcome) {
    case TrainOutcome::Completed: m_ended = tr("Completed at step %1").arg(m_step); break;
    case TrainOutcome::Stopped: m_ended = tr("Stopped at step %1 of %2").arg(m_step).arg(m_totalSteps); break;
    default: m_ended = tr("Diverged at step %1").arg(m_step); break;
    }
    updateRunState();
}

void StudioHeader::updateRunState() {
    const TrainingController* t = m_context.training;
    QString text;
    if (!t || t->state() == TrainingController::State::Idle) {
        text = m_ended.isEmpty() ? tr("No run yet") : m_ended;
    } else if (t->state() == TrainingController::State::Stopping) {
        text = tr("Stopping…");
    } else if (!m_sawStep) {
        text = tr("Loading the model and data…");
    } else if (t->state() == TrainingController::State::Paused) {
        text = tr("Paused at step %1 of %2").arg(m_step).arg(m_totalSteps);
    } else {
        text = tr("Training · step %1 of %2").arg(m_step).arg(m_totalSteps);
    }
    m_run->setText(link(QStringLiteral("page.train"), tr("Run: <b>%1</b>").arg(text.toHtmlEscaped())));
}

} // namespace lorastudio::ui

// Run settings panel: project.training's keys as grouped controls. Refreshing sets controls with
// m_updating raised, so a change that comes from elsewhere (open, a fit suggestion) never writes back.
#include "run_settings_panel.h"
#include "checked_spin_box.h"

#include "runtime/compute_threads.h"
#include "runtime/cpu_features.h"

#include "project_document.h"
#include "run_log_text.h"
#include "training_controller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace lorastudio::ui {

namespace {

constexpr int kIntMax = std::numeric_limits<int>::max();

// "2e-4" -> 0.0002 -> "0.0002": the shortest text that reads back as the same double.
QString numberText(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

// Reads "2e-4", "0.0002" (and the user's own decimal separator, e.g. "0,0002").
bool parseNumber(const QString& text, double& out) {
    bool ok = false;
    out = QLocale::c().toDouble(text.trimmed(), &ok);
    if (!ok) out = QLocale().toDouble(text.trimmed(), &ok);
    return ok && std::isfinite(out);
}

QString tipFor(const char* key, const QString& text) {
    return QStringLiteral("<b>training.%1</b><br>%2").arg(QLatin1String(key), text.toHtmlEscaped());
}

QGroupBox* group(QVBoxLayout* layout, const QString& title, QFormLayout*& form) {
    auto* box = new QGroupBox(title);
    form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addWidget(box);
    return box;
}

QLabel* noteLabel(const char* name) {
    auto* label = new QLabel;
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    QFont small = label->font();
    small.setPointSizeF(small.pointSizeF() * 0.92);
    label->setFont(small);
    return label;
}

} // namespace

RunSettingsPanel::RunSettingsPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this); // the dock scrolls it (MainWindow)

    m_runNote = new QLabel(tr("A run is in progress: changes here apply to the next run."));
    m_runNote->setObjectName(QStringLiteral("runSettingsRunNote"));
    m_runNote->setWordWrap(true);
    m_runNote->setVisible(false);
    layout->addWidget(m_runNote);

    QFormLayout* form = nullptr;
    // ---- Objective ----
    group(layout, tr("Objective"), form);
    addObjective(form);

    // ---- Optimisation ----
    group(layout, tr("Optimisation"), form);
    m_lr = addNumber(
        form, tr("Learning rate:"), "lr", [](const TrainingSettings& t) { return t.lr; },
        [](TrainingSettings& t, double v) { t.lr = v; }, [](double v) { return v > 0; }, tr("must be > 0, e.g. 2e-4"),
        tr("Peak learning rate of AdamW, reached after warmup. LoRA usually trains well with 1e-4 to 3e-4."));
    m_batchSize = addInt(form, tr("Batch size:"), "batch_size", 1, kIntMax, &TrainingSettings::batchSize,
                         tr("Examples per forward/backward pass. Memory grows with it; lower it if the run does not fit."));
    m_accumulation = addInt(form, tr("Gradient accumulation:"), "gradient_accumulation", 1, kIntMax,
                            &TrainingSettings::gradientAccumulation,
                            tr("Passes whose gradients add up before one optimizer step: a bigger effective batch "
                               "without more memory."));
    m_effectiveBatch = noteLabel("effectiveBatch");
    form->addRow(QString(), m_effectiveBatch);
    addNumber(
        form, tr("Weight decay:"), "weight_decay", [](const TrainingSettings& t) { return t.weightDecay; },
        [](TrainingSettings& t, double v) { t.weightDecay = v; }, [](double v) { return v >= 0; },
        tr("must be >= 0, e.g. 0 or 0.01"), tr("AdamW's decoupled weight decay on the LoRA weights; 0 turns it off."));
    addNumber(
        form, tr("LoRA+ ratio:"), "loraplus_lr_ratio", [](const TrainingSettings& t) { return t.loraplusLrRatio; },
        [](TrainingSettings& t, double v) { t.loraplusLrRatio = v; }, [](double v) { return v >= 0; },
        tr("must be >= 0, e.g. 16, or 0 for plain LoRA"),
        tr("LoRA+: the B matrices learn at this many times the learning rate, the A matrices at the learning rate; "
           "0 = off (one learning rate). The paper suggests 16."));
    for (int i = 0; i < 2; ++i)
        addNumber(
            form, i == 0 ? tr("Adam β1:") : tr("Adam β2:"), "adam_betas",
            [i](const TrainingSettings& t) { return t.adamBetas[std::size_t(i)]; },
            [i](TrainingSettings& t, double v) { t.adamBetas[std::size_t(i)] = v; },
            [](double v) { return v >= 0 && v < 1; }, tr("must be in [0, 1), e.g. 0.9 and 0.999"),
            i == 0 ? tr("Decay of AdamW's running mean of the gradients (β1), usually 0.9.")
                   : tr("Decay of AdamW's running mean of the squared gradients (β2), usually 0.999."));
    addNumber(
        form, tr("Adam ε:"), "adam_eps", [](const TrainingSettings& t) { return t.adamEps; },
        [](TrainingSettings& t, double v) { t.adamEps = v; }, [](double v) { return v > 0; },
        tr("must be > 0, e.g. 1e-8"), tr("Added to AdamW's denominator for numerical stability, usually 1e-8."));
    addNumber(
        form, tr("Max gradient norm:"), "max_grad_norm", [](const TrainingSettings& t) { return t.maxGradNorm; },
        [](TrainingSettings& t, double v) { t.maxGradNorm = v; }, [](double v) { return v >= 0; },
        tr("must be >= 0, e.g. 1.0"), tr("Clips the global gradient norm to this value; 0 disables clipping."));
    addInt(form, tr("Seed:"), "seed", std::numeric_limits<int>::min(), kIntMax, &TrainingSettings::seed,
           tr("Seed for the LoRA initialisation and dropout: the same seed repeats a run exactly."));

    // ---- Schedule ----
    group(layout, tr("Schedule"), form);
    addDouble(form, tr("Epochs:"), "epochs", 0, 1e6, 2, &TrainingSettings::epochs,
              tr("Passes over the training data; may be fractional. Ignored when max steps is above 0."));
    m_maxSteps = addInt(form, tr("Max steps:"), "max_steps", 0, kIntMax, &TrainingSettings::maxSteps,
                        tr("Optimizer steps to train. Above 0 it wins over epochs; 0 trains for the epochs."));
    m_maxSteps->setSpecialValueText(tr("0 (use epochs)"));
    m_length = noteLabel("trainingLength");
    form->addRow(QString(), m_length);
    m_schedule = addChoice(
        form, tr("Schedule:"), "schedule",
        {{tr("cosine: decay to 0 along a cosine"), int(LrSchedule::Cosine)},
         {tr("linear: decay to 0 in a straight line"), int(LrSchedule::Linear)},
         {tr("constant: keep the peak rate"), int(LrSchedule::Constant)}},
        [](const TrainingSettings& t) { return int(t.schedule); },
        [](TrainingSettings& t, int v) { t.schedule = static_cast<LrSchedule>(v); }, tr("The learning rate's shape after warmup."));
    addInt(form, tr("Warmup steps:"), "warmup_steps", 0, kIntMax, &TrainingSettings::warmupSteps,
           tr("Linear warmup from 0 over this many steps. Above 0 it wins over the warmup ratio."));
    addDouble(form, tr("Warmup ratio:"), "warmup_ratio", 0, 1, 3, &TrainingSettings::warmupRatio,
              tr("Warmup as a fraction of all steps; used when warmup steps is 0."));
    m_warmup = noteLabel("warmupNote");
    form->addRow(QString(), m_warmup);

    // ---- Precision & memory ----
    group(layout, tr("Precision && memory"), form);
    m_precision = addChoice(
        form, tr("Precision:"), "precision",
        {{tr("fp32: full precision"), int(Precision::Fp32)},
         {tr("bf16: half the activation memory"), int(Precision::Bf16)},
         {tr("fp16: half precision with loss scaling"), int(Precision::Fp16)}},
        [](const TrainingSettings& t) { return int(t.precision); },
        [](TrainingSettings& t, int v) { t.precision = static_cast<Precision>(v); },
        tr("Compute precision of the forward and backward passes. LoRA weights and optimizer state stay fp32."));
    m_checkpointing = new QCheckBox(tr("Gradient checkpointing"));
    m_checkpointing->setObjectName(QStringLiteral("gradient_checkpointing"));
    m_checkpointing->setToolTip(tipFor("gradient_checkpointing", tr("Recompute activations in the backward pass: "
                                                                    "much less memory, about a third more compute.")));
    form->addRow(QString(), m_checkpointing);
    connect(m_checkpointing, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_updating) edit([on](TrainingSettings& t) { t.gradientCheckpointing = on; });
    });
    m_refreshers.push_back([this](const TrainingSettings& t) { m_checkpointing->setChecked(t.gradientCheckpointing); });
    auto* memoryNote = noteLabel("memoryNote");
    memoryNote->setText(tr("The memory estimate (header, Adapter page) follows these settings."));
    form->addRow(QString(), memoryNote);
    addInt(form, tr("CPU threads:"), "threads", 0, 4096, &TrainingSettings::threads,
           tr("Threads LibTorch and OpenBLAS compute with on the CPU; 0 = auto: OMP_NUM_THREADS when set, "
              "else every physical core."))
        ->setSpecialValueText(tr("auto (%1)").arg(autoComputeThreads()));
    auto* cpuNote = noteLabel("cpuNote");
    form->addRow(QString(), cpuNote);
    m_refreshers.push_back([this, cpuNote](const TrainingSettings&) {
        cpuNote->setText(tr("In use now: %1 thread(s) · %2")
                             .arg(computeThreadsInUse())
                             .arg(bf16SupportText(cpuFeatures())));
    });

    // ---- Checkpoints & logging ----
    group(layout, tr("Checkpoints && logging"), form);
    m_outputDir = new QLineEdit;
    m_outputDir->setObjectName(QStringLiteral("output_dir"));
    m_outputDir->setToolTip(tr("output_dir: where the adapter, checkpoints and metrics.jsonl go; relative to the "
                               "project's folder."));
    form->addRow(tr("Output folder:"), m_outputDir);
    connect(m_outputDir, &QLineEdit::editingFinished, this, [this] {
        const std::string dir = m_outputDir->text().trimmed().toStdString();
        if (dir.empty()) {
            showError(tr("output_dir: must not be empty, e.g. runs/my-lora"));
            return;
        }
        showError(QString());
        m_context.document->edit(ProjectDocument::Part::Output, [&](ProjectConfig& c) { c.outputDir = dir; });
    });
    addInt(form, tr("Evaluate every:"), "eval_every", 0, kIntMax, &TrainingSettings::evalEvery,
           tr("Steps between validation runs; 0 = never."))
        ->setSpecialValueText(tr("never"));
    addInt(form, tr("Save every:"), "save_every", 0, kIntMax, &TrainingSettings::saveEvery,
           tr("Steps between checkpoints; 0 = only at the end. A stopped run always writes one."))
        ->setSpecialValueText(tr("only at the end"));
    addInt(form, tr("Checkpoints kept:"), "save_total_limit", 0, kIntMax, &TrainingSettings::saveTotalLimit,
           tr("After each save, older checkpoints beyond the newest N are deleted; 0 keeps them all."))
        ->setSpecialValueText(tr("all"));
    addInt(form, tr("Log every:"), "logging_every", 1, kIntMax, &TrainingSettings::loggingEvery,
           tr("Steps between log lines and plot points."));
    addInt(form, tr("Spectra every:"), "analysis_every", 0, kIntMax, &TrainingSettings::analysisEvery,
           tr("Steps between snapshots of the learned update's singular values, shown on the Inspect page; 0 = never."))
        ->setSpecialValueText(tr("never"));

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("runSettingsError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    layout->addWidget(m_error);
    layout->addStretch(1);

    connect(context.document, &ProjectDocument::replaced, this, &RunSettingsPanel::refresh);
    connect(context.document, &ProjectDocument::changed, this, [this](ProjectDocument::Part part) {
        const int parts = int(ProjectDocument::Part::Training) | int(ProjectDocument::Part::Output) | int(ProjectDocument::Part::Data);
        if (int(part) & parts) refresh();
    });
    if (context.training) {
        connect(context.training, &TrainingController::stateChanged, this,
                [this](TrainingController::State s) { m_runNote->setVisible(s != TrainingController::State::Idle); });
    }
    refresh();
}

QComboBox* RunSettingsPanel::addChoice(QFormLayout* form, const QString& label, const char* key, const Choices& choices,
                                       std::function<int(const TrainingSettings&)> get,
                                       std::function<void(TrainingSettings&, int)> set, const QString& tip) {
    auto* box = new QComboBox;
    box->setObjectName(QLatin1String(key));
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);  // the dock stays narrow
    box->setMinimumContentsLength(10);
    for (const auto& [text, value] : choices) box->addItem(text, value);
    box->setToolTip(tipFor(key, tip));
    form->addRow(label, box);
    connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, [this, box, set] {
        if (m_updating) return;
        const int v = box->currentData().toInt();
        edit([set, v](TrainingSettings& t) { set(t, v); });
    });
    m_refreshers.push_back([box, get](const TrainingSettings& t) { box->setCurrentIndex(box->findData(get(t))); });
    return box;
}

void RunSettingsPanel::addObjective(QFormLayout* form) {
    m_objective = addChoice(
        form, tr("Objective:"), "objective",
        {{tr("SFT: learn the answers"), int(Objective::Sft)},
         {tr("DPO: prefer the chosen answers"), int(Objective::Dpo)},
         {tr("ORPO: learn and prefer the chosen answers"), int(Objective::Orpo)}},
        [](const TrainingSettings& t) { return int(t.objective); },
        [](TrainingSettings& t, int v) { t.objective = static_cast<Objective>(v); },
        tr("SFT trains on the answers of instruction or chat data. DPO (Direct Preference Optimization) trains on "
           "preference pairs, a chosen and a rejected answer to each prompt, against the base model as reference "
           "(the adapter switched off: no second model in memory). ORPO trains on the same pairs without a reference: "
           "the next-token loss on the chosen sequences plus an odds-ratio term that favours them over the rejected ones."));
    m_dpoControls.push_back(addNumber(
        form, tr("DPO β:"), "dpo_beta", [](const TrainingSettings& t) { return t.dpoBeta; },
        [](TrainingSettings& t, double v) { t.dpoBeta = v; }, [](double v) { return v > 0; }, tr("must be > 0, e.g. 0.1"),
        tr("How strongly the policy is held near the reference: higher keeps it closer. 0.1 is TRL's default.")));
    m_dpoControls.push_back(addChoice(
        form, tr("DPO loss:"), "dpo_loss",
        {{tr("sigmoid: the DPO paper's loss"), int(DpoLoss::Sigmoid)},
         {tr("IPO: squared, on mean log-probabilities"), int(DpoLoss::Ipo)}},
        [](const TrainingSettings& t) { return int(t.dpoLoss); },
        [](TrainingSettings& t, int v) { t.dpoLoss = static_cast<DpoLoss>(v); },
        tr("sigmoid: -log σ(β·margin). IPO: (margin − 1/(2β))², less prone to overfitting on pairs that are always "
           "told apart.")));
    m_dpoControls.push_back(addNumber(
        form, tr("Label smoothing:"), "dpo_label_smoothing", [](const TrainingSettings& t) { return t.dpoLabelSmoothing; },
        [](TrainingSettings& t, double v) { t.dpoLabelSmoothing = v; }, [](double v) { return v >= 0 && v < 0.5; },
        tr("must be in [0, 0.5), e.g. 0.1"),
        tr("Conservative DPO (sigmoid loss only): the share of pairs whose chosen and rejected answers may be the "
           "wrong way round; 0 = plain DPO.")));
    m_orpoControls.push_back(addNumber(
        form, tr("ORPO λ:"), "orpo_beta", [](const TrainingSettings& t) { return t.orpoBeta; },
        [](TrainingSettings& t, double v) { t.orpoBeta = v; }, [](double v) { return v > 0; }, tr("must be > 0, e.g. 0.1"),
        tr("Weight of ORPO's odds-ratio term beside the next-token loss (the paper's λ; TRL's beta). 0.1 is TRL's default.")));
    m_objectiveNote = noteLabel("objectiveNote");
    form->addRow(QString(), m_objectiveNote);
    m_refreshers.push_back([this](const TrainingSettings& t) {
        const bool dpo = t.objective == Objective::Dpo, pairs = isPreferenceObjective(t.objective);
        for (QWidget* w : m_dpoControls) w->setEnabled(dpo);
        for (QWidget* w : m_orpoControls) w->setEnabled(t.objective == Objective::Orpo);
        const DataFormat format = m_context.document->config().data.format;
        if (pairs && format != DataFormat::Preference && format != DataFormat::Auto)
            m_objectiveNote->setText(tr("⚠ %1 trains on preference pairs: set the data format to preference pairs "
                                        "(Data page).").arg(dpo ? QStringLiteral("DPO") : QStringLiteral("ORPO")));
        else if (!pairs && format == DataFormat::Preference)
            m_objectiveNote->setText(tr("⚠ The data holds preference pairs, which train with DPO or ORPO."));
        else if (dpo)
            m_objectiveNote->setText(tr("Each step compares every pair's chosen and rejected answer under the adapter "
                                        "and under the base model; the log shows the reward accuracy and margin."));
        else if (pairs)
            m_objectiveNote->setText(tr("Each step learns the chosen answers and compares their odds with the rejected "
                                        "ones; no reference pass. The log shows the reward accuracy and margin."));
        else
            m_objectiveNote->setText(tr("The loss is the next-token loss on the answers."));
    });
}

QSpinBox* RunSettingsPanel::addInt(QFormLayout* form, const QString& label, const char* key, int min, int max,
                                   int TrainingSettings::*field, const QString& tip) {
    auto* box = new CheckedSpinBox;
    box->setObjectName(QLatin1String(key));
    box->setRange(min, max);
    box->setKeyboardTracking(false); // one edit when typing ends, not one per digit
    box->setToolTip(tipFor(key, tip));
    form->addRow(label, box);
    connect(box, qOverload<int>(&QSpinBox::valueChanged), this, [this, field](int v) {
        if (!m_updating) edit([field, v](TrainingSettings& t) { t.*field = v; });
    });
    m_refreshers.push_back([box, field](const TrainingSettings& t) { box->setValue(t.*field); });
    return box;
}

QDoubleSpinBox* RunSettingsPanel::addDouble(QFormLayout* form, const QString& label, const char* key, double min,
                                            double max, int decimals, double TrainingSettings::*field,
                                            const QString& tip) {
    auto* box = new CheckedDoubleSpinBox;
    box->setObjectName(QLatin1String(key));
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setSingleStep(decimals >= 3 ? 0.01 : 0.5);
    box->setKeyboardTracking(false);
    box->setToolTip(tipFor(key, tip));
    form->addRow(label, box);
    connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this, field](double v) {
        if (!m_updating) edit([field, v](TrainingSettings& t) { t.*field = v; });
    });
    // A value the box cannot show exactly (epochs 1.333) stays in the project until the user edits it.
    m_refreshers.push_back([box, field](const TrainingSettings& t) { box->setValue(t.*field); });
    return box;
}

QLineEdit* RunSettingsPanel::addNumber(QFormLayout* form, const QString& label, const char* key,
                                       std::function<double(const TrainingSettings&)> get,
                                       std::function<void(TrainingSettings&, double)> set,
                                       std::function<bool(double)> valid, const QString& rule, const QString& tip) {
    auto* line = new QLineEdit;
    line->setObjectName(QLatin1String(key));
    line->setToolTip(tipFor(key, tip));
    form->addRow(label, line);
    const QString name = QStringLiteral("training.") + QLatin1String(key);
    connect(line, &QLineEdit::editingFinished, this, [this, line, name, set, valid, rule] {
        double v = 0;
        if (!parseNumber(line->text(), v) || !valid(v)) {
            line->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #c0392b; }"));
            showError(tr("%1: '%2' is not valid: %3").arg(name, line->text(), rule));
            return;
        }
        line->setStyleSheet(QString());
        showError(QString());
        edit([set, v](TrainingSettings& t) { set(t, v); });
    });
    m_refreshers.push_back([line, get](const TrainingSettings& t) {
        line->setText(numberText(get(t)));
        line->setStyleSheet(QString());
    });
    return line;
}

void RunSettingsPanel::edit(const Apply& apply) {
    m_context.document->edit(ProjectDocument::Part::Training, [&](ProjectConfig& c) { apply(c.training); });
    updateDerived(); // also when the edit changed nothing
}

void RunSettingsPanel::refresh() {
    const TrainingSettings& t = m_context.document->config().training;
    m_updating = true;
    for (const auto& r : m_refreshers) r(t);
    m_outputDir->setText(QString::fromStdString(m_context.document->config().outputDir));
    m_updating = false;
    showError(QString());
    updateDerived();
}

void RunSettingsPanel::updateDerived() {
    const TrainingSettings& t = m_context.document->config().training;
    const qint64 effective = qint64(t.batchSize) * t.gradientAccumulation;
    const QString perStep = isPreferenceObjective(t.objective) ? tr("Effective batch: %1 × %2 = %3 preference pairs per optimizer step")
                                                          : tr("Effective batch: %1 × %2 = %3 examples per optimizer step");
    m_effectiveBatch->setText(perStep.arg(t.batchSize).arg(t.gradientAccumulation).arg(QLocale().toString(effective)));
    if (t.maxSteps > 0)
        m_length->setText(tr("Trains %1 optimizer steps: max steps wins, epochs is ignored.")
                              .arg(QLocale().toString(t.maxSteps)));
    else if (t.epochs > 0)
        m_length->setText(tr("Trains %1 epochs (max steps is 0).").arg(QLocale().toString(t.epochs, 'g', 6)));
    else
        m_length->setText(tr("⚠ Epochs and max steps are both 0: nothing would train."));
    if (t.warmupSteps > 0)
        m_warmup->setText(tr("Warmup: %1 steps (warmup steps wins over the ratio).").arg(t.warmupSteps));
    else
        m_warmup->setText(tr("Warmup: %1 % of all steps.").arg(QLocale().toString(t.warmupRatio * 100, 'g', 4)));
}

void RunSettingsPanel::showError(const QString& message) {
    m_error->setText(message.isEmpty() ? QString() : QStringLiteral("⚠ ") + message);
    m_error->setVisible(!message.isEmpty());
}

} // namespace lorastudio::ui

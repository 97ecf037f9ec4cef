// LoRA panel: hyper-parameter controls bound to project.lora (the advanced keys in LoraAdvancedEditor)
// and the numbers derived from them.
#include "lora_panel.h"
#include "checked_spin_box.h"
#include "data_summary.h"

#include "estimate/device_memory.h"
#include "estimate/memory_estimate.h"
#include "estimate_view.h"
#include "lora_advanced.h"
#include "lora/target_matching.h"
#include "model_context.h"
#include "model_info.h"
#include "note_label.h"
#include "project_document.h"
#include "run_log_text.h"
#include "ui_format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace lorastudio::ui {

LoraPanel::LoraPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    // The settings (and the Advanced section) scroll in their own area above the Cost box, which
    // stays in view however far they reach: the cost is what this page is for.
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* settingsScroll = new QScrollArea;
    settingsScroll->setObjectName(QStringLiteral("loraSettingsScroll"));
    settingsScroll->setFrameShape(QFrame::NoFrame);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    settingsScroll->setMinimumHeight(160);
    auto* settingsArea = new QWidget;
    auto* layout = new QVBoxLayout(settingsArea);
    auto* settings = new QGroupBox(tr("LoRA settings"));
    auto* form = new QFormLayout(settings);

    m_rank = new CheckedSpinBox;
    m_rank->setObjectName(QStringLiteral("loraRank"));
    m_rank->setRange(1, 4096);
    m_rank->setToolTip(tr("r: the rank of the update B·A. Parameters grow linearly with r."));
    form->addRow(tr("Rank (r):"), m_rank);
    m_rankWarning = makeNoteLabel(QStringLiteral("loraRankWarning"));
    form->addRow(QString(), m_rankWarning);

    m_alpha = new CheckedDoubleSpinBox;
    m_alpha->setObjectName(QStringLiteral("loraAlpha"));
    m_alpha->setRange(0.01, 100000);
    m_alpha->setDecimals(2);
    m_alpha->setToolTip(tr("lora_alpha: the update is scaled by alpha / r (alpha / √r with rsLoRA)."));
    form->addRow(tr("Alpha:"), m_alpha);

    m_dropout = new CheckedDoubleSpinBox;
    m_dropout->setObjectName(QStringLiteral("loraDropout"));
    m_dropout->setRange(0, 0.99);
    m_dropout->setSingleStep(0.05);
    m_dropout->setDecimals(3);
    form->addRow(tr("Dropout:"), m_dropout);

    m_rslora = new QCheckBox(tr("rsLoRA (scaling alpha / √r)"));
    m_rslora->setToolTip(tr("Rank-stabilised LoRA: scale the update by alpha / √r instead of alpha / r."));
    m_dora = new QCheckBox(tr("DoRA (a trained magnitude per output)"));
    m_dora->setObjectName(QStringLiteral("loraDora"));
    m_dora->setToolTip(tr("Weight-decomposed LoRA (PEFT's use_dora): W' = m · (W + ΔW) / ‖W + ΔW‖ per output row, "
                          "with the magnitude m trained too. Costs one number per output and some speed."));
    auto* variantRow = new QHBoxLayout;  // one row: the page must fit a laptop screen
    variantRow->addWidget(m_rslora);
    variantRow->addWidget(m_dora);
    variantRow->addStretch(1);
    form->addRow(QString(), variantRow);

    m_scaling = new QLabel;
    m_scaling->setObjectName(QStringLiteral("loraScaling"));
    form->addRow(tr("Scaling:"), m_scaling);

    m_bias = new QComboBox;

    m_bias->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);

    m_bias->setMinimumContentsLength(8);
    m_bias->addItem(tr("none: biases stay frozen"), int(LoraBias::None));
    m_bias->addItem(tr("all: train every bias"), int(LoraBias::All));
    m_bias->addItem(tr("lora_only: train biases of LoRA modules"), int(LoraBias::LoraOnly));
    form->addRow(tr("Bias:"), m_bias);

    auto* initRow = new QHBoxLayout;
    m_init = new QComboBox;
    m_init->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_init->setMinimumContentsLength(8);
    m_init->addItem(tr("default"), int(LoraInit::Default));
    m_init->setItemData(0, tr("A Kaiming-uniform, B zero: training starts from the base model."), Qt::ToolTipRole);
    m_init->addItem(tr("gaussian"), int(LoraInit::Gaussian));
    m_init->setItemData(1, tr("A normal with std 1/r, B zero."), Qt::ToolTipRole);
    m_init->addItem(tr("PiSSA"), int(LoraInit::Pissa));
    m_init->setItemData(2, tr("A and B from the principal singular vectors of each weight; the residual "
                              "replaces the base weight."), Qt::ToolTipRole);
    m_pissaIter = new CheckedSpinBox;
    m_pissaIter->setRange(0, 1000);
    m_pissaIter->setSpecialValueText(tr("full SVD"));
    m_pissaIter->setPrefix(tr("iterations: "));
    m_pissaIter->setToolTip(tr("PiSSA: 0 computes a full SVD; N uses a fast randomized SVD with N iterations."));
    initRow->addWidget(m_init, 1);
    initRow->addWidget(m_pissaIter);
    form->addRow(tr("Init:"), initRow);

    auto* quantRow = new QHBoxLayout;
    m_quant = new QComboBox;
    m_quant->setObjectName(QStringLiteral("loraQuantization"));
    m_quant->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_quant->setMinimumContentsLength(8);
    m_quant->addItem(tr("none: dense base weights"), int(BaseQuantization::None));
    m_quant->addItem(tr("nf4: 4-bit NormalFloat (QLoRA)"), int(BaseQuantization::Nf4));
    m_quant->addItem(tr("int8: 8 bits per weight"), int(BaseQuantization::Int8));
    m_quant->setToolTip(tr("lora.quantization: keep the frozen base weights of the adapted layers quantized while "
                           "training; each matmul dequantizes them. Merge and export read the original checkpoint."));
    m_quantAll = new QCheckBox(tr("all linear layers"));
    m_quantAll->setObjectName(QStringLiteral("loraQuantizeAll"));
    m_quantAll->setToolTip(tr("Quantize every linear layer except the output head, not only the adapted ones."));
    quantRow->addWidget(m_quant, 1);
    quantRow->addWidget(m_quantAll);
    form->addRow(tr("Base weights:"), quantRow);
    m_quantSaving = makeNoteLabel(QStringLiteral("loraQuantSaving"));
    form->addRow(QString(), m_quantSaving);

    m_device = new QComboBox;

    m_device->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);

    m_device->setMinimumContentsLength(8);
    m_device->setEditable(true);
    m_device->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda"), QStringLiteral("cuda:0")});
    m_device->setToolTip(tr("training.device: where the run trains; the estimate is sized for it."));
    form->addRow(tr("Device:"), m_device);
    m_deviceMemory = new QLabel;
    m_deviceMemory->setObjectName(QStringLiteral("deviceMemory"));
    form->addRow(tr("Device memory:"), m_deviceMemory);
    layout->addWidget(settings);

    m_advancedToggle = new QToolButton;
    m_advancedToggle->setObjectName(QStringLiteral("loraAdvancedToggle"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    m_advancedToggle->setToolTip(tr("exclude_modules, modules_to_save, rank_pattern and alpha_pattern"));
    layout->addWidget(m_advancedToggle);
    m_advanced = new LoraAdvancedEditor(context.document);
    m_advanced->setVisible(false);
    layout->addWidget(m_advanced);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool open) {
        m_advancedToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_advanced->setVisible(open);
    });

    layout->addStretch(1);
    settingsScroll->setWidget(settingsArea);
    // The settings take what they need, the Cost box follows right below them, the rest stays
    // empty at the bottom; on a short screen the settings give way (down to 160 px) before the cost.
    outer->addWidget(settingsScroll, 0);

    auto* costs = new QGroupBox(tr("Cost"));
    auto* costsLayout = new QVBoxLayout(costs);
    m_estimate = new EstimateView(context);
    costsLayout->addWidget(m_estimate);
    outer->addWidget(costs, 0);
    outer->addStretch(1);

    auto onChange = [this] { writeControls(); };
    connect(m_rank, qOverload<int>(&QSpinBox::valueChanged), this, onChange);
    connect(m_alpha, qOverload<double>(&QDoubleSpinBox::valueChanged), this, onChange);
    connect(m_dropout, qOverload<double>(&QDoubleSpinBox::valueChanged), this, onChange);
    connect(m_rslora, &QCheckBox::toggled, this, onChange);
    connect(m_dora, &QCheckBox::toggled, this, onChange);
    connect(m_quant, qOverload<int>(&QComboBox::currentIndexChanged), this, onChange);
    connect(m_quantAll, &QCheckBox::toggled, this, onChange);
    connect(m_bias, qOverload<int>(&QComboBox::currentIndexChanged), this, onChange);
    connect(m_init, qOverload<int>(&QComboBox::currentIndexChanged), this, onChange);
    connect(m_pissaIter, qOverload<int>(&QSpinBox::valueChanged), this, onChange);
    connect(m_device, &QComboBox::currentTextChanged, this, onChange);

    connect(context.document, &ProjectDocument::replaced, this, &LoraPanel::refresh);
    connect(context.document, &ProjectDocument::changed, this, [this](ProjectDocument::Part part) {
        if (int(part) & (int(ProjectDocument::Part::Lora) | int(ProjectDocument::Part::Training) |
                         int(ProjectDocument::Part::Data)))
            refresh();
    });
    connect(context.model, &ModelContext::modelChanged, this, &LoraPanel::updateDerived);
    if (context.data) connect(context.data, &DataSummary::changed, this, &LoraPanel::updateDerived);
    refresh();
}

void LoraPanel::refresh() {
    const ProjectConfig& c = m_context.document->config();
    m_updating = true;
    m_rank->setValue(c.lora.r);
    m_alpha->setValue(c.lora.loraAlpha);
    m_dropout->setValue(c.lora.loraDropout);
    m_rslora->setChecked(c.lora.useRslora);
    m_dora->setChecked(c.lora.useDora);
    m_quant->setCurrentIndex(m_quant->findData(int(c.lora.quantization)));
    m_bias->setCurrentIndex(m_bias->findData(int(c.lora.bias)));
    m_init->setCurrentIndex(m_init->findData(int(c.lora.init)));
    m_pissaIter->setValue(c.lora.pissaNiter);
    m_pissaIter->setEnabled(c.lora.init == LoraInit::Pissa);
    const int inUse = int(!c.lora.excludeModules.isEmpty()) + int(!c.lora.modulesToSave.empty()) +
                      int(!c.lora.rankPattern.empty()) + int(!c.lora.alphaPattern.empty());
    m_advancedToggle->setText(inUse > 0 ? tr("Advanced (%n in use)", nullptr, inUse) : tr("Advanced"));
    if (m_device->currentText() != QString::fromStdString(c.training.device))
        m_device->setCurrentText(QString::fromStdString(c.training.device));
    m_updating = false;
    updateDerived();
}

void LoraPanel::writeControls() {
    if (m_updating) return;
    const std::string device = m_device->currentText().trimmed().toStdString();
    m_context.document->edit(ProjectDocument::Part::Lora, [&](ProjectConfig& c) {
        c.lora.r = m_rank->value();
        c.lora.loraAlpha = m_alpha->value();
        c.lora.loraDropout = m_dropout->value();
        c.lora.useRslora = m_rslora->isChecked();
        c.lora.useDora = m_dora->isChecked();
        c.lora.quantization = static_cast<BaseQuantization>(m_quant->currentData().toInt());
        // A disabled box (no quantization, or fixed on by a bitsandbytes folder) leaves the key alone.
        c.lora.quantizeAllLinear = c.lora.quantization != BaseQuantization::None &&
                                   (m_quantAll->isEnabled() ? m_quantAll->isChecked() : c.lora.quantizeAllLinear);
        c.lora.bias = static_cast<LoraBias>(m_bias->currentData().toInt());
        c.lora.init = static_cast<LoraInit>(m_init->currentData().toInt());
        c.lora.pissaNiter = c.lora.init == LoraInit::Pissa ? m_pissaIter->value() : 0;
        if (isValidDevice(device)) c.training.device = device;
    });
    m_pissaIter->setEnabled(m_init->currentData().toInt() == int(LoraInit::Pissa));
}

void LoraPanel::updateDerived() {
    const LoraSettings& lora = m_context.document->config().lora;
    // r above min(in, out) of a targeted module: said, naming the module (the estimate still counts it).
    QStringList rankNotes;
    if (m_context.model && m_context.model->hasModel()) {
        try {
            for (const auto& w : rankWarnings(planLoraTargets(m_context.model->info().spec, lora)))
                rankNotes << rankWarningText(w);
        } catch (const std::exception&) {
            // no targets (the Modules panel says why) or a bad rank (the estimate says why)
        }
    }
    m_rankWarning->setText(rankNotes.join(QStringLiteral("\n")));
    m_rankWarning->setVisible(!rankNotes.isEmpty());
    const double scaling = loraScaling(lora.loraAlpha, lora.r, lora.useRslora);
    m_scaling->setText((lora.useRslora ? tr("alpha / √r = %1") : tr("alpha / r = %1")).arg(scaling, 0, 'g', 6));

    updateQuantizationSaving();
    updateQuantizeAllBox();

    const std::string device = m_context.document->config().training.device;
    const auto memory = deviceMemory(device);
    if (!memory) {
        m_deviceMemory->setText(tr("unknown (no NVIDIA driver to ask)"));
    } else if (memory->device == "cpu") {
        m_deviceMemory->setText(tr("%1 RAM (CPU)").arg(formatBytes(double(memory->totalBytes))));
    } else {
        m_deviceMemory->setText(tr("%1 on %2 (%3), %4 free")
                                    .arg(formatBytes(double(memory->totalBytes)), QString::fromStdString(memory->name),
                                         QString::fromStdString(memory->device), formatBytes(double(memory->freeBytes))));
    }
}

namespace {
// Whether bitsandbytes stored every linear layer that "all linear layers" would quantize (a Hub
// "-bnb-4bit" folder): with QLoRA all of them stay quantized as stored, whatever the box says.
bool storedCoversAllLinear(const ModelSpec& spec, const LoraSettings& lora) {
    if (!spec.storedQuantization.any()) return false;
    LoraSettings all = lora;
    all.quantizeAllLinear = true;
    try {
        const std::vector<std::string> names = quantizedModuleNames(linearModuleShapes(spec), all);
        return !names.empty() && std::all_of(names.begin(), names.end(), [&](const std::string& n) {
            return spec.storedQuantization.covers(n);
        });
    } catch (const std::exception&) {
        return false;  // targets matching nothing: the estimate says why
    }
}
} // namespace

void LoraPanel::updateQuantizeAllBox() {
    const LoraSettings& lora = m_context.document->config().lora;
    const bool quantized = lora.quantization != BaseQuantization::None;
    const bool stored = quantized && m_context.model && m_context.model->hasModel() &&
                        storedCoversAllLinear(m_context.model->info().spec, lora);
    const QSignalBlocker block(m_quantAll);
    m_quantAll->setChecked(stored || lora.quantizeAllLinear);
    m_quantAll->setEnabled(quantized && !stored);
    m_quantAll->setToolTip(stored ? tr("bitsandbytes stored every linear layer of this model quantized (%1): they stay so "
                                       "while training, adapted or not.")
                                        .arg(QString::fromStdString(m_context.model->info().spec.storedQuantization.describe()))
                                  : tr("Quantize every linear layer except the output head, not only the adapted ones."));
}

void LoraPanel::updateQuantizationSaving() {
    // What the base weights take dense and as chosen (or, with none, what nf4 would save).
    const ProjectConfig& config = m_context.document->config();
    QString text;
    if (m_context.model && m_context.model->hasModel()) {
        try {
            const ModelSpec& spec = m_context.model->info().spec;
            ProjectConfig dense = config, chosen = config;
            dense.lora.quantization = BaseQuantization::None;
            dense.lora.quantizeAllLinear = false;
            if (chosen.lora.quantization == BaseQuantization::None) chosen.lora.quantization = BaseQuantization::Nf4;
            const MemoryOptions options = sizedForData(m_context.data);
            const MemoryEstimate a = estimateMemory(spec, dense, options), b = estimateMemory(spec, chosen, options);
            const QString saved = formatBytes(double(a.total - b.total));
            text = config.lora.quantization == BaseQuantization::None
                       ? tr("nf4 would keep the base weights in %1 instead of %2 (%3 less at the peak).")
                             .arg(formatBytes(double(b.weights)), formatBytes(double(a.weights)), saved)
                       : tr("Base weights %1 instead of %2: %3 less at the peak.")
                             .arg(formatBytes(double(b.weights)), formatBytes(double(a.weights)), saved);
        } catch (const std::exception&) {
            // no targets or a bad setting: the estimate view says why
        }
    }
    m_quantSaving->setText(text);
    m_quantSaving->setVisible(!text.isEmpty());
}

} // namespace lorastudio::ui

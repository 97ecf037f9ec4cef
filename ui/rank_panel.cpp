// Rank panel (see the header). Opening or comparing adapters reads safetensors files and runs a QR
// per module: under a second for small models, seconds for a 7B adapter with a base model to read,
// so it runs on a worker thread (QtConcurrent) and the GUI stays live.
#include "analysis/adapter_analysis.h"
#include "analysis/adapter_modules.h"
#include "error_text.h"
#include "train/train_types.h"

#include "rank_panel.h"

#include "chart_view.h"
#include "learning_summary_view.h"
#include "rank_advice_text.h"
#include "rank_suggestion_view.h"

#include "model_context.h"
#include "project_document.h"
#include "qcustomplot_include.h"
#include "training_controller.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace lorastudio::ui {

namespace {

QCustomPlot* makePlot(QWidget* owner, const QString& title) {
    auto* plot = new QCustomPlot;
    plot->setMinimumSize(240, 170);
    stylePlot(plot, owner->palette());
    plot->plotLayout()->insertRow(0);
    auto* caption = new QCPTextElement(plot, title, QFont(owner->font().family(), owner->font().pointSize(), QFont::Bold));
    caption->setTextColor(owner->palette().color(QPalette::WindowText));
    plot->plotLayout()->addElement(0, 0, caption);
    ChartView::install(plot);  // wheel scrolls the page, Ctrl+wheel zooms, double click redraws
    return plot;
}

QCPColorMap* addColorMap(QCustomPlot* plot, const QString& label) {
    auto* map = new QCPColorMap(plot->xAxis, plot->yAxis);
    auto* scale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(1, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->axis()->setLabel(label);
    map->setColorScale(scale);
    // Viridis (perceptually uniform, readable in grey): this QCustomPlot has no preset for it.
    QCPColorGradient viridis;
    viridis.clearColorStops();
    viridis.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    viridis.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    viridis.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    viridis.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    viridis.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    map->setGradient(viridis);
    map->setInterpolate(false);
    auto* group = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    return map;
}

} // namespace

struct RankPanel::Job {
    QStringList folders;                           // the adapter, or the two compared
    std::shared_ptr<AdapterReport> report;         // open: the adapter; compare: the first, when asked
    std::shared_ptr<AdapterComparison> comparison; // compare only
    QString error;                                 // what went wrong, in core's words
};

namespace {

// Runs on a worker thread: only values in, only values out.
std::shared_ptr<RankPanel::Job> analyseFolder(const QString& folder, const QString& baseModel) {
    auto job = std::make_shared<RankPanel::Job>();
    job->folders = {folder};
    try {
        std::vector<ModuleInput> inputs;
        try {
            inputs = adapterModuleInputs(folder.toStdString(), baseModel.toStdString());
        } catch (const std::exception&) {
            if (baseModel.isEmpty()) throw;
            inputs = adapterModuleInputs(folder.toStdString()); // another base model: no relative norms
        }
        job->report = std::make_shared<AdapterReport>(analyzeAdapter(inputs));
    } catch (const std::exception& e) {
        job->error = errorText(e);
    }
    return job;
}

std::shared_ptr<RankPanel::Job> compareTwo(const QString& first, const QString& second, SubspaceBasis basis, bool withReport) {
    auto job = std::make_shared<RankPanel::Job>();
    job->folders = {first, second};
    try {
        const std::vector<ModuleInput> a = adapterModuleInputs(first.toStdString());
        job->comparison = std::make_shared<AdapterComparison>(compareAdapters(a, adapterModuleInputs(second.toStdString()), basis));
        if (withReport) job->report = std::make_shared<AdapterReport>(analyzeAdapter(a));
    } catch (const std::exception& e) {
        job->error = errorText(e);
    }
    return job;
}

} // namespace

RankPanel::RankPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_open = new QPushButton(tr("Open adapter…"));
    m_open->setObjectName(QStringLiteral("rankOpen"));
    m_open->setToolTip(tr("Analyse a PEFT adapter folder (adapter_config.json + adapter_model.safetensors)"));
    m_compare = new QPushButton(tr("Compare two…"));
    m_compare->setObjectName(QStringLiteral("rankCompare"));
    m_compare->setToolTip(tr("Subspace similarity φ between two adapters or checkpoints"));
    m_module = new QComboBox;
    m_module->setObjectName(QStringLiteral("rankModule"));
    m_module->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_module->setMinimumContentsLength(24);
    top->addWidget(m_open);
    top->addWidget(m_compare);
    m_basis = new QComboBox;
    m_basis->setObjectName(QStringLiteral("rankBasis"));
    m_basis->addItem(tr("φ of ΔW's input directions"), static_cast<int>(SubspaceBasis::UpdateRight));
    m_basis->addItem(tr("φ of ΔW's output directions"), static_cast<int>(SubspaceBasis::UpdateLeft));
    m_basis->addItem(tr("φ of A's row space (LoRA paper)"), static_cast<int>(SubspaceBasis::LoraA));
    m_basis->setToolTip(tr("Which subspaces are compared. A barely moves from its random start in a short run, "
                           "so ΔW's singular directions show more."));
    top->addWidget(m_basis);
    top->addWidget(new QLabel(tr("Module:")));
    top->addWidget(m_module, 1);
    layout->addLayout(top);

    m_source = new QLabel(tr("No analysis yet: train (a snapshot every few steps) or open an adapter folder."));
    m_source->setWordWrap(true);
    layout->addWidget(m_source);
    m_advice = new QLabel;
    m_advice->setObjectName(QStringLiteral("rankAdvice"));
    m_advice->setWordWrap(true);
    m_advice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_advice->font();
    bold.setBold(true);
    m_advice->setFont(bold);
    layout->addWidget(m_advice);
    m_moduleAdvice = new QLabel;
    m_moduleAdvice->setObjectName(QStringLiteral("rankModuleAdvice"));
    m_moduleAdvice->setWordWrap(true);
    m_moduleAdvice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_moduleAdvice);

    auto* grid = new QGridLayout;
    m_spectrum = makePlot(this, tr("Singular values of ΔW"));
    m_spectrum->xAxis->setLabel(tr("index i"));
    m_spectrum->yAxis->setLabel(tr("σᵢ"));
    m_spectrum->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_spectrum->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_spectrum->addGraph()->setPen(QPen(plotColor(0), 2));
    m_spectrum->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));

    m_energy = makePlot(this, tr("Energy in the top k directions"));
    m_energy->xAxis->setLabel(tr("k"));
    m_energy->yAxis->setLabel(tr("energy"));
    m_energy->addGraph()->setPen(QPen(plotColor(2), 2));
    m_energy->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
    QPen dashed(plotColor(1), 1, Qt::DashLine);
    m_energy->addGraph()->setPen(dashed);
    m_energy->graph(1)->setName(tr("95%"));

    m_heatmap = makePlot(this, tr("Effective rank per layer and module"));
    m_heatmap->yAxis->setLabel(tr("layer"));
    m_heatmapMap = addColorMap(m_heatmap, tr("effective rank"));

    m_phiPlot = makePlot(this, tr("Subspace similarity φ(i, j)"));
    m_phiPlot->xAxis->setLabel(tr("j (second)"));
    m_phiPlot->yAxis->setLabel(tr("i (first)"));
    m_phiMap = addColorMap(m_phiPlot, tr("φ"));
    m_phiMap->setDataRange(QCPRange(0, 1));
    m_phiCaption = new QLabel(tr("Compare two adapters to see φ."));
    m_phiCaption->setWordWrap(true);

    grid->addWidget(m_spectrum, 0, 0);
    grid->addWidget(m_energy, 0, 1);
    grid->addWidget(m_heatmap, 1, 0);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("rankTabs"));
    m_suggestions = new RankSuggestionView(m_context);
    m_tabs->addTab(m_suggestions, tr("Suggested ranks"));
    m_learning = new LearningSummaryView;
    m_tabs->addTab(m_learning, tr("Where learning happened"));
    auto* phiPage = new QWidget;
    auto* phiBox = new QVBoxLayout(phiPage);
    phiBox->setContentsMargins(0, 0, 0, 0);
    phiBox->addWidget(m_phiPlot, 1);
    phiBox->addWidget(m_phiCaption);
    m_tabs->addTab(phiPage, tr("Subspace similarity φ"));
    grid->addWidget(m_tabs, 1, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
    grid->setColumnStretch(0, 1);  // the plots and the tabs share the width evenly
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid, 1);

    connect(m_module, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) { showModule(i); showPhi(); });
    connect(m_suggestions, &RankSuggestionView::moduleActivated, m_module, &QComboBox::setCurrentIndex);
    // Clicking a heatmap cell shows that module's spectrum.
    connect(m_heatmap, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() == Qt::LeftButton) selectHeatmapCellAt(event->pos());
    });
    m_heatmap->setToolTip(tr("Click a cell to show that module's singular values"));
    ChartView::of(m_spectrum)->setRefit([this] { showModule(m_module->currentIndex()); });
    ChartView::of(m_energy)->setRefit([this] { showModule(m_module->currentIndex()); });
    ChartView::of(m_phiPlot)->setRefit([this] { showPhi(); });
    ChartView::of(m_heatmap)->setRefit([this] {
        m_heatmap->xAxis->setRange(m_heatmapView[0], m_heatmapView[1]);
        m_heatmap->yAxis->setRange(m_heatmapView[2], m_heatmapView[3]);
    });
    connect(m_basis, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        if (m_compared.size() == 2) compareFolders(m_compared[0], m_compared[1]);
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open adapter folder"), startFolder());
        if (!folder.isEmpty()) openAdapter(folder);
    });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const QString first = QFileDialog::getExistingDirectory(this, tr("Compare: the first adapter or checkpoint (1 of 2)"),
                                                                startFolder());
        if (first.isEmpty()) return;
        const QString second = QFileDialog::getExistingDirectory(
            this, tr("Compare with %1: the second adapter or checkpoint (2 of 2)").arg(QFileInfo(first).fileName()),
            QFileInfo(first).absolutePath());
        if (!second.isEmpty()) compareFolders(first, second);
    });
    connect(&m_openJob, &QFutureWatcher<std::shared_ptr<Job>>::finished, this, &RankPanel::finishOpen);
    connect(&m_compareJob, &QFutureWatcher<std::shared_ptr<Job>>::finished, this, &RankPanel::finishCompare);
    if (m_context.training) {
        connect(m_context.training, &TrainingController::analysed, this, &RankPanel::showSnapshot);
        // Each new checkpoint (a loadable adapter) is compared with the one before: is the learned
        // subspace still moving? The trainer keeps the newest few, so the previous one is still there.
        connect(m_context.training, &TrainingController::checkpointSaved, this, [this](const CheckpointInfo& c) {
            const QString current = QString::fromStdString(c.path);
            if (!m_lastCheckpoint.isEmpty() && m_lastCheckpoint != current) compareFolders(m_lastCheckpoint, current);
            m_lastCheckpoint = current;
        });
        connect(m_context.training, &TrainingController::finished, this, [this](const TrainResult& r) {
            runEnded(r.outcome == TrainOutcome::Completed ? tr("Run completed at step %1").arg(r.step)
                                                          : tr("Run stopped at step %1").arg(r.step));
        });
        connect(m_context.training, &TrainingController::failed, this, [this] { runEnded(tr("Run failed")); });
    }
}

RankPanel::~RankPanel() = default;

int RankPanel::moduleCount() const { return m_report ? static_cast<int>(m_report->modules.size()) : 0; }
QString RankPanel::adviceText() const { return m_advice->text(); }

void RankPanel::showSnapshot(const AnalysisSnapshot& snapshot) {
    m_report = std::make_unique<AdapterReport>(snapshot.report);
    showReport(tr("Training, step %1").arg(snapshot.step));
    m_liveStep = snapshot.step;
}

void RankPanel::runEnded(const QString& how) {
    m_lastCheckpoint.clear();
    if (m_liveStep < 0) return;  // the panel shows an opened adapter or a comparison: it stays
    m_source->setText(tr("%1; the spectra are its last snapshot, at step %2").arg(how).arg(m_liveStep));
    m_liveStep = -1;
}

QString RankPanel::sourceText() const { return m_source->text(); }

QString RankPanel::startFolder() const {
    // Where a user's adapters and checkpoints are: the run's output folder, else the project's.
    if (m_context.training && !m_context.training->outputDir().isEmpty()) return m_context.training->outputDir();
    if (m_context.document && !m_context.document->filePath().isEmpty())
        return QFileInfo(m_context.document->filePath()).absolutePath();
    return {};
}

bool RankPanel::isBusy() const { return m_openJob.isRunning() || m_compareJob.isRunning(); }
QString RankPanel::phiCaption() const { return m_phiCaption->text(); }

void RankPanel::updateBusy() {
    const bool busy = isBusy();
    m_open->setEnabled(!busy);
    m_compare->setEnabled(!busy);
    if (busy) setCursor(Qt::BusyCursor);
    else unsetCursor();
}

void RankPanel::openAdapter(const QString& folder) {
    const QString base = m_context.model && m_context.model->hasModel() ? m_context.model->folder() : QString();
    m_source->setText(tr("Analysing %1…").arg(folder));
    m_openJob.setFuture(QtConcurrent::run([folder, base] { return analyseFolder(folder, base); }));
    updateBusy();
}

void RankPanel::compareFolders(const QString& first, const QString& second) {
    const auto basis = static_cast<SubspaceBasis>(m_basis->currentData().toInt());
    // With nothing shown yet, the first adapter's spectra come along, so φ has a module list.
    const bool withReport = !m_report || m_report->modules.empty();
    m_phiCaption->setText(tr("Comparing %1 with %2…").arg(first, second));
    m_compareJob.setFuture(QtConcurrent::run([first, second, basis, withReport] {
        return compareTwo(first, second, basis, withReport);
    }));
    updateBusy();
}

void RankPanel::finishOpen() {
    updateBusy();
    const std::shared_ptr<Job> job = m_openJob.result();
    const QString folder = job->folders.value(0);
    if (!job->error.isEmpty()) {
        const QString message = tr("Cannot analyse %1: %2").arg(folder, job->error);
        m_source->setText(message);
        Q_EMIT analysisFinished(false, message);
        return;
    }
    m_report = std::make_unique<AdapterReport>(std::move(*job->report));
    showReport(tr("Adapter %1").arg(folder));
    Q_EMIT analysisFinished(true, folder);
}

void RankPanel::finishCompare() {
    updateBusy();
    const std::shared_ptr<Job> job = m_compareJob.result();
    const QString first = job->folders.value(0), second = job->folders.value(1);
    if (!job->error.isEmpty()) {
        const QString message = tr("Cannot compare %1 with %2: %3").arg(first, second, job->error);
        m_phiCaption->setText(message);
        Q_EMIT analysisFinished(false, message);
        return;
    }
    m_comparison = std::make_unique<AdapterComparison>(std::move(*job->comparison));
    m_compared = {first, second};
    m_tabs->setCurrentIndex(m_tabs->count() - 1);  // what was asked for
    if (job->report && (!m_report || m_report->modules.empty())) {
        m_report = std::make_unique<AdapterReport>(std::move(*job->report));
        showReport(tr("Adapter %1").arg(first)); // also draws φ
    } else {
        showPhi();
    }
    Q_EMIT analysisFinished(true, first);
}

bool RankPanel::selectHeatmapCellAt(const QPoint& pixel) {
    if (!m_report) return false;
    const LayerKindTable& table = m_report->table;
    const long col = std::lround(m_heatmap->xAxis->pixelToCoord(pixel.x()));
    const long layer = std::lround(m_heatmap->yAxis->pixelToCoord(pixel.y()));
    if (col < 0 || col >= long(table.kinds.size())) return false;
    const auto row = std::find(table.layers.begin(), table.layers.end(), int(layer));
    if (row == table.layers.end()) return false;
    const int index = table.cell(std::size_t(row - table.layers.begin()), std::size_t(col));
    if (index < 0 || index >= m_module->count()) return false;
    m_module->setCurrentIndex(index);
    return true;
}

QString RankPanel::currentModule() const { return m_module->currentText(); }

void RankPanel::showReport(const QString& source) {
    m_liveStep = -1;  // showSnapshot sets it again for a live snapshot
    m_source->setText(source);
    m_advice->setText(adapterAdviceText(*m_report));
    const QString current = m_module->currentText();
    {
        QSignalBlocker block(m_module);
        m_module->clear();
        for (const ModuleReport& m : m_report->modules) m_module->addItem(QString::fromStdString(m.name));
        const int keep = m_module->findText(current);
        m_module->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    // Heatmap: x = module kind, y = layer.
    const LayerKindTable& table = m_report->table;
    const int nx = static_cast<int>(table.kinds.size()), ny = static_cast<int>(table.layers.size());
    m_heatmapMap->data()->clear();
    if (nx > 0 && ny > 0) {
        m_heatmapMap->data()->setSize(nx, ny);
        m_heatmapMap->data()->setRange(QCPRange(0, nx - 1), QCPRange(table.layers.front(), table.layers.back()));
        const std::vector<double> values = table.values(m_report->modules, ModuleMetric::EffectiveRank);
        for (int row = 0; row < ny; ++row)
            for (int col = 0; col < nx; ++col)
                m_heatmapMap->data()->setCell(col, row, values[static_cast<std::size_t>(row) * nx + col]);
        QSharedPointer<QCPAxisTickerText> kindTicker(new QCPAxisTickerText);
        for (int col = 0; col < nx; ++col) kindTicker->addTick(col, QString::fromStdString(table.kinds[col]));
        m_heatmap->xAxis->setTicker(kindTicker);
        // Layers are the rows of the table; ticks on every (at most ~16 shown) layer number.
        QSharedPointer<QCPAxisTickerText> layerTicker(new QCPAxisTickerText);
        const int every = std::max(1, ny / 16);
        for (int row = 0; row < ny; row += every) layerTicker->addTick(table.layers[row], QString::number(table.layers[row]));
        m_heatmap->yAxis->setTicker(layerTicker);
        m_heatmapMap->setDataRange(QCPRange(0, std::max(1, m_report->maxRank)));
        // Cells are centred on their integer coordinates: half a cell of margin on each side.
        const double view[4] = {-0.5, nx - 0.5, table.layers.front() - 0.5, table.layers.back() + 0.5};
        std::copy(view, view + 4, m_heatmapView);
        m_heatmap->xAxis->setRange(m_heatmapView[0], m_heatmapView[1]);
        m_heatmap->yAxis->setRange(m_heatmapView[2], m_heatmapView[3]);
    }
    m_heatmap->replot();
    m_suggestions->setReport(m_report.get());
    m_learning->setReport(m_report.get());
    showModule(m_module->currentIndex());
    showPhi();
}

void RankPanel::showModule(int index) {
    if (!m_report || index < 0 || index >= static_cast<int>(m_report->modules.size())) return;
    const ModuleReport& m = m_report->modules[index];
    QVector<double> x, sigma, energy;
    for (std::size_t i = 0; i < m.sigma.size(); ++i) {
        if (m.sigma[i] <= 0) continue; // log axis: exact zeros (past the rank) are not drawn
        x << static_cast<double>(i + 1);
        sigma << m.sigma[i];
    }
    m_spectrum->graph(0)->setData(x, sigma);
    m_spectrum->rescaleAxes();
    const QCPRange y = m_spectrum->yAxis->range(); // a margin (log axis: a factor) so end points are not clipped
    if (y.lower > 0) m_spectrum->yAxis->setRange(y.lower / 1.5, y.upper * 1.5);
    m_spectrum->xAxis->setRange(0.5, std::max<double>(1, m.rank) + 0.5);
    m_spectrum->replot();
    QVector<double> k;
    for (std::size_t i = 0; i < m.energy.size(); ++i) { k << static_cast<double>(i + 1); energy << m.energy[i]; }
    m_energy->graph(0)->setData(k, energy);
    m_energy->graph(1)->setData({0.5, std::max<double>(1, m.rank) + 0.5}, {0.95, 0.95});
    m_energy->xAxis->setRange(0.5, std::max<double>(1, m.rank) + 0.5);
    m_energy->yAxis->setRange(0, 1.05);
    m_energy->replot();
    const QString amplification =
        m.amplification ? tr(", amplification %1").arg(*m.amplification, 0, 'f', 2) : QString();
    m_moduleAdvice->setText(tr("%1: r = %2, effective rank %3, k95 = %4%5. %6")
                                .arg(QString::fromStdString(m.name)).arg(m.rank).arg(m.effectiveRank, 0, 'f', 2).arg(m.k95)
                                .arg(amplification, moduleAdviceText(m)));
}

void RankPanel::showPhi() {
    m_phiMap->data()->clear();
    if (!m_comparison || m_comparison->modules.empty()) { m_phiPlot->replot(); return; }
    const std::string name = m_module->currentText().toStdString();
    const ModuleComparison* pick = &m_comparison->modules.front();
    for (const ModuleComparison& c : m_comparison->modules)
        if (c.name == name) pick = &c;
    const SubspaceSimilarity& s = pick->similarity;
    if (s.rows > 0 && s.cols > 0) {
        m_phiMap->data()->setSize(s.cols, s.rows);
        m_phiMap->data()->setRange(QCPRange(1, s.cols), QCPRange(1, s.rows));
        for (int i = 1; i <= s.rows; ++i)
            for (int j = 1; j <= s.cols; ++j) m_phiMap->data()->setCell(j - 1, i - 1, s.at(i, j));
        m_phiPlot->rescaleAxes();
        m_phiPlot->xAxis->setRange(0.5, s.cols + 0.5);
        m_phiPlot->yAxis->setRange(0.5, s.rows + 0.5);
    }
    const QString pair = m_compared.size() == 2 ? tr("%1 vs %2 · ").arg(QFileInfo(m_compared[0]).fileName(), QFileInfo(m_compared[1]).fileName())
                                                : QString();
    m_phiCaption->setText(pair + tr("%1: φ(1,1) = %2, φ(r,r) = %3").arg(QString::fromStdString(pick->name))
                                     .arg(pick->topOverlap, 0, 'f', 3).arg(pick->fullOverlap, 0, 'f', 3));
    m_phiPlot->replot();
}

} // namespace lorastudio::ui

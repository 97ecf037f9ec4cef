// Playground panel (see the header). The worker loads the base model once per click, attaches the
// adapter, and generates twice with the same seed: with the adapter disabled (the base model) and
// enabled. Each new token re-decodes the continuation and posts the text to the GUI thread.
#include "lora/peft_adapter.h"
#include "error_text.h"
#include "model/generate.h"
#include "data/chat_template.h"
#include "model/loader.h"
#include "tokenizer/tokenizer.h"

#include "playground_panel.h"
#include "checked_spin_box.h"

#include "output_location.h"
#include "project_document.h"

#include <ATen/ATen.h>

#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QCheckBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace lorastudio::ui {

PlaygroundPanel::PlaygroundPanel(const PanelContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
    auto* layout = new QVBoxLayout(this);
    m_prompt = new QPlainTextEdit;
    m_prompt->setObjectName(QStringLiteral("playgroundPrompt"));
    m_prompt->setPlaceholderText(tr("An instruction, e.g. How many legs does a horse have?"));
    m_prompt->setMaximumHeight(100);
    layout->addWidget(m_prompt);
    m_wrap = new QCheckBox(tr("Wrap in the data's template"));
    m_wrap->setObjectName(QStringLiteral("playgroundWrap"));
    m_wrap->setChecked(true);
    m_wrap->setToolTip(tr("On: the text above is an instruction, put in the template the project trains with "
                          "(data.chat_template, or the tokenizer's), as the adapter saw its examples. Off: the text is given as it is."));
    layout->addWidget(m_wrap);

    auto* controls = new QHBoxLayout;
    m_temperature = new CheckedDoubleSpinBox;
    m_temperature->setRange(0, 5);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(0.7);
    m_temperature->setToolTip(tr("0: greedy (always the most likely token)"));
    m_topP = new CheckedDoubleSpinBox;
    m_topP->setRange(0.01, 1);
    m_topP->setSingleStep(0.05);
    m_topP->setValue(0.9);
    m_maxTokens = new CheckedSpinBox;
    m_maxTokens->setObjectName(QStringLiteral("playgroundMaxTokens"));
    m_maxTokens->setRange(1, 4096);
    m_maxTokens->setValue(64);
    m_seed = new CheckedSpinBox;
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(42);
    controls->addWidget(new QLabel(tr("Temperature:")));
    controls->addWidget(m_temperature);
    controls->addWidget(new QLabel(tr("Top-p:")));
    controls->addWidget(m_topP);
    controls->addWidget(new QLabel(tr("Max new tokens:")));
    controls->addWidget(m_maxTokens);
    controls->addWidget(new QLabel(tr("Seed:")));
    controls->addWidget(m_seed);
    controls->addStretch();
    m_generate = new QPushButton(tr("Generate"));
    m_generate->setObjectName(QStringLiteral("playgroundGenerate"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setEnabled(false);
    controls->addWidget(m_generate);
    controls->addWidget(m_stop);
    layout->addLayout(controls);

    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* split = new QSplitter(Qt::Horizontal);
    auto makeView = [split](const QString& title, QPlainTextEdit** view) {
        auto* box = new QWidget;
        auto* l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        auto* label = new QLabel(title);
        QFont f = label->font();
        f.setBold(true);
        label->setFont(f);
        l->addWidget(label);
        *view = new QPlainTextEdit;
        (*view)->setReadOnly(true);
        l->addWidget(*view, 1);
        split->addWidget(box);
    };
    makeView(tr("Base model"), &m_base);
    makeView(tr("With the adapter"), &m_adapted);
    layout->addWidget(split, 1);

    connect(m_generate, &QPushButton::clicked, this, [this] { generateBoth(); });
    connect(m_stop, &QPushButton::clicked, this, [this] { m_cancel = true; });
}

PlaygroundPanel::~PlaygroundPanel() {
    m_cancel = true;
    if (m_worker.joinable()) m_worker.join();
}

QString PlaygroundPanel::baseText() const { return m_base->toPlainText(); }
QString PlaygroundPanel::adaptedText() const { return m_adapted->toPlainText(); }

QString PlaygroundPanel::adapterFolder() const {
    if (!m_context.document) return {};
    const QString name = QFileInfo(m_context.document->filePath()).completeBaseName();
    return effectiveOutputDir(m_context.document->config(), name).path + QStringLiteral("/adapter");
}

bool PlaygroundPanel::generateBoth() {
    if (m_running || !m_context.document) return false;
    const QString base = m_context.document->resolvedBaseModel();
    if (base.isEmpty() || !QFileInfo::exists(base + QStringLiteral("/config.json"))) {
        m_status->setText(tr("No base model: choose one on the Model page."));
        return false;
    }
    const QString adapter = adapterFolder();
    const bool haveAdapter = QFileInfo::exists(adapter + QStringLiteral("/adapter_config.json"));
    m_status->setText(haveAdapter ? tr("Adapter: %1").arg(adapter)
                                  : tr("No adapter in %1 yet (train first): only the base model generates.").arg(adapter));
    if (m_worker.joinable()) m_worker.join();
    m_base->clear();
    m_adapted->clear();
    m_running = true;
    m_cancel = false;
    m_generate->setEnabled(false);
    m_stop->setEnabled(true);

    GenerateOptions options;
    options.maxNewTokens = m_maxTokens->value();
    options.temperature = m_temperature->value();
    options.topP = m_topP->value();
    options.seed = static_cast<uint64_t>(m_seed->value());
    const std::string typed = m_prompt->toPlainText().toStdString();
    const bool wrap = m_wrap->isChecked() && m_context.document->config().data.format != DataFormat::Text;
    const DataSettings data = m_context.document->config().data;
    const std::string basePath = base.toStdString(), adapterPath = haveAdapter ? adapter.toStdString() : std::string();
    QPointer<PlaygroundPanel> self(this);
    m_worker = std::thread([=] {
        QString error;
        try {
            const Tokenizer tokenizer = Tokenizer::fromFolder(basePath);
            std::string prompt = typed;
            if (wrap) prompt = generationPrompt(typed, data, tokenizer); // the model's template with add_generation_prompt
            const QString shown = QString::fromStdString(prompt);
            QMetaObject::invokeMethod(self, [self, shown] { if (self) self->m_lastPrompt = shown; }, Qt::QueuedConnection);
            LoadedModel loaded = loadCausalLM(basePath);
            std::shared_ptr<LoraModel> lora;
            if (!adapterPath.empty()) lora = loadAdapter(loaded.model, adapterPath);
            std::vector<int32_t> ids = tokenizer.encode(prompt, true);
            if (ids.empty()) ids = tokenizer.encode(" ", false);
            std::vector<int64_t> ids64(ids.begin(), ids.end());
            const at::Tensor input = at::tensor(ids64, at::kLong).unsqueeze(0); // [1, T]
            for (int pass = 0; pass < (lora ? 2 : 1); ++pass) {
                if (lora) lora->setEnabled(pass == 1);
                std::vector<int32_t> generated;
                GenerateOptions o = options;
                o.onToken = [&](int64_t, const at::Tensor& tokens) {
                    generated.push_back(static_cast<int32_t>(tokens[0].item<int64_t>()));
                    const QString text = QString::fromStdString(tokenizer.decode(generated, true));
                    QMetaObject::invokeMethod(self, [self, text, pass] {
                        if (self) (pass == 0 ? self->m_base : self->m_adapted)->setPlainText(text);
                    }, Qt::QueuedConnection);
                    return !m_cancel.load();
                };
                generate(*loaded.model, input, at::ones_like(input), o);
                if (m_cancel) break;
            }
        } catch (const std::exception& e) {
            error = errorText(e);
        }
        QMetaObject::invokeMethod(self, [self, error] { if (self) self->onDone(error); }, Qt::QueuedConnection);
    });
    return true;
}

void PlaygroundPanel::onDone(const QString& error) {
    if (m_worker.joinable()) m_worker.join();
    m_running = false;
    m_generate->setEnabled(true);
    m_stop->setEnabled(false);
    if (!error.isEmpty()) m_status->setText(tr("Generation failed: %1").arg(error));
    Q_EMIT generationFinished();
}

} // namespace lorastudio::ui

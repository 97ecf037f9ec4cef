// Core's errors in the studio's language (ui/error_text.h), case by case from docs/errors.md: every
// error the studio can meet (the catalogue's cases that end with an error, but the command line's own
// argument checks) is a known message with a known hint; with no translation, or the English one, the
// studio shows core's text word for word; in zh_CN every one is Chinese and keeps its paths, quoted
// names, keys, numbers and line:column. The catalogue's texts are core's own (test_error_catalogue).
#include "common/error.h"
#include "project/project_config.h"
#include "train/train_device.h"

#include "error_catalogue.h"
#include "error_text.h"
#include "ui_test_support.h"

#include <ATen/Context.h>
#include <QtTest>

#include <functional>
#include <set>
#include <utility>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

// The cases the studio can meet: errors (exit 1), not the CLI's argument checks (the studio's
// controls cannot make those: a command name, a missing argument, a number, a --type choice).
std::vector<test::CatalogueCase> studioErrors() {
    std::vector<test::CatalogueCase> out;
    for (const auto& c : test::catalogueCases())
        if (c.exit == 1 && !c.id.startsWith(QLatin1String("cli-")) && c.id != QLatin1String("gguf-bad-type")) out.push_back(c);
    return out;
}

// Core's checks of a project's settings (what the Train page says before a run starts) made to fail
// one setting at a time, and the device check on a machine without a CUDA GPU: core's own texts.
std::vector<std::string> settingsErrors() {
    std::vector<std::string> out;
    auto fails = [&](const std::function<void(ProjectConfig&)>& edit) {
        ProjectConfig c;
        c.baseModel = "models/tiny";
        edit(c);
        try {
            validateProject(c);
            out.push_back("<passed>");
        } catch (const Error& e) {
            out.push_back(e.what());
        }
    };
    fails([](ProjectConfig& c) { c.baseModel.clear(); });
    fails([](ProjectConfig& c) { c.outputDir.clear(); });
    fails([](ProjectConfig& c) { c.lora.targetModules = ModuleSelection::list({}); });
    fails([](ProjectConfig& c) { c.lora.targetModules = ModuleSelection::list({"q_proj", ""}); });
    fails([](ProjectConfig& c) { c.lora.targetModules = ModuleSelection::fromRegex(""); });
    fails([](ProjectConfig& c) { c.lora.excludeModules = ModuleSelection::allLinear(); });
    fails([](ProjectConfig& c) { c.lora.r = 0; });
    fails([](ProjectConfig& c) { c.lora.loraAlpha = -1; });
    fails([](ProjectConfig& c) { c.lora.loraDropout = 1.5; });
    fails([](ProjectConfig& c) { c.lora.modulesToSave = {""}; });
    fails([](ProjectConfig& c) { c.lora.layersToTransform = {-1}; });
    fails([](ProjectConfig& c) { c.lora.rankPattern = {{"", 4}}; });
    fails([](ProjectConfig& c) { c.lora.rankPattern = {{"q_proj", 0}}; });
    fails([](ProjectConfig& c) { c.lora.alphaPattern = {{"q_proj", 0.0}}; });
    fails([](ProjectConfig& c) { c.lora.pissaNiter = 4; });
    fails([](ProjectConfig& c) { c.lora.init = LoraInit::Pissa, c.lora.quantization = BaseQuantization::Nf4; });
    fails([](ProjectConfig& c) { c.lora.quantizeAllLinear = true; });
    fails([](ProjectConfig& c) { c.data.validationFraction = 1.5; });
    fails([](ProjectConfig& c) { c.data.validationPath = "val.jsonl", c.data.validationFraction = 0.1; });
    fails([](ProjectConfig& c) { c.data.maxLength = 0; });
    fails([](ProjectConfig& c) { c.data.maxPromptLength = -1; });
    fails([](ProjectConfig& c) { c.data.maxLength = 256, c.data.maxPromptLength = 256; });
    fails([](ProjectConfig& c) { c.training.epochs = -1; });
    fails([](ProjectConfig& c) { c.training.maxSteps = -1; });
    fails([](ProjectConfig& c) { c.training.epochs = 0, c.training.maxSteps = 0; });
    fails([](ProjectConfig& c) { c.training.batchSize = 0; });
    fails([](ProjectConfig& c) { c.training.gradientAccumulation = 0; });
    fails([](ProjectConfig& c) { c.training.lr = 0; });
    fails([](ProjectConfig& c) { c.training.warmupSteps = -1; });
    fails([](ProjectConfig& c) { c.training.warmupRatio = 2; });
    fails([](ProjectConfig& c) { c.training.weightDecay = -1; });
    fails([](ProjectConfig& c) { c.training.loraplusLrRatio = -1; });
    fails([](ProjectConfig& c) { c.training.adamBetas[1] = 1; });
    fails([](ProjectConfig& c) { c.training.adamEps = 0; });
    fails([](ProjectConfig& c) { c.training.maxGradNorm = -1; });
    fails([](ProjectConfig& c) { c.training.evalEvery = -1; });
    fails([](ProjectConfig& c) { c.training.saveEvery = -1; });
    fails([](ProjectConfig& c) { c.training.loggingEvery = 0; });
    fails([](ProjectConfig& c) { c.training.saveTotalLimit = -1; });
    fails([](ProjectConfig& c) { c.training.analysisEvery = -1; });
    fails([](ProjectConfig& c) { c.training.threads = -1; });
    fails([](ProjectConfig& c) { c.training.distributedTimeout = 0; });
    fails([](ProjectConfig& c) { c.training.distributedBucketMb = 5000; });
    fails([](ProjectConfig& c) { c.training.device = "tpu"; });
    fails([](ProjectConfig& c) { c.training.dpoBeta = 0; });
    fails([](ProjectConfig& c) { c.training.dpoLabelSmoothing = 0.7; });
    fails([](ProjectConfig& c) { c.training.dpoLoss = DpoLoss::Ipo, c.training.dpoLabelSmoothing = 0.1; });
    fails([](ProjectConfig& c) { c.training.objective = Objective::Dpo, c.data.format = DataFormat::Alpaca; });
    fails([](ProjectConfig& c) { c.data.format = DataFormat::Preference; });
    fails([](ProjectConfig& c) { c.training.objective = Objective::Dpo, c.data.packing = true; });
    fails([](ProjectConfig& c) { c.training.objective = Objective::Dpo, c.lora.bias = LoraBias::All; });
    fails([](ProjectConfig& c) { c.training.objective = Objective::Dpo, c.lora.modulesToSave = {"lm_head"}; });
    fails([](ProjectConfig& c) { c.training.orpoBeta = 0; });
    fails([](ProjectConfig& c) { c.training.objective = Objective::Orpo, c.data.packing = true; });
    if (!at::hasCUDA()) {
        try {
            resolveTrainingDevice("cuda");
            out.push_back("<passed>");
        } catch (const Error& e) {
            out.push_back(e.what());
        }
    }
    return out;
}

// Core's error text split at its hint: {message, hint}; hint empty where there is none.
std::pair<std::string, std::string> messageAndHint(const std::string& error) {
    const auto at = error.rfind(" (hint: ");
    if (at == std::string::npos) return {error, std::string()};
    return {error.substr(0, at), error.substr(at + 8, error.size() - at - 9)};
}

// What of core's text a translation must keep: quoted names, paths (a '/' with a '.', '-', digit or
// '…' around it: "architecture/size" is a phrase), numbers, file:line:column.
const QString kKept = QStringLiteral("(?<!\\w)'[^']*'|(?=[^ ():;,?\\[\\]]*[.\\d\\x{2026}-])[^ ():;,?\\[]*/[^ ():;,?\\]]*|\\d+");

} // namespace

class TestErrorText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void catalogueIsRead() {
        const auto cases = studioErrors();
        QVERIFY2(cases.size() >= 50, qPrintable(QString::number(cases.size())));
        for (const auto& c : cases) QVERIFY2(!c.message.isEmpty(), qPrintable(c.id));
    }

    // Each case's message and hint is a known form (a folder's pickle-only error reads as the
    // folder warning does); the forms are all of the catalogue's but the few variants it lists once.
    void everyCaseIsKnown() {
        std::set<int> messages, hints;
        for (const auto& c : studioErrors()) {
            if (c.id == QLatin1String("sec-pickle-only")) continue;  // test_open_warning_text's sentence
            const int m = errorMessageForm(c.message.toStdString());
            QVERIFY2(m >= 0, qPrintable(c.id + QStringLiteral(": ") + c.message));
            messages.insert(m);
            if (c.hint == QLatin1String("none")) continue;
            const int h = errorHintForm(c.hint.toStdString());
            QVERIFY2(h >= 0, qPrintable(c.id + QStringLiteral(": ") + c.hint));
            hints.insert(h);
        }
        // Every form is a catalogue case's or a settings check's (settingsErrorsInBothLanguages), but
        // the variants of listed ones: five other ways a run diverges, a top level other than a list,
        // and two device errors (and the hint of one) that need a GPU.
        for (const std::string& e : settingsErrors()) {
            const auto [message, hint] = messageAndHint(e);
            if (hint.empty()) continue;
            messages.insert(errorMessageForm(message));
            hints.insert(errorHintForm(hint));
        }
        messages.erase(-1), hints.erase(-1);
        QCOMPARE(int(messages.size()), errorMessageFormCount() - (at::hasCUDA() ? 9 : 8));
        QCOMPARE(int(hints.size()), errorHintFormCount() - (at::hasCUDA() ? 2 : 1));
    }

    void englishIsCoresText_data() { test::addEnglishRows(); }
    void englishIsCoresText() {
        QFETCH(QString, qm);
        const test::ScopedTranslator translator(qm);
        QVERIFY(translator.loaded());
        for (const auto& c : studioErrors()) QCOMPARE(errorText(c.coreText().toStdString()), c.coreText());
        QCOMPARE(errorText(std::string("something no form knows (hint: nor this)")), QStringLiteral("something no form knows (hint: nor this)"));
    }

    void chineseForEveryCase() {
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(translator.loaded());
        for (const auto& c : studioErrors()) {
            const QString shown = errorText(c.coreText().toStdString());
            test::verifyChineseKeeps(shown, c.coreText().toStdString(), kKept);
            if (QTest::currentTestFailed()) return;
            if (c.hint != QLatin1String("none") && c.id != QLatin1String("sec-pickle-only"))
                QVERIFY2(!shown.contains(QLatin1String("hint:")), qPrintable(shown));
        }
    }

    // Every check of a project's settings fails with a known message and hint, shown word for word in
    // English and in Chinese on zh_CN, its key and numbers kept.
    void settingsErrorsInBothLanguages() {
        const auto errors = settingsErrors();
        QCOMPARE(int(errors.size()), at::hasCUDA() ? 54 : 55);
        for (const std::string& e : errors) {
            QVERIFY2(e != "<passed>", "a setting the test breaks passed core's check");
            const auto [message, hint] = messageAndHint(e);
            QVERIFY2(!hint.empty(), e.c_str());
            QVERIFY2(errorMessageForm(message) >= 0, e.c_str());
            QVERIFY2(errorHintForm(hint) >= 0, e.c_str());
            QCOMPARE(errorText(e), QString::fromStdString(e));
        }
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(translator.loaded());
        for (const std::string& e : errors) {
            const QString shown = errorText(e);
            test::verifyChineseKeeps(shown, e, kKept + QStringLiteral("|(?:lora|data|training)\\.[\\w.]+|base_model|output_dir"));
            if (QTest::currentTestFailed()) return;
            QVERIFY2(!shown.contains(QLatin1String("hint:")) && !shown.contains(QLatin1String("must")), qPrintable(shown));
        }
        // A project file's error keeps its file:line:column in front of the translated rest.
        const QString located = errorText(std::string("project.yaml:4:11: lora.r: must be >= 1, got 0 (hint: the LoRA rank, typically 4 to 64)"));
        QVERIFY2(located.startsWith(QLatin1String("project.yaml:4:11")) && !located.contains(QLatin1String("must")), qPrintable(located));
    }

    // A captured path holding "%2" stays as it is (the captures are filled in once, not in turn).
    void capturedPercentStays() {
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        const QString shown = errorText(std::string("/data/100%2/model: no such model folder"));
        QVERIFY2(shown.startsWith(QLatin1String("/data/100%2/model")), qPrintable(shown));
        QVERIFY2(!shown.contains(QLatin1String("no such")), qPrintable(shown));
    }
};

QTEST_MAIN(TestErrorText)
#include "test_error_text.moc"

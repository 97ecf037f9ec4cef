// The Export page's GGUF warnings in the studio's language (ui/gguf_warning_text.h): core is made to
// write each of its GGUF warnings (a q4_k_m export of the demo, Mistral's sliding window, Phi-3's
// LongRoPE, an unnamed pre-tokenizer, the Modelfile's built-in template, an adapter config's unknown
// key and unapplied PEFT option); with no translation, or
// the English one, the studio shows core's sentence word for word; in zh_CN every one is Chinese
// and keeps its numbers and names. A core sentence that drifts from the studio's form fails here.
#include "export/gguf_arch.h"
#include "export/gguf_export.h"
#include "export/gguf_job.h"
#include "export/gguf_vocab.h"
#include "lora/lora_model.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"

#include <nlohmann/json.hpp>

#include "gguf_warning_text.h"
#include "ui_test_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace lorastudio;
using namespace lorastudio::ui;
namespace fs = std::filesystem;

namespace {

struct Warned {
    std::string core;
    QStringList kept;  // what the translation must keep (numbers, names)
};

std::string src(const char* relative) { return test::sourcePath(QString::fromLatin1(relative)).toStdString(); }

// Every GGUF warning core writes, produced by core.
std::vector<Warned> coreWarnings(const std::string& scratch) {
    std::vector<Warned> out;
    const std::string demo = src("resources/demo/model");
    LoadedModel lm = loadCausalLM(demo, at::kFloat);
    GgufExportOptions q4;
    q4.type = GgufFileType::Q4_K_M;
    for (const auto& w : exportGgufModel(*lm.model, demo, scratch + "/demo.gguf", q4).warnings)
        out.push_back({w, {}});  // the type names and numbers: checked for every sentence below
    std::vector<std::string> warnings;
    checkGgufSupport(parseModelConfig(src("tests/fixtures/tiny_models/mistral/model/config.json")), warnings);
    checkGgufSupport(parseModelConfig(src("tests/fixtures/gemma_phi3/phi3/model/config.json")), warnings);
    for (const auto& w : warnings) out.push_back({w, {}});
    // A pre-tokenizer llama.cpp has no name for.
    const std::string odd = scratch + "/odd-tokenizer";
    fs::create_directories(odd);
    nlohmann::json tokenizer = nlohmann::json::parse(std::ifstream(demo + "/tokenizer.json"));
    tokenizer["pre_tokenizer"] = {{"type", "Whitespace"}};
    std::ofstream(odd + "/tokenizer.json") << tokenizer.dump();
    for (const char* f : {"tokenizer_config.json", "config.json"})
        if (fs::exists(demo + "/" + f)) fs::copy_file(demo + "/" + f, odd + "/" + f);
    gguf::Writer w;
    std::vector<std::string> vocab;
    writeGgufVocabulary(odd, lm.spec, w, vocab);
    for (const auto& v : vocab) out.push_back({v, {QString::fromStdString(odd)}});
    // The Modelfile with the built-in template where the project used the model's own.
    GgufJob job;
    job.baseFolder = demo;
    job.out = scratch + "/ollama/demo.gguf";
    job.ollama = true;
    job.chatTemplate = ChatTemplate::Model;
    for (const auto& v : runGgufExport(job).warnings) out.push_back({v, {QStringLiteral("alpaca")}});
    // A merged export of an adapter whose config has a key PEFT does not know and a PEFT option we do not apply.
    {
        auto lora = LoraModel::attach(lm.model, LoraSettings{});
        saveAdapter(*lora, scratch + "/adapter");
        lora->detach();
        nlohmann::json config = nlohmann::json::parse(std::ifstream(scratch + "/adapter/adapter_config.json"));
        config["mystery_key"] = 1;
        config["eva_config"] = {{"rho", 2}};
        std::ofstream(scratch + "/adapter/adapter_config.json") << config.dump(2);
    }
    GgufJob merged;
    merged.baseFolder = demo;
    merged.adapter = scratch + "/adapter";
    merged.out = scratch + "/merged/demo.gguf";
    for (const auto& v : runGgufExport(merged).warnings)
        out.push_back({v, {QStringLiteral("adapter_config.json"), QString::fromStdString(v.find("mystery") != std::string::npos ? "'mystery_key'" : "'eva_config'")}});
    return out;
}

} // namespace

class TestGgufWarningText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void englishIsCoresText_data() { test::addEnglishRows(); }

    void englishIsCoresText() {
        QFETCH(QString, qm);
        const test::ScopedTranslator translator(qm);
        QVERIFY(translator.loaded());
        QTemporaryDir scratch;
        const auto warned = coreWarnings(scratch.path().toStdString());
        // Two fallbacks (Q5_0, Q8_0), the window (Mistral, Phi-3), LongRoPE, the pre-tokenizer, the
        // template, the adapter config's two.
        QCOMPARE(int(warned.size()), 9);
        for (const Warned& w : warned) QCOMPARE(ggufWarningText(w.core), QString::fromStdString(w.core));
    }

    void chineseForEverySentence() {
        const test::ScopedTranslator translator(QStringLiteral(":/i18n/lorastudio_zh_CN.qm"));
        QVERIFY(translator.loaded());
        QTemporaryDir scratch;
        for (const Warned& w : coreWarnings(scratch.path().toStdString())) {
            const QString shown = ggufWarningText(w.core);
            for (const QString& keep : w.kept) QVERIFY2(shown.contains(keep), qPrintable(shown + QStringLiteral(" lacks ") + keep));
            // The numbers and tensor type names of core's sentence are all there.
            test::verifyChineseKeeps(shown, w.core, QStringLiteral("Q\\d_[0K]|\\d+"));
            if (QTest::currentTestFailed()) return;
        }
    }
};

QTEST_MAIN(TestGgufWarningText)
#include "test_gguf_warning_text.moc"

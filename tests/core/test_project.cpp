// Tests for project.yaml (core/project): defaults, round trips, validation messages with
// file:line:col and key, malformed YAML, unknown-key warnings, the shipped example file and the
// schema doc. Saving and finding files: test_project_files.cpp.
#include "common/error.h"
#include "project/key_suggest.h"
#include "project/project_file.h"
#include "project_test_helpers.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <functional>
#include <regex>

using namespace lorastudio;
using namespace projecttest;

class TestProject : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsAreDocumentedValues() {
        const ProjectConfig c = defaultProject();
        QCOMPARE(c.version, 1);
        QVERIFY(c.baseModel.empty());
        QCOMPARE(int(c.lora.targetModules.kind), int(ModuleSelection::Kind::AllLinear));
        QCOMPARE(c.lora.r, 8);
        QCOMPARE(c.lora.loraAlpha, 16.0);
        QCOMPARE(c.lora.loraDropout, 0.05);
        QCOMPARE(c.training.lr, 2e-4);
        QCOMPARE(int(c.training.schedule), int(LrSchedule::Cosine));
        QCOMPARE(c.training.warmupRatio, 0.03);
        QVERIFY(!c.data.completionOnlyLoss.has_value());
        QCOMPARE(c.training.saveTotalLimit, 0); // keep every checkpoint
        QCOMPARE(c.training.analysisEvery, 5);  // what the studio always used
        // Without a base model the default project is not yet valid; with one it is.
        QVERIFY(errorOf([&] { validateProject(c); }).find("base_model") != std::string::npos);
        ProjectConfig d = c;
        d.baseModel = "m";
        QCOMPARE(q(errorOf([&] { validateProject(d); })), QString());
    }

    void defaultsRoundTrip() {
        ProjectConfig c = defaultProject();
        c.baseModel = "models/tiny";
        const std::string yaml = projectToYaml(c);
        std::vector<Warning> warnings;
        const ProjectConfig back = parseProject(yaml, "x.yaml", &warnings);
        QVERIFY(back == c);
        QCOMPARE(int(warnings.size()), 0);
        QCOMPARE(q(projectToYaml(back)), q(yaml));
        // Defaults are written out so users see them.
        QVERIFY(yaml.find("lr: 2e-4") != std::string::npos);
        QVERIFY(yaml.find("warmup_ratio: 0.03") != std::string::npos);
        QVERIFY(yaml.find("target_modules: all-linear") != std::string::npos);
        QVERIFY(yaml.find("completion_only_loss: auto") != std::string::npos);
        QVERIFY(yaml.find("save_total_limit: 0") != std::string::npos);
        QVERIFY(yaml.find("analysis_every: 5") != std::string::npos);
    }

    // QLoRA and DoRA keys: names and value aliases read, written back, and the combinations that cannot work refused.
    void quantizationAndDoraKeys() {
        const std::string head = "version: 1\nbase_model: m\nlora:\n";
        const ProjectConfig c = parseProject(head + "  quantization: NF4\n  double_quant: false\n  use_dora: true\n", "p.yaml");
        QCOMPARE(c.lora.quantization, BaseQuantization::Nf4);
        QVERIFY(!c.lora.doubleQuant);
        QVERIFY(c.lora.useDora);
        QVERIFY(parseProject(projectToYaml(c), "p.yaml") == c);
        QCOMPARE(parseProject(head + "  quantization: 8bit\n  quantize_all_linear: true\n", "p.yaml").lora.quantization,
                 BaseQuantization::Int8);
        std::vector<Warning> warnings;  // a peer's name is pointed at ours, not taken silently
        parseProject(head + "  dora: true\n", "p.yaml", &warnings);
        QVERIFY(!warnings.empty() && warnings.front().text().find("did you mean 'use_dora'") != std::string::npos);
        QVERIFY(errorOf([&] { parseProject(head + "  quantization: fp4\n", "p.yaml"); }).find("lora.quantization") !=
                std::string::npos);
        ProjectConfig bad = c;
        bad.lora.init = LoraInit::Pissa;
        QVERIFY(q(errorOf([&] { validateProject(bad); })).startsWith("lora.init: PiSSA needs the full-precision base weights"));
        bad = c;
        bad.lora.quantization = BaseQuantization::None;
        bad.lora.quantizeAllLinear = true;
        QVERIFY(q(errorOf([&] { validateProject(bad); })).startsWith("lora.quantize_all_linear:"));
    }

    // The two keys that used to be CLI-only options: read, written, and checked like the others.
    void checkpointAndAnalysisKeys() {
        const std::string head = "version: 1\nbase_model: m\ntraining:\n";
        const ProjectConfig c = parseProject(head + "  save_total_limit: 2\n  analysis_every: 0\n", "p.yaml");
        QCOMPARE(c.training.saveTotalLimit, 2);
        QCOMPARE(c.training.analysisEvery, 0);
        QVERIFY(parseProject(projectToYaml(c), "p.yaml") == c);
        // The GUI's path: validateProject on an edited config names the key too.
        ProjectConfig bad = c;
        bad.training.saveTotalLimit = -1;
        QCOMPARE(q(errorOf([&] { validateProject(bad); })),
                 QString("training.save_total_limit: must be >= 0, got -1 (hint: checkpoints kept, e.g. 3; 0 = keep all)"));
        bad = c;
        bad.training.analysisEvery = -5;
        QVERIFY(q(errorOf([&] { validateProject(bad); })).startsWith("training.analysis_every: must be >= 0, got -5"));
        // transformers' name is suggested.
        std::vector<Warning> warnings;
        parseProject(head + "  save_steps_limit: 3\n  keep_checkpoints: 3\n", "p.yaml", &warnings);
        QCOMPARE(int(warnings.size()), 2);
        QCOMPARE(q(warnings[1].suggestion), QString("save_total_limit"));
    }

    void richRoundTripThroughFiles() {
        const std::string dir = testsupport::makeTempDir("project-rich");
        const ProjectConfig c = richProject();
        saveProject(c, dir + "/a.yaml");
        std::vector<Warning> warnings;
        const ProjectConfig loaded = loadProject(dir + "/a.yaml", &warnings);
        QCOMPARE(int(warnings.size()), 0);
        QVERIFY(loaded == c);
        QCOMPARE(loaded.lora.rankPattern.front().first, std::string("z_proj"));
        QCOMPARE(loaded.training.lr, 0.1 + 0.2);
        QCOMPARE(q(loaded.data.validationPath), QString("0.25"));
        QCOMPARE(loaded.data.validationFraction, 0.0);
        saveProject(loaded, dir + "/b.yaml");
        QCOMPARE(q(testsupport::readFile(dir + "/b.yaml")), q(testsupport::readFile(dir + "/a.yaml")));
        // A changed field makes the configs differ (operator== looks at it).
        ProjectConfig changed = loaded;
        changed.lora.alphaPattern[1].second = 0.25;
        QVERIFY(changed != loaded);
    }

    void everyFieldIsComparedAndSaved() {
        // One change per field: operator== must see it, and the file must carry it.
        using M = std::function<void(ProjectConfig&)>;
        const std::vector<M> mutations{
            [](ProjectConfig& c) { c.baseModel = "other"; },
            [](ProjectConfig& c) { c.outputDir = "o2"; },
            [](ProjectConfig& c) { c.lora.targetModules = ModuleSelection::list({"x"}); },
            [](ProjectConfig& c) { c.lora.excludeModules = ModuleSelection::fromRegex("y"); },
            [](ProjectConfig& c) { c.lora.r = 9; },
            [](ProjectConfig& c) { c.lora.loraAlpha = 7; },
            [](ProjectConfig& c) { c.lora.loraDropout = 0.2; },
            [](ProjectConfig& c) { c.lora.useRslora = true; },
            [](ProjectConfig& c) { c.lora.bias = LoraBias::All; },
            [](ProjectConfig& c) { c.lora.modulesToSave = {"lm_head"}; },
            [](ProjectConfig& c) { c.lora.layersToTransform = {2}; },
            [](ProjectConfig& c) { c.lora.rankPattern = {{"a", 2}}; },
            [](ProjectConfig& c) { c.lora.alphaPattern = {{"a", 2}}; },
            [](ProjectConfig& c) { c.lora.init = LoraInit::Gaussian; },
            [](ProjectConfig& c) { c.lora.init = LoraInit::Pissa; c.lora.pissaNiter = 2; },
            [](ProjectConfig& c) { c.data.path = "d"; },
            [](ProjectConfig& c) { c.data.format = DataFormat::Text; },
            [](ProjectConfig& c) { c.data.chatTemplate = ChatTemplate::Mistral; },
            [](ProjectConfig& c) { c.data.chatTemplate = ChatTemplate::Model; },
            [](ProjectConfig& c) { c.data.format = DataFormat::ShareGpt; },
            [](ProjectConfig& c) { c.data.systemPrompt = "Be kind.\nAnd 'brief'."; },
            [](ProjectConfig& c) { c.data.validationFraction = 0.2; },
            [](ProjectConfig& c) { c.data.validationPath = "v"; },
            [](ProjectConfig& c) { c.data.maxLength = 17; },
            [](ProjectConfig& c) { c.data.maxPromptLength = 5; },
            [](ProjectConfig& c) { c.data.completionOnlyLoss = true; },
            [](ProjectConfig& c) { c.data.shuffle = false; },
            [](ProjectConfig& c) { c.data.shuffleSeed = 1; },
            [](ProjectConfig& c) { c.data.streaming = true; },
            [](ProjectConfig& c) { c.data.packing = true; },
            [](ProjectConfig& c) { c.data.groupByLength = true; },
            [](ProjectConfig& c) { c.training.threads = 2; },
            [](ProjectConfig& c) { c.training.tf32 = true; },
            [](ProjectConfig& c) { c.training.epochs = 1; },
            [](ProjectConfig& c) { c.training.maxSteps = 5; },
            [](ProjectConfig& c) { c.training.batchSize = 1; },
            [](ProjectConfig& c) { c.training.gradientAccumulation = 2; },
            [](ProjectConfig& c) { c.training.lr = 1e-3; },
            [](ProjectConfig& c) { c.training.schedule = LrSchedule::Constant; },
            [](ProjectConfig& c) { c.training.warmupSteps = 3; },
            [](ProjectConfig& c) { c.training.warmupRatio = 0.1; },
            [](ProjectConfig& c) { c.training.weightDecay = 0.1; },
            [](ProjectConfig& c) { c.training.adamBetas[0] = 0.8; },
            [](ProjectConfig& c) { c.training.adamBetas[1] = 0.95; },
            [](ProjectConfig& c) { c.training.adamEps = 1e-7; },
            [](ProjectConfig& c) { c.training.maxGradNorm = 0.5; },
            [](ProjectConfig& c) { c.training.seed = 3; },
            [](ProjectConfig& c) { c.training.precision = Precision::Fp16; },
            [](ProjectConfig& c) { c.training.gradientCheckpointing = true; },
            [](ProjectConfig& c) { c.training.evalEvery = 1; },
            [](ProjectConfig& c) { c.training.saveEvery = 1; },
            [](ProjectConfig& c) { c.training.loggingEvery = 2; },
            [](ProjectConfig& c) { c.training.saveTotalLimit = 2; },
            [](ProjectConfig& c) { c.training.analysisEvery = 0; },
            [](ProjectConfig& c) { c.training.device = "cpu"; },
        };
        ProjectConfig base = defaultProject();
        base.baseModel = "m";
        for (std::size_t i = 0; i < mutations.size(); ++i) {
            ProjectConfig changed = base;
            mutations[i](changed);
            QVERIFY2(changed != base, qPrintable(QString("mutation %1 not compared").arg(i)));
            QVERIFY2(parseProject(projectToYaml(changed), "m.yaml", nullptr) == changed,
                     qPrintable(QString("mutation %1 not saved").arg(i)));
        }
        ProjectConfig moved = base;
        moved.projectDir = "/elsewhere"; // where a project lives is not part of it
        QVERIFY(moved == base);
    }

    void targetFormsRoundTrip_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("regex");
        QTest::addColumn<int>("count");
        QTest::newRow("list") << "[q_proj, v_proj]" << int(ModuleSelection::Kind::List) << "" << 2;
        QTest::newRow("block list") << "\n    - c_attn\n    - c_proj\n    - c_fc" << int(ModuleSelection::Kind::List)
                                    << "" << 3;
        QTest::newRow("regex") << R"('.*\.(q|v)_proj')" << int(ModuleSelection::Kind::Regex) << R"(.*\.(q|v)_proj)"
                               << 0;
        QTest::newRow("double-quoted regex") << R"(".*\\.mlp\\..*")" << int(ModuleSelection::Kind::Regex)
                                             << R"(.*\.mlp\..*)" << 0;
        QTest::newRow("all-linear") << "all-linear" << int(ModuleSelection::Kind::AllLinear) << "" << 0;
        QTest::newRow("ALL-LINEAR") << "ALL-LINEAR" << int(ModuleSelection::Kind::AllLinear) << "" << 0;
    }
    void targetFormsRoundTrip() {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, regex);
        QFETCH(int, count);
        const std::string yaml = "version: 1\nbase_model: m\nlora:\n  target_modules: " + text.toStdString() + "\n";
        const ProjectConfig c = parseProject(yaml, "t.yaml", nullptr);
        QCOMPARE(int(c.lora.targetModules.kind), kind);
        QCOMPARE(q(c.lora.targetModules.regex), regex);
        QCOMPARE(int(c.lora.targetModules.names.size()), count);
        const std::string saved = projectToYaml(c);
        const ProjectConfig back = parseProject(saved, "t2.yaml", nullptr);
        QVERIFY(back == c);
        QCOMPARE(q(projectToYaml(back)), q(saved));
    }

    void acceptsPeftAndShorthandForms() {
        const std::string yaml = "version: 1\n"
                                 "base_model: m\n"
                                 "lora:\n"
                                 "  layers_to_transform: 5\n"
                                 "  init: true\n"
                                 "  exclude_modules: '.*lm_head'\n"
                                 "  rank_pattern:\n"
                                 "    q_proj: 16\n"
                                 "    'model\\.layers\\.0\\..*': 4\n"
                                 "data:\n"
                                 "  validation: 0.1\n"
                                 "  completion_only_loss: auto\n"
                                 "training:\n"
                                 "  max_steps: -1\n"
                                 "  precision: bfloat16\n"
                                 "  schedule: Cosine\n"
                                 "  device: CUDA:0\n";
        const ProjectConfig c = parseProject(yaml, "p.yaml", nullptr);
        QCOMPARE(int(c.lora.layersToTransform.size()), 1);
        QCOMPARE(c.lora.layersToTransform[0], 5);
        QCOMPARE(int(c.lora.init), int(LoraInit::Default));
        QCOMPARE(int(c.lora.excludeModules.kind), int(ModuleSelection::Kind::Regex));
        QCOMPARE(int(c.lora.rankPattern.size()), 2);
        QCOMPARE(q(c.lora.rankPattern[1].first), QString(R"(model\.layers\.0\..*)"));
        QCOMPARE(c.lora.rankPattern[1].second, 4);
        QCOMPARE(c.data.validationFraction, 0.1);
        QVERIFY(c.data.validationPath.empty());
        QVERIFY(!c.data.completionOnlyLoss.has_value());
        QCOMPARE(c.training.maxSteps, 0);
        QCOMPARE(int(c.training.precision), int(Precision::Bf16));
        QCOMPARE(q(c.training.device), QString("cuda:0"));

        const ProjectConfig p = parseProject("version: 1\nbase_model: m\nlora:\n  init: pissa_niter_16\n", "p", nullptr);
        QCOMPARE(int(p.lora.init), int(LoraInit::Pissa));
        QCOMPARE(p.lora.pissaNiter, 16);
        QVERIFY(projectToYaml(p).find("init: pissa_niter_16") != std::string::npos);
        const ProjectConfig g = parseProject("version: 1\nbase_model: m\nlora:\n  init: gaussian\n", "p", nullptr);
        QCOMPARE(int(g.lora.init), int(LoraInit::Gaussian));
        // A quoted number is a path, an unquoted one a fraction.
        const ProjectConfig v = parseProject("version: 1\nbase_model: m\ndata:\n  validation: 'val.jsonl'\n", "p", nullptr);
        QCOMPARE(q(v.data.validationPath), QString("val.jsonl"));
    }

    void validationErrorsNamePlaceAndKey_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected"); // a prefix of the message
        const QString head = "version: 1\nbase_model: m\n";
        QTest::newRow("lr not a number") << head + "training:\n  lr: fast\n"
                                         << R"(demo.yaml:4:7: training.lr: expected a number, got "fast" (hint: e.g. 2e-4))";
        QTest::newRow("r < 1") << head + "lora:\n  r: 0\n" << "demo.yaml:4:6: lora.r: must be >= 1, got 0 (hint:";
        QTest::newRow("r not int") << head + "lora:\n  r: 8.5\n"
                                   << R"(demo.yaml:4:6: lora.r: expected a whole number, got "8.5")";
        QTest::newRow("alpha <= 0") << head + "lora:\n  lora_alpha: 0\n"
                                    << "demo.yaml:4:15: lora.lora_alpha: must be > 0, got 0";
        QTest::newRow("dropout 1") << head + "lora:\n  lora_dropout: 1\n"
                                   << "demo.yaml:4:17: lora.lora_dropout: must be in [0, 1), got 1";
        QTest::newRow("dropout < 0") << head + "lora:\n  lora_dropout: -0.1\n"
                                     << "demo.yaml:4:17: lora.lora_dropout: must be in [0, 1), got -0.1";
        QTest::newRow("bias") << head + "lora:\n  bias: some\n"
                              << R"(demo.yaml:4:9: lora.bias: expected one of none, all, lora_only, got "some")";
        QTest::newRow("empty targets") << head + "lora:\n  target_modules: []\n"
                                       << "demo.yaml:4:19: lora.target_modules: the target list is empty";
        QTest::newRow("empty regex") << head + "lora:\n  target_modules: ''\n"
                                     << "demo.yaml:4:19: lora.target_modules: the target regex is empty";
        QTest::newRow("bad layer") << head + "lora:\n  layers_to_transform: [1, -2]\n"
                                   << "demo.yaml:4:28: lora.layers_to_transform[1]: must be >= 0, got -2";
        QTest::newRow("rank pattern") << head + "lora:\n  rank_pattern:\n    q_proj: 0\n"
                                      << "demo.yaml:5:13: lora.rank_pattern.q_proj: must be >= 1, got 0";
        QTest::newRow("init") << head + "lora:\n  init: olora\n" << R"(demo.yaml:4:9: lora.init: unknown init "olora")";
        QTest::newRow("rslora bool") << head + "lora:\n  use_rslora: maybe\n"
                                     << R"(demo.yaml:4:15: lora.use_rslora: expected true or false, got "maybe")";
        QTest::newRow("schedule") << head + "training:\n  schedule: warm\n"
                                  << R"(demo.yaml:4:13: training.schedule: expected one of constant, linear, cosine, got "warm")";
        QTest::newRow("precision") << head + "training:\n  precision: fp8\n"
                                   << R"(demo.yaml:4:14: training.precision: expected one of fp32, bf16, fp16, got "fp8")";
        QTest::newRow("format") << head + "data:\n  format: csv\n"
                                << R"(demo.yaml:4:11: data.format: expected one of auto, text, alpaca, chat, sharegpt, preference, got "csv")";
        QTest::newRow("template") << head + "data:\n  template: vicuna\n"
                                  << R"(demo.yaml:4:13: data.template: expected one of auto, model, chatml, llama3, mistral, plain, alpaca, got "vicuna")";
        QTest::newRow("batch size") << head + "training:\n  batch_size: 0\n"
                                    << "demo.yaml:4:15: training.batch_size: must be >= 1, got 0";
        QTest::newRow("beta 1") << head + "training:\n  adam_betas: [0.9, 1.0]\n"
                                << "demo.yaml:4:21: training.adam_betas[1]: must be in [0, 1), got 1";
        QTest::newRow("one beta") << head + "training:\n  adam_betas: [0.9]\n"
                                  << "demo.yaml:4:15: training.adam_betas: expected a list of two numbers, got a list";
        QTest::newRow("validation fraction") << head + "data:\n  validation: 1.5\n"
                                             << "demo.yaml:4:15: data.validation: a validation fraction must be in [0, 1), got 1.5";
        QTest::newRow("warmup ratio") << head + "training:\n  warmup_ratio: 2\n"
                                      << "demo.yaml:4:17: training.warmup_ratio: must be in [0, 1], got 2";
        QTest::newRow("nothing to train") << head + "training:\n  epochs: 0\n"
                                          << "demo.yaml:4:11: training.epochs: epochs is 0 and max_steps is 0";
        QTest::newRow("save_total_limit < 0") << head + "training:\n  save_total_limit: -1\n"
                                              << "demo.yaml:4:21: training.save_total_limit: must be >= 0, got -1 (hint:";
        QTest::newRow("save_total_limit text") << head + "training:\n  save_total_limit: all\n"
                                               << R"(demo.yaml:4:21: training.save_total_limit: expected a whole number, got "all")";
        QTest::newRow("analysis_every < 0") << head + "training:\n  analysis_every: -2\n"
                                            << "demo.yaml:4:19: training.analysis_every: must be >= 0, got -2 (hint:";
        QTest::newRow("analysis_every fraction") << head + "training:\n  analysis_every: 2.5\n"
                                                 << R"(demo.yaml:4:19: training.analysis_every: expected a whole number, got "2.5")";
        QTest::newRow("device") << head + "training:\n  device: gpu\n"
                                << "demo.yaml:4:11: training.device: unknown device 'gpu' (hint: one of auto, cpu, cuda, cuda:N)";
        QTest::newRow("missing base_model") << "version: 1\nlora:\n  r: 8\n"
                                            << "demo.yaml:1:1: base_model: no base model given (hint:";
        QTest::newRow("empty base_model") << "version: 1\nbase_model:\n"
                                          << "demo.yaml:2:1: base_model: no base model given";
        QTest::newRow("version 2") << "version: 2\nbase_model: m\nlora:\n  r: 0\n"
                                   << "demo.yaml:1:10: version: unsupported schema version 2 (hint: this LoRA Studio reads version 1";
        QTest::newRow("section not a map") << head + "lora: 8\n" << "demo.yaml:3:7: lora: expected a mapping of keys, got \"8\"";
        QTest::newRow("duplicate key") << head + "training:\n  lr: 1e-4\n  lr: 2e-4\n"
                                       << "demo.yaml:5:3: training.lr: duplicate key";
        QTest::newRow("top level list") << "- a\n- b\n" << "demo.yaml:1:1: expected a mapping of keys at the top level";
        QTest::newRow("empty file") << "" << "demo.yaml: the project file is empty";
    }
    void validationErrorsNamePlaceAndKey() {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const std::string message = errorOf([&] { parseProject(yaml.toStdString(), "demo.yaml", nullptr); });
        QVERIFY2(q(message).startsWith(expected), qPrintable("got: " + q(message)));
    }

    void malformedYamlReportsPosition_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unclosed flow list") << "version: 1\nbase_model: m\nlora:\n  target_modules: [q_proj, v_proj\n  r: 8\n"
                                            << "demo.yaml:5:4: malformed YAML: end of sequence flow not found";
        QTest::newRow("tab indent") << "version: 1\nlora:\n\tr: 8\n" << "demo.yaml:3:";
        QTest::newRow("bad indent") << "version: 1\nbase_model: m\n  lora: 1\n" << "demo.yaml:3:";
    }
    void malformedYamlReportsPosition() {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const std::string message = errorOf([&] { parseProject(yaml.toStdString(), "demo.yaml", nullptr); });
        QVERIFY2(q(message).startsWith(expected), qPrintable("got: " + q(message)));
        QVERIFY2(message.find("malformed YAML") != std::string::npos, message.c_str());
        QVERIFY(message.find("(hint:") != std::string::npos);
    }

    void unknownKeysWarnWithSuggestion() {
        const std::string yaml = "version: 1\n"
                                 "base_model: m\n"
                                 "lr: 1e-4\n"
                                 "training:\n"
                                 "  lr_sheduler: linear\n"
                                 "  learning_rate: 3e-4\n"
                                 "lora:\n"
                                 "  rnak: 4\n"
                                 "  qwertyuiop: 1\n";
        std::vector<Warning> warnings;
        const ProjectConfig c = parseProject(yaml, "demo.yaml", &warnings);
        QCOMPARE(c.training.lr, 2e-4); // unknown keys change nothing
        QCOMPARE(int(warnings.size()), 5);
        QCOMPARE(q(warnings[0].key), QString("lr"));
        QCOMPARE(q(warnings[0].suggestion), QString("training.lr"));
        QCOMPARE(q(warnings[1].text()),
                 QString("demo.yaml:5:3: unknown key 'training.lr_sheduler', ignored (did you mean 'schedule'?)"));
        QCOMPARE(warnings[1].line, 5);
        QCOMPARE(warnings[1].column, 3);
        QCOMPARE(q(warnings[2].suggestion), QString("lr"));
        QCOMPARE(q(warnings[3].suggestion), QString("r")); // "rnak" is closest to the alias "rank"
        QCOMPARE(q(warnings[4].suggestion), QString());
        QCOMPARE(q(warnings[4].text()), QString("demo.yaml:9:3: unknown key 'lora.qwertyuiop', ignored"));
        // Passing no vector drops warnings without failing.
        QVERIFY(parseProject(yaml, "demo.yaml", nullptr) == c);
    }

    void missingVersionWarns() {
        std::vector<Warning> warnings;
        const ProjectConfig c = parseProject("base_model: m\n", "demo.yaml", &warnings);
        QCOMPARE(c.version, 1);
        QCOMPARE(int(warnings.size()), 1);
        QCOMPARE(q(warnings[0].key), QString("version"));
    }

    void suggestionsByEditDistance() {
        QCOMPARE(editDistance("kitten", "sitting"), 3);
        QCOMPARE(editDistance("lr", "rl"), 1); // a swap is one edit
        QCOMPARE(q(suggestKey("shedule", {"schedule", "seed"})), QString("schedule"));
        QCOMPARE(q(suggestKey("Batch-Size", {"batch_size"})), QString("batch_size"));
        QCOMPARE(q(suggestKey("completely_different", {"seed", "lr"})), QString());
        QCOMPARE(q(suggestKey("learning_rate", {"lr"}, {{"learning_rate", "lr"}})), QString("lr"));
    }

    void enumNamesAreCanonical() {
        const std::vector<std::string> p = enumNames<Precision>();
        QCOMPARE(int(p.size()), 3);
        QCOMPARE(q(p[1]), QString("bf16"));
        QCOMPARE(q(enumName(LrSchedule::Constant)), QString("constant"));
        QVERIFY(enumFromName<LrSchedule>("constant_with_warmup") == LrSchedule::Constant);
        QVERIFY(!enumFromName<ChatTemplate>("vicuna").has_value());
        QVERIFY(enumFromName<ChatTemplate>("jinja") == ChatTemplate::Model); // an alias of model
        QCOMPARE(q(enumName(ChatTemplate::Model)), QString("model"));
    }

    void exampleFileParsesWithoutWarnings() {
        const std::string path = testsupport::sourceDir() + "/resources/examples/project.example.yaml";
        std::vector<Warning> warnings;
        const ProjectConfig c = loadProject(path, &warnings);
        for (const auto& w : warnings) qWarning("%s", w.text().c_str());
        QCOMPARE(int(warnings.size()), 0);
        QVERIFY(!c.baseModel.empty());
        QVERIFY(c != defaultProject()); // it shows settings, not only defaults
        QVERIFY(parseProject(projectToYaml(c), "again", nullptr) == c);
    }

    void schemaDocMentionsEveryKey() {
        const std::string doc = testsupport::readFile(testsupport::sourceDir() + "/docs/project-schema.md");
        const std::string yaml = projectToYaml(richProject());
        const std::regex keyLine(R"(^ {0,2}([a-z_0-9]+):)");
        int keys = 0;
        std::istringstream lines(yaml);
        for (std::string line; std::getline(lines, line);) {
            std::smatch m;
            if (!std::regex_search(line, m, keyLine)) continue;
            ++keys;
            QVERIFY2(doc.find("`" + m[1].str() + "`") != std::string::npos, ("undocumented key " + m[1].str()).c_str());
        }
        QCOMPARE(keys, 6 + 16 + 13 + 32); // top level (with section names), lora, data, training
    }
};

QTEST_APPLESS_MAIN(TestProject)
#include "test_project.moc"

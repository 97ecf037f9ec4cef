// The data panel on a small file with malformed lines: every bad line is listed as
// file:line: message, the preview shows the first examples with the prompt masked and the answer
// trained, the histogram is drawn, and no base model or no file gives a hint instead.
#include "data_panel.h"
#include "main_window.h"
#include "project_document.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QRegularExpression>
#include <QtTest>

#include <qcustomplot_include.h>

using namespace lorastudio;
using namespace lorastudio::ui;

class TestDataPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void listsBadLines() {
        QTemporaryDir tmp;
        const QString data = tmp.filePath(QStringLiteral("mixed.jsonl"));
        QFile f(data);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"instruction\": \"Name a farm animal.\", \"input\": \"\", \"output\": \"A cow.\"}\n"
                "{\"instruction\": \"broken\", \"output\": \n"                     // line 2: bad JSON
                "{\"instruction\": \"What does a duck eat?\", \"input\": \"\", \"output\": \"Bread.\"}\n"
                "{\"instruction\": \"No answer here\"}\n"                           // line 4: no output
                "{\"instruction\": \"Count to two.\", \"input\": \"\", \"output\": \"1 2\"}\n");
        f.close();

        MainWindow window;
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        QVERIFY(panel);
        QSignalSpy loaded(panel, &DataPanel::loaded);
        window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
            c.baseModel = test::demoModel().toStdString();
            c.data.path = data.toStdString();
        });
        panel->reloadNow();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && panel->badLinesList()->count() >= 2, 20000);

        // The list starts with the bad lines (file:line: message), then the loader's warnings.
        QStringList bad;
        for (int i = 0; i < panel->badLinesList()->count(); ++i) bad << panel->badLinesList()->item(i)->text();
        QVERIFY2(bad.size() >= 2, qPrintable(bad.join('\n')));
        QVERIFY2(bad[0].startsWith(QLatin1String("mixed.jsonl:2: malformed JSON")), qPrintable(bad[0]));
        QVERIFY2(bad[1].startsWith(QLatin1String("mixed.jsonl:4: missing key 'output'")), qPrintable(bad[1]));
        for (const QString& line : bad) QVERIFY(!line.startsWith(QLatin1String("mixed.jsonl:1:")));
        QCOMPARE(panel->tabs()->tabText(2), QStringLiteral("Problems (2)"));

        // Three valid Alpaca records: the summary counts them, the preview shows them with the
        // answer as trained text and the prompt masked.
        QVERIFY2(panel->summaryLabel()->text().contains(QLatin1String("alpaca")), qPrintable(panel->summaryLabel()->text()));
        const QString html = panel->previewView()->toHtml();
        QVERIFY(html.contains(QLatin1String("mixed.jsonl:1")));
        QVERIFY(html.contains(QLatin1String("mixed.jsonl:5")));
        QVERIFY(!html.contains(QLatin1String("mixed.jsonl:2 ")));
        const QString plain = panel->previewView()->toPlainText();
        QVERIFY(plain.contains(QLatin1String("A cow.")));
        QVERIFY(plain.contains(QLatin1String("Name a farm animal.")));
        QCOMPARE(panel->histogram()->plottableCount(), 1);
    }

    // The demo's DPO project: preference pairs, each shown as its chosen and its rejected sequence.
    void previewShowsBothAnswersOfAPair() {
        MainWindow window;
        QVERIFY(window.openFile(test::sourcePath(QStringLiteral("resources/demo/demo_dpo.yaml")), true));
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        QSignalSpy loaded(panel, &DataPanel::loaded);
        panel->reloadNow();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 20000);
        QVERIFY2(panel->summaryLabel()->text().contains(QLatin1String("preference")), qPrintable(panel->summaryLabel()->text()));
        const QString plain = panel->previewView()->toPlainText();
        QVERIFY2(plain.contains(QLatin1String("chosen")) && plain.contains(QLatin1String("rejected")), qPrintable(plain));
        QVERIFY2(plain.contains(QLatin1String("### Response:")), qPrintable(plain));  // the Alpaca template, both sides
        QVERIFY2(plain.count(QLatin1String("### Instruction:")) >= 2, qPrintable(plain));
        QVERIFY2(panel->summaryLabel()->text().contains(QLatin1String("126 training pair")), qPrintable(panel->summaryLabel()->text()));
        // Pairs are never packed: the option is off and the padding line says so.
        QVERIFY(!panel->findChild<QCheckBox*>(QStringLiteral("dataPacking"))->isEnabled());
        const QString padding = panel->findChild<QLabel*>(QStringLiteral("dataPadding"))->text();
        QVERIFY2(padding.contains(QLatin1String("pairs are not packed")) && !padding.contains(QLatin1String("packed (")),
                 qPrintable(padding));
    }

    void packingShowsThePaddingItSaves() {
        // Records of very different lengths: padded batches waste much, packed rows little; the
        // checkboxes write data.packing / data.group_by_length, and the chosen way is in bold.
        QTemporaryDir tmp;
        const QString data = tmp.filePath(QStringLiteral("mixed.jsonl"));
        QFile f(data);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 24; ++i)
            f.write(QStringLiteral("{\"text\": \"%1\"}\n").arg(QStringLiteral("the cat sees a dog ").repeated(1 + (i * 7) % 20)).toUtf8());
        f.close();
        MainWindow window;
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        QSignalSpy loaded(panel, &DataPanel::loaded);
        window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
            c.baseModel = test::demoModel().toStdString();
            c.data.path = data.toStdString();
            c.data.maxLength = 128;
            c.training.batchSize = 4;
        });
        panel->reloadNow();
        auto* padding = panel->findChild<QLabel*>(QStringLiteral("dataPadding"));
        QVERIFY(padding);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && padding->text().contains(QLatin1String("packed")), 20000);
        const QRegularExpression shares(QStringLiteral("([0-9.]+)%"));
        QList<double> v;
        for (auto it = shares.globalMatch(padding->text()); it.hasNext();) v << it.next().captured(1).toDouble();
        QCOMPARE(v.size(), 3);  // padded, grouped, packed
        QVERIFY2(v[0] > v[1] && v[1] > v[2], qPrintable(padding->text()));
        QVERIFY(padding->text().startsWith(QLatin1String("<b>")));  // unpacked, ungrouped: the first is bold

        auto* packing = panel->findChild<QCheckBox*>(QStringLiteral("dataPacking"));
        auto* group = panel->findChild<QCheckBox*>(QStringLiteral("dataGroupByLength"));
        QVERIFY(packing && group);
        packing->setChecked(true);
        QVERIFY(window.document()->config().data.packing);
        QVERIFY(!group->isEnabled());  // grouping is for unpacked batches
        QTRY_VERIFY(padding->text().contains(QStringLiteral("<b>%1%</b> packed").arg(v[2], 0, 'f', 1)));
        packing->setChecked(false);
        group->setChecked(true);
        QVERIFY(window.document()->config().data.groupByLength);
        QVERIFY(!window.document()->config().data.packing);
    }

    // data.max_prompt_length: 0 reads "cut at the end"; a value writes the key and reads as a limit.
    void maxPromptLengthSpin() {
        MainWindow window;
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        auto* spin = panel->findChild<QSpinBox*>(QStringLiteral("dataMaxPromptLength"));
        QVERIFY(spin);
        QCOMPARE(spin->value(), 0);
        QCOMPARE(spin->text(), QStringLiteral("cut at the end"));
        spin->setValue(64);
        QCOMPARE(window.document()->config().data.maxPromptLength, 64);
        QCOMPARE(spin->text(), QStringLiteral("cut the prompt to 64 tokens first"));
        window.document()->edit(ProjectDocument::Part::Data, [](ProjectConfig& c) { c.data.maxPromptLength = 16; });
        QCOMPARE(spin->value(), 16);
    }

    void hintsWithoutModelOrFile() {
        MainWindow window;
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        QSignalSpy loaded(panel, &DataPanel::loaded);
        window.document()->edit(ProjectDocument::Part::Data, [](ProjectConfig& c) { c.data.path = "somewhere.jsonl"; });
        panel->reloadNow();
        QTRY_VERIFY(loaded.count() >= 1);
        QVERIFY(panel->summaryLabel()->text().contains(QLatin1String("base model")));
        QCOMPARE(panel->badLinesList()->count(), 0);
    }

    void missingFileIsAnError() {
        MainWindow window;
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        QSignalSpy loaded(panel, &DataPanel::loaded);
        window.document()->edit(ProjectDocument::Part::All, [](ProjectConfig& c) {
            c.baseModel = test::demoModel().toStdString();
            c.data.path = "/nonexistent/data.jsonl";
        });
        panel->reloadNow();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && panel->summaryLabel()->text().startsWith(QStringLiteral("⚠")), 20000);
        QVERIFY(panel->summaryLabel()->text().contains(QLatin1String("data.jsonl")));
    }

    // Every data key is editable here: the order and streaming controls and the validation file
    // write the project, and a project opened elsewhere shows in them.
    void orderAndValidationFileEditTheProject() {
        MainWindow window;
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        auto* shuffle = panel->findChild<QCheckBox*>(QStringLiteral("dataShuffle"));
        auto* seed = panel->findChild<QSpinBox*>(QStringLiteral("dataShuffleSeed"));
        auto* streaming = panel->findChild<QCheckBox*>(QStringLiteral("dataStreaming"));
        auto* validationFile = panel->findChild<QLineEdit*>(QStringLiteral("dataValidationFile"));
        QVERIFY(shuffle && seed && streaming && validationFile);
        const DataSettings defaults;
        QCOMPARE(shuffle->isChecked(), defaults.shuffle);
        QCOMPARE(seed->value(), defaults.shuffleSeed);

        shuffle->setChecked(false);
        QCOMPARE(window.document()->config().data.shuffle, false);
        seed->setValue(7);
        QCOMPARE(window.document()->config().data.shuffleSeed, 7);
        streaming->setChecked(true);
        QCOMPARE(window.document()->config().data.streaming, true);
        validationFile->setText(QStringLiteral("held_out.jsonl"));
        Q_EMIT validationFile->editingFinished();
        QCOMPARE(window.document()->config().data.validationPath, std::string("held_out.jsonl"));

        window.document()->edit(ProjectDocument::Part::All, [](ProjectConfig& c) {
            c.data.shuffle = true;
            c.data.shuffleSeed = 1234;
            c.data.streaming = false;
            c.data.validationPath.clear();
        });
        QVERIFY(shuffle->isChecked());
        QCOMPARE(seed->value(), 1234);
        QVERIFY(!streaming->isChecked());
        QVERIFY(validationFile->text().isEmpty());
    }

    // A model whose tokenizer has a chat_template: auto renders ShareGPT data with it, the summary
    // names it after the model, the preview trains the answers; the template and system prompt
    // controls write the project.
    void modelTemplateAndShareGpt() {
        QTemporaryDir tmp;
        const QString model = tmp.filePath(QStringLiteral("Tiny-Chat"));
        QVERIFY(QDir().mkpath(model));
        for (const char* name : {"config.json", "model.safetensors", "tokenizer.json"})
            QVERIFY(QFile::copy(test::demoModel() + QLatin1Char('/') + QLatin1String(name), model + QLatin1Char('/') + QLatin1String(name)));
        QFile config(model + QStringLiteral("/tokenizer_config.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "chat_template": )"
                     R"("{% for m in messages %}<{{ m.role }}>{{ m.content }}{% if m.role == 'assistant' %}{{ eos_token }}{% endif %}\n{% endfor %})"
                     R"({% if add_generation_prompt %}<assistant>{% endif %}"})");
        config.close();
        const QString data = tmp.filePath(QStringLiteral("sg.jsonl"));
        QFile f(data);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"conversations": [{"from": "human", "value": "Name a bird."}, {"from": "gpt", "value": "A duck."}]})" "\n");
        f.close();

        MainWindow window;
        auto* panel = window.panel<DataPanel>(QStringLiteral("panel.data"));
        QSignalSpy loaded(panel, &DataPanel::loaded);
        window.document()->edit(ProjectDocument::Part::All, [&](ProjectConfig& c) {
            c.baseModel = model.toStdString();
            c.data.path = data.toStdString();
            c.data.systemPrompt = "Be brief.";
        });
        panel->reloadNow();
        QTRY_VERIFY2_WITH_TIMEOUT(loaded.count() >= 1 && panel->summaryLabel()->text().contains(QLatin1String("sharegpt")),
                                  qPrintable(panel->summaryLabel()->text()), 20000);
        const QString summary = panel->summaryLabel()->text();
        QVERIFY2(summary.contains(QLatin1String("the model's own (Tiny-Chat, Jinja)")), qPrintable(summary));
        const QString plain = panel->previewView()->toPlainText();
        QVERIFY2(plain.contains(QLatin1String("<system>Be brief.")) && plain.contains(QLatin1String("<user>Name a bird.")) &&
                     plain.contains(QLatin1String("<assistant>A duck.<|endoftext|>")),
                 qPrintable(plain));
        QVERIFY2(panel->previewView()->toHtml().contains(QLatin1String("A duck.&lt;|endoftext|&gt;")), qPrintable(panel->previewView()->toHtml()));

        auto* templateBox = panel->findChild<QComboBox*>(QStringLiteral("dataTemplate"));
        auto* system = panel->findChild<QLineEdit*>(QStringLiteral("dataSystemPrompt"));
        QVERIFY(templateBox && system);
        QCOMPARE(system->text(), QStringLiteral("Be brief."));
        templateBox->setCurrentIndex(templateBox->findData(int(ChatTemplate::Model)));
        QCOMPARE(window.document()->config().data.chatTemplate, ChatTemplate::Model);
        system->setText(QStringLiteral("Be kind."));
        Q_EMIT system->editingFinished();
        QCOMPARE(window.document()->config().data.systemPrompt, std::string("Be kind."));
        // A multi-line prompt from the file survives edits of the other controls.
        window.document()->edit(ProjectDocument::Part::Data, [](ProjectConfig& c) { c.data.systemPrompt = "Line one.\nLine two."; });
        templateBox->setCurrentIndex(templateBox->findData(int(ChatTemplate::ChatML)));
        QCOMPARE(window.document()->config().data.chatTemplate, ChatTemplate::ChatML);
        QCOMPARE(window.document()->config().data.systemPrompt, std::string("Line one.\nLine two."));
    }
};

QTEST_MAIN(TestDataPanel)
#include "test_data_panel.moc"

// Core's errors in the studio's language (ui/error_text.h), case by case from docs/errors.md: every
// error the studio can meet (the catalogue's cases that end with an error, but the command line's own
// argument checks) is a known message with a known hint; with no translation, or the English one, the
// studio shows core's text word for word; in zh_CN every one is Chinese and keeps its paths, quoted
// names, keys, numbers and line:column. The catalogue's texts are core's own (test_error_catalogue).
#include "error_catalogue.h"
#include "error_text.h"
#include "ui_test_support.h"

#include <QtTest>

#include <set>

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
        // Forms no case uses are variants of a listed one (NaN / infinite, a rank, another YAML type).
        QVERIFY2(int(messages.size()) >= errorMessageFormCount() - 8, qPrintable(QString::number(messages.size())));
        QCOMPARE(int(hints.size()), errorHintFormCount());
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

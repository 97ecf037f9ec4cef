// The Inspect page's rank advice through tr(): with no translation (and with the English .qm) it is
// core's advice word for word, for adapters built to reach every branch of moduleAdvice and
// adapterAdvice, so the two cannot drift; in zh_CN it is Chinese with the same numbers; the Rank
// panel shows it.
#include "analysis/adapter_analysis.h"
#include "analysis/spectrum_stats.h"
#include "train/train_types.h"

#include <ATen/ATen.h>

#include "rank_advice_text.h"
#include "rank_panel.h"
#include "ui_test_support.h"

#include <QLabel>
#include <QRegularExpression>
#include <QTranslator>
#include <QtTest>

#include <algorithm>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

// A module whose update s·B·A has exactly the singular values `sigma` (r = sigma.size()):
// A = [I_r | 0] [r, in], B = [diag(sigma); 0] [out, r]. All zeros: B still at its initialisation.
ModuleInput module(int layer, const std::vector<double>& sigma) {
    const int64_t r = static_cast<int64_t>(sigma.size()), in = 64, out = 48;
    ModuleInput m;
    m.name = "model.layers." + std::to_string(layer) + ".self_attn.q_proj";
    m.A = at::eye(r, in, at::kFloat);
    m.B = at::zeros({out, r}, at::kFloat);
    m.B.narrow(0, 0, r).copy_(at::diag(at::tensor(sigma, at::kDouble)).to(at::kFloat));
    return m;
}

std::vector<double> flat(int r) { return std::vector<double>(std::size_t(r), 1.0); }
std::vector<double> zero(int r) { return std::vector<double>(std::size_t(r), 0.0); }
// k strong directions (1 each) and r - k weak ones: k95 = k.
std::vector<double> top(int k, int r) {
    std::vector<double> s(std::size_t(r), 0.01);
    std::fill(s.begin(), s.begin() + k, 1.0);
    return s;
}

struct Case {
    const char* name;
    std::vector<ModuleInput> modules;
};

// Every branch: per module zero / saturated (r = 1 and r > 1) / r=pow2 would do (k95 = 1 and > 1) /
// fits; per adapter none / all zero / saturated (+ zero modules) / would do (one and several
// directions, a median of .5) / fits.
std::vector<Case> cases() {
    return {
        {"no modules", {}},
        {"all zero", {module(0, zero(8)), module(1, zero(8))}},
        {"saturated, one still zero", {module(0, flat(4)), module(1, flat(8)), module(2, top(3, 16)), module(3, zero(32))}},
        {"saturated at r=1", {module(0, flat(1))}},
        {"would do, median 2.5", {module(0, top(2, 16)), module(1, top(3, 16))}},
        {"would do, one direction", {module(0, {10, .1, .1, .1, .1, .1, .1, .1}), module(1, top(1, 8)), module(2, zero(8))}},
        {"fits", {module(0, top(3, 4)), module(1, top(2, 4))}},
    };
}

// The numbers in a line, in order of size (a translation may reorder them, never change them).
QStringList numbers(const QString& text) {
    QStringList out;
    auto it = QRegularExpression(QStringLiteral("\\d+(\\.\\d+)?")).globalMatch(text);
    while (it.hasNext()) out << it.next().captured();
    std::sort(out.begin(), out.end());
    return out;
}

bool hasChinese(const QString& text) {
    return std::any_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff; });
}

} // namespace

class TestRankAdviceText : public QObject {
    Q_OBJECT
private:
    // Every advice line of every case: (core's, the studio's).
    static QList<QPair<QString, QString>> lines() {
        QList<QPair<QString, QString>> out;
        for (const Case& c : cases()) {
            const AdapterReport report = analyzeAdapter(c.modules);
            out << qMakePair(QString::fromStdString(report.advice), adapterAdviceText(report));
            for (const ModuleReport& m : report.modules) out << qMakePair(QString::fromStdString(m.advice), moduleAdviceText(m));
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void englishIsCoresText_data() { test::addEnglishRows(); }

    void englishIsCoresText() {
        QFETCH(QString, qm);
        const test::ScopedTranslator translator(qm);
        QVERIFY(translator.loaded());
        for (const Case& c : cases()) {
            const AdapterReport report = analyzeAdapter(c.modules);
            QCOMPARE(adapterAdviceText(report), QString::fromStdString(report.advice));
            for (const ModuleReport& m : report.modules) QCOMPARE(moduleAdviceText(m), QString::fromStdString(m.advice));
        }
        // Every sentence is reached: the four module branches (two wordings each for the first
        // two) and the adapter's, counted by their distinct core sentences.
        QSet<QString> seen;
        for (const auto& [core, studio] : lines()) seen << core;
        QCOMPARE(seen.size(), 16);
    }

    // "the top 1 direction or fewer ...: r=1 fits" cannot come out of analyzeAdapter (a module with
    // k95 = 1 that is not saturated has r >= 2), but a report read from JSON can say it.
    void handBuiltReportIsCoresText() {
        AdapterReport report;
        ModuleReport m;
        m.rank = 2;
        m.k95 = 1;
        m.frobeniusNorm = 1;
        report.modules = {m};
        report.maxRank = 1;
        report.maxK95 = 1;
        report.medianK95 = 1;
        QCOMPARE(adapterAdviceText(report), QString::fromStdString(adapterAdvice(1, 0, 0, 0, 1, 1.0, 1)));
        QCOMPARE(adapterAdviceText(report), QStringLiteral("95% of the update's energy is in the top 1 direction or fewer in every module (median 1): r=1 fits"));
    }

    void chineseKeepsTheNumbers() {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(":/i18n/lorastudio_zh_CN.qm")));
        QCoreApplication::installTranslator(&translator);
        for (const auto& [core, studio] : lines()) {
            QVERIFY2(studio != core, qPrintable(studio));
            QVERIFY2(hasChinese(studio), qPrintable(studio));
            QCOMPARE(numbers(studio), numbers(core));
        }
        AdapterReport fits;
        ModuleReport m;
        m.rank = 2;
        m.k95 = 1;
        m.frobeniusNorm = 1;
        fits.modules = {m};
        fits.maxRank = fits.maxK95 = 1;
        fits.medianK95 = 1;
        QVERIFY(hasChinese(adapterAdviceText(fits)));

        // The Rank panel's two advice lines, from a live snapshot.
        RankPanel panel(PanelContext{});
        AnalysisSnapshot snapshot;
        snapshot.step = 7;
        snapshot.report = analyzeAdapter(cases()[2].modules);
        panel.showSnapshot(snapshot);
        QCOMPARE(panel.adviceText(), adapterAdviceText(snapshot.report));
        QVERIFY2(panel.adviceText().contains(QStringLiteral("r=16")), qPrintable(panel.adviceText()));
        auto* moduleLine = panel.findChild<QLabel*>(QStringLiteral("rankModuleAdvice"));
        QVERIFY(moduleLine);
        QVERIFY2(moduleLine->text().endsWith(moduleAdviceText(snapshot.report.modules.front())), qPrintable(moduleLine->text()));
        QVERIFY(hasChinese(moduleLine->text()));
        QCoreApplication::removeTranslator(&translator);
    }
};

QTEST_MAIN(TestRankAdviceText)
#include "test_rank_advice_text.moc"

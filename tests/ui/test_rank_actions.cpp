// The Inspect page's actions on an adapter of the demo model with known spectra (written by the
// test): the suggested-ranks table for 90/95/99%, one click writing lora.rank_pattern into the
// project (undoable), where learning happened (by layer and kind, amplification with the base),
// and the Export page's resized adapter with its probe-text check.
#include "common/json_file.h"
#include "io/safetensors.h"
#include "lora/peft_adapter.h"
#include "lora/target_matching.h"

#include <ATen/ATen.h>

#include "export_panel.h"
#include "learning_summary_view.h"
#include "model_context.h"
#include "project_document.h"
#include "rank_panel.h"
#include "rank_suggestion_view.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

// The demo GPT-2 (n_embd 128, 4 layers) targeted as demo.yaml does: c_attn [128 -> 384],
// attn.c_proj [128 -> 128], mlp.c_proj [512 -> 128]; r = 8, alpha 16 (s = 2).
struct Kind {
    const char* name;
    int64_t in, out;
    std::vector<double> sigma;  // of s·B·A
};
const std::vector<Kind> kKinds = {
    {"attn.c_attn", 128, 384, {8, 4, 2, 1, 0.5, 0.25, 0.1, 0.05}},  // 95%: k 3 -> 4; 90%: k 2 -> 2; 99%: k 4 -> 4
    {"attn.c_proj", 128, 128, {1, 1, 1, 1, 1, 1, 1, 1}},            // flat: 8 at every share
    {"mlp.c_proj", 512, 128, {5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}}};  // 95%, 99%: 1

at::Tensor orthonormal(int64_t n, int64_t k) {
    return std::get<0>(at::linalg_qr(at::randn({n, k}, at::kDouble), "reduced")).to(at::kFloat);
}

void writeAdapter(const QString& folder) {
    at::manual_seed(99);
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (int layer = 0; layer < 4; ++layer)
        for (const Kind& k : kKinds) {
            const std::string module = "base_model.model.transformer.h." + std::to_string(layer) + "." + k.name;
            const at::Tensor sigma = at::tensor(k.sigma, at::kFloat).div(2.0);
            tensors.emplace_back(module + ".lora_A.weight", orthonormal(k.in, 8).t().contiguous());
            tensors.emplace_back(module + ".lora_B.weight", orthonormal(k.out, 8).mul(sigma.unsqueeze(0)).contiguous());
        }
    QDir().mkpath(folder);
    writeSafetensors((folder + QStringLiteral("/adapter_model.safetensors")).toStdString(), tensors, {{"format", "pt"}});
    nlohmann::json config = {{"peft_type", "LORA"}, {"r", 8}, {"lora_alpha", 16}, {"fan_in_fan_out", true},
                             {"target_modules", {"c_attn", "c_proj"}}, {"task_type", "CAUSAL_LM"},
                             {"base_model_name_or_path", test::demoModel().toStdString()}};
    QFile file(folder + QStringLiteral("/adapter_config.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray::fromStdString(config.dump(2)));
}

QStringList column(QTableWidget* table, int col) {
    QStringList out;
    for (int row = 0; row < table->rowCount(); ++row) out << table->item(row, col)->text();
    return out;
}

} // namespace

class TestRankActions : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    ProjectDocument* m_document = nullptr;
    ModelContext* m_model = nullptr;
    QString m_adapter;

private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings();
        QVERIFY(m_tmp.isValid());
        m_document = new ProjectDocument(this);
        QString error;
        QVERIFY2(m_document->load(test::demoProject(), &error), qPrintable(error));
        m_model = new ModelContext(m_document, this);
        QVERIFY(m_model->hasModel());
        m_adapter = m_tmp.path() + QStringLiteral("/adapter");
        writeAdapter(m_adapter);
    }

    void suggestionTableAndWritingIt() {
        RankPanel rank(PanelContext{m_document, m_model, nullptr, nullptr});
        QSignalSpy done(&rank, &RankPanel::analysisFinished);
        RankSuggestionView* view = rank.suggestions();
        QVERIFY(!view->applyButton()->isEnabled());  // nothing analysed yet
        rank.openAdapter(m_adapter);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QCOMPARE(rank.tabs()->currentWidget(), view);  // the suggestion is what the page opens on
        QTableWidget* table = view->table();
        QCOMPARE(table->rowCount(), 12);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("transformer.h.0.attn.c_attn"));
        const QStringList at95 = {"4", "8", "1", "4", "8", "1", "4", "8", "1", "4", "8", "1"};
        QCOMPARE(column(table, 2), at95);
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("8"));
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("99.6%"));  // k = 3 -> r 4 keeps (64 + 16 + 4 + 1) / 85.325
        QCOMPARE(table->item(2, 4)->text(), QLocale().toString(qint64(7 * (512 + 128))));
        view->setShare(0.90);
        QCOMPARE(column(table, 2).mid(0, 3), QStringList({"2", "8", "1"}));
        view->setShare(0.99);
        QCOMPARE(column(table, 2).mid(0, 3), QStringList({"4", "8", "1"}));
        view->setShare(0.95);
        // A row click shows that module's spectrum.
        Q_EMIT table->cellClicked(5, 0);
        QCOMPARE(rank.currentModule(), QStringLiteral("transformer.h.1.mlp.c_proj"));

        // One click: the project's rank_pattern, every target resolving to its suggested rank.
        const int steps = m_document->undoStack()->count();
        QVERIFY(view->applyToProject());
        const LoraSettings& lora = m_document->config().lora;
        QCOMPARE(lora.rankPattern, (std::vector<std::pair<std::string, int>>{{"attn\\.c_attn", 4}, {"mlp\\.c_proj", 1}}));
        QCOMPARE(lora.r, 8);
        for (const LoraTarget& t : planLoraTargets(m_model->info().linears, lora)) {
            const int want = t.name.find("c_attn") != std::string::npos ? 4 : t.name.find("mlp") != std::string::npos ? 1 : 8;
            QCOMPARE(t.r, want);
        }
        QVERIFY(m_document->isModified());
        QVERIFY(view->noteText().contains(QStringLiteral("2 rank_pattern key")));
        QCOMPARE(m_document->undoStack()->count(), steps + 1);
        m_document->undoStack()->undo();
        QVERIFY(m_document->config().lora.rankPattern.empty());
        QVERIFY(!m_document->isModified());
    }

    void whereLearningHappened() {
        RankPanel rank(PanelContext{m_document, m_model, nullptr, nullptr});
        QSignalSpy done(&rank, &RankPanel::analysisFinished);
        rank.openAdapter(m_adapter);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
        QTableWidget* layers = rank.learning()->layerTable();
        QTableWidget* kinds = rank.learning()->kindTable();
        QCOMPARE(layers->rowCount(), 4);
        QCOMPARE(column(layers, 2), QStringList({"25.0%", "25.0%", "25.0%", "25.0%"}));  // the same spectra in every layer
        QCOMPARE(column(kinds, 0), QStringList({"attn.c_attn", "attn.c_proj", "mlp.c_proj"}));
        // Σσ² per kind: 85.325, 8, 25.07 -> shares of 118.395.
        QCOMPARE(kinds->item(0, 2)->text(), QStringLiteral("72.1%"));
        QCOMPARE(kinds->item(1, 2)->text(), QStringLiteral("6.8%"));
        // The project's base model fits: amplification per group.
        for (int row = 0; row < kinds->rowCount(); ++row) QVERIFY(kinds->item(row, 4)->text().toDouble() > 0);
        QVERIFY(rank.learning()->captionText().contains(QStringLiteral("amplification")));
    }

    void exportPageResizes() {
        ExportPanel panel(test::demoModel(), m_adapter, QString());
        const QString target = m_tmp.path() + QStringLiteral("/resized");
        panel.setKind(ExportPanel::Kind::Resized);
        panel.setResizeShare(0.95);
        panel.setTarget(target);
        QSignalSpy done(&panel, &ExportPanel::exportFinished);
        QVERIFY(panel.startExport());
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        const double diff = done.first().at(2).toDouble();
        QVERIFY2(diff > 0 && diff < 1.0, qPrintable(QString::number(diff)));
        QVERIFY2(panel.resultText().contains(QStringLiteral("Resized adapter written")), qPrintable(panel.resultText()));
        const AdapterConfig written = readAdapterConfig(target.toStdString(), Architecture::Gpt2);
        QCOMPARE(written.settings.r, 8);
        QCOMPARE(rankAndAlphaFor("transformer.h.2.attn.c_attn", written.settings).r, 4);
        QCOMPARE(rankAndAlphaFor("transformer.h.2.mlp.c_proj", written.settings).r, 1);
        // At most rank 8 of an r = 8 adapter: lossless on the probe.
        ExportPanel full(test::demoModel(), m_adapter, QString());
        full.setKind(ExportPanel::Kind::Resized);
        full.setResizeRank(8);
        full.setTarget(m_tmp.path() + QStringLiteral("/full"));
        QSignalSpy fullDone(&full, &ExportPanel::exportFinished);
        QVERIFY(full.startExport());
        QTRY_VERIFY_WITH_TIMEOUT(fullDone.count() == 1, 60000);
        QVERIFY2(fullDone.first().at(0).toBool(), qPrintable(fullDone.first().at(1).toString()));
        QVERIFY2(fullDone.first().at(2).toDouble() < 1e-4, qPrintable(full.resultText()));
    }
};

QTEST_MAIN(TestRankActions)
#include "test_rank_actions.moc"

// The modules panel on the demo GPT-2: the tree follows the pattern field (names and regex, PEFT
// semantics), bad regexes are reported without touching the project, layers_to_transform filters,
// checkbox clicks write target_modules, and the selection helpers pick the compact exact form.
#include "main_window.h"
#include "model_context.h"
#include "module_selection.h"
#include "modules_panel.h"
#include "project_document.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QPaintEvent>
#include <QUndoStack>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

namespace {

std::vector<std::string> names(std::initializer_list<const char*> list) {
    std::vector<std::string> out;
    for (const char* n : list) out.emplace_back(n);
    return out;
}

QTreeWidgetItem* leafNamed(QTreeWidget* tree, const QString& fullName) {
    QTreeWidgetItemIterator it(tree);
    for (; *it; ++it)
        if ((*it)->toolTip(0) == fullName) return *it;
    return nullptr;
}

} // namespace

class TestModulesPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void init() {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(m_window->openFile(test::demoProject(), true));
        m_panel = m_window->panel<ModulesPanel>(QStringLiteral("panel.modules"));
        QVERIFY(m_panel);
        m_window->showPage(QStringLiteral("page.adapter"));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanup() {
        m_window->setUnsavedChangesPrompt([] { return QMessageBox::Discard; });
        m_window.reset();
    }

    void treeHasEveryLinearModule() {
        // GPT-2 with 4 layers: c_attn, attn.c_proj, c_fc, mlp.c_proj per layer, and lm_head.
        int leaves = 0;
        for (QTreeWidgetItemIterator it(m_panel->tree()); *it; ++it)
            if ((*it)->childCount() == 0) ++leaves;
        QCOMPARE(leaves, 17);
        // The demo targets [c_attn, c_proj]: the suffix rule takes attn.c_proj and mlp.c_proj.
        QCOMPARE(int(m_panel->checkedModules().size()), 12);
    }

    void treeReflectsTheNamePattern() {
        QLineEdit* edit = m_panel->patternEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("c_fc"));
        QCOMPARE(m_panel->checkedModules(),
                 names({"transformer.h.0.mlp.c_fc", "transformer.h.1.mlp.c_fc", "transformer.h.2.mlp.c_fc",
                        "transformer.h.3.mlp.c_fc"}));
        QVERIFY(m_window->document()->config().lora.targetModules == ModuleSelection::list({"c_fc"}));
        QVERIFY(m_window->isWindowModified());
        // The matched leaf is highlighted, an unmatched one is not.
        QVERIFY(leafNamed(m_panel->tree(), QStringLiteral("transformer.h.2.mlp.c_fc"))->font(0).bold());
        QVERIFY(!leafNamed(m_panel->tree(), QStringLiteral("transformer.h.2.attn.c_attn"))->font(0).bold());
        // Per-module LoRA parameters for r = 8: 8 * (128 + 512).
        QCOMPARE(leafNamed(m_panel->tree(), QStringLiteral("transformer.h.2.mlp.c_fc"))->text(2),
                 QLocale().toString(8 * (128 + 512)));
        // A dotted ending narrows to the attention projection only.
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("attn.c_proj"));
        QCOMPARE(m_panel->checkedModules().size(), size_t(4));
        QCOMPARE(m_panel->checkedModules().front(), std::string("transformer.h.0.attn.c_proj"));
    }

    void treeReflectsARegex() {
        m_panel->patternMode()->setCurrentIndex(1);
        QLineEdit* edit = m_panel->patternEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral(".*\\.h\\.[13]\\.attn\\.c_attn"));
        QCOMPARE(m_panel->checkedModules(), names({"transformer.h.1.attn.c_attn", "transformer.h.3.attn.c_attn"}));
        QCOMPARE(m_window->document()->config().lora.targetModules.kind, ModuleSelection::Kind::Regex);
        // Full match, not search: "c_attn" alone as a regex matches nothing, and says so.
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("c_attn"));
        QVERIFY(m_panel->checkedModules().empty());
        QVERIFY(visibleMessage(QStringLiteral("lora.target_modules")));
    }

    void badRegexIsReportedAndNotWritten() {
        m_panel->patternMode()->setCurrentIndex(1);
        QLineEdit* edit = m_panel->patternEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral(".*c_fc"));
        const ModuleSelection good = m_window->document()->config().lora.targetModules;
        QCOMPARE(m_panel->checkedModules().size(), size_t(4));
        QTest::keyClicks(edit, QStringLiteral("(")); // ".*c_fc(" does not compile
        QVERIFY(m_window->document()->config().lora.targetModules == good);
        QVERIFY(visibleMessage(QStringLiteral("invalid regular expression")));
    }

    void layersToTransformFilters() {
        m_window->document()->edit(ProjectDocument::Part::Lora, [](ProjectConfig& c) {
            c.lora.targetModules = ModuleSelection::list({"c_attn"});
        });
        auto* layers = m_panel->findChild<QLineEdit*>(QStringLiteral("layersToTransform"));
        QVERIFY(layers);
        layers->setFocus();
        QTest::keyClicks(layers, QStringLiteral("0, 2-3"));
        QCOMPARE(m_window->document()->config().lora.layersToTransform, (std::vector<int>{0, 2, 3}));
        QCOMPARE(m_panel->checkedModules(), names({"transformer.h.0.attn.c_attn", "transformer.h.2.attn.c_attn",
                                                   "transformer.h.3.attn.c_attn"}));
    }

    void checkboxesWriteTargetModules() {
        m_window->document()->edit(ProjectDocument::Part::Lora, [](ProjectConfig& c) {
            c.lora.targetModules = ModuleSelection::list({"c_attn"});
        });
        // Check c_fc in every layer: the list becomes the endings [c_attn, c_fc].
        for (int layer = 0; layer < 4; ++layer)
            leafNamed(m_panel->tree(), QStringLiteral("transformer.h.%1.mlp.c_fc").arg(layer))->setCheckState(0, Qt::Checked);
        QTRY_VERIFY(m_window->document()->config().lora.targetModules == ModuleSelection::list({"c_attn", "c_fc"}));
        QCOMPARE(m_panel->patternEdit()->text(), QStringLiteral("c_attn, c_fc"));
        // Unchecking one layer's c_attn cannot be said with endings: the names are written in full.
        leafNamed(m_panel->tree(), QStringLiteral("transformer.h.1.attn.c_attn"))->setCheckState(0, Qt::Unchecked);
        QTRY_COMPARE(m_window->document()->config().lora.targetModules.names.size(), size_t(7));
        QCOMPARE(m_panel->checkedModules().size(), size_t(7));
    }

    // A layer's box follows its children at once: the rows of the parents are repainted when the
    // selection changes from outside the tree (a preset, the pattern, Undo), not when next scrolled.
    void parentBoxesRepaintAtOnce() {
        QTreeWidget* tree = m_panel->tree();
        tree->expandAll();
        QTest::qWait(100);
        QTreeWidgetItem* layer0 = tree->topLevelItem(0);
        const QRect parentRow = tree->visualItemRect(layer0);
        QVERIFY(parentRow.isValid());
        struct PaintWatch : QObject {
            QRect row;
            bool painted = false;
            bool eventFilter(QObject*, QEvent* e) override {
                if (e->type() == QEvent::Paint && static_cast<QPaintEvent*>(e)->region().intersects(row)) painted = true;
                return false;
            }
        } watch;
        watch.row = parentRow;
        tree->viewport()->installEventFilter(&watch);
        QTest::qWait(50);
        watch.painted = false;
        // One leaf clicked: only its row changes itself; its layer's box must follow on screen.
        QCOMPARE(layer0->checkState(0), Qt::PartiallyChecked);  // the demo: c_attn and c_proj, not c_fc
        leafNamed(tree, QStringLiteral("transformer.h.0.mlp.c_fc"))->setCheckState(0, Qt::Checked);
        QCOMPARE(layer0->checkState(0), Qt::Checked);  // now every module of layer 0
        QTRY_VERIFY(watch.painted);
        // And from outside the tree (Undo): the same.
        QTest::qWait(50);
        watch.painted = false;
        m_window->document()->undoStack()->undo();
        QTRY_VERIFY(watch.painted);
        tree->viewport()->removeEventFilter(&watch);
    }

    void presetsFollowTheArchitecture() {
        m_panel->findChild<QPushButton*>(QStringLiteral("preset0"))->click();
        QVERIFY(m_window->document()->config().lora.targetModules == ModuleSelection::list({"c_attn"}));
        m_panel->findChild<QPushButton*>(QStringLiteral("preset1"))->click();
        QCOMPARE(m_panel->checkedModules().size(), size_t(8));
        m_panel->findChild<QPushButton*>(QStringLiteral("preset2"))->click();
        QCOMPARE(m_window->document()->config().lora.targetModules.kind, ModuleSelection::Kind::AllLinear);
        QCOMPARE(m_panel->checkedModules().size(), size_t(16)); // all-linear leaves the head out
    }

    void selectionHelpers() {
        const auto all = names({"m.layers.0.self_attn.q_proj", "m.layers.0.self_attn.v_proj", "m.layers.0.mlp.up_proj",
                                "m.layers.1.self_attn.q_proj", "m.layers.1.self_attn.v_proj", "m.layers.1.mlp.up_proj",
                                "lm_head"});
        LoraSettings lora;
        const ModuleSelection qv = selectionForChecked(
            all, {"m.layers.0.self_attn.q_proj", "m.layers.0.self_attn.v_proj", "m.layers.1.self_attn.q_proj",
                  "m.layers.1.self_attn.v_proj"},
            lora);
        QVERIFY(qv == ModuleSelection::list({"q_proj", "v_proj"}));
        const ModuleSelection allLinear = selectionForChecked(
            all, {all[0], all[1], all[2], all[3], all[4], all[5]}, lora);
        QCOMPARE(allLinear.kind, ModuleSelection::Kind::AllLinear);
        QVERIFY(selectionForChecked(all, {"lm_head"}, lora) == ModuleSelection::list({"lm_head"}));
        QVERIFY(selectionForChecked(all, {}, lora) == ModuleSelection::list({}));

        std::vector<int> layers;
        QVERIFY(parseLayerList(QStringLiteral("3, 0-1, 1"), layers, nullptr));
        QCOMPARE(layers, (std::vector<int>{0, 1, 3}));
        QCOMPARE(layerListText({0, 1, 2, 3, 5, 7, 8}), QStringLiteral("0-3, 5, 7, 8"));
        QVERIFY(!parseLayerList(QStringLiteral("2-1"), layers, nullptr));
        QVERIFY(!parseLayerList(QStringLiteral("x"), layers, nullptr));

        ModuleSelection parsed;
        QVERIFY(parseSelectionText(QStringLiteral(" q_proj,v_proj  k_proj "), false, parsed, nullptr));
        QVERIFY(parsed == ModuleSelection::list({"q_proj", "v_proj", "k_proj"}));
        QVERIFY(parseSelectionText(QStringLiteral("ALL-LINEAR"), false, parsed, nullptr));
        QCOMPARE(parsed.kind, ModuleSelection::Kind::AllLinear);
        QString error;
        QVERIFY(!parseSelectionText(QStringLiteral("[a-"), true, parsed, &error));
        QVERIFY(error.contains(QLatin1String("invalid regular expression")));
    }

private:
    // True when a visible label of the panel shows `text` (e.g. core's error message).
    bool visibleMessage(const QString& text) const {
        for (QLabel* label : m_panel->findChildren<QLabel*>())
            if (label->isVisible() && label->text().contains(text)) return true;
        return false;
    }

    std::unique_ptr<MainWindow> m_window;
    ModulesPanel* m_panel = nullptr;
};

QTEST_MAIN(TestModulesPanel)
#include "test_modules_panel.moc"

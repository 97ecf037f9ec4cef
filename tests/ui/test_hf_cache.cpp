// The Hugging Face cache: where it is looked for ($HF_HUB_CACHE first), which snapshots are listed
// (repo id from models--org--name, the refs/main revision marked, unusable folders reported), and
// the model panel listing them and using one as the base model.
#include "hf_cache.h"
#include "main_window.h"
#include "model_context.h"
#include "model_panel.h"
#include "project_document.h"
#include "ui_test_support.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace lorastudio;
using namespace lorastudio::ui;

class TestHfCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings();
        QVERIFY(m_cache.isValid());
        // models--demo-org--tiny-gpt2: two snapshots (main = the good one, with blobs linked as the
        // hub does) and a third model whose snapshot has a config.json only.
        const QDir root(m_cache.path());
        const QString repo = root.filePath(QStringLiteral("models--demo-org--tiny-gpt2"));
        QVERIFY(QDir().mkpath(repo + QStringLiteral("/refs")));
        QVERIFY(QDir().mkpath(repo + QStringLiteral("/snapshots/aaaa1111/")));
        QVERIFY(QDir().mkpath(repo + QStringLiteral("/snapshots/bbbb2222/")));
        for (const char* name : {"config.json", "model.safetensors", "tokenizer.json"})
            QVERIFY(QFile::link(test::demoModel() + QLatin1Char('/') + QLatin1String(name),
                                repo + QStringLiteral("/snapshots/aaaa1111/") + QLatin1String(name)));
        QVERIFY(QFile::copy(test::demoModel() + QStringLiteral("/config.json"), repo + QStringLiteral("/snapshots/bbbb2222/config.json")));
        QFile ref(repo + QStringLiteral("/refs/main"));
        QVERIFY(ref.open(QIODevice::WriteOnly));
        ref.write("aaaa1111\n");
        ref.close();
        qputenv("HF_HUB_CACHE", m_cache.path().toLocal8Bit());
    }

    void foldersStartWithTheEnvironment() {
        const QStringList folders = hubCacheFolders();
        QVERIFY(!folders.isEmpty());
        QCOMPARE(folders.first(), QDir::cleanPath(m_cache.path()));
        QVERIFY(folders.last().endsWith(QLatin1String(".cache/huggingface/hub")));
        QCOMPARE(folders.size(), QSet<QString>(folders.begin(), folders.end()).size());
    }

    void scanListsSnapshots() {
        const auto models = scanHubCache({m_cache.path()});
        QCOMPARE(models.size(), 2);
        const CachedModel& main = models[0];
        QCOMPARE(main.repoId, QStringLiteral("demo-org/tiny-gpt2"));
        QVERIFY(main.isMain);
        QCOMPARE(main.revision, QStringLiteral("aaaa1111"));
        QVERIFY2(main.error.isEmpty(), qPrintable(main.error));
        QCOMPARE(main.architecture, QStringLiteral("GPT2LMHeadModel"));
        QCOMPARE(main.parameters, qint64(888832));
        QVERIFY(main.checkpointBytes > 3000000);
        const CachedModel& broken = models[1];
        QVERIFY(!broken.isMain);
        QVERIFY(!broken.error.isEmpty()); // no safetensors
    }

    void panelUsesACachedModel() {
        MainWindow window;
        auto* panel = window.panel<ModelPanel>(QStringLiteral("panel.model"));
        QVERIFY(panel);
        QSignalSpy scanned(panel, &ModelPanel::cacheScanned);
        panel->rescanCache();
        QTRY_VERIFY_WITH_TIMEOUT(panel->cacheList()->topLevelItemCount() == 2, 20000);
        QTreeWidgetItem* first = panel->cacheList()->topLevelItem(0);
        QCOMPARE(first->text(0), QStringLiteral("demo-org/tiny-gpt2"));
        QVERIFY(!first->isDisabled());
        QVERIFY(panel->cacheList()->topLevelItem(1)->isDisabled());
        Q_EMIT panel->cacheList()->itemActivated(first, 0);
        QVERIFY(window.modelContext()->hasModel());
        QVERIFY(QString::fromStdString(window.document()->config().baseModel).endsWith(QLatin1String("snapshots/aaaa1111")));
        QVERIFY(window.isWindowModified());
        QVERIFY(first->font(0).bold()); // the model in use is marked
    }

private:
    QTemporaryDir m_cache;
};

QTEST_MAIN(TestHfCache)
#include "test_hf_cache.moc"

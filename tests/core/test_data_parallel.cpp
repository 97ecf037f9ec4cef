// Data-parallel training through the real CLI, on the CPU with Gloo over loopback: 2 ranks with
// batch b equal 1 process with batch 2b (same seed and data: same examples per step), a
// checkpoint of a 2-rank job resumes with 1 and with 2 ranks to the same adapter, and a rank that
// dies ends the job with a message naming it, within the collective timeout. The 2-rank job's
// gradient all-reduce runs in many small buckets started during backward (gradient_sync.h).
#include "io/safetensors.h"
#include "project/project_file.h"
#include "demo_project.h"
#include "test_support.h"

#include <ATen/ATen.h>

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace lorastudio;
namespace fs = std::filesystem;

namespace {

const QString kCli = QStringLiteral(LORASTUDIO_CLI_PATH);

// The demo with dropout 0 (dropout draws differ per rank by design), 6 steps, an evaluation and a
// checkpoint every 3 steps. batch: per rank.
std::string writeProject(const std::string& dir, const std::string& name, int batch, double bucketMb = 25) {
    ProjectConfig c = testsupport::demoProject(dir + "/out-" + name);
    c.lora.loraDropout = 0;
    c.training.batchSize = batch;
    c.training.distributedTimeout = 20;
    c.training.distributedBucketMb = bucketMb;
    const std::string path = dir + "/" + name + ".yaml";
    saveProject(c, path);
    return path;
}

struct Run {
    int exitCode = -1;
    QString output;
};

Run runCli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
           int timeoutMs = 300000) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(kCli, args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

struct Curve {
    std::vector<double> train, eval;
};

Curve curveOf(const std::string& runDir) {
    Curve c;
    std::ifstream in(runDir + "/metrics.jsonl");
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        if (j.value("type", "") == "step") c.train.push_back(j.at("loss").get<double>());
        if (j.value("type", "") == "eval") c.eval.push_back(j.at("loss").get<double>());
    }
    return c;
}

// A port nothing listens on now, for a job's rendezvous.
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

double largestAdapterDifference(const std::string& a, const std::string& b) {
    auto fa = SafetensorsFile::open(a + "/adapter/adapter_model.safetensors");
    auto fb = SafetensorsFile::open(b + "/adapter/adapter_model.safetensors");
    if (fa->tensors().size() != fb->tensors().size()) return 1e9;
    double worst = 0;
    for (const auto& t : fa->tensors())
        worst = std::max(worst, (fa->tensor(t.name) - fb->tensor(t.name)).abs().max().item<double>());
    return worst;
}

void compareCurves(const Curve& a, const Curve& b) {
    QCOMPARE(a.train.size(), b.train.size());
    QCOMPARE(a.eval.size(), b.eval.size());
    for (std::size_t i = 0; i < a.train.size(); ++i)
        QVERIFY2(std::abs(a.train[i] - b.train[i]) <= 1e-5 * std::max(1.0, std::abs(b.train[i])),
                 qPrintable(QString("step %1: %2 vs %3").arg(i + 1).arg(a.train[i], 0, 'g', 10).arg(b.train[i], 0, 'g', 10)));
    for (std::size_t i = 0; i < a.eval.size(); ++i)
        QVERIFY2(std::abs(a.eval[i] - b.eval[i]) <= 1e-5 * std::max(1.0, std::abs(b.eval[i])),
                 qPrintable(QString("eval %1: %2 vs %3").arg(i + 1).arg(a.eval[i], 0, 'g', 10).arg(b.eval[i], 0, 'g', 10)));
}

} // namespace

class TestDataParallel : public QObject {
    Q_OBJECT
    std::string m_dir;
    std::string m_twoRanks, m_oneRank;  // the run folders of the reference runs

private Q_SLOTS:
    void initTestCase() {
        m_dir = testsupport::makeTempDir("data-parallel");
        // Reference: one process with batch 4; the job: 2 ranks of batch 2.
        // The job's buckets: 8 KiB of gradients each (the first 1 MiB cap does not bite), many per step.
        const std::string one = writeProject(m_dir, "one", 4), two = writeProject(m_dir, "two", 2, 8.0 / 1024);
        Run r1 = runCli({"train", QString::fromStdString(one), "--plain"});
        QVERIFY2(r1.exitCode == 0, qPrintable(r1.output));
        Run r2 = runCli({"train", QString::fromStdString(two), "--plain", "--nproc-per-node", "2"});
        QVERIFY2(r2.exitCode == 0, qPrintable(r2.output));
        QVERIFY2(r2.output.contains("2 data-parallel ranks (global batch 4)"), qPrintable(r2.output));
        // Rank 0's first step: several buckets, every one started while backward still ran.
        const QRegularExpression sync("Gradient all-reduce: (\\d+) buckets, [0-9.]+ MiB, (\\d+) started during backward \\(Gloo\\)");
        const auto m = sync.match(r2.output);
        QVERIFY2(m.hasMatch(), qPrintable(r2.output));
        qInfo("%s", qPrintable(m.captured(0)));
        QVERIFY2(m.captured(1).toInt() > 2, qPrintable(m.captured(0)));
        QCOMPARE(m.captured(2).toInt(), m.captured(1).toInt());
        m_oneRank = m_dir + "/out-one";
        m_twoRanks = m_dir + "/out-two";
    }

    // The union of the ranks' batches is the single process's batch: same losses, same adapter.
    void twoRanksEqualOneProcessWithTheGlobalBatch() {
        const Curve a = curveOf(m_twoRanks), b = curveOf(m_oneRank);
        QCOMPARE(a.train.size(), std::size_t(6));
        QCOMPARE(a.eval.size(), std::size_t(2));
        compareCurves(a, b);
        const double d = largestAdapterDifference(m_twoRanks, m_oneRank);
        qInfo("2 ranks vs 1 process: largest adapter difference %.3g", d);
        QVERIFY2(d <= 1e-5, qPrintable(QString("largest |difference| of the adapters: %1").arg(d)));
        // Only rank 0 wrote: one metrics file, the checkpoints at 3 and 6, no stray temporaries.
        QVERIFY(fs::exists(m_twoRanks + "/checkpoints/step-3"));
        QVERIFY(fs::exists(m_twoRanks + "/checkpoints/step-6"));
        for (const auto& e : fs::directory_iterator(m_twoRanks))
            QVERIFY2(e.path().filename().string().rfind(".tmp", 0) != 0, qPrintable(QString::fromStdString(e.path().string())));
    }

    // DPO and ORPO: each rank takes its share of the pairs; losses, rewards and the adapter equal one
    // process with the global batch (each rank's loss is normalized by the job's pairs and, for
    // ORPO's next-token term, the job's chosen tokens).
    void preferenceTwoRanksEqualOneProcess_data() {
        QTest::addColumn<int>("objective");
        QTest::newRow("dpo") << int(Objective::Dpo);
        QTest::newRow("orpo") << int(Objective::Orpo);
    }
    void preferenceTwoRanksEqualOneProcess() {
        QFETCH(int, objective);
        const std::string tag = enumName(static_cast<Objective>(objective));
        auto write = [&](const std::string& name, int batch) {
            ProjectConfig c = loadProject(testsupport::sourceDir() + "/resources/demo/demo_dpo.yaml");
            c.baseModel = testsupport::sourceDir() + "/resources/demo/model";
            c.data.path = testsupport::sourceDir() + "/resources/demo/preferences.jsonl";
            c.outputDir = m_dir + "/out-" + name;
            c.lora.loraDropout = 0;
            c.training.batchSize = batch;
            c.training.maxSteps = 4;
            c.training.evalEvery = 2;
            c.training.distributedTimeout = 20;
            c.training.objective = static_cast<Objective>(objective);
            const std::string path = m_dir + "/" + name + ".yaml";
            saveProject(c, path);
            return path;
        };
        Run r1 = runCli({"train", QString::fromStdString(write(tag + "-one", 4)), "--plain"});
        QVERIFY2(r1.exitCode == 0, qPrintable(r1.output));
        Run r2 = runCli({"train", QString::fromStdString(write(tag + "-two", 2)), "--plain", "--nproc-per-node", "2"});
        QVERIFY2(r2.exitCode == 0, qPrintable(r2.output));
        const std::string a = m_dir + "/out-" + tag + "-two", b = m_dir + "/out-" + tag + "-one";
        compareCurves(curveOf(a), curveOf(b));
        QCOMPARE(curveOf(a).train.size(), std::size_t(4));
        // The rewards reduce over the job too.
        auto margins = [](const std::string& dir) {
            std::vector<double> out;
            std::ifstream in(dir + "/metrics.jsonl");
            for (std::string line; std::getline(in, line);) {
                const auto j = nlohmann::json::parse(line);
                if (j.contains("reward_margin")) out.push_back(j.at("reward_margin").get<double>());
            }
            return out;
        };
        const auto ma = margins(a), mb = margins(b);
        QCOMPARE(ma.size(), std::size_t(6));  // 4 steps, 2 evaluations
        QCOMPARE(ma.size(), mb.size());
        for (std::size_t i = 0; i < ma.size(); ++i) QVERIFY2(std::abs(ma[i] - mb[i]) <= 1e-5, qPrintable(QString::number(i)));
        const double d = largestAdapterDifference(a, b);
        qInfo("%s, 2 ranks vs 1 process: largest adapter difference %.3g", tag.c_str(), d);
        QVERIFY2(d <= 1e-5, qPrintable(QString("largest |difference| of the adapters: %1").arg(d)));
    }

    // A 2-rank checkpoint continues with 1 process (batch 4) and with 2 ranks (batch 2) to the
    // adapter the uninterrupted job made.
    void checkpointOfTwoRanksResumesWithOneAndTwo() {
        for (const int ranks : {1, 2}) {
            const std::string copy = m_dir + "/resume-" + std::to_string(ranks);
            fs::copy(m_twoRanks, copy, fs::copy_options::recursive);
            fs::remove_all(copy + "/checkpoints/step-6");
            fs::remove_all(copy + "/adapter");
            QStringList args{"resume", QString::fromStdString(copy + "/checkpoints/step-3"), "--plain"};
            if (ranks == 1) args << "--project" << QString::fromStdString(m_dir + "/one.yaml");
            else args << "--nproc-per-node" << "2";
            Run r = runCli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(r.output));
            QVERIFY2(r.output.contains("Resuming at step 3"), qPrintable(r.output));
            const double d = largestAdapterDifference(copy, m_twoRanks);
            qInfo("resumed with %d rank(s): largest adapter difference %.3g", ranks, d);
            QVERIFY2(d <= 1e-5, qPrintable(QString("%1 rank(s): largest |difference| %2").arg(ranks).arg(d)));
            const Curve resumed = curveOf(copy), original = curveOf(m_twoRanks);
            compareCurves(resumed, original);
        }
    }

    // Ranks started by hand as a launcher would (torchrun's variables): rank 1 is killed while the
    // job trains; rank 0 ends with the message naming the collective and itself, within the timeout.
    void killedRankEndsTheJob() {
        const std::string project = writeProject(m_dir, "killed", 2);
        ProjectConfig c = loadProject(project);
        c.training.maxSteps = 100000;  // it would run for hours
        c.training.distributedTimeout = 5;
        c.training.evalEvery = 0;
        saveProject(c, project);
        QProcess ranks[2];
        const int port = freePort();
        for (int r = 0; r < 2; ++r) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("WORLD_SIZE", "2");
            env.insert("RANK", QString::number(r));
            env.insert("LOCAL_RANK", QString::number(r));
            env.insert("LOCAL_WORLD_SIZE", "2");
            env.insert("MASTER_ADDR", "127.0.0.1");
            env.insert("MASTER_PORT", QString::number(port));
            ranks[r].setProcessEnvironment(env);
            ranks[r].setProcessChannelMode(QProcess::MergedChannels);
            ranks[r].start(kCli, {"train", QString::fromStdString(project), "--plain"});
        }
        // Wait until the job trains (rank 0 logs steps), then kill rank 1.
        QString output;
        QElapsedTimer t;
        t.start();
        while (!output.contains("step 2/") && t.elapsed() < 120000) {
            ranks[0].waitForReadyRead(200);
            output += QString::fromUtf8(ranks[0].readAll());
        }
        QVERIFY2(output.contains("step 2/"), qPrintable(output));
        ranks[1].kill();
        ranks[1].waitForFinished(5000);
        t.restart();
        QVERIFY2(ranks[0].waitForFinished(30000), "rank 0 still runs 30 s after rank 1 was killed");
        const qint64 waited = t.elapsed();
        output += QString::fromUtf8(ranks[0].readAll());
        QCOMPARE(ranks[0].exitCode(), 1);
        QVERIFY2(output.contains("on rank 0") && output.contains("did not complete"), qPrintable(output));
        QVERIFY2(waited <= 5000 + 10000, qPrintable(QString("ended %1 ms after the kill").arg(waited)));
    }

    // --nproc-per-node: the launcher notices a rank's death at once and names it.
    void launcherNamesTheRankThatDied() {
        const std::string project = writeProject(m_dir, "launcher", 2);
        ProjectConfig c = loadProject(project);
        c.training.maxSteps = 100000;
        c.training.evalEvery = 0;
        saveProject(c, project);
        QProcess job;
        job.setProcessChannelMode(QProcess::MergedChannels);
        job.start(kCli, {"train", QString::fromStdString(project), "--plain", "--nproc-per-node", "2"});
        QString output;
        QElapsedTimer t;
        t.start();
        while (!output.contains("step 2/") && t.elapsed() < 120000) {
            job.waitForReadyRead(200);
            output += QString::fromUtf8(job.readAll());
        }
        QVERIFY2(output.contains("step 2/"), qPrintable(output));
        // The ranks are the launcher's children; kill the one whose RANK is 1.
        QProcess ps;
        ps.start("pgrep", {"-P", QString::number(job.processId())});
        ps.waitForFinished(5000);
        const QStringList children = QString::fromUtf8(ps.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(children.size(), 2);
        qint64 rank1 = -1;
        for (const auto& pid : children) {
            std::ifstream env("/proc/" + pid.toStdString() + "/environ", std::ios::binary);
            std::string all = std::string(1, '\0') + std::string(std::istreambuf_iterator<char>(env), {});
            if (all.find(std::string("\0RANK=1\0", 8)) != std::string::npos) rank1 = pid.toLongLong();
        }
        QVERIFY(rank1 > 0);
        ::kill(static_cast<pid_t>(rank1), SIGKILL);
        QVERIFY2(job.waitForFinished(30000), "the job still runs 30 s after a rank was killed");
        output += QString::fromUtf8(job.readAll());
        QCOMPARE(job.exitCode(), 1);
        QVERIFY2(output.contains(QString("rank 1 (pid %1) was killed by signal 9 (SIGKILL)").arg(rank1)), qPrintable(output));
    }
};

QTEST_APPLESS_MAIN(TestDataParallel)
#include "test_data_parallel.moc"

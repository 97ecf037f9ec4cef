// c10d through core/dist, two ranks over loopback (Gloo, a TCPStore on a free port), each rank a
// thread with its own process group, as two processes would have: the torchrun environment is read
// and checked; all-reduce averages flat buffers of several tensors; broadcast copies rank 0's
// values; a rank that never joins the collective ends the other with the operation named, within
// the timeout, instead of a hang. The bucketed gradient all-reduce (gradient_sync.h) starts its
// buckets during backward and gives each rank the sum of all ranks' accumulated gradients, equal to
// the sum computed in one process, with one bucket or many, also for a rank without a backward pass.
#include "dist/collective.h"
#include "dist/gradient_sync.h"

#include <ATen/ATen.h>

#include "test_support.h"

#include <QtTest>

#include <chrono>
#include <future>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

using namespace lorastudio;
using namespace std::chrono_literals;

namespace {

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    const int port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

DistributedEnv rankEnv(int rank, int port) {
    DistributedEnv e;
    e.rank = rank;
    e.worldSize = 2;
    e.localRank = rank;
    e.masterAddr = "127.0.0.1";
    e.masterPort = port;
    return e;
}

// A small chain of layers: backward reaches the last parameters first, as in a decoder stack.
struct Chain {
    std::vector<at::Tensor> params;
    explicit Chain(int layers) {
        for (int k = 0; k < layers; ++k)
            params.push_back((at::arange(16, at::kFloat).view({4, 4}) * 0.05f + 0.1f * float(k)).requires_grad_(true));
    }
    at::Tensor loss(const at::Tensor& x) const {
        at::Tensor h = x;
        for (const auto& w : params) h = at::tanh(h.matmul(w));
        return h.pow(2).sum();
    }
};

at::Tensor inputOf(int rank, int micro) { return at::sin(at::arange(8, at::kFloat).view({2, 4}) * float(1 + rank + 3 * micro)); }

// Each rank: 2 micro-batches, only the last armed; returns its gradients after finish().
struct SyncResult {
    std::vector<at::Tensor> grads;
    GradientSync::Stats stats;
};
SyncResult trainStepOnRank(int rank, int port, int64_t bucketBytes, bool rankOneIdle) {
    auto c = Collective::connect(rankEnv(rank, port), 20s);
    Chain chain(6);
    GradientSync sync(*c, chain.params, bucketBytes);
    const bool idle = rankOneIdle && rank == 1;
    if (!idle) chain.loss(inputOf(rank, 0)).backward();
    sync.arm();
    if (!idle) chain.loss(inputOf(rank, 1)).backward();
    sync.finish();
    SyncResult r;
    for (const auto& p : chain.params) r.grads.push_back(p.grad().clone());
    r.stats = sync.stats();
    return r;
}

// The same sums in one process: both ranks' micro-batches' gradients added.
std::vector<at::Tensor> expectedSums(bool rankOneIdle) {
    Chain chain(6);
    for (int rank = 0; rank < 2; ++rank)
        for (int micro = 0; micro < 2; ++micro)
            if (!(rankOneIdle && rank == 1)) chain.loss(inputOf(rank, micro)).backward();
    std::vector<at::Tensor> out;
    for (const auto& p : chain.params) out.push_back(p.grad().clone());
    return out;
}

} // namespace

class TestCollective : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void environmentIsTorchruns() {
        qunsetenv("WORLD_SIZE");
        QVERIFY(!DistributedEnv::fromEnvironment());
        qputenv("WORLD_SIZE", "4");
        qputenv("RANK", "3");
        qputenv("LOCAL_RANK", "1");
        qputenv("MASTER_ADDR", "node7");
        qputenv("MASTER_PORT", "29511");
        const auto e = DistributedEnv::fromEnvironment();
        QVERIFY(e);
        QCOMPARE(e->rank, 3);
        QCOMPARE(e->worldSize, 4);
        QCOMPARE(e->localRank, 1);
        QCOMPARE(e->masterAddr, std::string("node7"));
        QCOMPARE(e->masterPort, 29511);
        qputenv("RANK", "4");  // not below WORLD_SIZE
        QVERIFY(testsupport::errorOf([] { DistributedEnv::fromEnvironment(); }).find("RANK") != std::string::npos);
        qputenv("RANK", "0");
        qputenv("MASTER_PORT", "http");
        QVERIFY(testsupport::errorOf([] { DistributedEnv::fromEnvironment(); }).find("MASTER_PORT") != std::string::npos);
        for (const char* v : {"WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"}) qunsetenv(v);
    }

    void allReduceAveragesAndBroadcastCopies() {
        const int port = freePort();
        auto rank = [port](int r) {
            auto c = Collective::connect(rankEnv(r, port), 20s);
            std::vector<at::Tensor> grads{at::full({2, 3}, float(r + 1)), at::arange(4, at::kFloat) * float(r)};
            c->allReduceMean(grads);
            std::vector<at::Tensor> init{at::full({5}, float(10 * (r + 1)))};
            c->broadcast(init, 0);
            c->barrier();
            return std::vector<at::Tensor>{grads[0], grads[1], init[0]};
        };
        auto f1 = std::async(std::launch::async, rank, 1);
        const auto r0 = rank(0);
        const auto r1 = f1.get();
        for (const auto& r : {r0, r1}) {
            QVERIFY(at::allclose(r[0], at::full({2, 3}, 1.5f)));              // (1 + 2) / 2
            QVERIFY(at::allclose(r[1], at::arange(4, at::kFloat) * 0.5f));    // (0 + 1) / 2 · i
            QVERIFY(at::equal(r[2], at::full({5}, 10.0f)));                   // rank 0's
        }
    }

    void bucketedAllReduceStartsDuringBackwardAndSums() {
        struct Case {
            int64_t bucketBytes;
            bool rankOneIdle;
            int buckets;
        };
        // 64 bytes: one 4x4 fp32 parameter per bucket (6 buckets); 0: one bucket after backward.
        for (const Case k : {Case{64, false, 6}, Case{0, false, 1}, Case{64, true, 6}, Case{200, false, 2}}) {
            const int port = freePort();
            auto f1 = std::async(std::launch::async, trainStepOnRank, 1, port, k.bucketBytes, k.rankOneIdle);
            const SyncResult r0 = trainStepOnRank(0, port, k.bucketBytes, k.rankOneIdle);
            const SyncResult r1 = f1.get();
            const auto want = expectedSums(k.rankOneIdle);
            for (const auto* r : {&r0, &r1}) {
                QCOMPARE(r->grads.size(), want.size());
                for (std::size_t i = 0; i < want.size(); ++i)
                    QVERIFY2(at::allclose(r->grads[i], want[i], 1e-6, 1e-6),
                             qPrintable(QString("bucket bytes %1, parameter %2: largest difference %3")
                                            .arg(k.bucketBytes).arg(i).arg((r->grads[i] - want[i]).abs().max().item<double>())));
                QCOMPARE(r->stats.buckets, k.buckets);
                QCOMPARE(r->stats.bytes, int64_t(6 * 16 * 4));
            }
            // Every bucket of a rank that ran backward started during it; none with one bucket
            // after backward, none on the idle rank.
            QCOMPARE(r0.stats.startedDuringBackward, k.bucketBytes > 0 ? k.buckets : 0);
            QCOMPARE(r1.stats.startedDuringBackward, k.bucketBytes > 0 && !k.rankOneIdle ? k.buckets : 0);
        }
    }

    void aRankThatNeverComesEndsTheOtherWithAMessage() {
        const int port = freePort();
        std::promise<void> leave;
        auto quitter = std::async(std::launch::async, [&] {
            auto c = Collective::connect(rankEnv(1, port), 20s);
            leave.get_future().wait();  // joins the job, then never takes part in the all-reduce
        });
        auto c = Collective::connect(rankEnv(0, port), 3s);
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<at::Tensor> g{at::ones({3})};
        const std::string e = testsupport::errorOf([&] { c->allReduceMean(g); });
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        leave.set_value();
        quitter.get();
        QVERIFY2(e.find("gradient all-reduce on rank 0") != std::string::npos, e.c_str());
        QVERIFY2(seconds < 15, qPrintable(QString::number(seconds)));
    }

    void nobodyAtTheAddressIsARendezvousError() {
        DistributedEnv e = rankEnv(1, freePort());  // rank 1: a client, and no rank 0 serves the store
        const std::string err = testsupport::errorOf([&] { Collective::connect(e, 2s); });
        QVERIFY2(err.find("rendezvous at 127.0.0.1") != std::string::npos, err.c_str());
    }
};

QTEST_MAIN(TestCollective)
#include "test_collective.moc"

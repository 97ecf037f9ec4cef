// The fast paths equal the plain ones: the chunked loss (no [B, T, V] logits) against
// nextTokenLoss on full logits, the fused LoRA addmm_ against B(A(x)) added afterwards, and packed
// rows against the same examples alone (per-example losses), on the tiny Llama fixture and the
// demo GPT-2. Equality only; speed is bench/'s business.
#include "data/batcher.h"
#include "data/packing.h"
#include "lora/lora_model.h"
#include "model/attention.h"
#include "model/loader.h"
#include "model/loss.h"
#include "runtime/compute_threads.h"
#include "train/chunked_loss.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <QtTest>

#include <numeric>

#include "test_support.h"

using namespace lorastudio;

namespace {

std::string tinyLlama() { return testsupport::sourceDir() + "/tests/fixtures/tiny_models/llama3/model"; }
std::string demoGpt2() { return testsupport::sourceDir() + "/resources/demo/model"; }

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// A model with LoRA on `targets`, B random (not 0), so every LoRA factor gets a gradient.
std::shared_ptr<LoraModel> adapted(const std::string& dir, std::vector<std::string> targets) {
    auto model = loadCausalLM(dir, at::kFloat, at::kCPU).model;
    LoraSettings s;
    s.targetModules = ModuleSelection::list(std::move(targets));
    s.r = 4;
    s.loraAlpha = 8;
    s.loraDropout = 0;
    LoraAttachOptions o;
    o.dtype = at::kFloat;
    auto lora = LoraModel::attach(model, s, o);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
    torch::NoGradGuard noGrad;
    for (auto& layer : lora->layers()) layer->loraB().normal_(0, 0.2, gen);
    return lora;
}

std::vector<at::Tensor> loraGrads(LoraModel& lora) {
    std::vector<at::Tensor> out;
    for (auto& layer : lora.layers()) {
        out.push_back(layer->loraA().grad().clone());
        out.push_back(layer->loraB().grad().clone());
    }
    return out;
}

void zeroGrads(LoraModel& lora) {
    for (auto& layer : lora.layers()) {
        layer->loraA().mutable_grad() = at::Tensor();
        layer->loraB().mutable_grad() = at::Tensor();
    }
}

// ids [2, 12] with labels masked in places (a prompt, padding).
std::pair<at::Tensor, at::Tensor> sampleBatch(int64_t vocab) {
    auto ids = at::arange(24, at::kLong).mul(37).remainder(vocab).view({2, 12});
    auto labels = ids.clone();
    labels.index_put_({0, at::indexing::Slice(0, 3)}, -100);
    labels.index_put_({1, at::indexing::Slice(9, 12)}, -100);
    return {ids, labels};
}

// Per-token losses [T-1] of one example alone: CE(logits[t], ids[t + 1]).
at::Tensor tokenLosses(CausalLM& model, const at::Tensor& ids) {
    auto logits = model.forward(ids.unsqueeze(0)).logits[0];
    const int64_t T = ids.size(0);
    return at::cross_entropy_loss(logits.narrow(0, 0, T - 1), ids.narrow(0, 1, T - 1), {}, at::Reduction::None);
}

TokenizedExample example(int64_t length, int64_t offset, int64_t vocab) {
    TokenizedExample ex;
    for (int64_t j = 0; j < length; ++j) {
        ex.inputIds.push_back(static_cast<int32_t>((offset * 131 + j * 17 + 5) % vocab));
        ex.labels.push_back(ex.inputIds.back());
    }
    return ex;
}

} // namespace

class TestSpeedPaths : public QObject {
    Q_OBJECT

private:
    // Chunked loss and its LoRA gradients against the full-logits path, for one model/targets.
    void checkChunkedLoss(const std::string& dir, std::vector<std::string> targets, int64_t chunk) {
        auto lora = adapted(dir, std::move(targets));
        CausalLM& model = lora->model();
        auto [ids, labels] = sampleBatch(model.spec().vocabSize);

        auto full = nextTokenLoss(model.forward(ids).logits, labels);
        full.backward();
        auto expected = loraGrads(*lora);
        zeroGrads(*lora);

        auto chunked = chunkedNextTokenLoss(model.forwardHidden(ids), model.outputHead(), labels, chunk);
        chunked.backward();
        auto got = loraGrads(*lora);
        QVERIFY2(std::abs(chunked.item<double>() - full.item<double>()) <= 1e-6,
                 qPrintable(QString("loss %1 vs %2").arg(chunked.item<double>(), 0, 'g', 10).arg(full.item<double>(), 0, 'g', 10)));
        QCOMPARE(got.size(), expected.size());
        for (size_t i = 0; i < got.size(); ++i) {
            const double scale = std::max(1.0, expected[i].abs().max().item<double>());
            QVERIFY2(expected[i].abs().max().item<double>() > 0, "the reference gradient is zero: nothing checked");
            QVERIFY2(maxDiff(got[i], expected[i]) <= 1e-6 * scale,
                     qPrintable(QString("grad %1: max diff %2").arg(i).arg(maxDiff(got[i], expected[i]))));
        }
        // Evaluation's sum: the same loss, token-weighted.
        const LossSum sum = nextTokenLossSum(model.forwardHidden(ids), model.outputHead(), labels, chunk);
        QCOMPARE(sum.count, labels.narrow(1, 1, 11).ne(-100).sum().item<int64_t>());
        // fp32 loss vs a double sum of fp32 chunk sums: equal to fp32's resolution at this size.
        const double mean = sum.sum / double(sum.count);
        QVERIFY2(std::abs(mean - full.item<double>()) <= 1e-6 * std::max(1.0, std::abs(mean)),
                 qPrintable(QString("eval %1 vs %2").arg(mean, 0, 'g', 10).arg(full.item<double>(), 0, 'g', 10)));
    }

private Q_SLOTS:
    void initTestCase() { configureComputeThreads(1); }

    void chunkedLossEqualsFullLogitsFrozenHead() {
        // 7 tokens a chunk: 22 positions in 4 chunks, the last one short.
        checkChunkedLoss(tinyLlama(), {"q_proj", "v_proj", "down_proj"}, 7);
        checkChunkedLoss(demoGpt2(), {"c_attn", "c_proj"}, 5);  // tied head
    }

    void chunkedLossEqualsFullLogitsTrainedHead() {
        // LoRA on lm_head: the checkpointed path, gradients through the head's LoRA too.
        checkChunkedLoss(tinyLlama(), {"q_proj", "lm_head"}, 6);
    }

    void chunkedLossNeedsNoFullLogits() {
        QCOMPARE(lossChunkTokens(151936, false), kLossChunkBytesCpu / (4 * 151936));
        QCOMPARE(lossChunkTokens(1 << 30, false), int64_t(16));
        auto lora = adapted(tinyLlama(), {"q_proj"});
        auto ids = at::zeros({1, 1}, at::kLong);
        QVERIFY(!testsupport::errorOf([&] {
                     chunkedNextTokenLoss(lora->model().forwardHidden(ids), lora->model().outputHead(), ids);
                 }).empty());
    }

    void fusedLoraEqualsPlainPath() {
        auto lora = adapted(tinyLlama(), {"q_proj", "up_proj"});
        auto layer = lora->layer("model.layers.0.mlp.up_proj");
        auto base = layer->base();
        auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
        auto x = at::empty({2, 5, base->inFeatures()}).normal_(0, 1, gen).requires_grad_(true);

        auto fused = base->forward(x);  // LinearLayer::forward takes addInto
        auto probe = at::empty(fused.sizes()).normal_(0, 1, gen);
        auto gFused = torch::autograd::grad({(fused * probe).sum()}, {x, layer->loraA(), layer->loraB()});

        auto x2 = x.detach().clone().requires_grad_(true);
        base->setAdapter(nullptr);
        auto plain = base->forward(x2) + layer->delta(x2);
        base->setAdapter(layer);
        auto gPlain = torch::autograd::grad({(plain * probe).sum()}, {x2, layer->loraA(), layer->loraB()});

        QVERIFY(maxDiff(fused, plain) <= 1e-6);
        for (int i = 0; i < 3; ++i) QVERIFY2(maxDiff(gFused[i], gPlain[i]) <= 1e-5, qPrintable(QString::number(i)));
        // The fused path really ran: the adapter accepted the same-dtype input.
        auto y = at::zeros({10, base->outFeatures()});
        QVERIFY(layer->addInto(x.detach().reshape({10, -1}), y));
        // A 16-bit input to fp32 LoRA keeps the exact plain path.
        auto y16 = at::zeros({10, base->outFeatures()}, at::kBFloat16);
        QVERIFY(!layer->addInto(x.detach().reshape({10, -1}).to(at::kBFloat16), y16));
    }

    void packedRowsGiveEachExampleItsOwnLoss() {
        for (int layout = 0; layout < 2; ++layout)
        for (const std::string& dir : {tinyLlama(), demoGpt2()}) {
            auto lora = adapted(dir, {dir == demoGpt2() ? "c_attn" : "q_proj"});
            CausalLM& model = lora->model();
            const int64_t vocab = model.spec().vocabSize;
            // Two layouts: per example (4 examples of at most 11 tokens beat 2 rows of 17), and the
            // block-diagonal mask over the row (2 examples of up to 14 tokens in one row of 17).
            const bool perExample = layout == 0;
            std::vector<std::vector<TokenizedExample>> rows;
            if (perExample)
                rows = {{example(9, 1, vocab), example(5, 2, vocab), example(3, 3, vocab)}, {example(11, 4, vocab)}};
            else
                rows = {{example(3, 5, vocab), example(14, 6, vocab)}};
            Batch packed = collatePacked(rows, 0);
            QCOMPARE(packed.inputIds.size(1), int64_t(17));
            QCOMPARE(packed.trainedTokens, perExample ? int64_t(8 + 4 + 2 + 10) : int64_t(2 + 13));
            QCOMPARE(bool(buildAttentionMask(packed.attentionMask, packed.inputIds.size(0), 17, 17, 0, at::kCPU).packed),
                     perExample);
            torch::NoGradGuard noGrad;
            auto logits = model.forward(packed.inputIds, packed.attentionMask, packed.positionIds).logits;
            for (size_t r = 0; r < rows.size(); ++r) {
                int64_t start = 0;
                for (const auto& ex : rows[r]) {
                    const int64_t T = static_cast<int64_t>(ex.inputIds.size());
                    auto ids = at::tensor(std::vector<int64_t>(ex.inputIds.begin(), ex.inputIds.end()));
                    auto alone = tokenLosses(model, ids);
                    auto inRow = at::cross_entropy_loss(logits[int64_t(r)].narrow(0, start, T - 1),
                                                        packed.inputIds[int64_t(r)].narrow(0, start + 1, T - 1), {},
                                                        at::Reduction::None);
                    QVERIFY2(maxDiff(alone, inRow) <= 1e-5,
                             qPrintable(QString("%1 row %2 at %3: %4").arg(QString::fromStdString(dir)).arg(r).arg(start)
                                            .arg(maxDiff(alone, inRow))));
                    // The packed labels never ask an example to predict its first token.
                    QCOMPARE(packed.labels[int64_t(r)][start].item<int64_t>(), int64_t(-100));
                    start += T;
                }
            }
            // The loss of the packed batch is the token-weighted mean of the examples' own losses.
            double sum = 0;
            int64_t count = 0;
            for (const auto& row : rows)
                for (const auto& ex : row) {
                    auto ids = at::tensor(std::vector<int64_t>(ex.inputIds.begin(), ex.inputIds.end()));
                    sum += tokenLosses(model, ids).sum().item<double>();
                    count += ids.size(0) - 1;
                }
            const double packedLoss = nextTokenLoss(logits, packed.labels).item<double>();
            QVERIFY2(std::abs(packedLoss - sum / double(count)) <= 1e-5,
                     qPrintable(QString("%1 vs %2").arg(packedLoss).arg(sum / double(count))));
        }
    }

    void packingPlanCoversEveryExampleOnce() {
        std::vector<int32_t> lengths = {200, 30, 250, 7, 120, 256, 90, 60, 60, 1, 128, 128};
        auto rows = packExamples(lengths, 256);
        std::vector<int> seen(lengths.size(), 0);
        for (const auto& row : rows) {
            int64_t used = 0;
            for (int64_t i : row) {
                ++seen[size_t(i)];
                used += lengths[size_t(i)];
            }
            QVERIFY(used <= 256);
        }
        for (int s : seen) QCOMPARE(s, 1);
        const int64_t total = std::accumulate(lengths.begin(), lengths.end(), int64_t(0));
        QCOMPARE(int64_t(rows.size()), (total + 255) / 256);  // best-fit decreasing is optimal here
        QCOMPARE(packExamples(lengths, 256), rows);           // deterministic
        const auto unpacked = unpackedPadding(lengths, 4, false);
        const auto grouped = unpackedPadding(lengths, 4, true);
        const auto packed = packedPadding(lengths, 4, 256);
        QCOMPARE(unpacked.tokens, total);
        QCOMPARE(packed.tokens, total);
        QVERIFY(grouped.paddingShare() < unpacked.paddingShare());
        QVERIFY(packed.paddingShare() < grouped.paddingShare());
    }

    void groupByLengthSortsWithinMegaBatches() {
        std::vector<int32_t> lengths(500);
        for (size_t i = 0; i < lengths.size(); ++i) lengths[i] = int32_t((i * 7919) % 301);
        std::vector<int64_t> order(lengths.size());
        std::iota(order.begin(), order.end(), 0);
        auto grouped = groupByLength(order, lengths, 2);  // mega-batches of 100
        auto sorted = grouped;
        for (size_t s = 0; s < 500; s += 100) {
            for (size_t i = s + 1; i < s + 100; ++i) QVERIFY(lengths[size_t(grouped[i - 1])] >= lengths[size_t(grouped[i])]);
            std::sort(sorted.begin() + long(s), sorted.begin() + long(s + 100));
            for (size_t i = s; i < s + 100; ++i) QCOMPARE(sorted[i], int64_t(i));  // same members
        }
    }
};

QTEST_APPLESS_MAIN(TestSpeedPaths)
#include "test_speed_paths.moc"

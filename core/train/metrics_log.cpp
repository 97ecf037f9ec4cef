// metrics.jsonl writing and the JSON form of the trainer's metrics. See metrics_log.h.
#include "train/metrics_log.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_file.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace lorastudio {

namespace {
// JSON has no NaN/inf: nlohmann writes null for them; keep that explicit.
nlohmann::json number(double v) {
    if (std::isfinite(v)) return v;
    return nullptr;
}
double numberFrom(const nlohmann::json& j, const char* key) {
    if (!j.contains(key)) throwKeyError("metrics line", key, "missing required key");
    const auto& v = j.at(key);
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) throwKeyError("metrics line", key, "has the wrong type (" + jsonTypeName(v) + ")");
    return v.get<double>();
}
// DPO runs: {"pairs", "rewards_chosen", "rewards_rejected", "reward_accuracy", "reward_margin"}
// beside the loss (TRL's names without its "rewards/" prefix); nothing for other runs.
void addPreference(nlohmann::json& j, const PreferenceMetrics& p) {
    if (p.pairs == 0) return;
    j["pairs"] = p.pairs;
    j["rewards_chosen"] = number(p.rewardChosen);
    j["rewards_rejected"] = number(p.rewardRejected);
    j["reward_accuracy"] = number(p.accuracy);
    j["reward_margin"] = number(p.margin());
}

PreferenceMetrics preferenceFromJson(const nlohmann::json& j) {
    PreferenceMetrics p;
    if (!j.contains("pairs")) return p;
    p.pairs = requireKey<int64_t>(j, "pairs", "metrics line");
    p.loss = numberFrom(j, "loss");
    p.rewardChosen = numberFrom(j, "rewards_chosen");
    p.rewardRejected = numberFrom(j, "rewards_rejected");
    p.accuracy = numberFrom(j, "reward_accuracy");
    return p;
}

} // namespace

nlohmann::json toJson(const StepMetrics& m) {
    nlohmann::json j = {{"type", "step"},
            {"step", m.step},
            {"total_steps", m.totalSteps},
            {"epoch", number(m.epoch)},
            {"loss", number(m.loss)},
            {"lr", number(m.lr)},
            {"grad_norm", number(m.gradNorm)},
            {"tokens", m.tokens},
            {"trained_tokens", m.trainedTokens},
            {"padded_tokens", m.paddedTokens},
            {"tokens_per_second", number(m.tokensPerSecond)},
            {"elapsed_seconds", number(m.elapsedSeconds)},
            {"eta_seconds", number(m.etaSeconds)},
            {"peak_rss_bytes", m.peakRssBytes},
            {"device_peak_bytes", m.devicePeakBytes},
            {"device_reserved_peak_bytes", m.deviceReservedPeakBytes}};
    addPreference(j, m.preference);
    return j;
}

nlohmann::json toJson(const EvalMetrics& m) {
    nlohmann::json j = {{"type", "eval"},
                        {"step", m.step},
                        {"loss", number(m.loss)},
                        {"perplexity", number(m.perplexity)},
                        {"tokens", m.tokens}};
    addPreference(j, m.preference);
    return j;
}

nlohmann::json toJson(const CheckpointInfo& c) {
    return {{"type", "checkpoint"}, {"step", c.step}, {"path", c.path}};
}

nlohmann::json toJson(const AnalysisSnapshot& a) {
    nlohmann::json modules = nlohmann::json::array();
    for (const auto& m : a.report.modules)
        modules.push_back({{"name", m.name},
                           {"rank", m.rank},
                           {"sigma", m.sigma},
                           {"effective_rank", number(m.effectiveRank)},
                           {"k95", m.k95},
                           {"frobenius_norm", number(m.frobeniusNorm)},
                           {"relative_norm", m.relativeNorm ? number(*m.relativeNorm) : nlohmann::json(nullptr)}});
    return {{"type", "analysis"}, {"step", a.step}, {"modules", modules}, {"advice", a.report.advice}};
}

StepMetrics stepMetricsFromJson(const nlohmann::json& j) {
    StepMetrics m;
    m.step = requireKey<int64_t>(j, "step", "metrics line");
    m.totalSteps = requireKey<int64_t>(j, "total_steps", "metrics line");
    m.epoch = numberFrom(j, "epoch");
    m.loss = numberFrom(j, "loss");
    m.lr = numberFrom(j, "lr");
    m.gradNorm = numberFrom(j, "grad_norm");
    m.tokens = requireKey<int64_t>(j, "tokens", "metrics line");
    m.trainedTokens = j.value("trained_tokens", int64_t(0));  // absent in runs before these keys
    m.paddedTokens = j.value("padded_tokens", int64_t(0));
    m.tokensPerSecond = numberFrom(j, "tokens_per_second");
    m.elapsedSeconds = numberFrom(j, "elapsed_seconds");
    m.etaSeconds = numberFrom(j, "eta_seconds");
    m.peakRssBytes = requireKey<int64_t>(j, "peak_rss_bytes", "metrics line");
    m.devicePeakBytes = requireKey<int64_t>(j, "device_peak_bytes", "metrics line");
    m.deviceReservedPeakBytes = j.value("device_reserved_peak_bytes", int64_t(0));  // absent before 0.1 CUDA work
    m.preference = preferenceFromJson(j);
    return m;
}

MetricsRecord readMetricsLine(const std::string& line) {
    MetricsRecord r;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return r;
    const std::string type = j.value("type", std::string());
    try {
        if (type == "step") {
            r.step = stepMetricsFromJson(j);
            r.kind = MetricsRecord::Kind::Step;
        } else if (type == "eval") {
            r.eval = evalMetricsFromJson(j);
            r.kind = MetricsRecord::Kind::Eval;
        } else if (type == "checkpoint") {
            r.checkpoint = {requireKey<int64_t>(j, "step", "metrics line"), requireKey<std::string>(j, "path", "metrics line")};
            r.kind = MetricsRecord::Kind::Checkpoint;
        }
    } catch (const std::exception&) {
        r.kind = MetricsRecord::Kind::Other;  // a key missing or of another type: another version's line
    }
    return r;
}

EvalMetrics evalMetricsFromJson(const nlohmann::json& j) {
    EvalMetrics m;
    m.step = requireKey<int64_t>(j, "step", "metrics line");
    m.loss = numberFrom(j, "loss");
    m.perplexity = numberFrom(j, "perplexity");
    m.tokens = requireKey<int64_t>(j, "tokens", "metrics line");
    m.preference = preferenceFromJson(j);
    return m;
}

void MetricsLog::startFresh(const std::string& path) {
    m_path = path;
    writeFileAtomic(path, std::string());
    openForAppend();
}

void MetricsLog::continueAfter(const std::string& path, int64_t step) {
    m_path = path;
    std::string kept;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) continue;  // a torn last line
        if (j.contains("step") && j["step"].is_number_integer() && j["step"].get<int64_t>() > step) continue;
        kept += line;
        kept += '\n';
    }
    in.close();
    writeFileAtomic(path, kept);
    openForAppend();
}

void MetricsLog::openForAppend() {
    m_out.close();
    m_out.clear();
    m_out.open(m_path, std::ios::binary | std::ios::app);
    if (!m_out) throw Error(m_path, "cannot open the metrics file for writing", "check the output folder's permissions");
}

void MetricsLog::append(const nlohmann::json& line) {
    if (!m_out.is_open()) return;
    m_out << line.dump() << '\n';
    m_out.flush();
}

} // namespace lorastudio

// See train_progress.h.
#include "train_progress.h"

#include "train/run_log_lines.h"

#include <csignal>
#include <cstdio>
#include <string>

namespace lorastudio::cli {
namespace {

TrainControl* g_control = nullptr;

extern "C" void onSigint(int) {
    if (g_control) g_control->stop.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process
}

std::string clock(double seconds) {
    if (!(seconds >= 0)) seconds = 0;
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
    return buf;
}

} // namespace

TrainProgress::TrainProgress(bool interactive) : m_interactive(interactive) {}

void TrainProgress::clearBar() {
    if (m_barShown) std::fputs("\r\033[K", stdout);
    m_barShown = false;
}

void TrainProgress::onStep(const StepMetrics& m) {
    // Plain output: the trainer's own log lines (every training.logging_every steps) are the record.
    if (!m_interactive) return;
    const double frac = m.totalSteps > 0 ? static_cast<double>(m.step) / m.totalSteps : 0;
    const int width = 28;
    const int filled = static_cast<int>(frac * width + 0.5);
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::printf("\r\033[K[%s] %lld/%lld  loss %.4f  lr %.2e  |g| %.3f  %.0f tok/s  %s<%s", bar.c_str(),
                static_cast<long long>(m.step), static_cast<long long>(m.totalSteps), m.loss, m.lr, m.gradNorm,
                m.tokensPerSecond, clock(m.elapsedSeconds).c_str(), clock(m.etaSeconds).c_str());
    m_barShown = true;
    std::fflush(stdout);
}

void TrainProgress::onLog(const LogLine& line) {
    if (line.topic == LogTopic::Outcome) return; // finish() prints the outcome once, with the step count
    clearBar();
    const char* tag = line.level == LogLevel::Error ? "error: " : line.level == LogLevel::Warning ? "warning: " : "";
    std::printf("%s%s\n", tag, line.text.c_str());
    std::fflush(stdout);
}

void TrainProgress::finish(const TrainResult& r) {
    clearBar();
    std::printf("%s\n", outcomeLine(r).c_str());
    if (!r.lastCheckpoint.empty()) std::printf("%s\n", lastCheckpointLine(r.lastCheckpoint).c_str());
    if (!r.adapterDir.empty()) std::printf("%s\n", adapterLine(r.adapterDir).c_str());
    std::fflush(stdout);
}

void stopOnInterrupt(TrainControl& control) {
    g_control = &control;
    std::signal(SIGINT, onSigint);
}

} // namespace lorastudio::cli

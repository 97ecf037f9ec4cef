// The detached run's status writer and control reader (see detached_run.h).
#include "detached_run.h"

#include "common/os_process.h"

#include <chrono>
#include <csignal>
#include <iostream>

namespace lorastudio::cli {

DetachedRun::DetachedRun(std::string runDir, TrainControl& control, TrainObserver& inner)
    : m_runDir(std::move(runDir)), m_control(control), m_inner(inner) {
    m_status.pid = processId();
#ifndef _WIN32
    std::signal(SIGHUP, SIG_IGN);  // the terminal the studio was started from may close
#endif
    clearBackgroundRequest(m_runDir);  // an old "stop" must not end the new run at its first step
    write("loading");
    m_watcher = std::thread([this] { watchControl(); });
}

DetachedRun::~DetachedRun() {
    m_done = true;
    if (m_watcher.joinable()) m_watcher.join();
}

void DetachedRun::write(const std::string& state) {
    m_status.state = state;
    try {
        writeBackgroundStatus(m_runDir, m_status);
    } catch (const std::exception& e) {
        std::cerr << "warning: " << e.what() << "\n";  // the run goes on; only the studio's view is late
    }
}

void DetachedRun::onStep(const StepMetrics& m) {
    m_inner.onStep(m);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_status.step = m.step;
    m_status.totalSteps = m.totalSteps;
    write(m_control.stop ? "stopping" : m_control.pause ? "pausing" : "running");
}

void DetachedRun::onLog(const LogLine& line) {
    m_inner.onLog(line);
    if (line.topic != LogTopic::Pause && line.topic != LogTopic::Resume) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_status.state == "stopping") return;
    write(line.topic == LogTopic::Pause ? "paused" : "running");
}

void DetachedRun::onCheckpoint(const CheckpointInfo& c) {
    m_inner.onCheckpoint(c);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_status.checkpoint = c.path;
    write(m_status.state);
}

void DetachedRun::watchControl() {
    BackgroundRequest last = BackgroundRequest::Run;
    while (!m_done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const BackgroundRequest request = readBackgroundRequest(m_runDir);
        if (request == last) continue;
        last = request;
        std::lock_guard<std::mutex> lock(m_mutex);
        if (request == BackgroundRequest::Stop) {
            m_control.pause = false;
            m_control.stop = true;
            write("stopping");
        } else {
            // "pausing" until the step in flight lands and the trainer says it is held (onLog).
            m_control.pause = request == BackgroundRequest::Pause;
            if (m_status.state != "loading") write(m_control.pause ? "pausing" : "running");
        }
    }
}

void DetachedRun::finish(const TrainResult& result) {
    m_done = true;
    if (m_watcher.joinable()) m_watcher.join();
    std::lock_guard<std::mutex> lock(m_mutex);
    m_status.step = result.step;
    m_status.totalSteps = result.totalSteps;
    m_status.message = result.message;
    if (!result.lastCheckpoint.empty()) m_status.checkpoint = result.lastCheckpoint;
    write(outcomeName(result.outcome));
}

void DetachedRun::fail(const std::string& message) {
    m_done = true;
    if (m_watcher.joinable()) m_watcher.join();
    std::lock_guard<std::mutex> lock(m_mutex);
    m_status.message = message;
    write("failed");
}

} // namespace lorastudio::cli

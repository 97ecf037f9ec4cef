// Where a run's output really goes. output_dir resolves against the project's folder (core's
// resolvedOutputDir); when that place cannot be written (e.g. the demo project inside a read-only
// install), the studio writes to AppDataLocation/runs/<project name>/<output_dir> instead and says so.
#pragma once
#include "project/project_config.h"

#include <QString>

namespace lorastudio::ui {

struct OutputLocation {
    QString path;          // absolute folder the run writes to
    bool redirected = false; // true when path is not core's resolvedOutputDir (it was not writable)
};

// `projectName` names the fallback folder (e.g. "demo" for demo.yaml).
OutputLocation effectiveOutputDir(const ProjectConfig& config, const QString& projectName);

} // namespace lorastudio::ui

// Helpers shared by the tests: where the reference fixtures and the source tree are, scratch dirs.
#pragma once
#include <functional>
#include <string>

namespace testsupport {
// ../shared/fixtures (or $LORASTUDIO_FIXTURES), without a trailing slash.
std::string fixturesDir();
// The repository root.
std::string sourceDir();
// A fresh empty directory under the system temp dir, unique per call.
std::string makeTempDir(const std::string& tag);
// Whole file as bytes; writes bytes to a file (not atomic: tests only).
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& bytes);
// The message of the lorastudio::Error that f throws; empty when it throws none.
std::string errorOf(const std::function<void()>& f);
} // namespace testsupport

// Atomic file writing: every file core writes goes to a temporary name in the same folder and is
// renamed over the target only when complete and flushed, so a crash never leaves half a file.
#pragma once
#include <functional>
#include <ostream>
#include <string>

namespace lorastudio {

// Calls write(out) on a stream to "<path>.tmp-<pid>-<n>", fsyncs it, then renames it to path.
// On any failure the temporary file is removed and lorastudio::Error names the path.
void writeFileAtomic(const std::string& path, const std::function<void(std::ostream&)>& write);

// Convenience: atomically replace path with bytes.
void writeFileAtomic(const std::string& path, const std::string& bytes);

// A sibling temporary path for path (same folder, so rename() is atomic).
std::string temporarySibling(const std::string& path);

// Removes the temporary siblings of path ("<name>.tmp-<pid>-<n>") left by a process that no longer
// runs (killed mid-write); writeFileAtomic calls it, so a crash's leftover goes with the next save.
void removeStaleTemporaries(const std::string& path);

// What a failed write's errno means, for messages: ENOSPC / EDQUOT -> "the disk is full (no space
// left on device)", else "write failed: <strerror>". diskFullHint() is the hint to go with it.
std::string writeFailureText(int err);
bool isDiskFull(int err);
std::string diskFullHint();

} // namespace lorastudio

// Writing a whole output folder atomically: files go into a hidden sibling staging folder that is
// renamed into place only when complete, after checking there is room on the disk. A crash or an
// error never leaves a half-written adapter or merged model under the target name.
#pragma once
#include <cstdint>
#include <string>

namespace lorastudio {

// Throws Error naming `folder` when the file system holding it has fewer than `bytes` (plus a
// small margin) available. `what` says what is being written ("adapter", "merged model").
void requireFreeSpace(const std::string& folder, uint64_t bytes, const std::string& what);

// "1.5 GB", "320 KB": sizes in messages.
std::string humanBytes(uint64_t bytes);

class StagingFolder {
public:
    // Creates the parent of `target` if needed, checks free space for `neededBytes`, and creates an
    // empty staging folder beside target. Error when target exists and !overwrite, or exists and
    // is not a folder.
    StagingFolder(const std::string& target, uint64_t neededBytes, bool overwrite, const std::string& what);
    ~StagingFolder();  // removes the staging folder unless committed
    StagingFolder(const StagingFolder&) = delete;
    StagingFolder& operator=(const StagingFolder&) = delete;

    const std::string& path() const { return m_staging; }
    // Moves the staging folder to the target name (replacing an existing target folder when
    // overwriting: the old one is renamed aside first, then removed).
    void commit();

private:
    std::string m_target;
    std::string m_staging;
    std::string m_what;
    bool m_overwrite = false;
    bool m_committed = false;
};

} // namespace lorastudio

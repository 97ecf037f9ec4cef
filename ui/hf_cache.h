// The local Hugging Face hub cache: where it is ($HF_HUB_CACHE, $HF_HOME/hub,
// ~/.cache/huggingface/hub) and which model snapshots it holds (models--org--name/snapshots/<hash>/).
#pragma once
#include <QString>
#include <QStringList>
#include <QVector>

namespace lorastudio::ui {

struct CachedModel {
    QString repoId;       // "org/name"
    QString revision;     // snapshot hash
    bool isMain = false;  // the snapshot refs/main points at
    QString path;         // .../models--org--name/snapshots/<hash>
    // From inspectModel; empty architecture and a non-empty error when the folder is not usable.
    QString architecture;
    qint64 parameters = 0;
    quint64 checkpointBytes = 0;
    QString error;
};

// The hub cache folders to look in, most specific first, existing or not:
// $HF_HUB_CACHE (or the older $HUGGINGFACE_HUB_CACHE), $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub,
// ~/.cache/huggingface/hub (duplicates removed).
QStringList hubCacheFolders();

// Every model snapshot with a config.json under the given cache folders, each inspected (slow for
// many models: call it off the GUI thread). Sorted by repo id, the main revision first.
QVector<CachedModel> scanHubCache(const QStringList& folders);

} // namespace lorastudio::ui

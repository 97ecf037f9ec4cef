// Scanning the Hugging Face hub cache: models--org--name folders, their snapshots and refs/main.
#include "hf_cache.h"

#include "error_text.h"
#include "model_info.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>

#include <algorithm>

namespace lorastudio::ui {

QStringList hubCacheFolders() {
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QStringList folders;
    auto add = [&folders](const QString& path) {
        if (path.isEmpty()) return;
        const QString cleaned = QDir::cleanPath(path);
        if (!folders.contains(cleaned)) folders.append(cleaned);
    };
    add(env.value(QStringLiteral("HF_HUB_CACHE")));
    add(env.value(QStringLiteral("HUGGINGFACE_HUB_CACHE")));
    if (env.contains(QStringLiteral("HF_HOME"))) add(env.value(QStringLiteral("HF_HOME")) + QStringLiteral("/hub"));
    if (env.contains(QStringLiteral("XDG_CACHE_HOME")))
        add(env.value(QStringLiteral("XDG_CACHE_HOME")) + QStringLiteral("/huggingface/hub"));
    add(QDir::homePath() + QStringLiteral("/.cache/huggingface/hub"));
    return folders;
}

QVector<CachedModel> scanHubCache(const QStringList& folders) {
    QVector<CachedModel> found;
    for (const QString& folder : folders) {
        const QDir cache(folder);
        const QStringList repos = cache.entryList({QStringLiteral("models--*")}, QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString& repo : repos) {
            // models--org--name -> org/name (names without an org: models--gpt2 -> gpt2)
            const QString repoId = repo.mid(int(qstrlen("models--"))).replace(QStringLiteral("--"), QStringLiteral("/"));
            const QDir repoDir(cache.filePath(repo));
            QString mainRevision;
            QFile ref(repoDir.filePath(QStringLiteral("refs/main")));
            if (ref.open(QIODevice::ReadOnly)) mainRevision = QString::fromUtf8(ref.readAll()).trimmed();
            const QDir snapshots(repoDir.filePath(QStringLiteral("snapshots")));
            for (const QString& revision : snapshots.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                const QString path = snapshots.filePath(revision);
                if (!QFileInfo::exists(path + QStringLiteral("/config.json"))) continue;
                CachedModel model;
                model.repoId = repoId;
                model.revision = revision;
                model.isMain = revision == mainRevision;
                model.path = path;
                try {
                    const ModelInfo info = inspectModel(path.toStdString());
                    model.architecture = QString::fromLatin1(architectureName(info.spec.architecture));
                    model.parameters = info.parameters;
                    model.checkpointBytes = info.checkpointBytes;
                } catch (const std::exception& e) {
                    model.error = errorText(e);
                }
                found.append(model);
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const CachedModel& a, const CachedModel& b) {
        if (a.repoId != b.repoId) return a.repoId.compare(b.repoId, Qt::CaseInsensitive) < 0;
        return a.isMain > b.isMain;
    });
    return found;
}

} // namespace lorastudio::ui

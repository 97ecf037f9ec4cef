// Autosave: periodic crash-recovery copies of an unsaved project, with stale-lock detection.
#include "autosave.h"

#include "error_text.h"
#include "project/project_file.h"
#include "project_document.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUuid>

#include <algorithm>

namespace lorastudio::ui {

namespace {

const char kHeader[] = "# LoRA Studio autosave of: ";

QString lockPathFor(const QString& autosavePath) {
    return autosavePath.left(autosavePath.size() - int(qstrlen(".yaml"))) + QStringLiteral(".lock");
}

} // namespace

Autosave::Autosave(ProjectDocument* document, QObject* parent)
    : QObject(parent), m_document(document), m_timer(new QTimer(this)) {
    QDir().mkpath(folder());
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_path = QDir(folder()).filePath(id + QStringLiteral(".yaml"));
    m_lock = std::make_unique<QLockFile>(lockPathFor(m_path));
    m_lock->setStaleLockTime(0); // stale only when the owning process is gone
    m_lock->tryLock(0);
    // Locks left by sessions that died after their autosave was discarded: nothing to offer.
    for (const QFileInfo& lockFile : QDir(folder()).entryInfoList({QStringLiteral("*.lock")}, QDir::Files)) {
        const QString yaml = lockFile.absolutePath() + QLatin1Char('/') + lockFile.completeBaseName() + QStringLiteral(".yaml");
        if (QFile::exists(yaml)) continue;
        QLockFile stale(lockFile.absoluteFilePath());
        stale.setStaleLockTime(0);
        if (stale.tryLock(0)) stale.unlock(); // unlock removes the file
    }
    m_timer->setInterval(30 * 1000);
    connect(m_timer, &QTimer::timeout, this, &Autosave::saveNow);
    m_timer->start();
    connect(document, &ProjectDocument::modifiedChanged, this, [this](bool modified) {
        if (!modified) discard();
    });
}

Autosave::~Autosave() { discard(); }

QString Autosave::folder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

QList<RecoverableProject> Autosave::recoverable() {
    QList<RecoverableProject> found;
    const QDir dir(folder());
    for (const QFileInfo& file : dir.entryInfoList({QStringLiteral("*.yaml")}, QDir::Files)) {
        QLockFile lock(lockPathFor(file.absoluteFilePath()));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0)) continue; // its session is still running
        lock.unlock();
        QFile in(file.absoluteFilePath());
        if (!in.open(QIODevice::ReadOnly)) continue;
        const QString first = QString::fromUtf8(in.readLine()).trimmed();
        RecoverableProject project;
        project.autosavePath = file.absoluteFilePath();
        if (first.startsWith(QLatin1String(kHeader))) project.originalPath = first.mid(int(qstrlen(kHeader)));
        project.savedAt = file.lastModified();
        found.append(project);
    }
    std::sort(found.begin(), found.end(),
              [](const RecoverableProject& a, const RecoverableProject& b) { return a.savedAt > b.savedAt; });
    return found;
}

bool Autosave::read(const RecoverableProject& project, ProjectConfig& config, QString* error) {
    QFile in(project.autosavePath);
    if (!in.open(QIODevice::ReadOnly)) {
        if (error) *error = in.errorString();
        return false;
    }
    try {
        config = parseProject(in.readAll().toStdString(), project.autosavePath.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = errorText(e);
        return false;
    }
}

void Autosave::remove(const RecoverableProject& project) {
    QFile::remove(project.autosavePath);
    QFile::remove(lockPathFor(project.autosavePath));
}

void Autosave::setIntervalSeconds(int seconds) { m_timer->setInterval(std::max(1, seconds) * 1000); }

void Autosave::saveNow() {
    if (!m_document->isModified()) {
        discard();
        return;
    }
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly)) return;
    const QString original = m_document->filePath();
    out.write(QByteArray(kHeader) + original.toUtf8() + "\n");
    out.write(QByteArray::fromStdString(projectToYaml(m_document->config())));
    out.commit();
}

void Autosave::discard() {
    if (QFile::exists(m_path)) QFile::remove(m_path);
}

} // namespace lorastudio::ui

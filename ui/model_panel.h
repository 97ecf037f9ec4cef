// Model panel: choose the base model (a folder, or a snapshot from the local Hugging Face cache,
// listed with architecture and size) and read a summary of its config and checkpoint.
#pragma once
#include "panel_registry.h"

#include <QFutureWatcher>
#include <QStyle>
#include <QVector>
#include <QWidget>

#include "hf_cache.h"

class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;
class QPushButton;

namespace lorastudio::ui {

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(const PanelContext& context, QWidget* parent = nullptr);

    // Rescans the hub cache folders in the background (cacheScanned() when done).
    void rescanCache();
    QTreeWidget* cacheList() const { return m_cacheList; }

Q_SIGNALS:
    void cacheScanned(int models);

private:
    void browse();
    void useFolder(const QString& folder);
    void pathEdited();
    void useCacheItem(QTreeWidgetItem* item);
    void showScan();
    void refreshFromProject();
    void refreshSummary();
    // The message line: text (empty: hidden) behind a standard icon (error or warning).
    void showMessage(const QString& text, QStyle::StandardPixmap icon);
    void markCurrentInCache();

    PanelContext m_context;
    QLineEdit* m_pathEdit = nullptr;
    QLabel* m_messageIcon = nullptr;
    QLabel* m_errorLabel = nullptr;
    QVector<QLabel*> m_values;
    QLabel* m_cacheInfo = nullptr;
    QTreeWidget* m_cacheList = nullptr;
    QPushButton* m_useCached = nullptr;
    QFutureWatcher<QVector<CachedModel>> m_scan;
};

} // namespace lorastudio::ui

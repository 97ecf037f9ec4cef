// PatternTable: an ordered two-column table (module pattern -> value) with Add / Remove / Up / Down,
// the editor of lora.rank_pattern and lora.alpha_pattern. It holds text only: its owner parses and
// validates the rows and writes the project. Order matters (the first matching pattern wins).
#pragma once
#include <QPair>
#include <QString>
#include <QVector>
#include <QWidget>

class QTableWidget;

namespace lorastudio::ui {

class PatternTable : public QWidget {
    Q_OBJECT
public:
    using Rows = QVector<QPair<QString, QString>>; // (pattern, value) in table order

    PatternTable(const QString& valueHeader, const QString& defaultValue, QWidget* parent = nullptr);

    Rows rows() const;
    // Replaces the rows without emitting edited() (the project changed elsewhere).
    void setRows(const Rows& rows);
    // Appends a row and emits edited() (the Add button; tests).
    void addRow(const QString& pattern, const QString& value);
    QTableWidget* table() const { return m_table; }

Q_SIGNALS:
    // The user changed a cell or added, removed or moved a row.
    void edited();

private:
    void insertRow(int row, const QString& pattern, const QString& value);
    void moveCurrent(int delta);

    QTableWidget* m_table = nullptr;
    QString m_defaultValue;
    bool m_updating = false;
};

} // namespace lorastudio::ui

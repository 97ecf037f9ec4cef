// PatternTable: a QTableWidget of (pattern, value) rows and the buttons that edit its order.
#include "pattern_table.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lorastudio::ui {

PatternTable::PatternTable(const QString& valueHeader, const QString& defaultValue, QWidget* parent)
    : QWidget(parent), m_defaultValue(defaultValue) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, 2);
    m_table->setHorizontalHeaderLabels({tr("Pattern"), valueHeader});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setMinimumHeight(90);
    m_table->setMaximumHeight(160);
    layout->addWidget(m_table);

    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add"));
    auto* remove = new QPushButton(tr("Remove"));
    auto* up = new QPushButton(tr("Up"));
    auto* down = new QPushButton(tr("Down"));
    up->setToolTip(tr("Earlier rows win: the first pattern that matches a module decides."));
    down->setToolTip(up->toolTip());
    for (QPushButton* b : {add, remove, up, down}) buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        addRow(QString(), m_defaultValue);
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row < 0) return;
        m_table->removeRow(row);
        Q_EMIT edited();
    });
    connect(up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveCurrent(1); });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_updating) Q_EMIT edited();
    });
}

PatternTable::Rows PatternTable::rows() const {
    Rows out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QTableWidgetItem* p = m_table->item(r, 0);
        const QTableWidgetItem* v = m_table->item(r, 1);
        out.append({p ? p->text().trimmed() : QString(), v ? v->text().trimmed() : QString()});
    }
    return out;
}

void PatternTable::setRows(const Rows& rows) {
    m_updating = true;
    m_table->setRowCount(0);
    for (const auto& [pattern, value] : rows) insertRow(m_table->rowCount(), pattern, value);
    m_updating = false;
}

void PatternTable::addRow(const QString& pattern, const QString& value) {
    m_updating = true;
    insertRow(m_table->rowCount(), pattern, value);
    m_updating = false;
    Q_EMIT edited();
}

void PatternTable::insertRow(int row, const QString& pattern, const QString& value) {
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(pattern));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
}

void PatternTable::moveCurrent(int delta) {
    const int row = m_table->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_table->rowCount()) return;
    Rows all = rows();
    all.swapItemsAt(row, to);
    setRows(all);
    m_table->setCurrentCell(to, 0);
    Q_EMIT edited();
}

} // namespace lorastudio::ui

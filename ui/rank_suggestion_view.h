// The Inspect page's rank suggestion: per module its current r, the suggested r that keeps the
// chosen share of the update's energy (core/analysis/rank_suggestion.h), the energy kept and the
// parameters saved; one click writes the ranks into the open project's lora.rank_pattern as one
// undoable edit.
#pragma once
#include "panel_registry.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace lorastudio {
struct AdapterReport;
struct RankSuggestion;
}

namespace lorastudio::ui {

class RankSuggestionView : public QWidget {
    Q_OBJECT
public:
    explicit RankSuggestionView(const PanelContext& context, QWidget* parent = nullptr);
    ~RankSuggestionView() override;

    // The spectra to suggest from (a copy is kept); null clears the table.
    void setReport(const AdapterReport* report);
    // The share of each update's energy to keep: 0.90, 0.95 (default) or 0.99.
    void setShare(double share);
    double share() const;
    QTableWidget* table() const { return m_table; }
    QPushButton* applyButton() const { return m_apply; }
    // Writes the suggestion into the project (the button): false with the reason in the note
    // when there is no suggestion, no project, or no pattern resolves exactly.
    bool applyToProject();
    QString noteText() const;

Q_SIGNALS:
    // A module row was picked: its index in the report.
    void moduleActivated(int index);

private:
    void refresh();

    PanelContext m_context;
    QComboBox* m_share;
    QTableWidget* m_table;
    QLabel* m_totals;
    QLabel* m_note;
    QPushButton* m_apply;
    std::unique_ptr<AdapterReport> m_report;
    std::unique_ptr<RankSuggestion> m_suggestion;
};

} // namespace lorastudio::ui

// The charts' mouse behaviour and fitting (ui/chart_view): the wheel scrolls the page and leaves
// the chart alone, Ctrl+wheel zooms and the view then survives new points, a double click fits
// again, one point gets a readable range, and a legend placed above never overlaps the plot.
#include "chart_view.h"
#include "ui_test_support.h"

#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>
#include <QtTest>

using namespace lorastudio::ui;

class TestChartView : public QObject {
    Q_OBJECT
private:
    QScrollArea* m_area = nullptr;
    QCustomPlot* m_plot = nullptr;

    // delta > 0: the wheel turned away from the user (zoom in, scroll up).
    void wheel(Qt::KeyboardModifiers modifiers, int delta) {
        const QPoint local = m_plot->axisRect()->rect().center();
        QWheelEvent e(QPointF(local), QPointF(m_plot->mapToGlobal(local)), QPoint(), QPoint(0, delta), Qt::NoButton,
                      modifiers, Qt::NoScrollPhase, false);
        QApplication::sendEvent(m_plot, &e);
    }

private Q_SLOTS:
    void initTestCase() {
        // A chart in a tall page that scrolls, as the studio's pages do.
        m_area = new QScrollArea;
        auto* page = new QWidget;
        auto* layout = new QVBoxLayout(page);
        m_plot = new QCustomPlot;
        m_plot->setMinimumSize(400, 300);
        layout->addWidget(m_plot);
        layout->addSpacing(2000);
        m_area->setWidget(page);
        m_area->setWidgetResizable(true);
        m_area->resize(500, 400);
        m_area->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_area));
        m_plot->addGraph();
        m_plot->plotLayout()->insertRow(0);
        m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, QStringLiteral("Loss")));
        ChartView::install(m_plot);
    }
    void cleanupTestCase() { delete m_area; }

    void onePointGetsAReadableRange() {
        m_plot->graph(0)->addData(1, 2.5);
        ChartView::of(m_plot)->fit();
        const QCPRange x = m_plot->xAxis->range(), y = m_plot->yAxis->range();
        QVERIFY2(x.lower >= 0 && x.lower <= 1 && x.upper >= 1 && x.size() >= 1, qPrintable(QStringLiteral("x %1..%2").arg(x.lower).arg(x.upper)));
        QVERIFY2(y.lower > 0 && y.lower < 2.5 && y.upper > 2.5 && y.size() < 2, qPrintable(QStringLiteral("y %1..%2").arg(y.lower).arg(y.upper)));
        m_plot->graph(0)->addData(2, 2.0);
        m_plot->graph(0)->addData(3, 1.5);
        ChartView::of(m_plot)->fit();
        QCOMPARE(m_plot->xAxis->range().lower, 1.0);
        QCOMPARE(m_plot->xAxis->range().upper, 3.0);
        m_plot->replot();
    }

    void wheelScrollsThePageNotTheChart() {
        const QCPRange before = m_plot->xAxis->range();
        const int scrolled = m_area->verticalScrollBar()->value();
        wheel(Qt::NoModifier, -120);  // scroll down
        QCOMPARE(m_plot->xAxis->range(), before);
        QVERIFY(m_area->verticalScrollBar()->value() > scrolled);
        QVERIFY(!ChartView::of(m_plot)->userHoldsView());
        m_area->verticalScrollBar()->setValue(0);
    }

    void ctrlWheelZoomsAndTheViewSurvivesNewPoints() {
        m_plot->replot();
        const QCPRange before = m_plot->xAxis->range();
        wheel(Qt::ControlModifier, 120);  // zoom in
        const QCPRange zoomed = m_plot->xAxis->range();
        QVERIFY(zoomed.size() < before.size());
        QVERIFY(ChartView::of(m_plot)->userHoldsView());
        m_plot->graph(0)->addData(10, 1.0);
        ChartView::of(m_plot)->fit();
        QCOMPARE(m_plot->xAxis->range(), zoomed);  // new data does not undo the user's zoom

        const QPoint local = m_plot->axisRect()->rect().center();
        QTest::mouseDClick(m_plot, Qt::LeftButton, Qt::NoModifier, local);
        QVERIFY(!ChartView::of(m_plot)->userHoldsView());
        QCOMPARE(m_plot->xAxis->range().upper, 10.0);  // fitted to all the data again
    }

    void legendAboveNeverCoversThePlot() {
        m_plot->graph(0)->setName(QStringLiteral("train"));
        m_plot->addGraph()->setName(QStringLiteral("validation"));
        m_plot->legend->setVisible(true);
        ChartView::placeLegendAbove(m_plot);
        m_plot->replot();
        const QRect legend = m_plot->legend->outerRect();
        const QRect plot = m_plot->axisRect()->rect();
        QVERIFY(legend.isValid());
        QVERIFY2(!legend.intersects(plot), "the legend lies over the plot area");
        QVERIFY(legend.bottom() <= plot.top());
    }
};

QTEST_MAIN(TestChartView)
#include "test_chart_view.moc"

// See rank_advice_text.h. The branches and numbers follow core's moduleAdvice / adapterAdvice one
// for one; a sentence is chosen whole for "direction" vs "directions" (no %n: the English text must
// equal core's even where no translator is loaded).
#include "analysis/spectrum_stats.h"

#include "rank_advice_text.h"

#include <QCoreApplication>

#include <algorithm>

namespace lorastudio::ui {

QString moduleAdviceText(const ModuleReport& m) {
    const int rank = m.rank, k95 = m.k95;
    if (m.isZero()) return QCoreApplication::translate("RankAdvice", "the update is zero (B still at its initial zeros): nothing learned yet");
    if (k95 >= rank)
        return (rank == 1 ? QCoreApplication::translate("RankAdvice", "95% of the update's energy needs all %1 direction: r=%1 is saturated, try r=%2")
                          : QCoreApplication::translate("RankAdvice", "95% of the update's energy needs all %1 directions: r=%1 is saturated, try r=%2"))
            .arg(rank).arg(2 * rank);
    const int p = nextPowerOfTwo(k95);
    if (p < rank) {
        if (k95 == 1)
            return QCoreApplication::translate("RankAdvice", "95% of the update's energy is in the top direction: r=%1 would do (now r=%2)")
                .arg(p).arg(rank);
        return QCoreApplication::translate("RankAdvice", "95% of the update's energy is in the top %1 directions: r=%2 would do (now r=%3)")
            .arg(k95).arg(p).arg(rank);
    }
    return QCoreApplication::translate("RankAdvice", "95% of the update's energy is in the top %1 of %2 directions: r=%2 fits")
        .arg(k95).arg(rank);
}

QString adapterAdviceText(const AdapterReport& r) {
    const int moduleCount = static_cast<int>(r.modules.size());
    if (moduleCount == 0) return QCoreApplication::translate("RankAdvice", "no LoRA modules to analyse");
    if (r.zeroModules == moduleCount)
        return QCoreApplication::translate("RankAdvice", "the update is zero in all %1 modules (B still at its initial zeros): nothing learned yet")
            .arg(moduleCount);
    int maxSaturatedRank = 0;  // as analyzeAdapter counts it: k95 == r in a module that moved
    for (const ModuleReport& m : r.modules)
        if (!m.isZero() && m.k95 >= m.rank) maxSaturatedRank = std::max(maxSaturatedRank, m.rank);
    QString line;
    if (r.saturatedModules > 0) {
        line = QCoreApplication::translate("RankAdvice", "r is saturated in %1 of %2 modules (95% of their update's energy needs every direction): try r=%3")
                   .arg(r.saturatedModules).arg(moduleCount).arg(2 * maxSaturatedRank);
    } else {
        const int p = nextPowerOfTwo(r.maxK95);
        const QString median = QString::number(r.medianK95, 'g', 6);  // printf's %g
        const bool one = r.maxK95 == 1;
        if (p < r.maxRank)
            line = (one ? QCoreApplication::translate("RankAdvice", "95% of the update's energy is in the top %1 direction or fewer in every module (median %2): r=%3 would do (now r=%4)")
                        : QCoreApplication::translate("RankAdvice", "95% of the update's energy is in the top %1 directions or fewer in every module (median %2): r=%3 would do (now r=%4)"))
                       .arg(r.maxK95).arg(median).arg(p).arg(r.maxRank);
        else
            line = (one ? QCoreApplication::translate("RankAdvice", "95% of the update's energy is in the top %1 direction or fewer in every module (median %2): r=%3 fits")
                        : QCoreApplication::translate("RankAdvice", "95% of the update's energy is in the top %1 directions or fewer in every module (median %2): r=%3 fits"))
                       .arg(r.maxK95).arg(median).arg(r.maxRank);
    }
    if (r.zeroModules > 0)
        line = QCoreApplication::translate("RankAdvice", "%1; %2 of %3 modules have not moved from zero")
                   .arg(line, QString::number(r.zeroModules), QString::number(moduleCount));
    return line;
}

} // namespace lorastudio::ui

// See key_suggest.h. Keys are short, so the O(n*m) table is nothing to worry about.
#include "project/key_suggest.h"

#include <algorithm>
#include <cctype>

namespace lorastudio {

int editDistance(const std::string& a, const std::string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

static std::string normalized(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out.push_back(c == '-' || c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

std::string suggestKey(const std::string& unknown, const std::vector<std::string>& known,
                       const std::vector<std::pair<std::string, std::string>>& aliases) {
    const std::string u = normalized(unknown);
    // Close enough: about one edit per three characters, at least one, at most three.
    const int limit = std::clamp(static_cast<int>(u.size()) / 3, 1, 3);
    std::string best;
    int bestDistance = limit + 1;
    auto consider = [&](const std::string& candidate, const std::string& answer) {
        const int dist = editDistance(u, normalized(candidate));
        if (dist < bestDistance) {
            bestDistance = dist;
            best = answer;
        }
    };
    for (const auto& k : known) consider(k, k);
    for (const auto& [alias, key] : aliases) consider(alias, key);
    return best;
}

} // namespace lorastudio

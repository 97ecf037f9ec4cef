// "Did you mean ...?" for misspelt keys: a cheap edit distance (Damerau-Levenshtein, optimal string
// alignment) over the known keys and over familiar names from PEFT / transformers (aliases).
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace lorastudio {

// Edits (insert, delete, substitute, swap two neighbours) turning a into b.
int editDistance(const std::string& a, const std::string& b);

// The known key closest to `unknown` (ignoring case and '-' vs '_'), or "" when none is close.
// aliases: (familiar name, known key) pairs, e.g. ("learning_rate", "lr").
std::string suggestKey(const std::string& unknown, const std::vector<std::string>& known,
                       const std::vector<std::pair<std::string, std::string>>& aliases = {});

} // namespace lorastudio

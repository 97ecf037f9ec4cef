// Text forms, presets and the compact target list for the modules panel; every match goes through
// core's matchTargetModules (PEFT 0.8.2 semantics).
#include "module_selection.h"

#include "error_text.h"
#include "lora/target_matching.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace lorastudio::ui {

namespace {

// The last `count` dot-separated components of a name ("transformer.h.0.attn.c_proj", 2 -> "attn.c_proj").
std::string nameEnding(const std::string& name, int count) {
    std::size_t pos = name.size();
    for (int i = 0; i < count; ++i) {
        const std::size_t dot = name.rfind('.', pos == 0 ? 0 : pos - 1);
        if (dot == std::string::npos || pos == 0) return name;
        pos = dot;
    }
    return name.substr(pos + 1);
}

bool selects(const std::vector<std::string>& names, const LoraSettings& lora, const ModuleSelection& candidate,
             const std::vector<std::string>& wanted) {
    LoraSettings trial = lora;
    trial.targetModules = candidate;
    try {
        return matchTargetModules(names, trial) == wanted;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

ModuleSelection presetSelection(ModulePreset preset, const ModelSpec& spec) {
    switch (preset) {
    case ModulePreset::AttentionQV:
        return ModuleSelection::list(spec.family().presetQv);
    case ModulePreset::AllAttention:
        return ModuleSelection::list(spec.family().presetAttention);
    case ModulePreset::AllLinear:
        break;
    }
    return ModuleSelection::allLinear();
}

QString selectionText(const ModuleSelection& selection) {
    switch (selection.kind) {
    case ModuleSelection::Kind::AllLinear:
        return QStringLiteral("all-linear");
    case ModuleSelection::Kind::Regex:
        return QString::fromStdString(selection.regex);
    case ModuleSelection::Kind::List:
        break;
    }
    QStringList names;
    for (const auto& n : selection.names) names.append(QString::fromStdString(n));
    return names.join(QStringLiteral(", "));
}

bool parseSelectionText(const QString& text, bool regex, ModuleSelection& out, QString* error) {
    const QString trimmed = text.trimmed();
    if (regex) {
        if (trimmed.isEmpty()) {
            if (error) *error = QCoreApplication::translate("ModuleSelection", "Enter a regular expression that matches whole module names.");
            return false;
        }
        ModuleSelection candidate = ModuleSelection::fromRegex(trimmed.toStdString());
        try {
            selectionMatches(candidate, "probe");  // compiles the pattern; throws on a syntax error
        } catch (const std::exception& e) {
            if (error) *error = errorText(e);
            return false;
        }
        out = candidate;
        return true;
    }
    if (trimmed.compare(QStringLiteral("all-linear"), Qt::CaseInsensitive) == 0) {
        out = ModuleSelection::allLinear();
        return true;
    }
    std::vector<std::string> names;
    for (const QString& part : trimmed.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        if (std::find(names.begin(), names.end(), part.toStdString()) == names.end()) names.push_back(part.toStdString());
    out = ModuleSelection::list(names);
    return true;
}

QString layerListText(const std::vector<int>& layers) {
    QStringList parts;
    for (std::size_t i = 0; i < layers.size();) {
        std::size_t j = i;
        while (j + 1 < layers.size() && layers[j + 1] == layers[j] + 1) ++j;
        parts.append(j > i + 1 ? QStringLiteral("%1-%2").arg(layers[i]).arg(layers[j])
                               : QString::number(layers[i]));
        if (j == i + 1) parts.append(QString::number(layers[j]));
        i = j + 1;
    }
    return parts.join(QStringLiteral(", "));
}

bool parseLayerList(const QString& text, std::vector<int>& out, QString* error) {
    std::set<int> layers;
    static const QRegularExpression item(QStringLiteral("^(\\d+)(?:\\s*-\\s*(\\d+))?$"));
    for (const QString& raw : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString part = raw.trimmed();
        if (part.isEmpty()) continue;
        const auto m = item.match(part);
        bool ok1 = false, ok2 = true;
        const int first = m.hasMatch() ? m.captured(1).toInt(&ok1) : 0;
        const int last = m.hasMatch() && !m.captured(2).isEmpty() ? m.captured(2).toInt(&ok2) : first;
        if (!m.hasMatch() || !ok1 || !ok2 || last < first || last - first > 100000) {
            if (error) *error = QCoreApplication::translate("ModuleSelection", "'%1' is not a layer number or a range like 0-3.").arg(part);
            return false;
        }
        for (int l = first; l <= last; ++l) layers.insert(l);
    }
    out.assign(layers.begin(), layers.end());
    return true;
}

std::vector<std::string> matchedModules(const std::vector<std::string>& linearNames, const LoraSettings& lora,
                                        QString* error) {
    try {
        return matchTargetModules(linearNames, lora);
    } catch (const std::exception& e) {
        if (error) *error = errorText(e);
        return {};
    }
}

ModuleSelection selectionForChecked(const std::vector<std::string>& linearNames,
                                    const std::set<std::string>& checked, const LoraSettings& lora) {
    std::vector<std::string> wanted;
    for (const auto& n : linearNames)
        if (checked.count(n)) wanted.push_back(n);
    if (wanted.empty()) return ModuleSelection::list({});
    if (selects(linearNames, lora, ModuleSelection::allLinear(), wanted)) return ModuleSelection::allLinear();
    for (int components = 1; components <= 2; ++components) {
        std::vector<std::string> endings;
        for (const auto& n : wanted) {
            const std::string e = nameEnding(n, components);
            if (std::find(endings.begin(), endings.end(), e) == endings.end()) endings.push_back(e);
        }
        const ModuleSelection candidate = ModuleSelection::list(endings);
        if (selects(linearNames, lora, candidate, wanted)) return candidate;
    }
    return ModuleSelection::list(wanted);
}

} // namespace lorastudio::ui

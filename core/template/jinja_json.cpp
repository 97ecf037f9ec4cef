// JSON text of template values (see jinja_json.h).
#include "template/jinja_json.h"

#include "template/jinja_text.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lorastudio::jinja {

namespace {

void appendHex4(std::string& out, uint32_t unit) {
    static const char* hex = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(unit >> shift) & 0xF];
}

void write(std::string& out, const Value& v, const JsonOptions& o, int depth) {
    const bool indented = o.indent > 0;
    std::string itemSep = indented ? "," : ", ", keySep = ": ";
    if (o.separators) std::tie(itemSep, keySep) = *o.separators;
    switch (v.kind()) {
    case Value::Kind::Undefined: out += o.undefinedAsNull ? "null" : "undefined"; return;
    case Value::Kind::None: out += "null"; return;
    case Value::Kind::Bool: out += v.asBool() ? "true" : "false"; return;
    case Value::Kind::Int: out += std::to_string(v.asInt()); return;
    case Value::Kind::Float: out += std::isfinite(v.asNumber()) ? numberText(v.asNumber()) : "null"; return;
    case Value::Kind::String: out += jsonQuote(v.asString(), o.ensureAscii); return;
    case Value::Kind::Function:
        if (!o.functionsAsText) throw std::invalid_argument("a function has no JSON form");
        out += v.toText();
        return;
    default: break;
    }
    const std::string pad = indented ? "\n" + std::string(static_cast<size_t>(o.indent * depth), ' ') : "";
    const std::string childPad = indented ? pad + std::string(static_cast<size_t>(o.indent), ' ') : "";
    if (v.isList()) {
        const ValueList& items = v.items();
        out += '[';
        for (size_t i = 0; i < items.size(); ++i) {
            if (i) out += itemSep;
            out += childPad;
            write(out, items[i], o, depth + 1);
        }
        if (!items.empty()) out += pad;
        out += ']';
        return;
    }
    std::vector<const std::pair<std::string, Value>*> entries;
    for (const auto& e : v.map().entries()) entries.push_back(&e);
    if (o.sortKeys)
        std::stable_sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first < b->first; });
    out += '{';
    for (size_t i = 0; i < entries.size(); ++i) {
        if (i) out += itemSep;
        out += childPad;
        out += jsonQuote(entries[i]->first, o.ensureAscii);
        out += keySep;
        write(out, entries[i]->second, o, depth + 1);
    }
    if (!entries.empty()) out += pad;
    out += '}';
}

} // namespace

std::string jsonQuote(const std::string& s, bool ensureAscii) {
    std::string out = "\"";
    for (uint32_t cp : codePoints(s)) {
        switch (cp) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        default: break;
        }
        if (cp < 0x20) {
            appendHex4(out, cp);
        } else if (ensureAscii && cp >= 0x7F) {
            if (cp >= 0x10000) { // a surrogate pair, as JavaScript strings hold it
                appendHex4(out, 0xD800 + ((cp - 0x10000) >> 10));
                appendHex4(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                appendHex4(out, cp);
            }
        } else {
            appendUtf8(out, cp);
        }
    }
    return out + "\"";
}

std::string toJsonText(const Value& v, const JsonOptions& options) {
    std::string out;
    write(out, v, options, 0);
    return out;
}

} // namespace lorastudio::jinja

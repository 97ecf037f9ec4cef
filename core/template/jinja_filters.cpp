// The filters (`x | name(args)`), see jinja_builtins.h. Semantics follow the reference renderer
// (@huggingface/jinja); where it has no such filter or form, Jinja's own (Python) semantics.
#include "template/jinja_builtins.h"
#include "template/jinja_error.h"
#include "template/jinja_json.h"
#include "template/jinja_text.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace lorastudio::jinja {

namespace {

const char* const kFilters[] = {
    "safe", "tojson", "default", "d", "list", "first", "last", "length", "count", "reverse", "sort", "join",
    "string", "unique", "selectattr", "rejectattr", "map", "upper", "lower", "title", "capitalize", "trim",
    "indent", "int", "float", "abs", "round", "replace", "items", "keys", "values", "dictsort", "bool",
    "escape", "e", "wordcount", "min", "max", "sum", "select", "reject"};

[[noreturn]] void wrongType(const std::string& filter, const Value& v) {
    throw BuiltinFailure{"filter '" + filter + "' cannot be applied to " + v.typeName()};
}

bool flag(const CallArgs& args, size_t i, const char* name, bool dflt) {
    const Value* v = args.arg(i, name);
    if (!v) return dflt;
    if (v->kind() != Value::Kind::Bool) throw BuiltinFailure{std::string("argument '") + name + "' must be a boolean"};
    return v->asBool();
}

// item.attr, with dotted paths ("function.name") and list indices ("items.0").
Value attributeOf(const Value& item, const std::string& path) {
    Value cur = item;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (cur.isDict() || cur.isNamespace()) {
            const Value* v = cur.map().find(part);
            cur = v ? *v : Value();
        } else if (cur.isList() && !part.empty() && part.size() < 19 && part.find_first_not_of("0123456789") == std::string::npos) {
            const size_t i = std::stoul(part);  // < 19 digits: never out of range
            cur = i < cur.items().size() ? cur.items()[i] : Value();
        } else {
            return Value();
        }
        if (dot == std::string::npos) return cur;
        start = dot + 1;
    }
}

std::string joinText(const Value& v) { return v.isNullish() ? "" : v.concatText(); }

Value toJsonFilter(const Value& v, const CallArgs& args) {
    JsonOptions o;
    if (const Value* indent = args.arg(0, "indent"); indent && !indent->isNone()) {
        if (indent->kind() != Value::Kind::Int) throw BuiltinFailure{"tojson: indent must be an integer"};
        o.indent = static_cast<int>(std::max<int64_t>(0, indent->asInt()));
    }
    o.ensureAscii = flag(args, 99, "ensure_ascii", false);
    o.sortKeys = flag(args, 99, "sort_keys", false);
    if (const Value* sep = args.kwarg("separators"); sep && !sep->isNone()) {
        if (!sep->isList() || sep->items().size() != 2 || !sep->items()[0].isString() || !sep->items()[1].isString())
            throw BuiltinFailure{"tojson: separators must be a tuple of two strings"};
        o.separators = std::make_pair(sep->items()[0].asString(), sep->items()[1].asString());
    }
    try {
        return Value::string(toJsonText(v, o));
    } catch (const std::invalid_argument& e) {
        throw BuiltinFailure{std::string("tojson: ") + e.what()};
    }
}

Value sortFilter(const Value& v, const CallArgs& args) {
    const bool reverse = flag(args, 0, "reverse", false);
    const bool caseSensitive = flag(args, 1, "case_sensitive", false);
    const Value* attr = args.arg(2, "attribute");
    ValueList items = v.items();
    const auto key = [&](const Value& x) {
        if (!attr || attr->isNone()) return x;
        return attributeOf(x, attr->kind() == Value::Kind::Int ? std::to_string(attr->asInt()) : attr->asString());
    };
    std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
        const int c = compareValues(key(a), key(b), caseSensitive);
        return reverse ? c > 0 : c < 0;
    });
    return Value::list(std::move(items));
}

Value selectFilter(const Value& v, const CallArgs& args, bool select) {
    const char* name = select ? "selectattr" : "rejectattr";
    if (args.positional.empty() || !args.positional[0].isString())
        throw BuiltinFailure{std::string(name) + " needs an attribute name"};
    std::string test;
    if (args.positional.size() > 1) {
        if (!args.positional[1].isString()) throw BuiltinFailure{std::string(name) + ": the test name must be a string"};
        test = args.positional[1].asString();
        if (!isKnownTest(test)) throw BuiltinFailure{"unknown test '" + test + "' in " + name};
    }
    CallArgs testArgs;
    testArgs.positional.assign(args.positional.begin() + std::min<size_t>(2, args.positional.size()), args.positional.end());
    ValueList out;
    for (const Value& item : v.items()) {
        if (!item.isDict() && !item.isNamespace()) throw BuiltinFailure{std::string(name) + " needs a list of dicts"};
        const Value a = attributeOf(item, args.positional[0].asString());
        const bool ok = test.empty() ? a.truthy() : applyTest(test, a, testArgs);
        if (ok == select) out.push_back(item);
    }
    return Value::list(std::move(out));
}

// select / reject: the items that pass (fail) a test, e.g. reject('equalto', 'x'); truthiness without one.
Value selectItems(const Value& v, const CallArgs& args, bool select) {
    std::string test;
    if (!args.positional.empty()) {
        if (!args.positional[0].isString()) throw BuiltinFailure{"select/reject: the test name must be a string"};
        test = args.positional[0].asString();
        if (!isKnownTest(test)) throw BuiltinFailure{"unknown test '" + test + "'"};
    }
    CallArgs testArgs;
    if (args.positional.size() > 1) testArgs.positional.assign(args.positional.begin() + 1, args.positional.end());
    ValueList out;
    for (const Value& item : v.items())
        if ((test.empty() ? item.truthy() : applyTest(test, item, testArgs)) == select) out.push_back(item);
    return Value::list(std::move(out));
}

Value mapFilter(const Value& v, const CallArgs& args) {
    ValueList out;
    if (const Value* attr = args.kwarg("attribute")) {
        if (!attr->isString()) throw BuiltinFailure{"map: attribute must be a string"};
        const Value* dflt = args.kwarg("default");
        for (const Value& item : v.items()) {
            if (!item.isDict() && !item.isNamespace()) throw BuiltinFailure{"map(attribute=...) needs a list of dicts"};
            Value a = attributeOf(item, attr->asString());
            out.push_back(a.isUndefined() && dflt ? *dflt : a);
        }
        return Value::list(std::move(out));
    }
    if (args.positional.empty() || !args.positional[0].isString())
        throw BuiltinFailure{"map needs attribute=... or a filter name"};
    const std::string filter = args.positional[0].asString();
    if (!isKnownFilter(filter)) throw BuiltinFailure{"unknown filter '" + filter + "' in map"};
    CallArgs rest;
    rest.positional.assign(args.positional.begin() + 1, args.positional.end());
    rest.keyword = args.keyword;
    for (const Value& item : v.items()) out.push_back(applyFilter(filter, item, rest));
    return Value::list(std::move(out));
}

Value indentFilter(const std::string& s, const CallArgs& args) {
    const Value* width = args.arg(0, "width");
    std::string pad = "    ";
    if (width && width->isString()) pad = width->asString();
    else if (width && width->kind() == Value::Kind::Int) pad = std::string(static_cast<size_t>(std::max<int64_t>(0, width->asInt())), ' ');
    else if (width) throw BuiltinFailure{"indent: width must be an integer or a string"};
    const Value* firstV = args.arg(1, "first");
    const Value* blankV = args.arg(2, "blank");
    const bool first = firstV && firstV->truthy(), blank = blankV && blankV->truthy();
    std::string out;
    size_t start = 0, line = 0;
    while (true) {
        const size_t nl = s.find('\n', start);
        const std::string part = s.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!((!first && line == 0) || (!blank && part.empty()))) out += pad;
        out += part;
        if (nl == std::string::npos) break;
        out += '\n';
        start = nl + 1;
        ++line;
    }
    return Value::string(std::move(out));
}

// JavaScript's parseInt(s, 10) / parseFloat(s): a leading number, or nothing.
bool leadingNumber(const std::string& s, bool integer, double& out) {
    const std::string t = trimLeft(s);
    const char* begin = t.c_str();
    char* end = nullptr;
    if (integer) {
        const long long v = std::strtoll(begin, &end, 10);
        out = static_cast<double>(v);
    } else {
        if (t.rfind("Infinity", 0) == 0 || t.rfind("+Infinity", 0) == 0 || t.rfind("-Infinity", 0) == 0) {
            out = t[0] == '-' ? -INFINITY : INFINITY;
            return true;
        }
        if (t.size() > 1 && (t[1] == 'x' || t[1] == 'X')) { out = 0; return t[0] == '0'; } // "0x.." parses as 0
        out = std::strtod(begin, &end);
    }
    return end != begin;
}

Value stringFilter(const std::string& name, const std::string& s, const Value& v, const CallArgs& args) {
    if (name == "length" || name == "count" || name == "wordcount") {
        CallArgs none;
        if (name == "wordcount") return Value::integer(static_cast<int64_t>(builtinMember(v, "split").asFunction().call(none).items().size()));
        return Value::integer(static_cast<int64_t>(codePointCount(s)));
    }
    if (name == "upper") return Value::string(asciiUpper(s));
    if (name == "lower") return Value::string(asciiLower(s));
    if (name == "capitalize") {
        std::string out = asciiLower(s);
        if (!out.empty()) out[0] = asciiUpper(out.substr(0, 1))[0];
        return Value::string(out);
    }
    if (name == "title") { // Python: upper after a non-letter, lower after a letter
        std::string out = s;
        bool prevLetter = false;
        for (char& c : out) {
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (letter) c = prevLetter ? asciiLower(std::string(1, c))[0] : asciiUpper(std::string(1, c))[0];
            prevLetter = letter || (static_cast<unsigned char>(c) >= 0x80);
        }
        return Value::string(out);
    }
    if (name == "trim") {
        const Value* chars = args.arg(0, "chars");
        if (chars && chars->isString()) return Value::string(stripChars(s, chars->asString(), true, true));
        return Value::string(trim(s));
    }
    if (name == "indent") return indentFilter(s, args);
    if (name == "string") return v;
    if (name == "join") {
        const Value* sep = args.arg(0, "d");
        if (!sep) return v;
        if (!sep->isString()) throw BuiltinFailure{"join: the separator must be a string"};
        std::string out;
        const std::vector<size_t> offs = codePointOffsets(s);
        for (size_t i = 0; i + 1 < offs.size(); ++i) out += (i ? sep->asString() : "") + s.substr(offs[i], offs[i + 1] - offs[i]);
        return Value::string(out);
    }
    if (name == "int" || name == "float") {
        double d = 0;
        if (!leadingNumber(s, name == "int", d) || std::isnan(d)) {
            if (const Value* dflt = args.arg(0, "default")) return *dflt;
            return name == "int" ? Value::integer(0) : Value::real(0);
        }
        return name == "int" ? Value::integer(static_cast<int64_t>(d)) : Value::real(d);
    }
    if (name == "replace") return builtinMember(v, "replace").asFunction().call(const_cast<CallArgs&>(args));
    if (name == "escape" || name == "e") {
        std::string out;
        for (char c : s) {
            switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&#34;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
            }
        }
        return Value::string(out);
    }
    if (name == "list" || name == "first" || name == "last" || name == "reverse") {
        ValueList chars;
        const std::vector<size_t> offs = codePointOffsets(s);
        for (size_t i = 0; i + 1 < offs.size(); ++i) chars.push_back(Value::string(s.substr(offs[i], offs[i + 1] - offs[i])));
        if (name == "list") return Value::list(std::move(chars));
        if (name == "reverse") {
            std::string out;
            for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += it->asString();
            return Value::string(out);
        }
        if (chars.empty()) return Value();
        return name == "first" ? chars.front() : chars.back();
    }
    wrongType(name, v);
}

Value listFilter(const std::string& name, const Value& v, const CallArgs& args) {
    const ValueList& items = v.items();
    if (name == "list") return v;
    if (name == "first") return items.empty() ? Value() : items.front();
    if (name == "last") return items.empty() ? Value() : items.back();
    if (name == "length" || name == "count") return Value::integer(static_cast<int64_t>(items.size()));
    if (name == "reverse") return Value::list(ValueList(items.rbegin(), items.rend()));
    if (name == "sort") return sortFilter(v, args);
    if (name == "string") return Value::string(v.toText());
    if (name == "selectattr" || name == "rejectattr") return selectFilter(v, args, name == "selectattr");
    if (name == "map") return mapFilter(v, args);
    if (name == "select" || name == "reject") return selectItems(v, args, name == "select");
    if (name == "join") {
        const Value* sep = args.arg(0, "d");
        if (sep && !sep->isString()) throw BuiltinFailure{"join: the separator must be a string"};
        const Value* attr = args.kwarg("attribute");
        std::string out;
        for (size_t i = 0; i < items.size(); ++i) {
            if (i && sep) out += sep->asString();
            out += joinText(attr && attr->isString() ? attributeOf(items[i], attr->asString()) : items[i]);
        }
        return Value::string(out);
    }
    if (name == "unique") {
        ValueList out;
        for (const Value& x : items)
            if (std::none_of(out.begin(), out.end(), [&](const Value& y) { return valuesEqual(x, y); })) out.push_back(x);
        return Value::list(std::move(out));
    }
    if (name == "min" || name == "max") {
        if (items.empty()) return Value();
        Value best = items[0];
        for (const Value& x : items) {
            const int c = compareValues(x, best, false);
            if (name == "min" ? c < 0 : c > 0) best = x;
        }
        return best;
    }
    if (name == "sum") {
        Value total = Value::integer(0);
        for (const Value& x : items) total = binaryOperation("+", total, x);
        return total;
    }
    wrongType(name, v);
}

Value dictFilter(const std::string& name, const Value& v, const CallArgs& args) {
    const auto& entries = v.map().entries();
    if (name == "length" || name == "count") return Value::integer(static_cast<int64_t>(entries.size()));
    ValueList out;
    if (name == "items" || name == "dictsort") {
        for (const auto& [k, x] : entries) out.push_back(Value::list({Value::string(k), x}));
        if (name == "dictsort") {
            const bool caseSensitive = flag(args, 0, "case_sensitive", false);
            const Value* by = args.arg(1, "by");
            const size_t idx = by && by->isString() && by->asString() == "value" ? 1 : 0;
            const bool reverse = flag(args, 2, "reverse", false);
            std::stable_sort(out.begin(), out.end(), [&](const Value& a, const Value& b) {
                const int c = compareValues(a.items()[idx], b.items()[idx], caseSensitive);
                return reverse ? c > 0 : c < 0;
            });
        }
        return Value::list(std::move(out));
    }
    if (name == "keys" || name == "list") {
        for (const auto& e : entries) out.push_back(Value::string(e.first));
        return Value::list(std::move(out));
    }
    if (name == "values") {
        for (const auto& e : entries) out.push_back(e.second);
        return Value::list(std::move(out));
    }
    if (name == "string") return Value::string(v.toText());
    wrongType(name, v);
}

Value numberFilter(const std::string& name, const Value& v, const CallArgs& args) {
    const bool isInt = v.kind() == Value::Kind::Int;
    if (name == "abs") return isInt ? Value::integer(std::llabs(v.asInt())) : Value::real(std::fabs(v.asNumber()));
    if (name == "int") return isInt ? v : Value::integer(static_cast<int64_t>(std::trunc(v.asNumber())));
    if (name == "float") return Value::real(v.asNumber());
    if (name == "string") return Value::string(v.toText());
    if (name == "bool") return Value::boolean(v.truthy());
    if (name == "round") {
        const Value* precision = args.arg(0, "precision");
        const Value* method = args.arg(1, "method");
        const double scale = std::pow(10.0, precision && precision->kind() == Value::Kind::Int ? static_cast<double>(precision->asInt()) : 0.0);
        const std::string m = method && method->isString() ? method->asString() : "common";
        const double x = v.asNumber() * scale;
        const double r = m == "ceil" ? std::ceil(x) : m == "floor" ? std::floor(x) : std::round(x);
        return Value::real(r / scale);
    }
    wrongType(name, v);
}

} // namespace

bool isKnownFilter(const std::string& name) {
    return std::find(std::begin(kFilters), std::end(kFilters), name) != std::end(kFilters);
}

Value applyFilter(const std::string& name, const Value& v, const CallArgs& args) {
    if (name == "safe") return v;
    if (name == "tojson") return toJsonFilter(v, args);
    if (name == "default" || name == "d") {
        const Value* dflt = args.arg(0, "default_value");
        const bool boolean = flag(args, 1, "boolean", false);
        if (v.isUndefined() || (boolean && !v.truthy())) return dflt ? *dflt : Value::string("");
        return v;
    }
    // trim filters str(value) in Python's Jinja: "" for an undefined value, "None" for none. Templates
    // that trim a missing or null content (Hermes' tool_use, Llama 3's tool calls with content null)
    // render so in transformers; @huggingface/jinja raises (tests/fixtures/jinja: "python" cases).
    if (name == "trim" && v.isNullish()) return Value::string(v.isUndefined() ? "" : "None");
    switch (v.kind()) {
    case Value::Kind::String: return stringFilter(name, v.asString(), v, args);
    case Value::Kind::List: return listFilter(name, v, args);
    case Value::Kind::Dict: return dictFilter(name, v, args);
    case Value::Kind::Int:
    case Value::Kind::Float: return numberFilter(name, v, args);
    case Value::Kind::Bool:
        if (name == "bool") return v;
        if (name == "int") return Value::integer(v.asBool() ? 1 : 0);
        if (name == "float") return Value::real(v.asBool() ? 1 : 0);
        if (name == "string") return Value::string(v.toText());
        break;
    default: break;
    }
    if (!isKnownFilter(name)) throw BuiltinFailure{"unknown filter '" + name + "'"};
    wrongType(name, v);
}

} // namespace lorastudio::jinja

// Value construction, truthiness, equality and the texts values print as (see jinja_value.h).
#include "template/jinja_value.h"

#include "template/jinja_json.h"

#include <charconv>
#include <cmath>

namespace lorastudio::jinja {

const Value* ValueMap::find(const std::string& key) const {
    for (const auto& [k, v] : m_entries)
        if (k == key) return &v;
    return nullptr;
}

Value* ValueMap::find(const std::string& key) {
    for (auto& [k, v] : m_entries)
        if (k == key) return &v;
    return nullptr;
}

void ValueMap::set(const std::string& key, Value value) {
    if (Value* v = find(key)) *v = std::move(value);
    else m_entries.emplace_back(key, std::move(value));
}

const Value* CallArgs::kwarg(const std::string& name) const {
    for (const auto& [k, v] : keyword)
        if (k == name) return &v;
    return nullptr;
}

const Value* CallArgs::arg(size_t i, const std::string& name) const {
    if (i < positional.size()) return &positional[i];
    return kwarg(name);
}

Value Value::none() { Value v; v.m_kind = Kind::None; return v; }
Value Value::boolean(bool b) { Value v; v.m_kind = Kind::Bool; v.m_bool = b; return v; }
Value Value::integer(int64_t i) { Value v; v.m_kind = Kind::Int; v.m_int = i; return v; }
Value Value::real(double d) { Value v; v.m_kind = Kind::Float; v.m_float = d; return v; }

Value Value::string(std::string s) {
    Value v;
    v.m_kind = Kind::String;
    v.m_string = std::make_shared<const std::string>(std::move(s));
    return v;
}

Value Value::list(ValueList items) {
    Value v;
    v.m_kind = Kind::List;
    v.m_list = std::make_shared<ValueList>(std::move(items));
    return v;
}

Value Value::dict(ValueMap map) {
    Value v;
    v.m_kind = Kind::Dict;
    v.m_map = std::make_shared<ValueMap>(std::move(map));
    return v;
}

Value Value::nameSpace(ValueMap map) {
    Value v = dict(std::move(map));
    v.m_kind = Kind::Namespace;
    return v;
}

Value Value::function(std::string name, std::function<Value(CallArgs&)> fn) {
    Value v;
    v.m_kind = Kind::Function;
    v.m_function = std::make_shared<const Function>(Function{std::move(name), std::move(fn)});
    return v;
}

Value Value::fromJson(const nlohmann::ordered_json& j) {
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return none();
    case nlohmann::ordered_json::value_t::boolean: return boolean(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return integer(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: return integer(static_cast<int64_t>(j.get<uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float: {
        const double d = j.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return integer(static_cast<int64_t>(d));
        return real(d);
    }
    case nlohmann::ordered_json::value_t::string: return string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        ValueList items;
        items.reserve(j.size());
        for (const auto& e : j) items.push_back(fromJson(e));
        return list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        ValueMap map;
        for (auto it = j.begin(); it != j.end(); ++it) map.set(it.key(), fromJson(it.value()));
        return dict(std::move(map));
    }
    default: return Value(); // binary, discarded
    }
}

double Value::asNumber() const {
    if (m_kind == Kind::Float) return m_float;
    if (m_kind == Kind::Bool) return m_bool ? 1.0 : 0.0;
    return static_cast<double>(m_int);
}

bool Value::sameObject(const Value& other) const {
    if (m_kind != other.m_kind) return false;
    switch (m_kind) {
    case Kind::List: return m_list == other.m_list;
    case Kind::Dict:
    case Kind::Namespace: return m_map == other.m_map;
    case Kind::Function: return m_function == other.m_function;
    default: return false;
    }
}

bool Value::truthy() const {
    switch (m_kind) {
    case Kind::Undefined:
    case Kind::None: return false;
    case Kind::Bool: return m_bool;
    case Kind::Int: return m_int != 0;
    case Kind::Float: return m_float != 0 && !std::isnan(m_float);
    case Kind::String: return !m_string->empty();
    case Kind::List: return !m_list->empty();
    case Kind::Dict: return m_map->size() > 0;
    case Kind::Namespace:
    case Kind::Function: return true;
    }
    return false;
}

std::string numberText(double d) {
    if (std::isnan(d)) return "NaN";
    if (d == 0) return "0";
    if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
    if (d < 0) return "-" + numberText(-d);
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    const std::string sci(buf, res.ptr);
    const size_t e = sci.find('e');
    std::string digits;
    for (size_t i = 0; i < e; ++i)
        if (sci[i] != '.') digits += sci[i];
    const int k = static_cast<int>(digits.size());
    const int n = std::stoi(sci.substr(e + 1)) + 1; // value = 0.digits * 10^n
    if (k <= n && n <= 21) return digits + std::string(static_cast<size_t>(n - k), '0');
    if (0 < n && n <= 21) return digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
    if (-6 < n && n <= 0) return "0." + std::string(static_cast<size_t>(-n), '0') + digits;
    std::string out = digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    const int exp = n - 1;
    return out + "e" + (exp < 0 ? "-" : "+") + std::to_string(exp < 0 ? -exp : exp);
}

std::string Value::toText() const {
    switch (m_kind) {
    case Kind::Undefined: return "undefined";
    case Kind::None: return "null";
    case Kind::Bool: return m_bool ? "true" : "false";
    case Kind::Int: return std::to_string(m_int);
    case Kind::Float:
        if (m_float == 0 && std::signbit(m_float)) return "-0.0";
        if (std::isfinite(m_float) && m_float == std::floor(m_float) && std::fabs(m_float) < 1e21)
            return numberText(m_float) + ".0";
        return numberText(m_float);
    case Kind::String: return *m_string;
    case Kind::List:
    case Kind::Dict:
    case Kind::Namespace: {
        JsonOptions o;
        o.undefinedAsNull = false;
        o.functionsAsText = true;  // e.g. {{ loop }}: its cycle() prints as "function cycle"
        return toJsonText(*this, o);
    }
    case Kind::Function: return "function " + m_function->name;
    }
    return {};
}

std::string Value::concatText() const {
    switch (m_kind) {
    case Kind::Undefined: return "";
    case Kind::Float: return numberText(m_float);
    case Kind::List: {
        std::string out;
        for (size_t i = 0; i < m_list->size(); ++i) {
            if (i) out += ",";
            out += (*m_list)[i].toText();
        }
        return out;
    }
    case Kind::Dict:
    case Kind::Namespace: return "[object Map]";
    default: return toText();
    }
}

std::string Value::typeName() const {
    switch (m_kind) {
    case Kind::Undefined: return "undefined";
    case Kind::None: return "none";
    case Kind::Bool: return "boolean";
    case Kind::Int: return "integer";
    case Kind::Float: return "float";
    case Kind::String: return "string";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Namespace: return "namespace";
    case Kind::Function: return "function";
    }
    return "value";
}

bool valuesEqual(const Value& a, const Value& b) {
    using K = Value::Kind;
    const auto numeric = [](const Value& v) { return v.isNumber() || v.kind() == K::Bool; };
    if (numeric(a) && numeric(b)) {
        if (a.kind() == K::Int && b.kind() == K::Int) return a.asInt() == b.asInt();
        return a.asNumber() == b.asNumber();
    }
    if (a.isNullish() || b.isNullish()) return a.isNullish() && b.isNullish();
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case K::String: return a.asString() == b.asString();
    case K::List: {
        if (a.sameObject(b)) return true;
        if (a.items().size() != b.items().size()) return false;
        for (size_t i = 0; i < a.items().size(); ++i)
            if (!valuesEqual(a.items()[i], b.items()[i])) return false;
        return true;
    }
    case K::Dict: {
        if (a.sameObject(b)) return true;
        if (a.map().size() != b.map().size()) return false;
        for (const auto& [k, v] : a.map().entries()) {
            const Value* other = b.map().find(k);
            if (!other || !valuesEqual(v, *other)) return false;
        }
        return true;
    }
    default: return a.sameObject(b);
    }
}

} // namespace lorastudio::jinja

// The values a chat template computes with: undefined, none, booleans, integers, floats, strings,
// lists, dicts (insertion-ordered), namespaces and functions. Lists, dicts and namespaces are shared
// by reference, as in Python, so `set ns.x = ...` is seen through every name of the namespace.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio::jinja {

class Value;
using ValueList = std::vector<Value>;

// A dict that keeps insertion order (JSON objects and templates rely on it). Lookups are linear:
// chat-template dicts hold a handful of keys.
class ValueMap {
public:
    const Value* find(const std::string& key) const;
    Value* find(const std::string& key);
    void set(const std::string& key, Value value);
    const std::vector<std::pair<std::string, Value>>& entries() const { return m_entries; }
    size_t size() const { return m_entries.size(); }

private:
    std::vector<std::pair<std::string, Value>> m_entries;
};

// Arguments of a call: positional, then keyword (in the order written).
struct CallArgs {
    ValueList positional;
    std::vector<std::pair<std::string, Value>> keyword;
    const Value* kwarg(const std::string& name) const;
    // Positional i, else keyword `name`, else nullptr.
    const Value* arg(size_t i, const std::string& name) const;
};

struct Function {
    std::string name;
    std::function<Value(CallArgs&)> call;
};

class Value {
public:
    enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Namespace, Function };

    Value() = default;
    static Value none();
    static Value boolean(bool b);
    static Value integer(int64_t i);
    static Value real(double d);
    static Value string(std::string s);
    static Value list(ValueList items = {});
    static Value dict(ValueMap map = {});
    static Value nameSpace(ValueMap map = {});
    static Value function(std::string name, std::function<Value(CallArgs&)> fn);
    // JSON input: integral floats become integers (as the reference renderer reads JS numbers).
    static Value fromJson(const nlohmann::ordered_json& j);

    Kind kind() const { return m_kind; }
    bool isUndefined() const { return m_kind == Kind::Undefined; }
    bool isNone() const { return m_kind == Kind::None; }
    bool isNullish() const { return m_kind == Kind::Undefined || m_kind == Kind::None; }
    bool isString() const { return m_kind == Kind::String; }
    bool isNumber() const { return m_kind == Kind::Int || m_kind == Kind::Float; }
    bool isList() const { return m_kind == Kind::List; }
    bool isDict() const { return m_kind == Kind::Dict; }
    bool isNamespace() const { return m_kind == Kind::Namespace; }
    bool isFunction() const { return m_kind == Kind::Function; }

    bool asBool() const { return m_bool; }
    int64_t asInt() const { return m_int; }
    double asNumber() const; // Int, Float or Bool as a double
    const std::string& asString() const { return *m_string; }
    ValueList& items() const { return *m_list; }
    ValueMap& map() const { return *m_map; } // Dict or Namespace
    const Function& asFunction() const { return *m_function; }
    // Same list / dict / namespace object (not a copy).
    bool sameObject(const Value& other) const;

    bool truthy() const;
    // The text `{{ value }}` writes: JSON for lists and dicts, "true"/"false", floats as "2.0".
    std::string toText() const;
    // The text string concatenation with `+` / `~` uses (the reference renderer's JavaScript
    // toString of the raw value: floats without ".0", lists comma-joined, dicts "[object Map]").
    std::string concatText() const;
    // "string", "list", ... for messages.
    std::string typeName() const;

private:
    Kind m_kind = Kind::Undefined;
    bool m_bool = false;
    int64_t m_int = 0;
    double m_float = 0;
    std::shared_ptr<const std::string> m_string;
    std::shared_ptr<ValueList> m_list;
    std::shared_ptr<ValueMap> m_map;
    std::shared_ptr<const Function> m_function;
};

// Python-style equality, except that none equals undefined (as in the reference renderer).
bool valuesEqual(const Value& a, const Value& b);
// JavaScript's Number::toString: the shortest text that reads back the same double.
std::string numberText(double d);

} // namespace lorastudio::jinja

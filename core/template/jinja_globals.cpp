// The template's global functions: range, namespace, dict, raise_exception and strftime_now (whose
// clock is injectable so that tests and fixtures read a fixed date).
#include "template/jinja_interpreter.h"

#include "template/jinja_error.h"

namespace lorastudio::jinja {

namespace {

const char* const kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                               "August", "September", "October", "November", "December"};
const char* const kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string pad2(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// The strftime codes chat templates use; any other %x stays as written (as in the reference renderer).
std::string formatTime(const std::string& fmt, const std::tm& t) {
    std::string out;
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%' || i + 1 >= fmt.size()) { out += fmt[i]; continue; }
        const char c = fmt[++i];
        const int month = t.tm_mon >= 0 && t.tm_mon < 12 ? t.tm_mon : 0;
        const int day = t.tm_wday >= 0 && t.tm_wday < 7 ? t.tm_wday : 0;
        switch (c) {
        case 'Y': out += std::to_string(t.tm_year + 1900); break;
        case 'y': out += pad2((t.tm_year + 1900) % 100); break;
        case 'm': out += pad2(t.tm_mon + 1); break;
        case 'd': out += pad2(t.tm_mday); break;
        case 'b': out += std::string(kMonths[month]).substr(0, 3); break;
        case 'B': out += kMonths[month]; break;
        case 'a': out += std::string(kDays[day]).substr(0, 3); break;
        case 'A': out += kDays[day]; break;
        case 'H': out += pad2(t.tm_hour); break;
        case 'M': out += pad2(t.tm_min); break;
        case 'S': out += pad2(t.tm_sec); break;
        case '%': out += '%'; break;
        default: out += '%'; out += c;
        }
    }
    return out;
}

int64_t intArg(const Value& v, const char* what) {
    if (v.kind() != Value::Kind::Int) throw BuiltinFailure{std::string("range() needs integers, got ") + v.typeName() + " as " + what};
    return v.asInt();
}

} // namespace

void JinjaInterpreter::installGlobals(Scope* scope) {
    const size_t maxItems = m_limits.maxLoopIterations;
    scope->vars["range"] = Value::function("range", [maxItems](CallArgs& a) {
        if (a.positional.empty() || a.positional.size() > 3) throw BuiltinFailure{"range() takes 1 to 3 integers"};
        int64_t start = 0, stop = 0, step = 1;
        if (a.positional.size() == 1) {
            stop = intArg(a.positional[0], "stop");
        } else {
            start = intArg(a.positional[0], "start");
            stop = intArg(a.positional[1], "stop");
            if (a.positional.size() == 3) step = intArg(a.positional[2], "step");
        }
        if (step == 0) throw BuiltinFailure{"range() step must not be zero"};
        const int64_t count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                                       : (start > stop ? (start - stop - step - 1) / -step : 0);
        if (static_cast<uint64_t>(count) > maxItems)
            throw BuiltinFailure{"range() would hold " + std::to_string(count) + " items, more than the loop-iteration limit (" +
                                 std::to_string(maxItems) + ")"};
        ValueList items;
        for (int64_t i = 0, v = start; i < count; ++i, v += step) items.push_back(Value::integer(v));
        return Value::list(std::move(items));
    });
    scope->vars["namespace"] = Value::function("namespace", [](CallArgs& a) {
        if (a.positional.size() > 1) throw BuiltinFailure{"namespace() takes at most one positional argument"};
        ValueMap map;
        if (a.positional.size() == 1) {
            const Value& src = a.positional[0];
            if (!src.isDict()) throw BuiltinFailure{"namespace() takes a dict, got " + src.typeName()};
            for (const auto& [k, v] : src.map().entries()) map.set(k, v);
        }
        for (const auto& [k, v] : a.keyword) map.set(k, v);
        return Value::nameSpace(std::move(map));
    });
    scope->vars["dict"] = Value::function("dict", [](CallArgs& a) {
        ValueMap map;
        for (const auto& [k, v] : a.keyword) map.set(k, v);
        return Value::dict(std::move(map));
    });
    scope->vars["raise_exception"] = Value::function("raise_exception", [](CallArgs& a) -> Value {
        throw TemplateRaise{a.positional.empty() ? std::string() : a.positional[0].toText()};
    });
    scope->vars["strftime_now"] = Value::function("strftime_now", [this](CallArgs& a) {
        if (a.positional.empty() || !a.positional[0].isString()) throw BuiltinFailure{"strftime_now() needs a format string"};
        return Value::string(formatTime(a.positional[0].asString(), m_clock()));
    });
}

} // namespace lorastudio::jinja

// See python_format.h.
#include "common/python_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace lorastudio {

std::string withThousandsSeparators(int64_t value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out;
    const int first = static_cast<int>(digits.size() % 3 == 0 ? 3 : digits.size() % 3);
    out += digits.substr(0, static_cast<std::size_t>(first));
    for (std::size_t i = static_cast<std::size_t>(first); i < digits.size(); i += 3) out += "," + digits.substr(i, 3);
    return value < 0 ? "-" + out : out;
}

std::string pythonFloatText(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
    // Shortest round trip: the fewest significant digits whose %e text parses back to `value`.
    char buf[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
        if (std::strtod(buf, nullptr) == value) break;
    }
    // buf: "[-]d[.ddd]e[+-]XX" -> sign, digits, exponent
    std::string text(buf);
    const bool negative = text[0] == '-';
    if (negative) text.erase(0, 1);
    const auto e = text.find('e');
    const int exponent = std::atoi(text.c_str() + e + 1);
    std::string digits;
    for (std::size_t i = 0; i < e; ++i)
        if (text[i] != '.') digits += text[i];
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    std::string out;
    if (exponent >= -4 && exponent < 16) {  // float_repr_style 'short': fixed notation
        if (exponent < 0) {
            out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        } else {
            const std::size_t intDigits = static_cast<std::size_t>(exponent) + 1;
            if (digits.size() <= intDigits) out = digits + std::string(intDigits - digits.size(), '0') + ".0";
            else out = digits.substr(0, intDigits) + "." + digits.substr(intDigits);
        }
    } else {
        out = digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        char exp[16];
        std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
        out += exp;
    }
    return negative ? "-" + out : out;
}

} // namespace lorastudio

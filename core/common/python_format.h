// Numbers printed the way Python prints them, so lines such as PEFT's print_trainable_parameters
// ("trainable params: 2,048 || all params: 174,336 || trainable%: 1.1747430249632893") match.
#pragma once
#include <cstdint>
#include <string>

namespace lorastudio {

// f"{value:,}": 1234567 -> "1,234,567".
std::string withThousandsSeparators(int64_t value);
// repr(float): the shortest text that reads back to the same double, in Python's notation
// ("0.0005", "100.0", "1e-05", "1.5e+16").
std::string pythonFloatText(double value);

} // namespace lorastudio
